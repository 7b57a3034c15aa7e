"""Forms of the evaluation screens. They expose only what a user may set; the services decide the rest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.contrib.auth.models import User
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.html import escape

from bpo_select.roles import Role
from scoring import quoting
from scoring.models import Criterion, Evaluation
from scoring.selectors import exchange_rates
from scoring.services.common import QUOTE_FIELDS
from vendors.forms import (
    BoundedModelMultipleChoiceField,
    FiniteDecimalField,
    bounded_formfield,
)
from vendors.geography import time_zones
from vendors.models import ExchangeRate, Quote, Vendor

# --------------------------------------------------------------------------------------------------
# Evaluation setup
# --------------------------------------------------------------------------------------------------


def time_zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(time_zones()) if "/" in zone]


def base_currency_choices(current: str | None = None) -> list[tuple[str, str]]:
    """Currencies that exchange rates convert into, plus USD and EUR (and the current one)."""
    codes = set(ExchangeRate.objects.values_list("base_currency", flat=True).distinct())
    codes |= {"USD", "EUR"} | ({current} if current else set())
    return [(code, code) for code in sorted(codes)]


class EvaluationForm(forms.ModelForm):
    base_currency = forms.ChoiceField(
        label="Base currency", help_text="Every quote is converted into it for the TCO."
    )

    class Meta:
        model = Evaluation
        formfield_callback = bounded_formfield
        fields = [
            "title",
            "process",
            "volume",
            "volume_unit",
            "term_months",
            "contract_start",
            "base_currency",
            "budget_cap",
            "hours_per_fte",
            "discount_rate",
            "required_certifications",
            "allowed_delivery_models",
            "buyer_country",
            "buyer_time_zone",
            "buyer_day_start",
            "buyer_day_end",
            "required_languages",
            "method",
            "scale",
        ]
        labels = {
            "buyer_country": "Buyer's country",
            "buyer_time_zone": "Buyer's time zone",
            "buyer_day_start": "Working day starts",
            "buyer_day_end": "Working day ends",
            "required_languages": "Required languages",
            "volume_unit": "Volume unit",
            "contract_start": "Expected contract start",
            "required_certifications": "Required certifications",
            "allowed_delivery_models": "Allowed delivery models",
            "budget_cap": "Budget cap (whole term)",
            "hours_per_fte": "Hours per FTE-month",
            "discount_rate": "Discount rate (% a year)",
        }
        help_texts = {
            "required_certifications": "Vendors without a valid one are knocked out.",
            "allowed_delivery_models": "Vendors need a centre in one of them; none ticked: any.",
            "budget_cap": "Optional, in the base currency. A quoted TCO above it knocks the vendor out.",
            "hours_per_fte": "Quotes per hour and volumes in hours convert to FTEs at this rate.",
            "discount_rate": "0: payments add up as invoiced. Above 0: each month's payment is "
            "taken to present value (the transition fee is not discounted).",
            "contract_start": "Optional. Candidates' certificates that lapse before it or during "
            "the term are flagged; empty: checked from today. A past date is kept and noted.",
            "method": "Weighted sum is easiest to explain; TOPSIS rewards balanced vendors.",
            "scale": "Absolute: 0–10 scores count on their 0–10 scale, measured criteria on their "
            "bounds and cost up to the budget cap, so a score does not depend on who else is on "
            "the shortlist. Relative: the best vendor on each criterion gets full marks. "
            "TOPSIS is always relative.",
        }
        widgets = {
            "required_certifications": forms.CheckboxSelectMultiple,
            "allowed_delivery_models": forms.CheckboxSelectMultiple,
            "method": forms.RadioSelect,
            "scale": forms.RadioSelect,
            "contract_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "buyer_day_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "buyer_day_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "required_languages": forms.TextInput(attrs={"placeholder": "e.g. de, fr"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scale"].required = False  # not sent: the default for the method (clean_scale)
        self.fields["buyer_day_start"].required = False
        self.fields["buyer_day_end"].required = False
        cast(forms.ChoiceField, self.fields["base_currency"]).choices = base_currency_choices(
            self.instance.base_currency
        )
        self.fields["base_currency"].initial = self.instance.base_currency or "USD"
        self.fields["volume"].widget.attrs.update(min="0", step="any")
        self.fields["budget_cap"].widget.attrs.update(min="0", step="any")
        for name in ("hours_per_fte", "discount_rate"):
            self.fields[name].required = False  # left empty: as stored (clean_optional)
        self.fields["hours_per_fte"].widget.attrs.update(min="0.01", max="744", step="any")
        self.fields["discount_rate"].widget.attrs.update(min="0", max="100", step="any")
        zones = forms.Select(choices=[("", "The country's, when it has one"), *time_zone_choices()])
        self.fields["buyer_time_zone"].widget = zones
        self.fields["buyer_country"].help_text = (
            "Each centre's delivery model is derived from it (same country onshore; a neighbouring "
            "country or at most 3 hours apart nearshore; else offshore). Empty: centres keep their "
            "recorded model."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "What to outsource",
                "title",
                "process",
                Div(
                    Div("volume", css_class="col-sm-4"),
                    Div("volume_unit", css_class="col-sm-4"),
                    Div("term_months", css_class="col-sm-4"),
                    css_class="row",
                ),
                Div(Div("contract_start", css_class="col-sm-4"), css_class="row"),
            ),
            Fieldset(
                "Money",
                Div(
                    Div("base_currency", css_class="col-sm-4"),
                    Div("budget_cap", css_class="col-sm-8"),
                    css_class="row",
                ),
                Div(
                    Div("hours_per_fte", css_class="col-sm-4"),
                    Div("discount_rate", css_class="col-sm-8"),
                    css_class="row",
                ),
            ),
            Fieldset(
                "Knock-out requirements",
                Div(
                    Div("required_certifications", css_class="col-md-6"),
                    Div("allowed_delivery_models", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset(
                "Where the work is done",
                Div(
                    Div("buyer_country", css_class="col-md-6"),
                    Div("buyer_time_zone", css_class="col-md-6"),
                    css_class="row",
                ),
                Div(
                    Div("buyer_day_start", css_class="col-6 col-md-3"),
                    Div("buyer_day_end", css_class="col-6 col-md-3"),
                    Div("required_languages", css_class="col-md-6"),
                    css_class="row",
                ),
            ),
            Fieldset("Ranking", "method", "scale"),
        )

    def _as_stored(self, name: str):
        value = self.cleaned_data.get(name)
        if value is None:
            return getattr(self.instance, name)
        return value

    def clean_hours_per_fte(self):
        return self._as_stored("hours_per_fte")

    def clean_discount_rate(self):
        return self._as_stored("discount_rate")

    def _day_bound(self, name: str) -> dt.time:
        """Not sent (an older form, a script): keep the stored hour, or the model's default."""
        value = self.cleaned_data.get(name)
        if value is not None:
            return value
        default = dt.time(9) if name == "buyer_day_start" else dt.time(17)  # the model's defaults
        return getattr(self.instance, name, None) or default

    def clean_buyer_day_start(self) -> dt.time:
        return self._day_bound("buyer_day_start")

    def clean_buyer_day_end(self) -> dt.time:
        return self._day_bound("buyer_day_end")

    def clean_scale(self) -> str:
        scale = self.cleaned_data.get("scale")
        if scale:
            return scale
        if self.data.get(self.add_prefix("method")) == Evaluation.Method.TOPSIS:
            return Evaluation.Scale.RELATIVE
        return self.instance.scale if self.instance.pk else Evaluation.Scale.ABSOLUTE


