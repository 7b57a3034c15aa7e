"""What the API reads and accepts. Output serializers describe rows; input serializers only check
shapes and types: every business rule is the services' (scoring.services, vendors.importing)."""

from rest_framework import serializers

from scoring.models import Candidate, Evaluation, Score
from vendors.models import (
    Certification,
    DeliveryCentre,
    DeliveryModel,
    ExchangeRate,
    Process,
    Quote,
    Vendor,
    VendorCertification,
    VendorProcess,
)

# --- The market -----------------------------------------------------------------------------------


class ProcessSerializer(serializers.ModelSerializer):
    class Meta:
        model = Process
        fields = ["id", "name", "slug", "category", "description"]


class DeliveryModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryModel
        fields = ["id", "code", "name", "description"]


class CertificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certification
        fields = ["id", "name", "slug", "description"]


class CentreSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    delivery_model = serializers.CharField(source="delivery_model.code")

    class Meta:
        model = DeliveryCentre
        fields = ["id", "country", "city", "seats", "delivery_model"]


class VendorCertificationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="certification.name")

    class Meta:
        model = VendorCertification
        fields = ["certification", "name", "valid_until"]


class VendorProcessSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="process.name")

    class Meta:
        model = VendorProcess
        fields = ["process", "name", "years_experience", "reference_clients"]


class VendorSerializer(serializers.ModelSerializer):
    """A vendor with its centres, certifications and processes (prefetched lists: api.market)."""

    country = serializers.CharField(source="country.code")
    languages = serializers.ListField(child=serializers.CharField(), source="language_list")
    centres = CentreSerializer(many=True, source="centre_list")
    certifications = VendorCertificationSerializer(many=True, source="certification_list")
    processes = VendorProcessSerializer(many=True, source="process_list")

    class Meta:
        model = Vendor
        fields = [
            "id",
            "name",
            "country",
            "website",
            "description",
            "founded_year",
            "headcount",
            "languages",
            "is_active",
            "centres",
            "certifications",
            "processes",
            "updated_at",
        ]


class QuoteSerializer(serializers.ModelSerializer):
    delivery_model = serializers.CharField(source="delivery_model.code")

    class Meta:
        model = Quote
        fields = [
            "id",
            "vendor",
            "process",
            "delivery_model",
            "pricing_model",
            "unit_price",
            "currency",
            "transition_fee",
            "minimum_term_months",
            "valid_until",
            "service_level_pct",
            "quality_pct",
            "response_time_hours",
            "notes",
            "evaluation",
            "version",
            "updated_at",
        ]


class ExchangeRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "base_currency", "rate", "as_of"]


# --- Bulk writes (the importer's columns) ---------------------------------------------------------

MAX_BATCH = 1_000
CELL = serializers.CharField(allow_blank=True, max_length=10_000)


class BulkSerializer(serializers.Serializer):
    """Items keyed by the import file's columns (see the import templates); cells as text or numbers."""

    items = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField()),
        min_length=1,
        max_length=MAX_BATCH,
    )
    confirm_deletions = serializers.BooleanField(
        default=False,
        help_text="An item clearing a value (“-”) or shortening a list deletes data: say yes to it.",
    )


class BulkErrorSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="Position in `items`, from 0.")
    column = serializers.CharField()
    message = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    new = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class BulkRejectionSerializer(serializers.Serializer):
    """Nothing was written: the items' errors, or (without these) the malformed fields."""

    detail = serializers.CharField(required=False)
    error_count = serializers.IntegerField(required=False)
    errors = BulkErrorSerializer(many=True, required=False)


def row_version_field(what: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0,
        default=0,
        help_text=(
            f"The version of the {what} you read; 0 (the default) when there is none yet. "
            f"Required to change an existing {what}: any other version answers 409 with the "
            "current one, and nothing is written."
        ),
    )


# --- Evaluations ----------------------------------------------------------------------------------


class EvaluationSerializer(serializers.ModelSerializer):
    process_name = serializers.CharField(source="process.name")
    owner = serializers.CharField(source="owner.username")
    team = serializers.SlugRelatedField(many=True, read_only=True, slug_field="username")
    approver = serializers.CharField(source="approver.username", allow_null=True, default=None)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "title",
            "process",
            "process_name",
            "status",
            "version",
            "owner",
            "team",
            "base_currency",
            "volume",
            "volume_unit",
            "term_months",
            "budget_cap",
            "method",
            "scale",
            "approver",
            "decided_at",
            "report_sha256",
            "created_at",
            "updated_at",
        ]


class CandidateSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="vendor.name")

    class Meta:
        model = Candidate
        fields = ["vendor", "name", "excluded_reason"]


class ScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.key")
    evaluator = serializers.CharField(source="evaluator.username")

    class Meta:
        model = Score
        fields = ["vendor", "criterion", "evaluator", "value", "comment", "version", "updated_at"]


class ScoreWriteSerializer(serializers.Serializer):
    vendor = serializers.IntegerField(min_value=1)
    criterion = serializers.CharField(max_length=40, help_text="The criterion's key.")
    value = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        max_length=20,
        help_text="0–10, at most two decimals; empty or null deletes your score.",
    )
    comment = serializers.CharField(allow_blank=True, max_length=2000, default="")
    version = row_version_field("score")


class EvaluationQuoteWriteSerializer(serializers.Serializer):
    """The quote form's fields; quote_save checks them against the evaluation."""

    delivery_model = serializers.SlugRelatedField(
        slug_field="code", queryset=DeliveryModel.objects.all()
    )
    pricing_model = serializers.ChoiceField(choices=Quote.PricingModel.choices)
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=4, min_value=0)
    currency = serializers.CharField(min_length=3, max_length=3)
    transition_fee = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, default=0
    )
    minimum_term_months = serializers.IntegerField(
        min_value=0, max_value=32767, allow_null=True, default=None
    )
    valid_until = serializers.DateField(allow_null=True, default=None)
    service_level_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, allow_null=True, default=None
    )
    quality_pct = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, allow_null=True, default=None
    )
    response_time_hours = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, allow_null=True, default=None
    )
    notes = serializers.CharField(allow_blank=True, max_length=5000, default="")
    version = row_version_field("quote")


class WeightsSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The evaluation version you read; a newer one answers 409."
    )
    weights = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2),
        help_text="Criterion key -> percent; every criterion, adding up to 100.",
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(ErrorSerializer):
    current_version = serializers.IntegerField()
