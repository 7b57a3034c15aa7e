"""Bulk import of vendors (with processes, certifications and centres), market quotes and exchange
rates from CSV or XLSX: read the file defensively, validate every row, diff it against the database
and commit all rows in one transaction. Pure of HTTP: the import page and `manage.py import_vendors`
both call `load`, `preview` and `commit`.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import itertools
import re
import secrets
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django_countries import countries

from vendors.models import (
    Certification,
    DeliveryCentre,
    DeliveryModel,
    ExchangeRate,
    Process,
    Quote,
    Vendor,
    VendorCertification,
    VendorProcess,
)

MAX_ROWS = 200_000
MAX_REPORTED_ERRORS = 1_000  # errors kept for display; the count covers them all
MAX_SHOWN_CHANGES = 200
BATCH_SIZE = 2_000
# Zip-bomb guards for .xlsx: a real workbook has a few dozen parts compressing well under 100x.
MAX_XLSX_ENTRIES = 1_000
MAX_XLSX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_XLSX_RATIO = 200
EXTENSIONS = (".csv", ".xlsx")
CURRENCIES = frozenset(list_currencies()) - {"XXX", "XTS"}
PENDING_DIR = Path(tempfile.gettempdir()) / "bpo_select_imports"
PENDING_MAX_AGE_S = 24 * 3600

Progress = Callable[..., Iterable]


class ImportRefused(Exception):
    """The file as a whole cannot be imported (type, size, encoding, columns); nothing was read."""


class ImportRejected(Exception):
    """Rows have errors, so nothing was written. `report` names them."""

    def __init__(self, report: Report):
        super().__init__(
            f"{report.error_count} error(s) in {report.filename}; nothing was imported."
        )
        self.report = report


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
            Column("active", False, "yes/no (empty = yes).", "yes"),
            Column(
                "processes",
                False,
                "The full list, separated by semicolons: process name, then optionally "
                "': <years>y/<reference clients> refs'.",
                "Payroll & benefits administration: 8y/12 refs; Customer service & support: 15y/40 refs",
            ),
            Column(
                "certifications",
                False,
                "The full list, separated by semicolons: certification name, then optionally "
                "'until YYYY-MM-DD'.",
                "ISO 27001 until 2027-06-30; SOC 2 Type II",
            ),
            Column(
                "centres",
                False,
                "The full list, separated by semicolons: city, country, delivery model, seats.",
                "Manila, PH, offshore, 1200 seats; Cebu City, PH, offshore, 400 seats",
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
                "transition_fee", False, "One-time fee in the same currency (empty = 0).", "25000"
            ),
            Column("minimum_term_months", False, "Whole months.", "24"),
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


# --- Report ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.message}"


@dataclass
class RowChange:
    row: int
    key: str
    status: str  # "new" or "changed"
    changes: list[tuple[str, str, str]]  # (field, old, new)


@dataclass
class Report:
    kind: str
    filename: str
    total_rows: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: {"new": 0, "changed": 0, "unchanged": 0, "error": 0}
    )
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    changes: list[RowChange] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def has_changes(self) -> bool:
        return self.counts["new"] + self.counts["changed"] > 0

    @property
    def error_rows(self) -> list[tuple[int, list[RowError]]]:
        grouped: dict[int, list[RowError]] = defaultdict(list)
        for error in self.errors:
            grouped[error.row].append(error)
        return sorted(grouped.items())

    def lines(self) -> list[str]:
        """The report as plain text lines (the command prints these)."""
        c = self.counts
        out = [
            f"{self.filename}: {self.total_rows} row(s): {c['new']} new, {c['changed']} changed, "
            f"{c['unchanged']} unchanged, {c['error']} with errors.",
            *self.notices,
        ]
        out += [str(e) for e in self.errors]
        if self.error_count > len(self.errors):
            out.append(f"... and {self.error_count - len(self.errors)} more error(s).")
        for change in self.changes:
            detail = "; ".join(
                f"{f}: {old or '—'} → {new or '—'}" for f, old, new in change.changes
            )
            out.append(
                f"Row {change.row} {change.status}: {change.key}"
                + (f" ({detail})" if detail else "")
            )
        shown = len(self.changes)
        if c["new"] + c["changed"] > shown:
            out.append(f"... and {c['new'] + c['changed'] - shown} more new or changed row(s).")
        return out


class _Errors:
    """Collects row errors; the report keeps the first MAX_REPORTED_ERRORS and counts the rest."""

    def __init__(self):
        self.items: list[RowError] = []
        self.rows: set[int] = set()

    def add(self, row: int, column: str, message: str) -> None:
        self.items.append(RowError(row, column, message))
        self.rows.add(row)

    def add_mask(
        self, frame: pd.DataFrame, mask: pd.Series, column: str, message: Callable[[str], str]
    ):
        if not mask.any():
            return
        for index, value in frame.loc[mask, column].items():
            self.add(_row_number(index), column, message(value))


def _row_number(index: int) -> int:
    """The spreadsheet row a person sees: the header is row 1, the first data row is row 2."""
    return int(index) + 2


# --- Reading --------------------------------------------------------------------------------------


@dataclass
class Table:
    kind: Kind
    filename: str
    frame: pd.DataFrame  # str cells, stripped; index = position of the data row (0 = row 2)
    notices: list[str]


def load(data: bytes, filename: str, kind: str, *, max_rows: int = MAX_ROWS) -> Table:
    """Read an uploaded .csv or .xlsx into a frame of strings and check its columns."""
    spec = kind_for(kind)
    suffix = Path(filename).suffix.lower()
    notices: list[str] = []
    if suffix not in EXTENSIONS:
        raise ImportRefused(f'"{filename}" is not a .csv or .xlsx file.')
    if not data:
        raise ImportRefused(f'"{filename}" is empty.')
    if suffix == ".csv":
        frame = _read_csv(data, filename, notices, max_rows)
    else:
        frame = _read_xlsx(data, filename, max_rows)
    if len(frame) > max_rows:
        raise ImportRefused(
            f'"{filename}" has more than {max_rows:,} data rows; split it into smaller files.'
        )
    frame = frame.fillna("")
    # Spreadsheets often carry formatted but empty columns without a header: ignore those.
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed:") and (frame[c] == "").all()]
    frame = _normalise_columns(frame.drop(columns=unnamed), spec, filename)
    frame = frame.apply(lambda column: column.str.strip())
    frame = frame[(frame != "").any(axis=1)] if len(frame.columns) else frame
    if frame.empty:
        raise ImportRefused(f'"{filename}" has a header but no data rows.')
    return Table(spec, filename, frame, notices)


def _read_csv(data: bytes, filename: str, notices: list[str], max_rows: int) -> pd.DataFrame:
    if data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            f'"{filename}" is a zip archive (an Excel workbook?), not a CSV text file. '
            "Upload it with the .xlsx extension or save it as CSV."
        )
    if b"\x00" in data:
        raise ImportRefused(
            f'"{filename}" contains NUL bytes, so it is not a UTF-8 text CSV '
            "(UTF-16 or binary?). Save it as “CSV UTF-8”."
        )
    text = _decode(data, filename, notices)
    first_line = text.split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=separator,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            nrows=max_rows + 1,
        )
    except pd.errors.EmptyDataError:
        raise ImportRefused(f'"{filename}" is empty.') from None
    except (pd.errors.ParserError, csv.Error) as error:
        raise ImportRefused(f'"{filename}" is not a well-formed CSV file: {error}') from None


def _decode(data: bytes, filename: str, notices: list[str]) -> str:
    """UTF-8 with or without BOM; otherwise Latin-1 (Windows-1252) text, said in a notice."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text):
            notices.append(
                f'"{filename}" is not UTF-8; it was read as Latin-1 (Windows-1252). '
                "Check accented letters in the preview."
            )
            return text
    raise ImportRefused(f'"{filename}" is neither UTF-8 nor Latin-1 text. Save it as “CSV UTF-8”.')


