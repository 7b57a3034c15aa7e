"""The Django admin, answering 403 (not a login page) to signed-in users without admin rights."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied


class BpoAdminSite(admin.AdminSite):
    site_header = "BPO Select administration"
    site_title = "BPO Select admin"
    index_title = "Curate the vendor market"

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("Your role has no access to the admin.")
            return inner(request, *args, **kwargs)

        return guarded


class BpoAdminConfig(AdminConfig):
    default_site = "bpo_select.admin.BpoAdminSite"


def label_widgets(form_class) -> None:
    """Name each input after its field: in the admin's tables (tabular inlines, editable change
    lists) the label is only the column header, which is not the input's accessible name."""
    for name, field in form_class.base_fields.items():
        field.widget.attrs.setdefault("aria-label", str(field.label or name))


class LabelledTabularInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        label_widgets(formset.form)

        class LabelledFormSet(formset):  # type: ignore[valid-type,misc]
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if "DELETE" in form.fields:
                    form.fields["DELETE"].widget.attrs["aria-label"] = "Delete this row"

        return LabelledFormSet


class LabelledListEditableMixin:
    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)  # type: ignore[misc]
        label_widgets(formset.form)
        return formset
