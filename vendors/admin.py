"""The vendor admins' curation tool: search, filters and inlines, with constant queries per page."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin

from bpo_select.admin import LabelledTabularInline
from vendors.filters import headquarters_country_codes
from vendors.market_cache import market_changed
from vendors.models import (
    Certification,
    DeliveryCentre,
    DeliveryModel,
    ExchangeRate,
    Process,
    Quote,
    QuoteDeliveryPrice,
    Vendor,
    VendorCertification,
    VendorProcess,
)
from vendors.search import search_vendors
from vendors.templatetags.formatting import number


@admin.register(DeliveryModel)
class DeliveryModelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "description"]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "vendor_count"]
    list_filter = ["category"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(vendor_count=Count("offers"))

    @admin.display(description="Vendors", ordering="vendor_count")
    def vendor_count(self, obj):
        return obj.vendor_count


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class DeliveryCentreInline(LabelledTabularInline):
    model = DeliveryCentre
    extra = 0


class VendorCertificationInline(LabelledTabularInline):
    model = VendorCertification
    extra = 0


class VendorProcessInline(LabelledTabularInline):
    model = VendorProcess
    extra = 0


class HeadquartersCountryFilter(admin.SimpleListFilter):
    """Only the countries vendors are headquartered in (one query), not all ~250 of ISO 3166."""

    title = "headquarters country"
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = headquarters_country_codes(active_only=False)
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


@admin.register(Vendor)
class VendorAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "headquarters",
        "headcount_people",
        "founded_year",
        "centre_count",
        "is_active",
    ]
    list_filter = [
        "is_active",
        HeadquartersCountryFilter,
        "offered_processes__process",
        "centres__delivery_model",
    ]
    # Counting 100,000 vendors twice per page (filtered and total) costs more than it tells.
    show_full_result_count = False
    list_per_page = 50  # the admin renders each cell through its generic machinery: ~3 ms a row
    search_fields = ["name", "description", "languages"]
    inlines = [DeliveryCentreInline, VendorCertificationInline, VendorProcessInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["deactivate", "activate", "delete_selected"]

    def get_queryset(self, request):
        # A correlated subquery runs for the page's rows only; a JOIN + GROUP BY counted every
        # vendor's centres before the page was cut.
        centres = (
            DeliveryCentre.objects.filter(vendor=OuterRef("pk"))
            .order_by()
            .values("vendor")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(centre_count=Coalesce(Subquery(centres), 0))

    @admin.display(description="Headcount", ordering="headcount")
    def headcount_people(self, obj):
        return number(obj.headcount)  # "—" when unknown

    @admin.display(description="Centres", ordering="centre_count")
    def centre_count(self, obj):
        return obj.centre_count

    def get_search_results(self, request, queryset, search_term):
        # The directory's search (full-text on PostgreSQL): an ILIKE over 100,000 descriptions
        # took most of the page; IN subqueries never repeat a vendor, so no duplicates to remove.
        return search_vendors(queryset, search_term), False

    @admin.display(description="Headquarters", ordering="country")
    def headquarters(self, obj):
        # The plain "country" column looked its label up in all ~250 choices, twice per row.
        return obj.country.name

    @admin.action(description="Deactivate selected vendors (keeps their history)")
    def deactivate(self, request, queryset):
        updated = queryset.update(is_active=False)
        market_changed()  # update() sends no signal
        self.message_user(request, f"{updated} vendor(s) deactivated.")

    @admin.action(description="Activate selected vendors")
    def activate(self, request, queryset):
        updated = queryset.update(is_active=True)
        market_changed()  # update() sends no signal
        self.message_user(request, f"{updated} vendor(s) activated.")

    @admin.action(permissions=["delete"], description="Delete selected vendors")
    def delete_selected(self, request, queryset):
        """Django's bulk delete, refused whole when any selected vendor has quotes or evaluations."""
        in_use = queryset.filter(Q(quotes__isnull=False) | Q(candidacies__isnull=False)).distinct()
        names = sorted(in_use.values_list("name", flat=True))
        if names:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            self.message_user(
                request,
                f"Nothing was deleted: {shown} ha{'s' if len(names) == 1 else 've'} quotes "
                "or appear in evaluations, so deleting would lose history. Use “Deactivate selected "
                "vendors” instead: they leave the pickers and old reports keep them.",
                messages.ERROR,
            )
            return None
        return delete_selected(self, request, queryset)

    def delete_view(self, request, object_id, extra_context=None):
        vendor = self.get_object(request, object_id)
        if vendor is not None and (vendor.quotes.exists() or vendor.candidacies.exists()):
            self.message_user(
                request,
                f"{vendor} has quotes or appears in evaluations, so deleting it would lose history. "
                "Deactivate it instead (untick Active): it leaves the pickers and old reports keep it.",
                messages.ERROR,
            )
            return redirect("admin:vendors_vendor_change", object_id)
        return super().delete_view(request, object_id, extra_context)