def _read_xlsx(data: bytes, filename: str, max_rows: int) -> pd.DataFrame:
    check_xlsx(data, filename)
    try:
        frame = pd.read_excel(
            io.BytesIO(data),
            sheet_name=0,
            dtype=object,
            na_filter=False,
            engine="openpyxl",
            nrows=max_rows + 1,
        )
    except Exception as error:  # openpyxl raises many types for a broken workbook
        raise ImportRefused(
            f'"{filename}" could not be read as an Excel workbook: {error}'
        ) from None
    frame.columns = [_cell_text(c) for c in frame.columns]
    return frame.apply(lambda column: column.map(_cell_text)).astype(str)


def check_xlsx(data: bytes, filename: str) -> None:
    """Refuse what is not a plain .xlsx before openpyxl parses it: zip bombs and XML entities."""
    if not data.startswith(b"PK\x03\x04"):
        raise ImportRefused(
            f'"{filename}" is not an Excel .xlsx workbook (it is not a zip archive).'
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise ImportRefused(
            f'"{filename}" is a damaged zip archive, not an Excel workbook.'
        ) from None
    if len(entries) > MAX_XLSX_ENTRIES:
        raise ImportRefused(
            f'"{filename}" has {len(entries):,} parts; that is not a normal workbook.'
        )
    if "[Content_Types].xml" not in {entry.filename for entry in entries}:
        raise ImportRefused(f'"{filename}" is a zip archive but not an Excel workbook.')
    if sum(entry.file_size for entry in entries) > MAX_XLSX_UNCOMPRESSED:
        raise ImportRefused(f'"{filename}" expands to more than {MAX_XLSX_UNCOMPRESSED >> 20} MB.')
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and ratio > MAX_XLSX_RATIO:
            raise ImportRefused(f'"{filename}" is compressed suspiciously well (a zip bomb?).')
    needles = [
        text.encode(encoding)
        for text in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    ]
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(entry) as part:
            tail = b""
            while chunk := part.read(1024 * 1024):
                window = tail + chunk
                if any(needle in window for needle in needles):
                    raise ImportRefused(
                        f'"{filename}" contains XML document type declarations, which a workbook '
                        "never needs; refused for safety."
                    )
                tail = window[-32:]


def _cell_text(value) -> str:
    """An Excel cell as the text a person typed: dates as YYYY-MM-DD, 8.0 as 8."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def column_key(name: str) -> str:
    """' Unit Price ' -> 'unit_price'."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _normalise_columns(frame: pd.DataFrame, spec: Kind, filename: str) -> pd.DataFrame:
    keys = [column_key(c) for c in frame.columns]
    problems = []
    duplicates = sorted({k for k in keys if keys.count(k) > 1 and k})
    if duplicates:
        problems.append("duplicate column(s): " + ", ".join(duplicates))
    missing = [c for c in spec.required if c not in keys]
    if missing:
        problems.append("missing required column(s): " + ", ".join(missing))
    unknown = [
        str(original).strip() or f"(empty header in column {i + 1})"
        for i, (original, k) in enumerate(zip(frame.columns, keys, strict=True))
        if k not in spec.names
    ]
    if unknown:
        problems.append(
            "unknown column(s): " + ", ".join(unknown) + f" (expected: {', '.join(spec.names)})"
        )
    if problems:
        raise ImportRefused(f'"{filename}": ' + "; ".join(problems) + ".")
    frame.columns = keys
    return frame


# --- Vectorised column parsers ------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.casefold()).strip()


def _norm_series(s: pd.Series) -> pd.Series:
    return s.str.casefold().str.replace(r"[\s_\-]+", " ", regex=True).str.strip()


def _required(frame: pd.DataFrame, column: str, errors: _Errors) -> pd.Series:
    empty = frame[column] == ""
    errors.add_mask(frame, empty, column, lambda v: "is required")
    return empty


def _lookup(
    frame: pd.DataFrame,
    column: str,
    mapping: dict[str, object],
    choices: list[str],
    noun: str,
    errors: _Errors,
) -> pd.Series:
    """Map names (case, spaces, '-' and '_' ignored) to ids; unknown names get a suggestion."""
    raw = frame[column]
    ids = _norm_series(raw).map(mapping)
    unknown = (raw != "") & ids.isna()
    if unknown.any():
        hints = {value: _hint(value, choices) for value in raw[unknown].unique()}
        errors.add_mask(frame, unknown, column, lambda v: f'unknown {noun} "{v}"{hints[v]}')
    return ids


def _hint(value: str, choices: list[str]) -> str:
    """' — did you mean "Payroll & benefits administration"?' for "Payrol", or nothing."""
    wanted = _norm(value)
    by_norm = {_norm(c): c for c in choices}
    close = difflib.get_close_matches(wanted, list(by_norm), n=1, cutoff=0.6)
    if not close and len(wanted) >= 3:
        # A truncated or misspelt first word: compare with the start of each name.
        starts = {n[: len(wanted) + 1]: n for n in by_norm}
        close = [
            starts[m] for m in difflib.get_close_matches(wanted, list(starts), n=1, cutoff=0.75)
        ]
    return f' — did you mean "{by_norm[close[0]]}"?' if close else ""


_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"


def _decimals(
    frame: pd.DataFrame,
    column: str,
    errors: _Errors,
    *,
    digits: int,
    places: int,
    minimum: Decimal | None = Decimal(0),
    maximum: Decimal | None = None,
    positive: bool = False,
) -> list[Decimal | None]:
    """Parse a Decimal column with masks: format, sign, range, precision. Errors name the value."""
    raw = frame[column]
    filled = raw != ""
    number = raw.str.fullmatch(_NUMBER)
    errors.add_mask(
        frame,
        filled & ~number,
        column,
        _not_a_number,
    )
    valid = filled & number
    values = pd.to_numeric(raw.where(valid, None), errors="coerce")
    if positive:
        bad = valid & (values <= 0)
        errors.add_mask(frame, bad, column, lambda v: f"must be greater than zero, not {v}")
        valid &= ~bad
    if minimum is not None:
        bad = valid & (values < float(minimum))
        errors.add_mask(
            frame,
            bad,
            column,
            lambda v: (
                f"must not be negative ({v})"
                if minimum == 0
                else f"must be at least {minimum}, not {v}"
            ),
        )
        valid &= ~bad
    if maximum is not None:
        bad = valid & (values > float(maximum))
        errors.add_mask(frame, bad, column, lambda v: f"must be at most {maximum}, not {v}")
        valid &= ~bad
    fraction = raw.str.extract(r"\.(\d*)$", expand=False).fillna("").str.rstrip("0").str.len()
    whole = raw.str.extract(r"^[+-]?0*(\d*)", expand=False).fillna("").str.len()
    bad = valid & (fraction > places)
    errors.add_mask(frame, bad, column, lambda v: f'"{v}" has more than {places} decimal places')
    valid &= ~bad
    bad = valid & (whole > digits - places)
    errors.add_mask(frame, bad, column, lambda v: f'"{v}" is too large')
    valid &= ~bad
    return [Decimal(v) if ok else None for v, ok in zip(raw.tolist(), valid.tolist(), strict=True)]


def _not_a_number(value: str) -> str:
    cleaned = re.sub(r"[,\s$€£¥₹]|[A-Z]{3}", "", value)
    hint = f" (write {cleaned})" if re.fullmatch(_NUMBER, cleaned) else ""
    return (
        f'"{value}" is not a number{hint}: use digits with a dot for decimals, '
        "without thousands separators or currency symbols"
    )


def _integers(
    frame: pd.DataFrame, column: str, errors: _Errors, *, minimum: int = 0, maximum: int = 2**31 - 1
) -> list[int | None]:
    raw = frame[column]
    filled = raw != ""
    integer = raw.str.fullmatch(r"[+-]?\d+")
    errors.add_mask(frame, filled & ~integer, column, lambda v: f'"{v}" is not a whole number')
    valid = filled & integer
    values = pd.to_numeric(raw.where(valid, None), errors="coerce")
    bad = valid & ((values < minimum) | (values > maximum))
    errors.add_mask(frame, bad, column, lambda v: f"{v} is outside {minimum}–{maximum}")
    valid &= ~bad
    return [int(v) if ok else None for v, ok in zip(raw.tolist(), valid.tolist(), strict=True)]


def _dates(frame: pd.DataFrame, column: str, errors: _Errors) -> list[dt.date | None]:
    raw = frame[column]
    filled = raw != ""
    parsed = pd.to_datetime(
        raw.where(raw.str.fullmatch(r"\d{4}-\d{2}-\d{2}"), None), format="%Y-%m-%d", errors="coerce"
    )
    bad = filled & parsed.isna()
    errors.add_mask(frame, bad, column, lambda v: f'"{v}" is not a date as YYYY-MM-DD')
    return [
        d.date() if ok else None
        for d, ok in zip(parsed.tolist(), (filled & ~bad).tolist(), strict=True)
    ]


def _currencies(frame: pd.DataFrame, column: str, errors: _Errors) -> pd.Series:
    codes = frame[column].str.upper()
    bad = (codes != "") & ~codes.isin(CURRENCIES)
    errors.add_mask(
        frame, bad, column, lambda v: f'unknown currency "{v}" (use an ISO 4217 code such as USD)'
    )
    return codes.where(~bad, None)


def _duplicates(
    frame: pd.DataFrame,
    keys: pd.DataFrame,
    valid: pd.Series,
    column: str,
    describe: Callable,
    errors: _Errors,
) -> None:
    """Name every row of a key that appears more than once, with the other rows."""
    candidates = keys[valid]
    repeated = candidates[candidates.duplicated(keep=False)]
    if repeated.empty:
        return
    for key, group in repeated.groupby(list(repeated.columns), sort=False):
        rows = [str(_row_number(i)) for i in group.index]
        listed = ", ".join(rows[:-1]) + " and " + rows[-1]
        for index in group.index:
            errors.add(
                _row_number(index), column, f"duplicate: rows {listed} all set {describe(key)}"
            )


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _same(old, new) -> bool:
    return old == new


# --- Plans: what a commit would write -----------------------------------------------------------


@dataclass
class Plan:
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)
    # vendors only: replacements of child lists, by list name -> {vendor key: [child kwargs]}
    children: dict[str, dict[str, list[dict]]] = field(default_factory=dict)
    # quotes keep light tuples in `creates` and build model instances one batch at a time
    build: Callable | None = None

    def new_objects(self) -> Iterable:
        return map(self.build, self.creates) if self.build else iter(self.creates)


