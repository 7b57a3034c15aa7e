"""What each import kind holds: its columns, their help and examples, and the template files built
from them. Changes when a column is added or documented differently."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.numbers import list_currencies

if TYPE_CHECKING:
    from vendors.importing.report import Report

MAX_ROWS = 200_000
# Every kind has at most 13 columns; the cap bounds the work on a hostile header before any parsing.
MAX_COLUMNS = 200
CLEAR = "-"  # a cell holding only this clears the stored value; an empty cell leaves it as it is
EXTENSIONS = (".csv", ".xlsx")
CURRENCIES = frozenset(list_currencies()) - {"XXX", "XTS"}


class ImportRefused(Exception):
    """The file as a whole cannot be imported (type, size, encoding, columns); nothing was read."""


class ImportRejected(Exception):
    """Rows have errors, so nothing was written. `report` names them."""

    def __init__(self, report: Report):
        super().__init__(
            f"{report.error_count} error(s) in {report.filename}; nothing was imported."
        )
        self.report = report


class DeletionsUnconfirmed(ImportRejected):
    """The file would clear values or remove list items and the admin has not confirmed exactly
    these deletions, so nothing was written. `report.deletions` lists them."""

    def __init__(self, report: Report, *, stale: bool = False):
        Exception.__init__(
            self,
            f"{report.filename} would delete {report.deletion_count} stored value(s) or list "
            "item(s)"
            + (", which changed since the preview" if stale else "")
            + "; nothing was imported until the deletions are confirmed.",
        )
        self.report = report
        self.stale = stale


# --- Column specifications ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    example: str


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    columns: tuple[Column, ...]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


KINDS = {
    "vendors": Kind(
        "vendors",
        "Vendors with processes, certifications and centres",
        (
            Column(
                "name",
                True,
                "Vendor name; the key that matches existing vendors.",
                "Acme Contact Solutions",
            ),
            Column(
                "country",
                True,
                "Headquarters: ISO 3166 code (PH) or English name (Philippines).",
                "PH",
            ),
            Column("website", False, "Full URL.", "https://acme.example"),
            Column("description", False, "Free text.", "Multilingual customer care."),
            Column("founded_year", False, "Year, 1800–2100.", "2004"),
            Column("headcount", False, "Whole number of employees.", "5200"),
            Column("languages", False, "Separated by commas.", "English, Tagalog, Spanish"),
            Column("active", False, "yes or no (a new vendor without it is active).", "yes"),
            Column(
                "processes",
                False,
                "The full list, separated by semicolons: process name, then optionally "
                "': <years>y/<reference clients> refs'. Replaces the stored list; - removes it.",
                "Payroll & benefits administration: 8y/12 refs; Customer service & support: 15y/40 refs",
            ),
            Column(
                "certifications",
                False,
                "The full list, separated by semicolons: certification name, then optionally "
                "'until YYYY-MM-DD'. Replaces the stored list; - removes it.",
                "ISO 27001 until 2027-06-30; SOC 2 Type II",
            ),
            Column(
                "centres",
                False,
                "The full list, separated by semicolons: city, country, delivery model, seats, "
                "optionally then the IANA time zone and the ISO 639-1 languages separated by "
                "spaces (left out: a stored centre keeps its own). Replaces the stored list; - "
                "removes it.",
                "Manila, PH, offshore, 1200 seats, Asia/Manila, en tl; Cebu City, PH, offshore, 400 seats",
            ),
        ),
    ),
    "quotes": Kind(
        "quotes",
        "Market quotes (list prices)",
        (
            Column("vendor", True, "An existing vendor's name.", "Acme Contact Solutions"),
            Column(
                "process",
                True,
                "A process name from the catalogue.",
                "Payroll & benefits administration",
            ),
            Column("delivery_model", True, "onshore, nearshore or offshore.", "offshore"),
            Column(
                "pricing_model",
                True,
                "per FTE-month, per hour, per transaction or fixed monthly.",
                "per FTE-month",
            ),
            Column(
                "unit_price",
                True,
                "Number with a dot for decimals, no separators or symbols.",
                "1850.00",
            ),
            Column("currency", True, "ISO 4217 code.", "USD"),
            Column(
                "transition_fee",
                False,
                "One-time fee in the same currency (a new quote without it: 0).",
                "25000",
            ),
            Column(
                "minimum_term_months",
                False,
                "Whole months; a longer minimum than the contract term is billed.",
                "24",
            ),
            Column(
                "annual_escalation",
                False,
                "% a year, at the start of each contract year (a new quote without it: 0).",
                "4",
            ),
            Column(
                "exit_fee",
                False,
                "One-off fee at the end, same currency (a new quote without it: 0).",
                "10000",
            ),
            Column("valid_until", False, "Date as YYYY-MM-DD.", "2027-06-30"),
            Column("service_level_pct", False, "0–100.", "95"),
            Column("quality_pct", False, "0–100.", "98.5"),
            Column("response_time_hours", False, "Hours.", "4"),
            Column("notes", False, "Free text.", "Includes night shift."),
        ),
    ),
    "rates": Kind(
        "rates",
        "Exchange rates",
        (
            Column("currency", True, "ISO 4217 code of the foreign currency.", "EUR"),
            Column("base_currency", True, "ISO 4217 code it is expressed in.", "USD"),
            Column(
                "rate", True, "Units of base_currency per 1 unit of currency; positive.", "1.0850"
            ),
            Column("as_of", True, "Date as YYYY-MM-DD.", "2026-01-31"),
        ),
    ),
}


def kind_for(key: str) -> Kind:
    try:
        return KINDS[key]
    except KeyError:
        raise ImportRefused(
            f'Unknown import kind "{key}"; use one of {", ".join(KINDS)}.'
        ) from None


# --- Template files -------------------------------------------------------------------------------


# Shown on the import page, in the Excel template's help sheet and in README's "Bulk import".
EMPTY_CELL_RULES = (
    "An empty cell leaves the stored value as it is (a new row gets the default).",
    f'A cell holding only "{CLEAR}" clears the stored value; in a list column (processes, '
    "certifications, centres) it removes every item.",
    "A filled list cell replaces the whole stored list.",
    "The preview lists every value and list item the file would delete, and the import needs "
    "your confirmation of exactly those deletions.",
)


def template_csv(kind: str) -> bytes:
    """The columns only: an example row would import as a real record if left in the file."""
    spec = kind_for(kind)
    out = io.StringIO()
    csv.writer(out).writerow(spec.names)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    """The columns on the first sheet; the examples and the rules on a "help" sheet, which the
    importer never reads (it reads the first sheet only)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    spec = kind_for(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = spec.key
    sheet.append(spec.names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(
            14, min(60, len(column.example) + 2)
        )
    help_sheet = book.create_sheet("help")
    help_sheet.append(["column", "required", "what to write", "example"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in spec.columns:
        help_sheet.append(
            [column.name, "yes" if column.required else "no", column.help, column.example]
        )
    help_sheet.append([])
    for rule in EMPTY_CELL_RULES:
        help_sheet.append([rule])
    for row in help_sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].number_format = "@"  # examples stay as typed: "2027-06-30", "1850.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
