"""Vectorised cell checks shared by the planners: decimals, integers, dates, currencies, lookups of
reference data with "did you mean" hints, and duplicate keys. Each error names the row and column."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from decimal import Decimal

import pandas as pd

from vendors.importing.report import Errors, row_number
from vendors.importing.spec import CLEAR, CURRENCIES, Kind


def take_clears(frame: pd.DataFrame, spec: Kind) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """The frame with clearing cells emptied, and by optional column the mask of rows clearing it.

    In a required column "-" is emptied too, so it is reported as "is required".
    """
    clears: dict[str, pd.Series] = {}
    out = frame
    for column in frame.columns:
        mask = frame[column] == CLEAR
        if not mask.any():
            continue
        if column not in spec.required:
            clears[column] = mask
        if out is frame:
            out = frame.copy()
        out.loc[mask, column] = ""
    return out, clears


def blank_rows(frame: pd.DataFrame) -> dict[str, set[int]]:
    """By column, the positions of the rows whose cell is empty (the stored value is kept)."""
    out = {}
    for column in frame.columns:
        blank = (frame[column] == "").to_numpy()
        if blank.any():
            out[column] = set(blank.nonzero()[0].tolist())
    return out


def created_values(fields: dict[str, object]) -> list[tuple[str, str, str]]:
    """A new row's non-empty values as (field, "", value) for the preview."""
    return [(f, "", text) for f, v in fields.items() if (text := show(v))]


# --- Vectorised column parsers ------------------------------------------------------------------


def norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.casefold()).strip()


def norm_series(s: pd.Series) -> pd.Series:
    return s.str.casefold().str.replace(r"[\s_\-]+", " ", regex=True).str.strip()


def required(frame: pd.DataFrame, column: str, errors: Errors) -> pd.Series:
    empty = frame[column] == ""
    errors.add_mask(frame, empty, column, lambda v: "is required")
    return empty


def lookup(
    frame: pd.DataFrame,
    column: str,
    mapping: Mapping[str, object],
    choices: list[str],
    noun: str,
    errors: Errors,
) -> pd.Series:
    """Map names (case, spaces, '-' and '_' ignored) to ids; unknown names get a suggestion."""
    raw = frame[column]
    ids = norm_series(raw).map(mapping)
    unknown = (raw != "") & ids.isna()
    if unknown.any():
        hints = {value: hint(value, choices) for value in raw[unknown].unique()}
        errors.add_mask(frame, unknown, column, lambda v: f'unknown {noun} "{v}"{hints[v]}')
    return ids


def hint(value: str, choices: list[str]) -> str:
    """' — did you mean "Payroll & benefits administration"?' for "Payrol", or nothing."""
    wanted = norm(value)
    by_norm = {norm(c): c for c in choices}
    close = difflib.get_close_matches(wanted, list(by_norm), n=1, cutoff=0.6)
    if not close and len(wanted) >= 3:
        # A truncated or misspelt first word: compare with the start of each name.
        starts = {n[: len(wanted) + 1]: n for n in by_norm}
        close = [
            starts[m] for m in difflib.get_close_matches(wanted, list(starts), n=1, cutoff=0.75)
        ]
    return f' — did you mean "{by_norm[close[0]]}"?' if close else ""


_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"


def decimals(
    frame: pd.DataFrame,
    column: str,
    errors: Errors,
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


def _out_of_range(value: int, minimum: int, maximum: int) -> str:
    if maximum == 2**31 - 1:  # the database's limit, not a rule worth naming unless it is hit
        return f"{value} is below {minimum}" if value < minimum else f"{value} is too large"
    return f"{value} is outside {minimum}–{maximum}"


def integers(
    frame: pd.DataFrame, column: str, errors: Errors, *, minimum: int = 0, maximum: int = 2**31 - 1
) -> list[int | None]:
    raw = frame[column]
    filled = raw != ""
    integer = raw.str.fullmatch(r"[+-]?\d+")
    errors.add_mask(frame, filled & ~integer, column, lambda v: f'"{v}" is not a whole number')
    valid = filled & integer
    values = pd.to_numeric(raw.where(valid, None), errors="coerce")
    bad = valid & ((values < minimum) | (values > maximum))
    errors.add_mask(frame, bad, column, lambda v: _out_of_range(int(v), minimum, maximum))
    valid &= ~bad
    return [int(v) if ok else None for v, ok in zip(raw.tolist(), valid.tolist(), strict=True)]


def dates(frame: pd.DataFrame, column: str, errors: Errors) -> list[dt.date | None]:
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


def currencies(frame: pd.DataFrame, column: str, errors: Errors) -> pd.Series:
    codes = frame[column].str.upper()
    bad = (codes != "") & ~codes.isin(CURRENCIES)
    errors.add_mask(
        frame, bad, column, lambda v: f'unknown currency "{v}" (use an ISO 4217 code such as USD)'
    )
    return codes.where(~bad, None)


def duplicates(
    frame: pd.DataFrame,
    keys: pd.DataFrame,
    valid: pd.Series,
    column: str,
    describe: Callable,
    errors: Errors,
) -> None:
    """Name every row of a key that appears more than once, with the other rows."""
    candidates = keys[valid]
    repeated = candidates[candidates.duplicated(keep=False)]
    if repeated.empty:
        return
    for key, group in repeated.groupby(list(repeated.columns), sort=False):
        rows = [str(row_number(i)) for i in group.index]
        listed = ", ".join(rows[:-1]) + " and " + rows[-1]
        for index in group.index:
            errors.add(
                row_number(index), column, f"duplicate: rows {listed} all set {describe(key)}"
            )


def show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