def _classify(report: Report, row: int, key: str, changes: list | None) -> None:
    """changes None = new row; [] = unchanged."""
    status = "new" if changes is None else ("changed" if changes else "unchanged")
    report.counts[status] += 1
    if status != "unchanged" and len(report.changes) < MAX_SHOWN_CHANGES:
        report.changes.append(RowChange(row, key, status, changes or []))


def _identity(iterable, **_kwargs):
    return iterable


# Quotes


QUOTE_FIELDS = [
    "unit_price",
    "currency",
    "transition_fee",
    "minimum_term_months",
    "valid_until",
    "service_level_pct",
    "quality_pct",
    "response_time_hours",
    "notes",
]


def _plan_quotes(table: Table, report: Report, errors: _Errors, progress: Progress) -> Plan:
    frame = table.frame
    vendors = dict(Vendor.objects.values_list("name", "id"))
    vendor_ids = _lookup(
        frame, "vendor", {_norm(n): i for n, i in vendors.items()}, list(vendors), "vendor", errors
    )
    processes = list(Process.objects.values_list("name", "slug", "id"))
    process_map = {_norm(n): i for n, _, i in processes} | {_norm(s): i for _, s, i in processes}
    process_ids = _lookup(
        frame, "process", process_map, [n for n, _, _ in processes], "process", errors
    )
    models = list(DeliveryModel.objects.values_list("code", "name", "id"))
    model_map = {_norm(c): i for c, _, i in models} | {_norm(n): i for _, n, i in models}
    model_ids = _lookup(
        frame, "delivery_model", model_map, [c for c, _, _ in models], "delivery model", errors
    )
    pricing_map = {_norm(v): v for v in Quote.PricingModel.values} | {
        _norm(label): v for v, label in Quote.PricingModel.choices
    }
    pricing = _lookup(
        frame,
        "pricing_model",
        pricing_map,
        [label for _, label in Quote.PricingModel.choices],
        "pricing model",
        errors,
    )
    for column in table.kind.required:
        _required(frame, column, errors)

    present = [c for c in QUOTE_FIELDS if c in frame.columns]
    values: dict[str, list] = {}
    values["unit_price"] = _decimals(frame, "unit_price", errors, digits=14, places=4)
    values["currency"] = _currencies(frame, "currency", errors).tolist()
    if "transition_fee" in frame:
        fees = _decimals(frame, "transition_fee", errors, digits=14, places=2)
        values["transition_fee"] = [Decimal(0) if f is None else f for f in fees]
    if "minimum_term_months" in frame:
        values["minimum_term_months"] = _integers(
            frame, "minimum_term_months", errors, maximum=32767
        )
    if "valid_until" in frame:
        values["valid_until"] = _dates(frame, "valid_until", errors)
    for column in ("service_level_pct", "quality_pct"):
        if column in frame:
            values[column] = _decimals(
                frame, column, errors, digits=5, places=2, maximum=Decimal(100)
            )
    if "response_time_hours" in frame:
        values["response_time_hours"] = _decimals(
            frame, "response_time_hours", errors, digits=8, places=2
        )
    if "notes" in frame:
        values["notes"] = frame["notes"].tolist()

    keys = pd.DataFrame(
        {"v": vendor_ids, "p": process_ids, "d": model_ids, "m": pricing}, index=frame.index
    )
    names = {
        "v": {i: n for n, i in vendors.items()},
        "p": {i: n for n, _, i in processes},
        "d": {i: n for _, n, i in models},
        "m": dict(Quote.PricingModel.choices),
    }

    def describe(key) -> str:
        v, p, d, m = key
        return f"{names['v'][v]} · {names['p'][p]} · {names['d'][d]} · {names['m'][m]}"

    _duplicates(frame, keys, keys.notna().all(axis=1), "vendor", describe, errors)

    existing = {
        (q["vendor_id"], q["process_id"], q["delivery_model_id"], q["pricing_model"]): q
        for q in Quote.objects.filter(evaluation__isnull=True).values(
            "id", *["vendor_id", "process_id", "delivery_model_id", "pricing_model", *present]
        )
    }

    def build(item) -> Quote:
        (vendor, process, model, pricing), row_values = item
        return Quote(
            vendor_id=vendor,
            process_id=process,
            delivery_model_id=model,
            pricing_model=pricing,
            **dict(zip(present, row_values, strict=True)),
        )

    plan = Plan(update_fields=set(), build=build)
    now = timezone.now()
    error_rows = errors.rows
    key_rows = keys.astype(object).itertuples(index=False, name=None)
    columns = [values[c] for c in present]
    for index, key, *row_values in progress(
        zip(frame.index.tolist(), key_rows, *columns, strict=True),
        total=len(frame),
        desc="Checking",
    ):
        row = _row_number(index)
        if row in error_rows:
            continue
        key = (int(key[0]), int(key[1]), int(key[2]), key[3])
        fields = dict(zip(present, row_values, strict=True))
        old = existing.get(key)
        if old is None:
            _classify(report, row, describe(key), None)
            plan.creates.append((key, tuple(row_values)))  # instances are built per batch
            continue
        changes = [(f, _show(old[f]), _show(v)) for f, v in fields.items() if not _same(old[f], v)]
        _classify(report, row, describe(key), changes)
        if changes:
            plan.updates.append((old["id"], fields))
            plan.update_fields.update(f for f, _, _ in changes)
    if plan.updates:
        # History rows copy whole instances, so load the changed quotes (only those) in one query.
        instances = Quote.objects.in_bulk([pk for pk, _ in plan.updates])
        for pk, fields in plan.updates:
            for name, value in fields.items():
                setattr(instances[pk], name, value)
            instances[pk].updated_at = now
        plan.updates = [instances[pk] for pk, _ in plan.updates]
        plan.update_fields.add("updated_at")
    return plan


