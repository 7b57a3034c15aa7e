"""Forms of the contract screens: create from an approval (with its KPI rows), enter a month, upload."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q

from bpo_select.roles import Role
from contracts.models import Contract, Kpi
from contracts.services import KpiSpec

MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def parse_month(text: str) -> dt.date | None:
    """ "2026-03" (or a date such as 2026-03-01) -> 2026-03-01; None when it is not a month."""
    match = MONTH.match(str(text).strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    return dt.date(year, month, 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError("Enter a month as YYYY-MM, e.g. 2026-03.")
        return month


def people():
    """Analysts and managers, who may own a contract."""
    return (
        User.objects.filter(
            Q(groups__name__in=[Role.ANALYST, Role.MANAGER]) | Q(is_superuser=True), is_active=True
        )
        .distinct()
        .order_by("username")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class ContractForm(forms.ModelForm):
    start_date = MonthField(label="First month of service", help_text="YYYY-MM")

    class Meta:
        model = Contract
        fields = [
            "title",
            "owner",
            "start_date",
            "term_months",
            "monthly_fee",
            "currency",
            "monthly_cap_pct",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        if isinstance(owner, forms.ModelChoiceField):
            owner.queryset = people()
        self.fields["title"].required = False


class KpiForm(forms.Form):
    name = forms.CharField(max_length=80, required=False, label="KPI")
    unit = forms.CharField(max_length=20, required=False)
    direction = forms.ChoiceField(choices=Kpi.Direction.choices, initial=Kpi.Direction.HIGHER)
    target = forms.DecimalField(max_digits=12, decimal_places=4, required=False)
    credit_pct_per_point = forms.DecimalField(
        label="Credit % per point",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=2,
    )
    cap_pct = forms.DecimalField(
        label="Cap % a month",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=10,
    )
    earn_back_months = forms.IntegerField(
        label="Earn-back months", min_value=0, max_value=12, initial=0, required=False
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("name") and data.get("target") is None:
            self.add_error("target", "Give the KPI a target.")
        if data.get("target") is not None and not data.get("name"):
            self.add_error("name", "Name the KPI this target belongs to.")
        return data

    def spec(self) -> KpiSpec | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        return KpiSpec(
            name=data["name"],
            unit=data.get("unit", ""),
            direction=data["direction"],
            target=data["target"],
            credit_pct_per_point=data["credit_pct_per_point"],
            cap_pct=data["cap_pct"],
            earn_back_months=data.get("earn_back_months") or 0,
        )


KpiFormSet = forms.formset_factory(KpiForm, extra=1, max_num=12)


def kpi_initial(specs) -> list[dict]:
    return [
        {
            "name": s.name,
            "unit": s.unit,
            "direction": s.direction,
            "target": s.target,
            "credit_pct_per_point": s.credit_pct_per_point,
            "cap_pct": s.cap_pct,
            "earn_back_months": s.earn_back_months,
        }
        for s in specs
    ]


class MonthForm(forms.Form):
    """One month's values, one field per KPI (blank: leave the stored value as it is)."""

    month = MonthField(label="Month", help_text="YYYY-MM")

    def __init__(self, *args, kpis=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = list(kpis)
        for kpi in self.kpis:
            target = f"{kpi.target.normalize():f}"
            self.fields[f"kpi_{kpi.pk}"] = forms.DecimalField(
                label=f"{kpi.name} ({kpi.unit})" if kpi.unit else kpi.name,
                max_digits=12,
                decimal_places=4,
                required=False,
                help_text=f"Target {target}; {kpi.get_direction_display().lower()}.",
            )

    def values(self) -> dict[int, Decimal | None]:
        return {kpi.pk: self.cleaned_data.get(f"kpi_{kpi.pk}") for kpi in self.kpis}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Measurements file (.csv or .xlsx)",
        help_text="Columns: month (YYYY-MM), kpi (its name), value.",
    )
