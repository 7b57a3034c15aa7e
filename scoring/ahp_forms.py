"""The AHP page's form: pairwise judgements on Saaty's scale, and their words."""

from __future__ import annotations

from django import forms

from scoring.models import Criterion

# Saaty's scale: value, then how the left-hand criterion compares with the right-hand one.
SAATY = [
    ("9", "extremely more important"),
    ("8", "very strongly to extremely more important"),
    ("7", "very strongly more important"),
    ("6", "strongly to very strongly more important"),
    ("5", "strongly more important"),
    ("4", "moderately to strongly more important"),
    ("3", "moderately more important"),
    ("2", "equally to moderately more important"),
]
SAATY_WORDS = {int(value): words for value, words in SAATY}


def judgement_text(left: str, right: str, slider: int) -> str:
    """A slider position in words: negative leans to the left-hand criterion, positive to the right."""
    if slider == 0:
        return "Equally important (1)"
    name, times = (left, 1 - slider) if slider < 0 else (right, 1 + slider)
    return f"{name}: {SAATY_WORDS[times]} ({times})"


class AhpForm(forms.Form):
    """One slider per pair of criteria (the upper triangle of the matrix). A slider runs from
    -8 (the left-hand criterion 9 times as important) through 0 (equal) to 8 (the right-hand one
    9 times as important); ``judgements()`` turns it into scale positions of the left one."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm_inconsistent = forms.BooleanField(
        required=False, label="Save anyway: I checked these judgements and they stand"
    )
    reason = forms.CharField(
        required=False,
        max_length=500,
        label="Why they stand",
        help_text="Kept in the evaluation's history.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.pairs = [(a, b) for i, a in enumerate(criteria) for b in criteria[i + 1 :]]
        off_scale = "Pick a point on Saaty's scale, from -8 to 8 (1/9 to 9)."
        for a, b in self.pairs:
            self.fields[self.field_name(a, b)] = forms.IntegerField(
                label=f"{a.name} vs {b.name}",
                min_value=-8,
                max_value=8,
                initial=0,
                error_messages={
                    "invalid": off_scale,
                    "min_value": off_scale,
                    "max_value": off_scale,
                    "required": f"Judge {a.name} vs {b.name}.",
                },
                widget=forms.NumberInput(
                    attrs={
                        "type": "range",
                        "step": "1",
                        "class": "form-range",
                        "data-left": a.key,
                        "data-right": b.key,
                    }
                ),
            )

    @staticmethod
    def field_name(a: Criterion, b: Criterion) -> str:
        return f"{a.key}__vs__{b.key}"

    def clean(self):
        data = super().clean()
        stray = sorted(key for key in self.data if "__vs__" in key and key not in self.fields)
        if stray:
            raise forms.ValidationError(
                f"“{stray[0]}” is not a pair of this evaluation's criteria; reload the page."
            )
        return data

    def rows(self):
        return [(a, b, self[self.field_name(a, b)]) for a, b in self.pairs]

    def judgements(self) -> dict[tuple[str, str], int]:
        return {(a.key, b.key): -self.cleaned_data[self.field_name(a, b)] for a, b in self.pairs}