# Exchange rates


def _plan_rates(table: Table, report: Report, errors: _Errors, progress: Progress) -> Plan:
    frame = table.frame
    for column in table.kind.required:
        _required(frame, column, errors)
    currency = _currencies(frame, "currency", errors)
    base = _currencies(frame, "base_currency", errors)
    same = currency.notna() & (currency == base)
    errors.add_mask(frame, same, "base_currency", lambda v: f"is the same as currency ({v})")
    rates = _decimals(frame, "rate", errors, digits=18, places=8, minimum=None, positive=True)
    as_of = _dates(frame, "as_of", errors)
    keys = pd.DataFrame({"c": currency, "b": base, "d": as_of}, index=frame.index)
    _duplicates(
        frame,
        keys,
        keys.notna().all(axis=1),
        "currency",
        lambda k: f"{k[0]} in {k[1]} on {k[2]:%Y-%m-%d}",
        errors,
    )
    existing = {(r.currency, r.base_currency, r.as_of): r for r in ExchangeRate.objects.all()}
    plan = Plan(update_fields={"rate"})
    for index, c, b, d, rate in progress(
        zip(frame.index.tolist(), currency.tolist(), base.tolist(), as_of, rates, strict=True),
        total=len(frame),
        desc="Checking",
    ):
        row = _row_number(index)
        if row in errors.rows:
            continue
        label = f"1 {c} in {b} on {d:%Y-%m-%d}"
        old = existing.get((c, b, d))
        if old is None:
            _classify(report, row, label, None)
            plan.creates.append(ExchangeRate(currency=c, base_currency=b, as_of=d, rate=rate))
        elif old.rate != rate:
            _classify(report, row, label, [("rate", _show(old.rate), _show(rate))])
            old.rate = rate
            plan.updates.append(old)
        else:
            _classify(report, row, label, [])
    return plan


