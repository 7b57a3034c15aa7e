"""What a preview found: row errors, new and changed rows, counts; and the plan a commit writes."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

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


@dataclass(frozen=True)
class RowDeletion:
    """A stored value an import would clear, or list items it would remove: the admin confirms."""

    row: int
    key: str
    column: str
    removed: str  # the old value, or the removed list items in the file's notation

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: deletes {self.removed} ({self.key})"


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
    deletions: list[RowDeletion] = field(default_factory=list)  # the first MAX_REPORTED_ERRORS
    deletion_count: int = 0
    notices: list[str] = field(default_factory=list)
    seconds: float = 0.0
    _deletions_hash: Any = field(default_factory=hashlib.sha256, repr=False)
    _stored_digest: str = field(default="", repr=False)  # of a report read back by from_dict

    def add_deletion(self, row: int, key: str, column: str, removed: str) -> None:
        self.deletion_count += 1
        self._deletions_hash.update(repr((row, key, column, removed)).encode())
        if len(self.deletions) < MAX_REPORTED_ERRORS:
            self.deletions.append(RowDeletion(row, key, column, removed))

    @property
    def deletions_digest(self) -> str:
        """Names exactly these deletions, so a confirmation given on a preview cannot be used
        for a commit that would delete something else."""
        if self._stored_digest:
            return self._stored_digest
        return self._deletions_hash.hexdigest() if self.deletion_count else ""

    def as_dict(self) -> dict:
        """JSON-ready: the preview task stores it, the preview page reads it (from_dict)."""
        return {
            "kind": self.kind,
            "filename": self.filename,
            "total_rows": self.total_rows,
            "counts": self.counts,
            "errors": [[e.row, e.column, e.message] for e in self.errors],
            "error_count": self.error_count,
            "changes": [[c.row, c.key, c.status, c.changes] for c in self.changes],
            "deletions": [[d.row, d.key, d.column, d.removed] for d in self.deletions],
            "deletion_count": self.deletion_count,
            "deletions_digest": self.deletions_digest,
            "notices": self.notices,
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        return cls(
            kind=data["kind"],
            filename=data["filename"],
            total_rows=data["total_rows"],
            counts=data["counts"],
            errors=[RowError(*e) for e in data["errors"]],
            error_count=data["error_count"],
            changes=[
                RowChange(row, key, status, [tuple(c) for c in changes])
                for row, key, status, changes in data["changes"]
            ],
            deletions=[RowDeletion(*d) for d in data["deletions"]],
            deletion_count=data["deletion_count"],
            notices=data["notices"],
            seconds=data["seconds"],
            _stored_digest=data["deletions_digest"],
        )

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def has_changes(self) -> bool:
        return self.counts["new"] + self.counts["changed"] > 0

    @property
    def shows_more(self) -> bool:
        """Whether the next new or changed row is shown (so its values are worth describing)."""
        return len(self.changes) < MAX_SHOWN_CHANGES

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
        if self.deletion_count:
            out.append(
                f"{self.deletion_count} stored value(s) or list item(s) would be deleted "
                "(a cell with only - clears a value; a list replaces the whole list):"
            )
            out += [str(d) for d in self.deletions]
            if self.deletion_count > len(self.deletions):
                out.append(f"... and {self.deletion_count - len(self.deletions)} more deletion(s).")
        for change in self.changes:
            detail = "; ".join(
                f"{f}: {new}" if change.status == "new" else f"{f}: {old or '—'} → {new or '—'}"
                for f, old, new in change.changes
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


def classify(
    report: Report,
    row: int,
    key: str,
    changes: list | None,
    *,
    created: list[tuple[str, str, str]] | None = None,
) -> None:
    """changes None = new row, whose values are `created`; [] = unchanged."""
    status = "new" if changes is None else ("changed" if changes else "unchanged")
    report.counts[status] += 1
    if status != "unchanged" and report.shows_more:
        report.changes.append(RowChange(row, key, status, changes or created or []))


def identity(iterable, **_kwargs):
    return iterable
