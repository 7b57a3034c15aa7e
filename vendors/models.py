"""The vendor market: who offers which process, from where, with which certifications, at what price.

Independent of any evaluation; the `scoring` app reads it.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from vendors import geography

currency_code = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code such as USD.")


def validate_time_zone(value: str) -> None:
    if value and not geography.is_time_zone(value):
        raise ValidationError(
            f"“{value}” is not an IANA time zone; use a name such as Europe/Warsaw or America/Chicago."
        )


def validate_languages(value: str) -> None:
    try:
        geography.parse_languages(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


LANGUAGES_HELP = "ISO 639-1 codes separated by commas, e.g. en, de, pl."


class DeliveryModel(models.Model):
    class Code(models.TextChoices):
        ONSHORE = "onshore", "Onshore"
        NEARSHORE = "nearshore", "Nearshore"
        OFFSHORE = "offshore", "Offshore"

    code = models.CharField(max_length=16, choices=Code.choices, unique=True)
    name = models.CharField(max_length=50, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Process(models.Model):
    class Category(models.TextChoices):
        FRONT_OFFICE = "front_office", "Front office"
        BACK_OFFICE = "back_office", "Back office"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    category = models.CharField(max_length=16, choices=Category.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["category", "name"]
        verbose_name_plural = "processes"

    def __str__(self) -> str:
        return self.name


class Certification(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Vendor(models.Model):
    name = models.CharField(max_length=200, unique=True)
    country = CountryField("headquarters country")
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    founded_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    headcount = models.PositiveIntegerField(null=True, blank=True)
    languages = models.CharField(
        max_length=300, blank=True, help_text="Languages supported, separated by commas."
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Inactive vendors leave the pickers; past evaluations and reports keep them.",
    )
    certifications: "models.ManyToManyField[Certification, VendorCertification]" = (
        models.ManyToManyField(Certification, through="VendorCertification", related_name="vendors")
    )
    processes: "models.ManyToManyField[Process, VendorProcess]" = models.ManyToManyField(
        Process, through="VendorProcess", related_name="vendors"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        # Lets the directory and admin list their countries by skipping along it (vendors.filters).
        indexes = [models.Index(fields=["country"], name="vendor_country_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__gte=1800),
                name="vendor_founded_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("vendors:detail", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        return [lang.strip() for lang in self.languages.split(",") if lang.strip()]


class VendorCertification(models.Model):
    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="vendor_certifications"
    )
    certification = models.ForeignKey(Certification, on_delete=models.PROTECT)
    valid_until = models.DateField(
        null=True, blank=True, help_text="Empty when it does not expire."
    )

    class Meta:
        ordering = ["certification__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "certification"], name="unique_vendor_certification"
            )
        ]

    def __str__(self) -> str:
        until = f" until {self.valid_until:%Y-%m-%d}" if self.valid_until else ""
        return f"{self.vendor}: {self.certification}{until}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_until is None or self.valid_until >= day


class VendorProcess(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="offered_processes")
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="offers")
    years_experience = models.PositiveSmallIntegerField(default=0)
    reference_clients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["process__name"]
        verbose_name = "process offered"
        verbose_name_plural = "processes offered"
        constraints = [
            models.UniqueConstraint(fields=["vendor", "process"], name="unique_vendor_process")
        ]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.process}"


class DeliveryCentre(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="centres")
    country = CountryField()
    city = models.CharField(max_length=120)
    seats = models.PositiveIntegerField(default=0)
    delivery_model = models.ForeignKey(
        DeliveryModel,
        on_delete=models.PROTECT,
        help_text="As recorded; an evaluation that names its buyer's country derives its own.",
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA name; empty: the country's, when it has only one clock.",
    )
    languages = models.CharField(
        "languages worked in",
        max_length=200,
        blank=True,
        validators=[validate_languages],
        help_text=LANGUAGES_HELP,
    )

    class Meta:
        ordering = ["country", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "country", "city"], name="unique_vendor_centre_city"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.city}, {self.country.name} ({self.delivery_model})"

    @property
    def language_codes(self) -> tuple[str, ...]:
        """The ISO 639-1 codes of ``languages`` (the validators keep others out; a row written
        around them speaks none)."""
        try:
            return geography.parse_languages(self.languages)
        except ValueError:
            return ()


class EvaluationQuoteLocked(PermissionDenied):
    """A quote tied to an approved or in-review evaluation was about to change.

    A PermissionDenied, so a path that forgot to check first answers 403, never 500.
    """


_UNKNOWN = object()


def frozen_evaluations(evaluation_ids) -> list:
    """The evaluations among ``evaluation_ids`` whose inputs may not change any more."""
    ids = {pk for pk in evaluation_ids if pk is not None}
    if not ids:
        return []
    from scoring.models import Evaluation  # scoring imports vendors: resolve at call time

    return list(
        Evaluation.objects.filter(pk__in=ids).exclude(status__in=Evaluation.EDITABLE_STATUSES)
    )


def refuse_frozen(frozen: list) -> None:
    if frozen:
        evaluation = frozen[0]
        raise EvaluationQuoteLocked(
            f"This quote belongs to the evaluation “{evaluation}”, which is "
            f"{evaluation.get_status_display().lower()}: its quotes can no longer change."
        )


class QuoteQuerySet(models.QuerySet):
    """Bulk writes obey the same rule as `Quote.save()`: a frozen evaluation's quotes stay put."""

    def update(self, **kwargs):
        target = kwargs.get("evaluation", kwargs.get("evaluation_id"))
        if isinstance(target, models.Model):
            target = target.pk
        # An expression (bulk_update's CASE) is checked by bulk_update on the objects themselves.
        targets = [target] if isinstance(target, int) else []
        refuse_frozen(frozen_evaluations(targets) or self._frozen_rows())
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        # Checked before Django's own transaction starts, so a refusal leaves the caller's intact.
        # Loaded quotes know their stored evaluation; only the others cost a query.
        objs = list(objs)
        unknown = [q.pk for q in objs if getattr(q, "_stored_evaluation_id", _UNKNOWN) is _UNKNOWN]
        stored = {getattr(q, "_stored_evaluation_id", None) for q in objs}
        if unknown:
            rows = self.filter(pk__in=unknown).values_list("evaluation_id", flat=True)
            stored.update(rows)
        moved = {quote.evaluation_id for quote in objs} if "evaluation" in fields else set()
        refuse_frozen(frozen_evaluations(stored | moved))
        return super().bulk_update(objs, fields, *args, **kwargs)

    def delete(self):
        refuse_frozen(self._frozen_rows())
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        refuse_frozen(frozen_evaluations({quote.evaluation_id for quote in objs}))
        return super().bulk_create(objs, *args, **kwargs)

    def _frozen_rows(self) -> list:
        ids = self.filter(evaluation__isnull=False).values_list("evaluation_id", flat=True)
        return frozen_evaluations(set(ids))


