"""The decision: evaluations of vendors for one process, their criteria, weights and scores."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from vendors.models import (
    LANGUAGES_HELP,
    Certification,
    DeliveryModel,
    Process,
    Vendor,
    currency_code,
    validate_languages,
    validate_time_zone,
)

# The score bands a manual criterion's rubric describes, in order (one short text each).
RUBRIC_BANDS = ("0–2", "3–4", "5–6", "7–8", "9–10")


class Criterion(models.Model):
    """A catalogue criterion (``evaluation`` NULL) or one evaluation's own criterion."""

    class Direction(models.TextChoices):
        BENEFIT = "benefit", "Higher is better"
        COST = "cost", "Lower is better"

    class Source(models.TextChoices):
        MANUAL = "manual", "Scored 0–10 by evaluators"
        MEASURED = "measured", "A measured number typed by the team"
        COST = "cost", "Total cost of ownership from the quote"

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.BENEFIT)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    order = models.PositiveSmallIntegerField(default=0)
    evaluation = models.ForeignKey(
        "Evaluation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_criteria",
        help_text="Set for an evaluation's own criterion; empty for the catalogue.",
    )
    unit = models.CharField(max_length=20, blank=True, help_text="Measured criteria: e.g. %.")
    low = models.DecimalField("lower bound", max_digits=14, decimal_places=4, null=True, blank=True)
    high = models.DecimalField(
        "upper bound", max_digits=14, decimal_places=4, null=True, blank=True
    )
    # Manual criteria: one short text per RUBRIC_BANDS entry ("" where none is written).
    rubric = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="cost") | Q(direction="cost"),
                name="cost_criterion_is_lower_better",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(evaluation__isnull=True),
                name="unique_catalogue_criterion_name",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "name"], name="unique_own_criterion_name"
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lt=F("high")),
                name="criterion_low_below_high",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_measured(self) -> bool:
        return self.source == self.Source.MEASURED

    @property
    def has_bounds(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def rubric_bands(self) -> list[tuple[str, str]]:
        """(band, text) for every band with a text."""
        texts = list(self.rubric or [])
        return [(band, text) for band, text in zip(RUBRIC_BANDS, texts, strict=False) if text]


class WeightProfile(models.Model):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    process = models.ForeignKey(
        Process, on_delete=models.PROTECT, null=True, blank=True, related_name="weight_profiles"
    )
    is_default = models.BooleanField(
        "default for its process", default=False, help_text="Used to start new evaluations."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["process"],
                condition=Q(is_default=True),
                name="one_default_profile_per_process",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProfileWeight(models.Model):
    profile = models.ForeignKey(WeightProfile, on_delete=models.CASCADE, related_name="weights")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    weight = models.DecimalField("weight %", max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "criterion"], name="unique_profile_criterion"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="profile_weight_is_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile}: {self.criterion} {self.weight}%"


class Evaluation(models.Model):
    # Set before a save for django-simple-history's record of who and why (not fields).
    _history_user: "AbstractBaseUser | None"
    _change_reason: str
    skip_history_when_saving: bool

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    class Method(models.TextChoices):
        WSM = "wsm", "Weighted sum"
        TOPSIS = "topsis", "TOPSIS"

    class Scale(models.TextChoices):
        ABSOLUTE = "absolute", "Absolute (fixed scales)"
        RELATIVE = "relative", "Relative to the shortlist"

    class VolumeUnit(models.TextChoices):
        FTE = "fte", "FTEs"
        HOURS = "hours", "Hours per month"
        TRANSACTIONS = "transactions", "Transactions per month"

    # Drafts and rejected evaluations change; in review and approved ones are frozen.
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.REJECTED})

    title = models.CharField(max_length=200)
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="evaluations")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_evaluations"
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="team_evaluations"
    )
    base_currency = models.CharField(max_length=3, default="USD", validators=[currency_code])
    volume = models.DecimalField(
        "volume per month", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    volume_unit = models.CharField(
        max_length=16, choices=VolumeUnit.choices, default=VolumeUnit.FTE
    )
    term_months = models.PositiveSmallIntegerField(
        "contract term (months)", validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    contract_start = models.DateField(
        "expected contract start",
        null=True,
        blank=True,
        help_text="Certificates that lapse before it, or during the term, are flagged. "
        "Empty: from today.",
    )
    budget_cap = models.DecimalField(
        "budget cap (base currency, whole term)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    hours_per_fte = models.DecimalField(
        "hours per FTE-month",
        max_digits=6,
        decimal_places=2,
        default=Decimal(160),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(744)],
        help_text="How quotes per hour and volumes in hours convert to FTEs.",
    )
    discount_rate = models.DecimalField(
        "discount rate (% a year)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="0 adds payments up as invoiced; above 0 takes each month to present value.",
    )
    required_certifications = models.ManyToManyField(Certification, blank=True)
    allowed_delivery_models = models.ManyToManyField(DeliveryModel, blank=True)
    # Where the work is done (scoring.delivery_location): with a buyer country, each centre's
    # delivery model is derived for this buyer; without one, the centre's recorded label counts.
    buyer_country = CountryField(
        "buyer's country",
        blank=True,
        help_text="Empty: centres keep their recorded delivery model.",
    )
    buyer_time_zone = models.CharField(
        "buyer's time zone",
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA name, e.g. Europe/Berlin; empty: the country's, when it has one clock.",
    )
    buyer_day_start = models.TimeField("buyer's working day starts", default=dt.time(9))
    buyer_day_end = models.TimeField("buyer's working day ends", default=dt.time(17))
    required_languages = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_languages],
        help_text=f"A centre must work in all of them. {LANGUAGES_HELP}",
    )
    method = models.CharField(
        "ranking method", max_length=8, choices=Method.choices, default=Method.WSM
    )
    scale = models.CharField(
        "scoring scale",
        max_length=8,
        choices=Scale.choices,
        default=Scale.ABSOLUTE,
        help_text="Absolute: a score means the same whatever the shortlist (weighted sum only).",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1, help_text="Optimistic lock: bumped on save.")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_evaluations",
    )
    submit_rationale = models.TextField("rationale for approval", blank=True)
    decided_at = models.DateTimeField("approved or rejected at", null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    # Approvals before the task queue kept the PDF's bytes in the row; still served (reports view).
    report_pdf = models.BinaryField(null=True, blank=True, editable=False)
    # The archived PDF, written once by scoring.tasks.archive_report after the approval commits.
    report_file = models.FileField(upload_to="reports/", max_length=300, blank=True, editable=False)
    report_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # Blind scoring: set when the owner shows every evaluator everyone's scores.
    scores_opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["snapshot", "report_pdf"])

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(volume__gte=0), name="evaluation_volume_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(term_months__gte=1), name="evaluation_term_at_least_one_month"
            ),
            models.CheckConstraint(
                condition=Q(budget_cap__isnull=True) | Q(budget_cap__gte=0),
                name="evaluation_budget_cap_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_fte__gt=0), name="evaluation_hours_per_fte_positive"
            ),
            models.CheckConstraint(
                condition=Q(discount_rate__gte=0, discount_rate__lte=100),
                name="evaluation_discount_rate_is_percent",
            ),
            models.CheckConstraint(
                condition=Q(buyer_day_end__gt=F("buyer_day_start")),
                name="evaluation_buyer_day_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scoring:evaluation_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.scale == self.Scale.ABSOLUTE and self.method == self.Method.TOPSIS:
            raise ValidationError(
                {
                    "scale": "Absolute scoring needs the weighted sum: TOPSIS always compares the "
                    "vendors with each other. Choose “Relative to the shortlist” or the weighted sum."
                }
            )
        if (
            self.buyer_day_start
            and self.buyer_day_end
            and self.buyer_day_end <= self.buyer_day_start
        ):
            raise ValidationError(
                {"buyer_day_end": "The buyer's working day must end after it starts."}
            )

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class EvaluationWeight(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="weights")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    weight = models.DecimalField("weight %", max_digits=6, decimal_places=2)
    label = models.CharField(
        max_length=80, blank=True, help_text="This evaluation's name for the criterion, if renamed."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="unique_evaluation_criterion"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="evaluation_weight_is_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.criterion} {self.weight}%"

    @property
    def name(self) -> str:
        return self.label or self.criterion.name


class Candidate(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="candidates")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="candidacies")
    excluded_reason = models.TextField(
        blank=True, help_text="Why the analyst excluded this vendor; empty while it competes."
    )
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["vendor__name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "vendor"], name="unique_candidate")
        ]

    def __str__(self) -> str:
        return f"{self.vendor} in {self.evaluation}"


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    value = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))],
    )
    comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save; a writer sends the one it read (API: 409)."
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["vendor__name", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "vendor", "criterion", "evaluator"],
                name="one_score_per_evaluator_cell",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=10), name="score_between_0_and_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} · {self.criterion}: {self.value} by {self.evaluator}"


