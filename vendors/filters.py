"""The vendor directory's filters (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django_countries import countries

from vendors.models import Certification, DeliveryModel, Process, Vendor


def headquarters_countries() -> list[tuple[str, str]]:
    """Only countries some active vendor is headquartered in: a short list, fast to render."""
    codes = Vendor.objects.filter(is_active=True).values_list("country", flat=True).distinct()
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


class VendorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    process = django_filters.ModelChoiceFilter(
        label="Process",
        queryset=Process.objects.all(),
        field_name="offered_processes__process",
        empty_label="Any process",
    )
    delivery_model = django_filters.ModelChoiceFilter(
        label="Delivery model",
        queryset=DeliveryModel.objects.all(),
        field_name="centres__delivery_model",
        empty_label="Any delivery model",
    )
    certification = django_filters.ModelChoiceFilter(
        label="Certification",
        queryset=Certification.objects.all(),
        method="valid_certification",
        empty_label="Any valid certification",
    )
    country = django_filters.ChoiceFilter(
        label="Headquarters", choices=lambda: headquarters_countries(), empty_label="Any country"
    )
    ordering = django_filters.OrderingFilter(
        label="Sort by",
        empty_label="Name",
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

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(languages__icontains=value)
        )

    def valid_certification(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(
            Q(vendor_certifications__valid_until__isnull=True)
            | Q(vendor_certifications__valid_until__gte=today),
            vendor_certifications__certification=value,
        )

    @property
    def qs(self):
        # Joins through centres and processes repeat vendors; distinct keeps one row each.
        return super().qs.distinct()
