"""Forms of the vendors app: the bulk import upload."""

from django import forms

from vendors.importing import EXTENSIONS, KINDS


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
