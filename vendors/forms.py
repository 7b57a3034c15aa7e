"""Forms of the vendors app (the bulk import upload) and the form fields every form of the project
uses for ids and numbers, so hostile input is a form error rather than a database or arithmetic crash.
"""

from decimal import Decimal, DecimalException

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from vendors.importing import EXTENSIONS, KINDS

# Primary keys are 64-bit signed integers on every supported database; SQLite raises OverflowError
# (a 500) on a larger parameter in an IN (...) lookup instead of finding nothing.
ID_MIN, ID_MAX = -(2**63), 2**63 - 1


def _refuse_out_of_range_ids(field: forms.ModelChoiceField, values) -> None:
    if field.queryset is None:
        return
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    if not isinstance(key, models.IntegerField):
        return
    for value in values:
        try:
            number = int(str(value).strip())
        except ValueError:
            continue  # Django's own check names it as "not a valid value"
        if not ID_MIN <= number <= ID_MAX:
            raise ValidationError(
                field.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses ids outside the 64-bit range with its usual error."""

    def to_python(self, value):
        if value not in self.empty_values:
            _refuse_out_of_range_ids(self, [value])
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids outside the 64-bit range with its usual error."""

    def _check_values(self, value):
        if isinstance(value, list | tuple):  # Django's own check refuses anything else
            _refuse_out_of_range_ids(self, value)
        return super()._check_values(value)  # type: ignore[misc]  # Django's private hook


class FiniteDecimalField(forms.DecimalField):
    """A DecimalField that refuses NaN, sNaN and infinities as "Enter a number." before any
    comparison (comparing a signalling NaN raises InvalidOperation, a 500)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip()
        try:
            number = Decimal(str(value))
        except DecimalException:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def bounded_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """``formfield_callback`` for ModelForms: foreign keys, many-to-many and decimal fields get the
    bounded fields above, everything else Django's default."""
    if isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    elif isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", FiniteDecimalField)
    return db_field.formfield(**kwargs)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[(kind.key, kind.label) for kind in KINDS.values()],
        widget=forms.RadioSelect,
        initial="vendors",
    )
    file = forms.FileField(
        label="CSV or Excel file",
        help_text="A .csv (UTF-8) or .xlsx file whose first row names the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(f'"{upload.name}" is not a .csv or .xlsx file.')
        return upload