# Vendors


VENDOR_SCALARS = [
    "country",
    "website",
    "description",
    "founded_year",
    "headcount",
    "languages",
    "is_active",
]
LISTS = ("processes", "certifications", "centres")
_PROCESS_ITEM = re.compile(
    r"^(?P<name>[^:]+?)\s*(?::\s*(?:(?P<years>\d+)\s*y(?:ears?)?)?\s*/?\s*(?:(?P<refs>\d+)\s*refs?)?)?$",
    re.IGNORECASE,
)
_CERT_ITEM = re.compile(r"^(?P<name>.+?)(?:\s+until\s+(?P<date>\S+))?$", re.IGNORECASE)
_SEATS = re.compile(r"^(\d+)(?:\s*seats?)?$", re.IGNORECASE)
_TRUE = {"yes", "y", "true", "1", "active", ""}
_FALSE = {"no", "n", "false", "0", "inactive"}


def _country_map() -> dict[str, str]:
    mapping = {}
    for code, name in countries:
        mapping[code.casefold()] = code
        mapping[name.casefold()] = code
    return mapping


def _items(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(";") if item.strip()]


def _vendor_refs():
    processes = list(Process.objects.values_list("name", "slug", "id"))
    certs = list(Certification.objects.values_list("name", "slug", "id"))
    models = list(DeliveryModel.objects.values_list("code", "name", "id"))
    return {
        "process": (
            {_norm(n): (i, n) for n, _, i in processes}
            | {_norm(s): (i, n) for n, s, i in processes},
            [n for n, _, _ in processes],
        ),
        "certification": (
            {_norm(n): (i, n) for n, _, i in certs} | {_norm(s): (i, n) for n, s, i in certs},
            [n for n, _, _ in certs],
        ),
        "delivery model": (
            {_norm(c): (i, c) for c, _, i in models} | {_norm(n): (i, c) for c, n, i in models},
            [c for c, _, _ in models],
        ),
    }


