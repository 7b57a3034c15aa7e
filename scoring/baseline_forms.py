"""The form of the in-house baseline (the business case), beside the evaluation's set-up."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.core.validators import MinValueValidator

from scoring.models import Evaluation, InHouseBaseline
from vendors.forms import bounded_formfield


class BaselineForm(forms.ModelForm):
    """The in-house baseline, in the evaluation's base currency."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = InHouseBaseline
        formfield_callback = bounded_formfield
        fields = [
            "ftes",
            "loaded_cost_per_fte_month",
            "monthly_overheads",
            "annual_wage_inflation",
            "exit_costs",
        ]
        labels = {
            "ftes": "FTEs in-house",
            "loaded_cost_per_fte_month": "Loaded cost per FTE-month",
            "monthly_overheads": "Other overheads per month",
            "annual_wage_inflation": "Wage inflation (% a year)",
            "exit_costs": "One-off exit costs",
        }

    def __init__(self, *args, evaluation: Evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = evaluation.version
        currency = evaluation.base_currency
        if self.instance.pk is None and evaluation.volume_unit == Evaluation.VolumeUnit.FTE:
            self.fields["ftes"].initial = evaluation.volume
        for name in ("loaded_cost_per_fte_month", "monthly_overheads", "exit_costs"):
            self.fields[name].label = f"{self.fields[name].label} ({currency})"
        for name in ("ftes", "loaded_cost_per_fte_month", "monthly_overheads", "exit_costs"):
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs.update(min="0", step="any")
        inflation = self.fields["annual_wage_inflation"]
        inflation.widget.attrs.update(min="-99.99", max="100", step="any")
        inflation.help_text = "Wages rise by this at the start of each contract year."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Div("ftes", css_class="col-sm-4"),
                Div("loaded_cost_per_fte_month", css_class="col-sm-4"),
                Div("monthly_overheads", css_class="col-sm-4"),
                css_class="row",
            ),
            Div(
                Div("annual_wage_inflation", css_class="col-sm-6"),
                Div("exit_costs", css_class="col-sm-6"),
                css_class="row",
            ),
            "version",
        )
