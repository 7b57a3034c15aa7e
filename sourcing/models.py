"""RFP rounds: the request an evaluation sends to candidate vendors, the invitations to their
contacts, and the sealed responses those contacts write in the portal."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from vendors.models import DeliveryModel, Quote, Vendor, currency_code

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class VendorContact(models.Model):
    """A vendor's own staff member: a user of the portal who belongs to exactly one vendor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_contact"
    )
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="contacts")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user.email or self.user.username} ({self.vendor.name})"


class Questionnaire(models.Model):
    """A reusable set of questions a round asks every invited vendor (e.g. BPO due diligence)."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", "Yes / no"
        NUMBER = "number", "Number"
        CHOICE = "choice", "Choice"
        TEXT = "text", "Text"
        FILE = "file", "Document"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    choices = models.TextField(blank=True, help_text="For a choice question: one option a line.")
    criterion_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="A number answer becomes the value of the evaluation's measured criterion of "
        "this name (e.g. Attrition %) when the round is opened.",
    )
    mandatory = models.BooleanField(
        default=False,
        help_text="An answer is required: a submitted response without one is excluded at the "
        "opening.",
    )
    must_have = models.BooleanField(
        "must have", default=False, help_text="Yes / no questions only: the buyer needs “yes”."
    )
    score_criterion_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="A yes/no or choice answer proposes a 0-10 score of the evaluation's manual "
        "criterion of this name (e.g. Data security): yes 10, no 0; options listed best first.",
    )

    class Meta:
        ordering = ["questionnaire", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.section}: {self.text}"

    def clean(self) -> None:
        if self.must_have and self.kind != self.Kind.YES_NO:
            raise ValidationError(
                {
                    "must_have": "Only a yes / no question can be a must-have (the buyer needs “yes”)."
                }
            )
        scored = (self.Kind.YES_NO, self.Kind.CHOICE)
        if self.score_criterion_name.strip() and self.kind not in scored:
            raise ValidationError(
                {
                    "score_criterion_name": "Only a yes/no or choice answer can propose a score; "
                    f"this is a {self.get_kind_display().lower()} question."
                }
            )

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class RfpRound(models.Model):
    """One request for proposal per evaluation, sealed until its deadline."""

    evaluation = models.OneToOneField(
        "scoring.Evaluation", on_delete=models.CASCADE, related_name="rfp_round"
    )
    scope = models.TextField(help_text="What the vendor would do: the process, its activities.")
    delivery_constraints = models.TextField(
        blank=True, help_text="Where and how the work may be done: sites, languages, hours."
    )
    sla_targets = models.TextField(
        "SLA targets wanted", blank=True, help_text="e.g. 80 % of calls answered in 20 s."
    )
    deadline = models.DateTimeField(
        help_text="Responses are sealed until then; late ones are refused."
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, null=True, blank=True, related_name="rounds"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"RFP round of {self.evaluation}"

    @property
    def is_past_deadline(self) -> bool:
        return timezone.now() >= self.deadline

    @property
    def is_open(self) -> bool:
        """Opened: the responses' content is unsealed for the team."""
        return self.opened_at is not None


class Invitation(models.Model):
    """An e-mail to a vendor's contact; its link (a stored SHA-256 of a random token) is used once."""

    round = models.ForeignKey(RfpRound, on_delete=models.CASCADE, related_name="invitations")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    contact = models.ForeignKey(
        VendorContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["vendor__name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="invitation_once_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.vendor.name})"


class Response(models.Model):
    """What one vendor answers to a round: a quote, drafted, submitted, withdrawn, resubmitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    round = models.ForeignKey(RfpRound, on_delete=models.CASCADE, related_name="responses")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The quote, as the vendor writes it; it becomes the evaluation's quote at the opening.
    delivery_model = models.ForeignKey(
        DeliveryModel, on_delete=models.PROTECT, null=True, blank=True
    )
    pricing_model = models.CharField(max_length=20, choices=Quote.PricingModel.choices, blank=True)
    unit_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, validators=[currency_code], blank=True)
    transition_fee = models.DecimalField(
        "one-time transition fee", max_digits=14, decimal_places=2, null=True, blank=True
    )
    minimum_term_months = models.PositiveSmallIntegerField(null=True, blank=True)
    service_level_pct = models.DecimalField(
        "service level %", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    quality_pct = models.DecimalField(
        "quality %", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    response_time_hours = models.DecimalField(
        "response time (hours)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["vendor__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "vendor"], name="response_once_per_vendor"),
            models.CheckConstraint(
                condition=Q(unit_price__isnull=True) | Q(unit_price__gte=0),
                name="response_price_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor.name}'s response ({self.get_status_display().lower()})"


class Answer(models.Model):
    """A vendor's answer to one question of the round's questionnaire, sealed with its response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["question__order", "question__pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.response.vendor.name}: {self.question.text}"


class ScoreCitation(models.Model):
    """An answer an evaluator's score rests on; it goes with the score (deleted with it)."""

    score = models.ForeignKey("scoring.Score", on_delete=models.CASCADE, related_name="citations")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="citations")
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer__question__order", "answer__question__pk"]
        constraints = [
            models.UniqueConstraint(fields=["score", "answer"], name="cite_an_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.score} rests on “{self.answer.question.text}”"


from sourcing.models_evidence import Evidence  # noqa: E402  (re-exported: Django finds it here)

__all__ = [
    "Answer",
    "Evidence",
    "Invitation",
    "Question",
    "Questionnaire",
    "Response",
    "RfpRound",
    "ScoreCitation",
    "VendorContact",
]