def _find(refs, noun: str, value: str) -> tuple[int, str] | str:
    """(id, canonical name) or an error message with a suggestion."""
    mapping, names = refs[noun]
    found = mapping.get(_norm(value))
    if found:
        return found
    return f'unknown {noun} "{value}"{_hint(value, names)}'


def _parse_processes(cell: str, refs) -> tuple[list[dict], list[str]]:
    out, problems, seen = [], [], set()
    for item in _items(cell):
        match = _PROCESS_ITEM.match(item)
        found = _find(refs, "process", match["name"]) if match else f'cannot read "{item}"'
        if isinstance(found, str):
            problems.append(found)
            continue
        if found[0] in seen:
            problems.append(f'"{found[1]}" is listed twice')
            continue
        seen.add(found[0])
        out.append(
            {
                "process_id": found[0],
                "name": found[1],
                "years_experience": int(match["years"] or 0),
                "reference_clients": int(match["refs"] or 0),
            }
        )
    return out, problems


def _parse_certifications(cell: str, refs) -> tuple[list[dict], list[str]]:
    out, problems, seen = [], [], set()
    for item in _items(cell):
        match = _CERT_ITEM.match(item)
        found = _find(refs, "certification", match["name"])
        if isinstance(found, str):
            problems.append(found)
            continue
        until = None
        if match["date"]:
            try:
                until = (
                    dt.date.fromisoformat(match["date"])
                    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", match["date"])
                    else None
                )
            except ValueError:
                until = None
            if until is None:
                problems.append(f'"{match["date"]}" after {found[1]} is not a date as YYYY-MM-DD')
                continue
        if found[0] in seen:
            problems.append(f'"{found[1]}" is listed twice')
            continue
        seen.add(found[0])
        out.append({"certification_id": found[0], "name": found[1], "valid_until": until})
    return out, problems


def _parse_centres(cell: str, refs, country_map) -> tuple[list[dict], list[str]]:
    out, problems, seen = [], [], set()
    for item in _items(cell):
        parts = [p.strip() for p in item.split(",")]
        if len(parts) != 4:
            problems.append(f'"{item}" should be "city, country, delivery model, seats"')
            continue
        city, country, model, seats = parts
        code = country_map.get(country.casefold())
        found = _find(refs, "delivery model", model)
        seat_match = _SEATS.match(seats)
        if not city:
            problems.append(f'"{item}" has no city')
        elif code is None:
            problems.append(f'unknown country "{country}" in "{item}"')
        elif isinstance(found, str):
            problems.append(found)
        elif not seat_match:
            problems.append(f'seats "{seats}" in "{item}" is not a whole number')
        elif (code, city.casefold()) in seen:
            problems.append(f"{city}, {code} is listed twice")
        else:
            seen.add((code, city.casefold()))
            out.append(
                {
                    "city": city,
                    "country": code,
                    "delivery_model_id": found[0],
                    "model": found[1],
                    "seats": int(seat_match[1]),
                }
            )
    return out, problems


def _list_text(name: str, items: list[dict]) -> str:
    """A list in the file's own notation, sorted, so old and new compare as text."""
    if name == "processes":
        parts = sorted(
            f"{i['name']}: {i['years_experience']}y/{i['reference_clients']} refs" for i in items
        )
    elif name == "certifications":
        parts = sorted(
            i["name"] + (f" until {i['valid_until']:%Y-%m-%d}" if i["valid_until"] else "")
            for i in items
        )
    else:
        parts = sorted(
            f"{i['city']}, {i['country']}, {i['model']}, {i['seats']} seats" for i in items
        )
    return "; ".join(parts)


def _existing_lists() -> dict[int, dict[str, list[dict]]]:
    lists: dict[int, dict[str, list[dict]]] = defaultdict(lambda: {n: [] for n in LISTS})
    for vp in VendorProcess.objects.values(
        "vendor_id", "process__name", "years_experience", "reference_clients"
    ):
        lists[vp["vendor_id"]]["processes"].append(
            {
                "name": vp["process__name"],
                "years_experience": vp["years_experience"],
                "reference_clients": vp["reference_clients"],
            }
        )
    for vc in VendorCertification.objects.values("vendor_id", "certification__name", "valid_until"):
        lists[vc["vendor_id"]]["certifications"].append(
            {"name": vc["certification__name"], "valid_until": vc["valid_until"]}
        )
    for c in DeliveryCentre.objects.values(
        "vendor_id", "city", "country", "delivery_model__code", "seats"
    ):
        lists[c["vendor_id"]]["centres"].append(
            {
                "city": c["city"],
                "country": c["country"],
                "model": c["delivery_model__code"],
                "seats": c["seats"],
            }
        )
    return lists