class Quote(models.Model):
    class PricingModel(models.TextChoices):
        PER_FTE_MONTH = "per_fte_month", "Per FTE-month"
        PER_HOUR = "per_hour", "Per hour"
        PER_TRANSACTION = "per_transaction", "Per transaction"
        FIXED_MONTHLY = "fixed_monthly", "Fixed monthly"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="quotes")
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="quotes")
    delivery_model = models.ForeignKey(DeliveryModel, on_delete=models.PROTECT)
    pricing_model = models.CharField(max_length=20, choices=PricingModel.choices)
    unit_price = models.DecimalField(max_digits=14, decimal_places=4)
    currency = models.CharField(max_length=3, validators=[currency_code])
    transition_fee = models.DecimalField(
        "one-time transition fee", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    minimum_term_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Billed for at least this many months, even when the contract is shorter.",
    )
    annual_escalation = models.DecimalField(
        "annual price escalation (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal("-99.99")), MaxValueValidator(100)],
        help_text="Prices rise by this at the start of each contract year (months 13, 25, ...).",
    )
    exit_fee = models.DecimalField(
        "exit fee", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    valid_until = models.DateField(null=True, blank=True)
    service_level_pct = models.DecimalField(
        "service level %", max_digits=5, decimal_places=2, null=True, blank=True
    )
    quality_pct = models.DecimalField(
        "quality %", max_digits=5, decimal_places=2, null=True, blank=True
    )
    response_time_hours = models.DecimalField(
        "response time (hours)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(blank=True)
    evaluation = models.ForeignKey(
        "scoring.Evaluation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="Set when the vendor sent this quote for one evaluation.",
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every save; a writer sends the one it read (API: 409)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["vendor__name", "process__name"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="quote_price_non_negative"),
            models.CheckConstraint(
                condition=Q(transition_fee__gte=0), name="quote_transition_fee_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(exit_fee__gte=0), name="quote_exit_fee_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(annual_escalation__gt=-100, annual_escalation__lte=100),
                name="quote_escalation_above_minus_100",
            ),
            models.CheckConstraint(
                condition=Q(service_level_pct__isnull=True)
                | Q(service_level_pct__gte=0, service_level_pct__lte=100),
                name="quote_service_level_is_percent",
            ),
            models.CheckConstraint(
                condition=Q(quality_pct__isnull=True) | Q(quality_pct__gte=0, quality_pct__lte=100),
                name="quote_quality_is_percent",
            ),
            # The market holds one list price per offer; an evaluation holds one quote per vendor.
            models.UniqueConstraint(
                fields=["vendor", "process", "delivery_model", "pricing_model"],
                condition=Q(evaluation__isnull=True),
                name="unique_market_quote",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "vendor"],
                condition=Q(evaluation__isnull=False),
                name="unique_evaluation_quote_per_vendor",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.vendor} · {self.process} · {self.delivery_model}: "
            f"{self.unit_price:,.2f} {self.currency} {self.get_pricing_model_display().lower()}"
        )

    # The integrity rule lives on the model on purpose: a quote of an approved evaluation is part of
    # a signed recommendation, and the admin, the importer, services and the shell all save through
    # here. Services check first and give the friendly message; this is the floor below them.
    def save(self, *args, **kwargs):
        self.refuse_if_frozen()
        super().save(*args, **kwargs)
        self._stored_evaluation_id = self.evaluation_id

    def delete(self, *args, **kwargs):
        self.refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def is_expired_on(self, day: dt.date) -> bool:
        return self.valid_until is not None and self.valid_until < day

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "evaluation_id" in instance.__dict__:
            instance._stored_evaluation_id = instance.evaluation_id
        return instance

    def refuse_if_frozen(self) -> None:
        """Raise EvaluationQuoteLocked if this quote's evaluation (stored or new) is not editable."""
        stored = getattr(self, "_stored_evaluation_id", _UNKNOWN)
        if stored is _UNKNOWN:
            stored = None
            if self.pk is not None:
                rows = Quote._base_manager.filter(pk=self.pk).values_list(
                    "evaluation_id", flat=True
                )
                stored = rows.first()
        refuse_frozen(frozen_evaluations([stored, self.__dict__.get("evaluation_id")]))


class ExchangeRate(models.Model):
    """How many units of `base_currency` one unit of `currency` was worth on `as_of`."""

    currency = models.CharField(max_length=3, validators=[currency_code])
    base_currency = models.CharField(max_length=3, validators=[currency_code])
    rate = models.DecimalField(max_digits=18, decimal_places=8)
    as_of = models.DateField()

    class Meta:
        ordering = ["currency", "base_currency", "-as_of"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
            models.UniqueConstraint(
                fields=["currency", "base_currency", "as_of"], name="unique_exchange_rate_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {self.base_currency} ({self.as_of:%Y-%m-%d})"


# Defined beside, registered here (they need Quote above).
from vendors.models_prices import QuoteDeliveryPrice, QuoteDeliveryPriceQuerySet  # noqa: E402, F401
