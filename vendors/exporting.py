"""The directory as a CSV file: every vendor the filters match, written in chunks with progress.

Runs as a background task (vendors.tasks.export_directory): at 100,000 vendors it takes longer
than a page should. Text cells are escaped so a spreadsheet never runs them as formulas.
"""

import csv
import io
from collections.abc import Callable, Mapping

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.utils import timezone

from vendors.filters import VendorFilter
from vendors.models import DeliveryCentre, Vendor, VendorCertification

CHUNK = 2000
HEADER = [
    "Name",
    "Headquarters",
    "Website",
    "Founded",
    "Headcount",
    "Languages",
    "Processes",
    "Valid certifications",
    "Delivery models",
]
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """A leading = + - @ tab or CR gets a ' so spreadsheets show the text instead of running it."""
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


class ExportRefused(Exception):
    pass


def matching_vendors(params: Mapping[str, str]):
    """The vendors the directory shows for these filter values, with what the rows need."""
    queryset = Vendor.objects.filter(is_active=True).prefetch_related(
        Prefetch("centres", queryset=DeliveryCentre.objects.select_related("delivery_model")),
        Prefetch(
            "vendor_certifications",
            queryset=VendorCertification.objects.select_related("certification"),
        ),
        "processes",
    )
    vendor_filter = VendorFilter(params, queryset=queryset)
    if not vendor_filter.is_valid():
        fields = ", ".join(sorted(vendor_filter.errors))
        raise ExportRefused(
            f"The directory filters are not valid ({fields}); fix them and export again."
        )
    vendors = vendor_filter.qs
    return vendors if params.get("ordering") else vendors.order_by("name")


def vendor_row(vendor: Vendor, today) -> list[str]:
    models = sorted({c.delivery_model.name for c in vendor.centres.all()})
    certificates = [
        vc.certification.name for vc in vendor.vendor_certifications.all() if vc.is_valid_on(today)
    ]
    cells = [
        vendor.name,
        vendor.country.name,
        vendor.website,
        "" if vendor.founded_year is None else str(vendor.founded_year),
        "" if vendor.headcount is None else str(vendor.headcount),
        vendor.languages,
        "; ".join(p.name for p in vendor.processes.all()),
        "; ".join(certificates),
        "; ".join(models),
    ]
    return [escape_formula(cell) for cell in cells]


def export_directory_csv(
    *, params: Mapping[str, str], file_name: str, progress: Callable[[int, int], None]
) -> tuple[str, int]:
    """Write the matching vendors to `file_name` in the default storage: (stored name, rows).

    The file is saved only once complete, so a failed run leaves nothing half-written.
    """
    vendors = matching_vendors(params)
    total = vendors.count()
    today = timezone.localdate()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    progress(0, total)
    written = 0
    for vendor in vendors.iterator(chunk_size=CHUNK):
        writer.writerow(vendor_row(vendor, today))
        written += 1
        if written % CHUNK == 0:
            progress(min(written, total), total)
    progress(written, max(total, written))
    # utf-8-sig: Excel opens the names with their accents intact.
    stored = default_storage.save(file_name, ContentFile(buffer.getvalue().encode("utf-8-sig")))
    return stored, written
