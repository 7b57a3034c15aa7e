"""After the award: contracts with a vendor, their KPIs (SLA targets and credit rules), monthly values,
and the admin's rule on how a poor SLA standing counts in new evaluations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from contracts import credits
from scoring.models import Evaluation
from vendors.models import Process, Vendor, currency_code

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Contract(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        ENDED = "ended", "Ended"

    title = models.CharField(max_length=200)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="contracts")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contracts")
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="contracts")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_contracts",
        help_text="Enters the monthly values and receives the alerts.",
    )
    start_date = models.DateField(help_text="The first day of the first month of service.")
    term_months = models.PositiveSmallIntegerField(
        "term (months)", validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    monthly_fee = models.DecimalField(
        max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    currency = models.CharField(max_length=3, validators=[currency_code])
    monthly_cap_pct = models.DecimalField(
        "monthly credit cap (% of the fee)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT,
        help_text="All KPIs' credits together in one month never exceed this share of the fee.",
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_months__gte=1, term_months__lte=240), name="contract_term_months"
            ),
            models.CheckConstraint(
                condition=Q(monthly_fee__gte=0), name="contract_fee_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(monthly_cap_pct__gte=0, monthly_cap_pct__lte=100),
                name="contract_cap_is_percent",
            ),
            models.CheckConstraint(
                condition=Q(start_date__day=1), name="contract_starts_on_a_first"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", args=[self.pk])

    @property
    def months(self) -> list[dt.date]:
        return credits.term_months(self.start_date, self.term_months)

    @property
    def last_month(self) -> dt.date:
        return credits.add_months(self.start_date, self.term_months - 1)

    @property
    def end_date(self) -> dt.date:
        """The last day of service."""
        return credits.add_months(self.start_date, self.term_months) - dt.timedelta(days=1)

    def covers(self, month: dt.date) -> bool:
        return self.start_date <= month <= self.last_month


class Kpi(models.Model):
    class Direction(models.TextChoices):
        HIGHER = credits.HIGHER, "Higher is better"
        LOWER = credits.LOWER, "Lower is better"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=80)
    unit = models.CharField(max_length=20, blank=True, help_text="e.g. %, hours.")
    direction = models.CharField(max_length=6, choices=Direction.choices, default=Direction.HIGHER)
    target = models.DecimalField(max_digits=12, decimal_places=4)
    credit_pct_per_point = models.DecimalField(
        "credit (% of the fee) per point missed",
        max_digits=5,
        decimal_places=2,
        default=Decimal(2),
        validators=PERCENT,
    )
    cap_pct = models.DecimalField(
        "cap (% of the fee a month)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT,
    )
    earn_back_months = models.PositiveSmallIntegerField(
        "earn-back after months met",
        default=0,
        validators=[MaxValueValidator(12)],
        help_text="0: none. n: a month's credit is forgiven when the next n months all meet the target.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "KPI"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "name"], name="unique_kpi_name_per_contract"
            ),
            models.CheckConstraint(
                condition=Q(credit_pct_per_point__gte=0, credit_pct_per_point__lte=100),
                name="kpi_credit_rate_is_percent",
            ),
            models.CheckConstraint(
                condition=Q(cap_pct__gte=0, cap_pct__lte=100), name="kpi_cap_is_percent"
            ),
            models.CheckConstraint(
                condition=Q(earn_back_months__lte=12), name="kpi_earn_back_at_most_a_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> credits.KpiRule:
        return credits.KpiRule(
            key=self.pk,
            name=self.name,
            direction=self.direction,
            target=self.target,
            credit_pct_per_point=self.credit_pct_per_point,
            cap_pct=self.cap_pct,
            earn_back_months=self.earn_back_months,
        )


class KpiMeasurement(models.Model):
    """A KPI's value for one month of the contract (``month`` is that month's first day).

    That the month lies within the term is checked by the services and ``clean`` (a check
    constraint cannot read the contract's row).
    """

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements")
    month = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=4)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["month", "kpi__order"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "month"], name="one_value_per_kpi_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="measurement_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.month:%Y-%m}: {self.value}"

    def clean(self) -> None:
        super().clean()
        contract = self.kpi.contract
        if self.month and not contract.covers(self.month):
            raise ValidationError({"month": f"{self.month:%B %Y} is outside the contract's term."})


class StandingPolicy(models.Model):
    """How a vendor's SLA standing counts in new evaluations of a process it delivers (one row)."""

    class Action(models.TextChoices):
        OFF = "off", "Ignore the standing"
        WARN = "warn", "Warn in the ranking"
        EXCLUDE = "exclude", "Knock the vendor out"

    BAND_CHOICES = [(band, band) for _, band in credits.BANDS]

    band = models.CharField(
        "lowest acceptable band",
        max_length=12,
        choices=BAND_CHOICES,
        default=credits.AVERAGE,
        help_text="A standing below this band is warned about or knocked out.",
    )
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.WARN)
    window_months = models.PositiveSmallIntegerField(
        "months counted",
        default=credits.DEFAULT_WINDOW,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "SLA standing policy"
        verbose_name_plural = "SLA standing policy"
        constraints = [
            models.CheckConstraint(
                condition=Q(window_months__gte=1, window_months__lte=60),
                name="standing_window_months",
            )
        ]

    def __str__(self) -> str:
        return (
            f"Below {self.band}: {self.get_action_display().lower()} ({self.window_months} months)"
        )

    @classmethod
    def current(cls) -> StandingPolicy:
        """The admin's policy, or the default (warn below Average over 12 months) if none is saved."""
        return cls.objects.order_by("pk").first() or cls()
