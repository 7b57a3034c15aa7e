"""The vendor directory's filters (django-filter).

Filters on related rows are `IN (subquery)` rather than joins, so a vendor never repeats and the
page needs no DISTINCT: at 100,000 vendors a DISTINCT over every column was most of the 20 s.
"""

import django_filters
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django_countries import countries

from vendors import market_cache
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


def headquarters_country_codes(*, active_only: bool) -> list[str]:
    """Each country some vendor is headquartered in, once, in one query.

    A plain DISTINCT reads all 100,000 rows (30-70 ms); this recursive query jumps from one country
    to the next along the country index (15 steps, under a millisecond) on PostgreSQL and SQLite.
    """
    table = connection.ops.quote_name(Vendor._meta.db_table)
    active = "is_active AND " if active_only else ""
    sql = f"""
        WITH RECURSIVE hq(code) AS (
            SELECT MIN(country) FROM {table} WHERE {active}country IS NOT NULL
            UNION ALL
            SELECT (SELECT MIN(country) FROM {table} WHERE {active}country > hq.code)
            FROM hq WHERE hq.code IS NOT NULL
        )
        SELECT code FROM hq WHERE code IS NOT NULL
    """  # noqa: S608 (no user input: the table name and a fixed condition)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [code for (code,) in cursor.fetchall()]


def headquarters_countries() -> list[tuple[str, str]]:
    """Only countries some active vendor is headquartered in, each once, by name."""

    def read() -> list[tuple[str, str]]:
        codes = headquarters_country_codes(active_only=True)
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    if not market_cache.enabled():
        return read()
    # Every directory request builds the filter: the choices are read once per market version.
    found = cache.get_or_set(market_cache.key("hq-countries"), read, market_cache.FRAGMENT_SECONDS)
    return found if found is not None else read()


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

    def __init__(self, *args, dense_search: bool = False, **kwargs):
        """`dense_search`: a search expected to match many vendors (vendors.search)."""
        super().__init__(*args, **kwargs)
        self.dense_search = dense_search
        self.filters["country"].extra["choices"] = headquarters_countries()

    def search(self, queryset, name, value):
        return search_vendors(queryset, value, dense=self.dense_search)

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
