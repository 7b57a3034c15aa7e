"""The vendor directory and profiles, read by every role."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from bpo_select.audit import Source, history_page
from bpo_select.roles import Role, role_required
from vendors.filters import VendorFilter
from vendors.models import DeliveryCentre, Quote, Vendor, VendorCertification

PAGE_SIZE = 25


def _directory_queryset():
    return Vendor.objects.filter(is_active=True).prefetch_related(
        Prefetch("centres", queryset=DeliveryCentre.objects.select_related("delivery_model")),
        Prefetch(
            "vendor_certifications",
            queryset=VendorCertification.objects.select_related("certification"),
        ),
        "processes",
    )


@role_required(*Role.ALL)
def directory(request):
    vendor_filter = VendorFilter(request.GET, queryset=_directory_queryset())
    vendors = vendor_filter.qs if vendor_filter.is_valid() else Vendor.objects.none()
    if not request.GET.get("ordering"):
        vendors = vendors.order_by("name")
    page = Paginator(vendors, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vendors/directory.html",
        {"filter": vendor_filter, "page_obj": page, "today": timezone.localdate(), "nav": "vendors"},
    )


@role_required(*Role.ALL)
def detail(request, pk: int):
    vendor = get_object_or_404(
        Vendor.objects.prefetch_related(
            Prefetch("centres", queryset=DeliveryCentre.objects.select_related("delivery_model")),
            Prefetch(
                "vendor_certifications",
                queryset=VendorCertification.objects.select_related("certification"),
            ),
            "offered_processes__process",
        ),
        pk=pk,
    )
    quotes = (
        Quote.objects.filter(vendor=vendor, evaluation__isnull=True)
        .select_related("process", "delivery_model")
        .order_by("-updated_at")[:20]
    )
    return render(
        request,
        "vendors/detail.html",
        {"vendor": vendor, "quotes": quotes, "today": timezone.localdate(), "nav": "vendors"},
    )


# History


@role_required(*Role.ALL)
def history(request, pk: int):
    """The vendor's audit trail: master data and market list prices (not evaluation quotes)."""
    vendor = get_object_or_404(Vendor, pk=pk)
    sources = [
        Source("Vendor", Vendor.history.filter(id=vendor.pk), lambda r: r.name),
        Source(
            "List price",
            Quote.history.filter(vendor_id=vendor.pk, evaluation_id__isnull=True),
            lambda r: f"{r.process} · {r.delivery_model} · {r.get_pricing_model_display()}",
            related=("process", "delivery_model"),
        ),
    ]
    page = history_page(sources, request.GET.get("page"))
    return render(
        request, "vendors/history.html", {"vendor": vendor, "page_obj": page, "nav": "vendors"}
    )
