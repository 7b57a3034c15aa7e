"""The decision: evaluations of vendors for one process, their criteria, weights and scores."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from vendors.models import Certification, DeliveryModel, Process, Vendor, currency_code


class Criterion(models.Model):
    class Direction(models.TextChoices):
        BENEFIT = "benefit", "Higher is better"
        COST = "cost", "Lower is better"

    class Source(models.TextChoices):
        MANUAL = "manual", "Scored 0–10 by evaluators"
        COST = "cost", "Total cost of ownership from the quote"

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.BENEFIT)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="cost") | Q(direction="cost"),
                name="cost_criterion_is_lower_better",
            )
        ]

    def __str__(self) -> str:
        return self.name


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
    budget_cap = models.DecimalField(
        "budget cap (base currency, whole term)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    required_certifications = models.ManyToManyField(Certification, blank=True)
    allowed_delivery_models = models.ManyToManyField(DeliveryModel, blank=True)
    method = models.CharField(
        "ranking method", max_length=8, choices=Method.choices, default=Method.WSM
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
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scoring:evaluation_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class EvaluationWeight(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="weights")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    weight = models.DecimalField("weight %", max_digits=6, decimal_places=2)
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
