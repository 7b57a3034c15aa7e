"""The directory page's pieces: the filter form, the match count and a page of rows, each rendered
once per market version (vendors.market_cache) and reused by every request that asks the same.

A piece's key holds what changes its markup: the filter form, the raw values as typed; the count,
the normalised filters (and today: certificate validity); the rows, those plus the page number
and the viewer's roles, so two roles never share rows even if their markup comes to differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bpo_select.roles import roles_of
from vendors import market_cache
from vendors.filters import VendorFilter
from vendors.models import DeliveryCentre, Process, Vendor, VendorCertification

# From this many matches, a page is read in name order until it is full rather than by sorting
# every match (vendors.search): 6,000 matches page in 26 ms instead of 75, 46 in 58 instead of 36.
DENSE_MATCHES = 1_000

FILTER_FIELDS = ("q", "process", "delivery_model", "certification", "country", "ordering")


def directory_queryset() -> QuerySet[Vendor]:
    # Lists (to_attr), not related managers: Django builds a filtered queryset per vendor and
    # relation to hold a prefetched manager's rows, half of the page's prefetch time.
    return Vendor.objects.filter(is_active=True).prefetch_related(
        Prefetch(
            "centres",
            queryset=DeliveryCentre.objects.select_related("delivery_model"),
            to_attr="centre_list",
        ),
        Prefetch(
            "vendor_certifications",
            queryset=VendorCertification.objects.select_related("certification"),
            to_attr="certification_list",
        ),
        Prefetch("processes", queryset=Process.objects.only("pk"), to_attr="process_list"),
    )


def normalised_filters(params) -> dict[str, str]:
    """The filters as the query sees them: search words once-spaced (and, when ASCII, in one
    case: both backends match ASCII letters regardless of case), other values stripped."""
    found = {}
    for name in FILTER_FIELDS:
        value = " ".join(params.get(name, "").split())
        if name == "q" and value.isascii():
            value = value.casefold()
        if value:
            found[name] = value
    return found


def viewer_flags(user) -> list:
    return [user.is_superuser, sorted(roles_of(user))]


class _Rows:
    """One page's slice of the matching vendors, read only when something iterates it (a cached
    page's rows are HTML already)."""

    def __init__(self, read: Callable[[], list[Vendor]]):
        self._read = read
        self._rows: list[Vendor] | None = None

    def rows(self) -> list[Vendor]:
        if self._rows is None:
            self._rows = self._read()
        return self._rows

    def __iter__(self) -> Iterator[Vendor]:
        return iter(self.rows())

    def __len__(self) -> int:
        return len(self.rows())


class DirectoryListing:
    """What the paginator pages over: its count comes from the cache, its slices are lazy."""

    def __init__(self, request):
        self.request = request
        self.today = timezone.localdate()
        self.filters = normalised_filters(request.GET)
        self._filters: dict[bool, VendorFilter] = {}

    def filter(self, *, dense: bool = False) -> VendorFilter:
        if dense not in self._filters:
            self._filters[dense] = VendorFilter(
                self.request.GET, queryset=directory_queryset(), dense_search=dense
            )
        return self._filters[dense]

    def matching(self, *, dense: bool = False) -> QuerySet[Vendor]:
        """`dense`: searched the way that is faster when many vendors match (vendors.search)."""
        vendor_filter = self.filter(dense=dense)
        vendors = vendor_filter.qs if vendor_filter.is_valid() else Vendor.objects.none()
        if not self.request.GET.get("ordering"):
            vendors = vendors.order_by("name")
        return vendors

    def _cached(self, kind: str, parts: list, compute: Callable[[], Any]) -> Any:
        if not market_cache.enabled():
            return compute()
        key = market_cache.key(kind, *parts)
        found = cache.get(key)
        if found is None:
            found = compute()
            cache.set(key, found, market_cache.FRAGMENT_SECONDS)
        return found

    # The paginator's protocol: count() and slicing.
    def count(self) -> int:
        return self._cached(
            "directory-count",
            [self.filters, self.today],
            lambda: self.matching(dense=True).count(),
        )

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> _Rows:
        dense = self.count() >= DENSE_MATCHES  # cached: the paginator has counted already
        return _Rows(lambda: list(self.matching(dense=dense)[window]))

    # The pieces are what render_to_string returned, kept as such by the cache (pickled): safe
    # strings, so the page does not escape their markup again.
    def filters_html(self) -> str:
        raw = [(name, self.request.GET.getlist(name)) for name in FILTER_FIELDS]
        return self._cached(
            "directory-filters",
            [raw],
            lambda: render_to_string(
                "vendors/partials/directory_filters.html", {"filter": self.filter()}
            ),
        )

    def rows_html(self, page) -> str:
        parts = [self.filters, self.today, page.number, viewer_flags(self.request.user)]
        return self._cached("directory-rows", parts, lambda: self._render_rows(page))

    def _render_rows(self, page) -> str:
        vendors = list(page.object_list)
        for vendor in vendors:
            # The delivery models of its centres, each once, in model order: the badges.
            models = {
                centre.delivery_model.pk: centre.delivery_model for centre in vendor.centre_list
            }
            vendor.delivery_models = [models[pk] for pk in sorted(models)]
        context = {
            "vendors": vendors,
            "today": self.today,
            "detail_prefix": reverse("vendors:directory"),
        }
        return render_to_string("vendors/partials/directory_rows.html", context)