def _plan_vendors(table: Table, report: Report, errors: _Errors, progress: Progress) -> Plan:
    frame = table.frame
    for column in table.kind.required:
        _required(frame, column, errors)
    country_map = _country_map()
    countries_ = frame["country"].str.casefold().map(country_map)
    errors.add_mask(
        frame,
        (frame["country"] != "") & countries_.isna(),
        "country",
        lambda v: f'unknown country "{v}" (use an ISO 3166 code such as PH or an English name)',
    )
    long_names = frame["name"].str.len() > 200
    errors.add_mask(frame, long_names, "name", lambda v: "is longer than 200 characters")
    values: dict[str, list] = {"country": countries_.tolist()}
    if "founded_year" in frame:
        values["founded_year"] = _integers(
            frame, "founded_year", errors, minimum=1800, maximum=2100
        )
    if "headcount" in frame:
        values["headcount"] = _integers(frame, "headcount", errors)
    if "active" in frame:
        flags = frame["active"].str.casefold()
        bad = ~flags.isin(_TRUE | _FALSE)
        errors.add_mask(frame, bad, "active", lambda v: f'"{v}" is not yes or no')
        values["is_active"] = flags.isin(_TRUE).tolist()
    for column in ("description", "languages"):
        if column in frame:
            values[column] = frame[column].tolist()
    if "languages" in frame:
        errors.add_mask(
            frame,
            frame["languages"].str.len() > 300,
            "languages",
            lambda v: "is longer than 300 characters",
        )
    if "website" in frame:
        check_url = URLValidator()
        for index, url in frame.loc[frame["website"] != "", "website"].items():
            try:
                check_url(url)
            except ValidationError:
                errors.add(
                    _row_number(index),
                    "website",
                    f'"{url}" is not a full URL such as https://example.com',
                )
        values["website"] = frame["website"].tolist()
    keys = frame["name"].str.casefold().to_frame()
    _duplicates(frame, keys, frame["name"] != "", "name", lambda k: f'vendor "{k[0]}"', errors)

    refs = _vendor_refs()
    parsers = {
        "processes": lambda cell: _parse_processes(cell, refs),
        "certifications": lambda cell: _parse_certifications(cell, refs),
        "centres": lambda cell: _parse_centres(cell, refs, country_map),
    }
    lists_present = [name for name in LISTS if name in frame]
    parsed_lists: dict[str, list] = {}
    for name in lists_present:
        parsed_lists[name] = []
        for index, cell in frame[name].items():
            items, problems = parsers[name](cell)
            for problem in problems:
                errors.add(_row_number(index), name, problem)
            parsed_lists[name].append(items)

    existing = {v.name.casefold(): v for v in Vendor.objects.all()}
    existing_lists = _existing_lists()
    scalars = [c for c in VENDOR_SCALARS if c in values]
    plan = Plan(update_fields=set(), children={name: {} for name in lists_present})
    now = timezone.now()
    names = frame["name"].tolist()
    for position, index in enumerate(
        progress(frame.index.tolist(), total=len(frame), desc="Checking")
    ):
        row = _row_number(index)
        if row in errors.rows:
            continue
        name = names[position]
        fields = {c: values[c][position] for c in scalars}
        lists = {n: parsed_lists[n][position] for n in lists_present}
        old = existing.get(name.casefold())
        if old is None:
            _classify(report, row, name, None)
            plan.creates.append(Vendor(name=name, **fields))
            for n, items in lists.items():
                plan.children[n][name] = items
            continue
        changes = []
        if old.name != name:
            changes.append(("name", old.name, name))
        for f, v in fields.items():
            before = getattr(old, f)
            before = before.code if f == "country" else before
            if before != v:
                changes.append((f, _show(before), _show(v)))
        for n, items in lists.items():
            before, after = _list_text(n, existing_lists[old.pk][n]), _list_text(n, items)
            if before != after:
                changes.append((n, before, after))
                plan.children[n][name] = items
        _classify(report, row, name, changes)
        if changes:
            old.name = name
            for f, v in fields.items():
                setattr(old, f, v)
            old.updated_at = now
            plan.updates.append(old)
            plan.update_fields.update(f for f, _, _ in changes if f not in LISTS)
    plan.update_fields.add("updated_at")
    return plan


PLANNERS = {"vendors": _plan_vendors, "quotes": _plan_quotes, "rates": _plan_rates}


# --- Public API -----------------------------------------------------------------------------------


def preview(table: Table, *, progress: Progress = _identity) -> tuple[Report, Plan]:
    """Validate every row and diff it against the database; writes nothing."""
    started = time.perf_counter()
    report = Report(kind=table.kind.key, filename=table.filename, total_rows=len(table.frame))
    report.notices = list(table.notices)
    errors = _Errors()
    plan = PLANNERS[table.kind.key](table, report, errors, progress)
    order = {name: i for i, name in enumerate(table.kind.names)}
    errors.items.sort(key=lambda e: (e.row, order.get(e.column, 99)))
    report.error_count = len(errors.items)
    report.errors = errors.items[:MAX_REPORTED_ERRORS]
    report.counts["error"] = len(errors.rows)
    if errors.rows:
        # Rows with errors were skipped; a row counted before its duplicate was found is an error.
        report.changes = [c for c in report.changes if c.row not in errors.rows]
    report.seconds = time.perf_counter() - started
    return report, plan


