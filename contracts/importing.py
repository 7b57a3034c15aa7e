"""Import a contract's monthly KPI values from CSV or XLSX: the vendor import's defensive reading
(encodings, separators, zip-bomb checks, header rules) and its rules — every row checked, each
error naming its row and column, all rows written or none. An empty value leaves a month as stored.

One row per KPI and month: ``month`` (YYYY-MM), ``kpi`` (its name on the contract), ``value``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from contracts.forms import parse_month
from contracts.models import Contract, KpiMeasurement
from contracts.services import ImportRow
from vendors.importing import reading
from vendors.importing.spec import EXTENSIONS, ImportRefused, Kind
from vendors.importing.spec import Column as SpecColumn

MAX_ROWS = 5_000
KIND = Kind(
    "kpi_values",
    "Monthly KPI values of a contract",
    (
        SpecColumn("month", True, "The month, as YYYY-MM.", "2026-03"),
        SpecColumn("kpi", True, "The KPI's name on the contract.", "Service level"),
        SpecColumn("value", True, "The measured value, a number (. as decimal point).", "96.5"),
    ),
)


@dataclass
class Preview:
    filename: str
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def changes(self) -> int:
        return sum(1 for r in self.rows if r.previous != r.value)


def read(data: bytes, filename: str) -> reading.Table:
    """The upload as a frame of stripped strings with the three columns; ImportRefused otherwise."""
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise ImportRefused(f'"{filename}" is not a .csv or .xlsx file.')
    if not data:
        raise ImportRefused(f'"{filename}" is empty.')
    notices: list[str] = []
    if suffix == ".csv":
        frame = reading._read_csv(data, filename, notices, MAX_ROWS)
    else:
        frame = reading._read_xlsx(data, filename, MAX_ROWS)
    if len(frame) > MAX_ROWS:
        raise ImportRefused(f'"{filename}" has more than {MAX_ROWS:,} rows; split it.')
    frame = reading._normalise_columns(frame.fillna(""), KIND, filename)
    if not frame.empty:
        frame = frame.apply(lambda column: column.str.strip())
        frame = frame[(frame != "").any(axis=1)]
    return reading.Table(KIND, filename, frame, notices)


def preview(contract: Contract, data: bytes, filename: str) -> Preview:
    """Every row checked against the contract (2 queries); ImportRefused for an unreadable file."""
    table = read(data, filename)
    result = Preview(filename=filename, notices=list(table.notices))
    kpis = {kpi.name.strip().lower(): kpi for kpi in contract.kpis.all()}
    stored = {
        (m.kpi_id, m.month): m.value for m in KpiMeasurement.objects.filter(kpi__contract=contract)
    }
    seen: dict[tuple[int, object], int] = {}
    for position, cells in table.frame.iterrows():
        row = int(position) + 2  # the header is row 1
        problems = []
        month = parse_month(cells["month"])
        if month is None:
            problems.append(f"column month: “{cells['month']}” is not a month (YYYY-MM)")
        elif not contract.covers(month):
            problems.append(
                f"column month: {month:%B %Y} is outside the contract's term "
                f"({contract.start_date:%B %Y} to {contract.last_month:%B %Y})"
            )
        kpi = kpis.get(cells["kpi"].lower())
        if kpi is None:
            names = ", ".join(k.name for k in kpis.values())
            problems.append(f"column kpi: “{cells['kpi']}” is not a KPI of this contract ({names})")
        value = None
        if cells["value"] == "":
            result.notices.append(f"Row {row}: no value, so the month stays as stored.")
            if not problems:
                continue
        else:
            try:
                value = Decimal(cells["value"].replace(" ", ""))
                if not value.is_finite() or abs(value) >= Decimal("1e8"):
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(f"column value: “{cells['value']}” is not a number")
        if kpi is not None and month is not None and (kpi.pk, month) in seen:
            problems.append(
                f"columns kpi and month: {kpi.name} for {month:%B %Y} is already on row "
                f"{seen[kpi.pk, month]}"
            )
        if problems:
            result.errors.extend(f"Row {row}, {problem}." for problem in problems)
            continue
        if kpi is None or month is None or value is None:  # every problem was reported above
            continue
        seen[kpi.pk, month] = row
        result.rows.append(
            ImportRow(row, kpi.pk, kpi.name, month, value, stored.get((kpi.pk, month)))
        )
    if table.frame.empty:
        result.notices.append(f'"{filename}" has a header but no data rows: nothing to import.')
    return result


def template_csv() -> str:
    header = ",".join(c.name for c in KIND.columns)
    example = ",".join(c.example for c in KIND.columns)
    return f"{header}\n{example}\n"