class ScoreSheet(models.Model):
    """One evaluator's sheet of an evaluation: submitted, it lets them see the team's scores."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="sheets")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "evaluator"], name="one_sheet_per_evaluator"
            )
        ]

    def __str__(self) -> str:
        state = "submitted" if self.submitted_at else "open"
        return f"{self.evaluator}'s sheet ({state})"


class Consensus(models.Model):
    """The score the team agreed on for one cell, replacing the evaluators' mean in the decision."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="consensus")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(10))],
    )
    rationale = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "consensus scores"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "vendor", "criterion"], name="one_consensus_per_cell"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=10), name="consensus_between_0_and_10"
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="consensus_has_rationale"),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} · {self.criterion}: consensus {self.value}"


# Defined beside, registered here (they need Evaluation above).
from scoring.models_cost import DeliveryShareBound, InHouseBaseline  # noqa: E402
from scoring.models_inputs import AhpJudgement, Measurement  # noqa: E402

__all__ = [
    "AhpJudgement",
    "Candidate",
    "Consensus",
    "Criterion",
    "DeliveryShareBound",
    "Evaluation",
    "EvaluationWeight",
    "InHouseBaseline",
    "Measurement",
    "ProfileWeight",
    "Score",
    "ScoreSheet",
    "WeightProfile",
]
