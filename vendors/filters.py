"""The vendor directory's filters (django-filter).

Filters on related rows are `IN (subquery)` rather than joins, so a vendor never repeats and the
page needs no DISTINCT: at 100,000 vendors a DISTINCT over every column was most of the 20 s.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django_countries import countries

from vendors.models import (
    Certification,
    DeliveryCentre,
    DeliveryModel,
    Process,
    Vendor,
    VendorCertification,
    VendorProcess,
)
from vendors.search import search_vendors


def headquarters_countries() -> list[tuple[str, str]]:
    """Only countries some active vendor is headquartered in, each once, in one query."""
    codes = (
        Vendor.objects.filter(is_active=True)
        .order_by()  # the model's ordering by name would make DISTINCT keep one row per vendor
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


class VendorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    process = django_filters.ModelChoiceFilter(
        label="Process",
        queryset=Process.objects.all(),
        method="offering_process",
        empty_label="Any process",
    )
    delivery_model = django_filters.ModelChoiceFilter(
        label="Delivery model",
        queryset=DeliveryModel.objects.all(),
        method="delivering_from",
        empty_label="Any delivery model",
    )
    certification = django_filters.ModelChoiceFilter(
        label="Certification",
        queryset=Certification.objects.all(),
        method="valid_certification",
        empty_label="Any valid certification",
    )
    # Choices are set per request in __init__: read once, for validation and the form alike.
    country = django_filters.ChoiceFilter(label="Headquarters", empty_label="Any country")
    # No empty choice: "Name" (the default order) is the first option, listed once.
    ordering = django_filters.OrderingFilter(
        label="Sort by",
        empty_label=None,
        fields=(
            ("name", "name"),
            ("country", "country"),
            ("headcount", "headcount"),
            ("founded_year", "founded_year"),
        ),
        field_labels={
            "name": "Name",
            "country": "Country",
            "headcount": "Headcount",
            "founded_year": "Founded",
        },
    )

    class Meta:
        model = Vendor
        fields = ["q", "process", "delivery_model", "certification", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = headquarters_countries()

    def search(self, queryset, name, value):
        return search_vendors(queryset, value)

    def offering_process(self, queryset, name, value):
        offers = VendorProcess.objects.filter(process=value)
        return queryset.filter(pk__in=offers.values("vendor_id"))

    def delivering_from(self, queryset, name, value):
        centres = DeliveryCentre.objects.filter(delivery_model=value)
        return queryset.filter(pk__in=centres.values("vendor_id"))

    def valid_certification(self, queryset, name, value):
        today = timezone.localdate()
        valid = VendorCertification.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today), certification=value
        )
        return queryset.filter(pk__in=valid.values("vendor_id"))