class EvaluationEditForm(EvaluationForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.helper.layout.append("version")


class AnalystChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, user: User) -> str:
        name = user.get_full_name()
        return f"{name} ({user.username})" if name else user.username


class TeamForm(forms.Form):
    members = AnalystChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Team members",
        help_text="Analysts who may score and edit this evaluation with you.",
    )

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["members"]).queryset = (
            User.objects.filter(groups__name=Role.ANALYST, is_active=True)
            .exclude(pk=evaluation.owner_id)
            .order_by("first_name", "last_name", "username")
            .distinct()
        )


class WeightsForm(forms.Form):
    """One percentage per criterion, named by the criterion key."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[criterion.key] = FiniteDecimalField(
                label=f"{criterion.name} (%)",
                min_value=0,
                max_value=100,
                decimal_places=2,
                widget=forms.NumberInput(
                    attrs={"step": "0.01", "data-weight": "", "class": "form-control text-end"}
                ),
            )

    def rows(self):
        return [(criterion, self[criterion.key]) for criterion in self.criteria]

    def weights(self) -> dict:
        return {c.key: self.cleaned_data[c.key] for c in self.criteria}

    def total(self) -> Decimal:
        """The sum of the weights as shown that are valid percentages; a refused one (not a number,
        NaN, out of 0-100) counts as nothing, and its error is shown beside it."""
        total = Decimal(0)
        for criterion in self.criteria:
            field = self.fields[criterion.key]
            try:
                value = field.clean(self[criterion.key].value())
            except forms.ValidationError:
                continue
            total += value or 0
        return total


class CandidateAddForm(forms.Form):
    vendors = BoundedModelMultipleChoiceField(
        queryset=Vendor.objects.all(), required=False, label="Suggested vendors"
    )


class CandidateExcludeForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        required=False,
        label="Reason for excluding",
        help_text="Leave empty to reinstate the vendor.",
    )


class CurrencyField(forms.ChoiceField):
    """An ISO 4217 code picked from a list; typed codes are accepted in any case."""

    def to_python(self, value) -> str:
        return super().to_python(value).strip().upper()


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        formfield_callback = bounded_formfield
        fields = list(QUOTE_FIELDS)
        labels = {
            "delivery_model": "Delivery model",
            "pricing_model": "Pricing model",
            "unit_price": "Unit price",
            "currency": "Currency",
            "transition_fee": "One-time transition fee",
            "minimum_term_months": "Minimum term (months)",
            "annual_escalation": "Annual price escalation (%)",
            "exit_fee": "Exit fee",
            "valid_until": "Valid until",
            "service_level_pct": "Service level %",
            "quality_pct": "Quality %",
            "response_time_hours": "Response time (hours)",
        }
        widgets = {
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    currency = CurrencyField(label="Currency")
    # The quote's version when the form was opened: a save after someone else's is refused.
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, evaluation: Evaluation, vendor: Vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation, self.vendor = evaluation, vendor
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        base = evaluation.base_currency
        with_rate = sorted({base, *exchange_rates(base)})
        codes = quoting.iso_currencies()
        # Currencies with a rate first, so the usual choice is at hand; a stored code no longer in
        # the ISO list stays selectable and is refused with a reason on save.
        current = [
            c for c in [self.instance.currency] if c and c not in codes and c not in with_rate
        ]
        first = [(code, f"{code} · {codes.get(code, code)}") for code in [*with_rate, *current]]
        others = [
            (code, f"{code} · {name}") for code, name in codes.items() if code not in with_rate
        ]
        cast(forms.ChoiceField, self.fields["currency"]).choices = [
            ("With an exchange rate to " + base, first),
            ("Others (add a rate first)", others),
        ]
        # Help texts are rendered as HTML and error messages %-formatted: escape each its way.
        self.fields["currency"].help_text = escape(
            f"Quotes are converted into {base}; a currency needs an exchange rate to it."
        )
        delivery = cast(forms.ModelChoiceField, self.fields["delivery_model"])
        delivery.queryset = quoting.quote_delivery_models(evaluation, vendor)
        offered = ", ".join(m.name.lower() for m in delivery.queryset)
        restricted = evaluation.allowed_delivery_models.exists()
        if offered:
            help_text = f"Models where {vendor.name} has a delivery centre" + (
                " and this evaluation allows." if restricted else "."
            )
            refusal = f"Choose {offered}: {vendor.name} has no centre in another model" + (
                " this evaluation allows." if restricted else "."
            )
        else:
            help_text = refusal = (
                f"{vendor.name} has no delivery centre in a model this evaluation allows; "
                "add its centres to the vendor in the admin first."
            )
        delivery.help_text = escape(help_text)
        delivery.error_messages["invalid_choice"] = refusal.replace("%", "%%")
        # The model's check constraints say the same, but only field validators name the field.
        self.fields["unit_price"].help_text = escape(
            f"Hours convert at {Decimal(evaluation.hours_per_fte).normalize():,f} hours per FTE-month "
            "(set on the evaluation)."
        )
        self.fields["minimum_term_months"].help_text = escape(
            f"A minimum longer than the {evaluation.term_months}-month contract is billed in full."
        )
        self.fields["exit_fee"].help_text = "One-off, in the quote's currency, at the end."
        for name in ("annual_escalation", "exit_fee"):
            self.fields[name].required = False  # left empty: none (clean_annual_escalation)
        escalation = self.fields["annual_escalation"]
        escalation.validators += [MinValueValidator(Decimal("-99.99")), MaxValueValidator(100)]
        escalation.widget.attrs.update(min="-99.99", max="100", step="any")
        for name in (
            "unit_price",
            "transition_fee",
            "exit_fee",
            "service_level_pct",
            "quality_pct",
            "response_time_hours",
        ):
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs.update(min="0", step="any")
        for name in ("service_level_pct", "quality_pct"):
            self.fields[name].validators.append(MaxValueValidator(100))
            self.fields[name].widget.attrs.update(max="100")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div("delivery_model", css_class="col-sm-6"),
                Div("pricing_model", css_class="col-sm-6"),
                css_class="row",
            ),
            Div(
                Div("unit_price", css_class="col-sm-4"),
                Div("currency", css_class="col-sm-4"),
                Div("transition_fee", css_class="col-sm-4"),
                css_class="row",
            ),
            Div(
                Div("minimum_term_months", css_class="col-sm-4"),
                Div("annual_escalation", css_class="col-sm-4"),
                Div("exit_fee", css_class="col-sm-4"),
                css_class="row",
            ),
            "valid_until",
            Div(
                Div("service_level_pct", css_class="col-sm-4"),
                Div("quality_pct", css_class="col-sm-4"),
                Div("response_time_hours", css_class="col-sm-4"),
                css_class="row",
            ),
            "notes",
            "version",
        )

    def clean_annual_escalation(self) -> Decimal:
        return self.cleaned_data.get("annual_escalation") or Decimal(0)

    def clean_exit_fee(self) -> Decimal:
        return self.cleaned_data.get("exit_fee") or Decimal(0)

    def clean(self):
        cleaned = super().clean() or {}
        problems = quoting.quote_rule_errors(
            evaluation=self.evaluation,
            vendor=self.vendor,
            delivery_model=cleaned.get("delivery_model"),
            currency=cleaned.get("currency", ""),
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message[0].upper() + message[1:])
        return cleaned
