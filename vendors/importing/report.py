"""What a preview found: row errors, new and changed rows, counts; and the plan a commit writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

Progress = Callable[..., Iterable]
MAX_REPORTED_ERRORS = 1_000  # errors kept for display; the count covers them all
MAX_SHOWN_CHANGES = 200


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


class Errors:
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
            self.add(row_number(index), column, message(value))


def row_number(index: int) -> int:
    """The spreadsheet row a person sees: the header is row 1, the first data row is row 2."""
    return int(index) + 2


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


def classify(report: Report, row: int, key: str, changes: list | None) -> None:
    """changes None = new row; [] = unchanged."""
    status = "new" if changes is None else ("changed" if changes else "unchanged")
    report.counts[status] += 1
    if status != "unchanged" and len(report.changes) < MAX_SHOWN_CHANGES:
        report.changes.append(RowChange(row, key, status, changes or []))


def identity(iterable, **_kwargs):
    return iterable