class QuoteAdminForm(forms.ModelForm):
    def clean_evaluation(self):
        evaluation = self.cleaned_data.get("evaluation")
        if evaluation is not None and not evaluation.is_editable:
            raise ValidationError(
                f"“{evaluation}” is {evaluation.get_status_display().lower()}: "
                "its quotes can no longer change."
            )
        return evaluation


class QuoteDeliveryPriceInline(LabelledTabularInline):
    model = QuoteDeliveryPrice
    extra = 0


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    """Market list prices. A quote tied to an evaluation is part of that evaluation: its team
    changes it on the evaluation's Quotes page, so only superusers see those here, and only
    while the evaluation is editable may even they change one."""

    form = QuoteAdminForm
    inlines = [QuoteDeliveryPriceInline]
    list_display = [
        "vendor",
        "process",
        "delivery_model",
        "pricing_model",
        "unit_price",
        "currency",
        "valid_until",
        "evaluation",
    ]
    list_filter = ["pricing_model", "delivery_model", "currency", "process"]
    search_fields = ["vendor__name", "process__name", "notes"]
    list_select_related = ["vendor", "process", "delivery_model", "evaluation"]
    raw_id_fields = ["vendor", "evaluation"]
    date_hierarchy = "valid_until"

    def get_queryset(self, request):
        quotes = super().get_queryset(request)
        return quotes if request.user.is_superuser else quotes.filter(evaluation__isnull=True)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return shown if request.user.is_superuser else [f for f in shown if f != "evaluation"]

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded if request.user.is_superuser else [*excluded, "evaluation"]

    def has_view_permission(self, request, obj=None):
        if _is_evaluation_quote(obj) and not request.user.is_superuser:
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if _is_evaluation_quote(obj) and not _superuser_may_change(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _is_evaluation_quote(obj) and not _superuser_may_change(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def has_view_history_or_change_history_permission(self, request, obj=None):
        if _is_evaluation_quote(obj) and not request.user.is_superuser:
            return False
        return super().has_view_history_or_change_history_permission(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        # As on the change page, an evaluation quote does not exist for them (404, not 403).
        hidden = Quote.objects.filter(evaluation__isnull=False)
        if (
            not request.user.is_superuser
            and str(object_id).isdigit()
            and hidden.filter(pk=int(object_id)).exists()
        ):
            raise Http404("No such market quote.")
        return super().history_view(request, object_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if (
            request.method == "POST"
            and request.POST.get("evaluation")
            and not request.user.is_superuser
        ):
            raise PermissionDenied(
                "Quotes of an evaluation are entered by its team on the evaluation's Quotes page, "
                "not in the admin."
            )
        if object_id is not None and request.method == "GET":
            quote = self.get_object(request, object_id)
            if _is_evaluation_quote(quote) and not quote.evaluation.is_editable:
                self.message_user(
                    request,
                    f"This quote belongs to “{quote.evaluation}”, which is "
                    f"{quote.evaluation.get_status_display().lower()}: it is read-only.",
                    messages.WARNING,
                )
        return super().changeform_view(request, object_id, form_url, extra_context)


def _is_evaluation_quote(quote) -> bool:
    return quote is not None and quote.evaluation_id is not None


def _superuser_may_change(request, quote) -> bool:
    return request.user.is_superuser and quote.evaluation.is_editable


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "base_currency", "rate", "as_of"]
    list_filter = ["base_currency", "currency"]
    date_hierarchy = "as_of"


@admin.register(DeliveryCentre)
class DeliveryCentreAdmin(admin.ModelAdmin):
    list_display = [
        "vendor",
        "city",
        "country",
        "delivery_model",
        "seats",
        "time_zone",
        "languages",
    ]
    list_filter = ["delivery_model", "country"]
    search_fields = ["vendor__name", "city"]
    list_select_related = ["vendor", "delivery_model"]
    raw_id_fields = ["vendor"]


@admin.register(VendorCertification)
class VendorCertificationAdmin(admin.ModelAdmin):
    list_display = ["vendor", "certification", "valid_until"]
    list_filter = ["certification"]
    search_fields = ["vendor__name"]
    list_select_related = ["vendor", "certification"]
    raw_id_fields = ["vendor"]