@transaction.atomic
def commit(table: Table, *, user=None, progress: Progress = _identity) -> Report:
    """Re-validate against the current database and write every row, or nothing (ImportRejected)."""
    report, plan = preview(table, progress=progress)
    if not report.ok:
        raise ImportRejected(report)
    reason = f"Import {table.filename}"[:100]
    _apply(table.kind.key, plan, user=user, reason=reason)
    return report


def _apply(kind: str, plan: Plan, *, user, reason: str) -> None:
    if kind == "rates":
        ExchangeRate.objects.bulk_create(plan.creates, batch_size=BATCH_SIZE)
        ExchangeRate.objects.bulk_update(plan.updates, ["rate"], batch_size=BATCH_SIZE)
        return
    model = Quote if kind == "quotes" else Vendor
    objects = plan.new_objects()
    while batch := list(itertools.islice(objects, BATCH_SIZE)):
        created = model.objects.bulk_create(batch)
        ids = [obj.pk for obj in created]
        if None in ids:  # a database that cannot return ids: look them up by the unique key
            ids = _ids_of(model, created)
        _record_history(model, ids, history_type="+", user=user, reason=reason)
    if plan.updates and plan.update_fields:
        model.objects.bulk_update(plan.updates, sorted(plan.update_fields), batch_size=BATCH_SIZE)
        _record_history(
            model, [obj.pk for obj in plan.updates], history_type="~", user=user, reason=reason
        )
    if kind == "vendors":
        _apply_vendor_lists(plan)


def _ids_of(model, objs) -> list[int]:
    if model is Vendor:
        return list(
            Vendor.objects.filter(name__in=[o.name for o in objs]).values_list("id", flat=True)
        )
    keys = {(o.vendor_id, o.process_id, o.delivery_model_id, o.pricing_model) for o in objs}
    rows = Quote.objects.filter(evaluation__isnull=True).values_list(
        "id", "vendor_id", "process_id", "delivery_model_id", "pricing_model"
    )
    return [pk for pk, *key in rows if tuple(key) in keys]


def _record_history(model, ids: list[int], *, history_type: str, user, reason: str) -> None:
    """Write django-simple-history rows for `ids` as one INSERT … SELECT per batch.

    The same rows simple_history's bulk helpers write (a copy of each record plus date, type, user
    and reason), but copied inside the database: building 100,000 historical instances in Python
    took longer than the import itself.
    """
    history = model.history.model
    quote = connection.ops.quote_name
    copied = [quote(f.column) for f in model._meta.concrete_fields]
    extra = [
        quote(c)
        for c in ("history_date", "history_change_reason", "history_type", "history_user_id")
    ]
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None else None
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            # Identifiers come from the models' metadata; every value is a parameter.
            sql = (
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(copied + extra)}) "  # noqa: S608
                f"SELECT {', '.join(copied)}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(batch))})"
            )
            cursor.execute(sql, [when, reason, history_type, user_id, *batch])


def _apply_vendor_lists(plan: Plan) -> None:
    """Replace each listed vendor's processes, certifications or centres with the file's list."""
    ids = dict(
        Vendor.objects.filter(name__in=[v.name for v in plan.creates + plan.updates]).values_list(
            "name", "id"
        )
    )
    specs = {
        "processes": (VendorProcess, ["process_id", "years_experience", "reference_clients"]),
        "certifications": (VendorCertification, ["certification_id", "valid_until"]),
        "centres": (DeliveryCentre, ["city", "country", "delivery_model_id", "seats"]),
    }
    for name, by_vendor in plan.children.items():
        if not by_vendor:
            continue
        model, fields = specs[name]
        vendor_ids = [ids[v] for v in by_vendor]
        model.objects.filter(vendor_id__in=vendor_ids).delete()
        model.objects.bulk_create(
            [
                model(vendor_id=ids[vendor], **{f: item[f] for f in fields})
                for vendor, items in by_vendor.items()
                for item in items
            ],
            batch_size=BATCH_SIZE,
        )


# --- Template files -------------------------------------------------------------------------------


def template_csv(kind: str) -> bytes:
    spec = kind_for(kind)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(spec.names)
    writer.writerow([c.example for c in spec.columns])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    spec = kind_for(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = spec.key
    sheet.append(spec.names)
    # Examples are stored as text so "2027-06-30" and "1850.00" stay as typed.
    sheet.append([c.example for c in spec.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.number_format = "@"
    for i, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = max(
            14, min(60, len(column.example) + 2)
        )
    help_sheet = book.create_sheet("help")
    help_sheet.append(["column", "required", "what to write"])
    for column in spec.columns:
        help_sheet.append([column.name, "yes" if column.required else "no", column.help])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Pending uploads between preview and commit --------------------------------------------------


def stash(data: bytes, filename: str) -> str:
    """Keep an uploaded file server-side under a random token until it is committed."""
    PENDING_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    cutoff = time.time() - PENDING_MAX_AGE_S
    for old in PENDING_DIR.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    path = PENDING_DIR / f"{token}.upload"
    path.touch(mode=0o600)
    path.write_bytes(data)
    return token


def unstash(token: str) -> bytes | None:
    if not re.fullmatch(r"[A-Za-z0-9_\-]{32}", token or ""):
        return None
    path = PENDING_DIR / f"{token}.upload"
    return path.read_bytes() if path.exists() else None


def discard(token: str) -> None:
    if re.fullmatch(r"[A-Za-z0-9_\-]{32}", token or ""):
        (PENDING_DIR / f"{token}.upload").unlink(missing_ok=True)
