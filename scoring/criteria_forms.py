"""Forms of the criteria page: an own criterion, a catalogue one, a rename, a profile."""

from __future__ import annotations

from django import forms

from scoring.models import RUBRIC_BANDS, Criterion
from vendors.forms import FiniteDecimalField

KINDS = [
    (Criterion.Source.MANUAL, "Scored 0–10 by the evaluators, with a rubric"),
    (Criterion.Source.MEASURED, "Measured: a number the team enters per vendor"),
]


def rubric_field_name(band: str) -> str:
    return "rubric_" + band.replace("–", "_")


class OwnCriterionForm(forms.Form):
    name = forms.CharField(max_length=80, label="Name")
    source = forms.ChoiceField(
        choices=KINDS, initial=Criterion.Source.MANUAL, widget=forms.RadioSelect, label="Kind"
    )
    description = forms.CharField(
        required=False,
        max_length=1000,
        label="Description",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    direction = forms.ChoiceField(
        choices=Criterion.Direction.choices,
        initial=Criterion.Direction.BENEFIT,
        label="Direction (measured)",
        help_text="Scores 0–10 are always higher-is-better.",
    )
    unit = forms.CharField(
        required=False, max_length=20, label="Unit (measured)", help_text="e.g. %, days, seats."
    )
    low = FiniteDecimalField(
        required=False, max_digits=14, decimal_places=4, label="Lower bound (measured)"
    )
    high = FiniteDecimalField(
        required=False,
        max_digits=14,
        decimal_places=4,
        label="Upper bound (measured)",
        help_text="With both bounds an absolute scale scores on them; without, the shortlist sets the scale.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for band in RUBRIC_BANDS:
            self.fields[rubric_field_name(band)] = forms.CharField(
                required=False, max_length=200, label=f"What {band} means"
            )
        for name, field in self.fields.items():
            if name != "source":
                css = "form-select" if name == "direction" else "form-control"
                field.widget.attrs.setdefault("class", css)

    def rubric_fields(self):
        return [self[rubric_field_name(band)] for band in RUBRIC_BANDS]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "source": data["source"],
            "description": data["description"],
            "direction": data["direction"],
            "unit": data["unit"],
            "low": data["low"],
            "high": data["high"],
            "rubric": [data[rubric_field_name(band)] for band in RUBRIC_BANDS],
        }


class AddCriterionForm(forms.Form):
    criterion = forms.ModelChoiceField(
        queryset=Criterion.objects.none(),
        label="Add a criterion",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, choices: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["criterion"]
        field.queryset = Criterion.objects.filter(pk__in=[c.pk for c in choices])  # type: ignore[attr-defined]


class RenameCriterionForm(forms.Form):
    label = forms.CharField(
        required=False,
        max_length=80,
        label="Name in this evaluation",
        help_text="Empty: back to its own name.",
    )


class ProfileForm(forms.Form):
    profile_name = forms.CharField(max_length=100, label="Profile name")
    profile_description = forms.CharField(required=False, max_length=1000, label="Description")
