"""The business case's inputs per evaluation: the in-house baseline and the delivery share
bounds (re-exported by scoring.models, where Django finds them)."""

from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from scoring.models import Evaluation
from vendors.models import DeliveryModel


class InHouseBaseline(models.Model):
    """What running the process in-house costs (the business case's baseline), in the
    evaluation's base currency; optional, one per evaluation."""

    _history_user: "AbstractBaseUser | None"  # set before a save for django-simple-history

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="baseline")
    ftes = models.DecimalField(
        "FTEs in-house", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    loaded_cost_per_fte_month = models.DecimalField(
        "loaded cost per FTE-month",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="Salary, benefits, taxes, workplace and management per FTE and month.",
    )
    monthly_overheads = models.DecimalField(
        "other overheads per month",
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text="Systems, licences, facilities that do not scale with heads.",
    )
    annual_wage_inflation = models.DecimalField(
        "wage inflation (% a year)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal("-99.99")), MaxValueValidator(100)],
    )
    exit_costs = models.DecimalField(
        "one-off exit costs",
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        help_text="What closing the in-house operation costs, at the end of the term.",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    ftes__gte=0,
                    loaded_cost_per_fte_month__gte=0,
                    monthly_overheads__gte=0,
                    exit_costs__gte=0,
                ),
                name="baseline_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(annual_wage_inflation__gt=-100, annual_wage_inflation__lte=100),
                name="baseline_wage_inflation_above_minus_100",
            ),
        ]

    def __str__(self) -> str:
        return f"In-house baseline of {self.evaluation}"


class DeliveryShareBound(models.Model):
    """The share of the volume an evaluation lets one delivery model take (e.g. onshore >= 30 %)."""

    _history_user: "AbstractBaseUser | None"  # who saves, for django-simple-history (not a field)

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="share_bounds"
    )
    delivery_model = models.ForeignKey(DeliveryModel, on_delete=models.PROTECT)
    min_share = models.DecimalField(
        "minimum share %",
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_share = models.DecimalField(
        "maximum share %",
        max_digits=5,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["delivery_model"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "delivery_model"], name="one_share_bound_per_model"
            ),
            models.CheckConstraint(
                condition=Q(min_share__gte=0, max_share__lte=100, min_share__lte=F("max_share")),
                name="share_bound_min_le_max_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.delivery_model} {self.min_share}–{self.max_share} %"

    def clean(self) -> None:
        super().clean()
        if (
            self.min_share is not None
            and self.max_share is not None
            and self.min_share > self.max_share
        ):
            raise ValidationError(
                {"max_share": "The maximum share must be at least the minimum share."}
            )
