"""Validation of the scoring engine's inputs: the decision matrix, weights, directions and bounds
become plain arrays, or a ValueError naming the alternative/criterion at fault. Pure numpy/pandas;
scoring.engine is the public face (its contract is in PRODUCT.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

METHODS = ("wsm", "topsis")
DIRECTIONS = ("benefit", "cost")


def pairs(pairs: Sequence[tuple[object, object]]) -> str:
    return ", ".join(f"({alt!r}, {crit!r})" for alt, crit in pairs)


class IncompleteData(ValueError):
    """Some (alternative, criterion) values are missing; ``missing`` lists the pairs.

    ``infinite`` lists the pairs that are infinite in the same matrix, so one error reports
    every cell to fix."""

    def __init__(
        self,
        missing: Sequence[tuple[object, object]],
        infinite: Sequence[tuple[object, object]] = (),
    ):
        self.missing = list(missing)
        self.infinite = list(infinite)
        message = (
            f"{len(self.missing)} missing value(s) for (alternative, criterion): "
            f"{pairs(self.missing)}"
        )
        if self.infinite:
            message += f"; {len(self.infinite)} infinite value(s) for {pairs(self.infinite)}"
        super().__init__(message)


@dataclass(frozen=True)
class Problem:
    """Validated decision problem as plain arrays."""

    x: np.ndarray  # n x m float64
    w: np.ndarray  # m, sums to 1
    benefit: np.ndarray  # m bool
    low: np.ndarray | None  # m, fixed scale per column (NaN: min-max); None: no bounds
    high: np.ndarray | None
    index: pd.Index
    columns: pd.Index
    method: str


# --------------------------------------------------------------------------- validation


def _check_method(method: str) -> str:
    key = str(method).lower()
    if key not in METHODS:
        raise ValueError(f"Unknown method {method!r}; expected one of {', '.join(METHODS)}.")
    return key


def _matrix(values: pd.DataFrame) -> np.ndarray:
    if not isinstance(values, pd.DataFrame):
        raise ValueError("values must be a pandas DataFrame (alternatives x criteria).")
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise ValueError("Empty decision matrix: need at least one alternative and one criterion.")
    if not values.columns.is_unique:
        dupes = sorted(map(str, values.columns[values.columns.duplicated()].unique()))
        raise ValueError(f"Duplicate criterion columns: {', '.join(dupes)}.")
    if not values.index.is_unique:
        dupes = sorted(map(repr, values.index[values.index.duplicated()].unique()))
        raise ValueError(
            f"Duplicate alternative labels: {', '.join(dupes)}; each row needs its own."
        )
    try:
        x = values.to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"Decision matrix must be numeric: {_first_non_numeric(values)}") from exc
    if np.isfinite(x).all():
        return x
    infinite = _cells(values, np.isinf(x))
    nan = np.isnan(x)
    if nan.any():
        raise IncompleteData(_cells(values, nan), infinite)
    raise ValueError(
        f"Infinite value(s) for (alternative, criterion): {pairs(infinite)}."
        if len(infinite) > 1
        else f"Infinite value for {pairs(infinite)}."
    )


def _cells(values: pd.DataFrame, mask: np.ndarray) -> list[tuple[object, object]]:
    rows, cols = np.nonzero(mask)
    return [
        (values.index[r], values.columns[c])
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
    ]


def _first_non_numeric(values: pd.DataFrame) -> str:
    """Where the first cell that is not a number is, for the error message."""
    for column in values.columns:
        for label, cell in values[column].items():
            try:
                float(cell)
            except (TypeError, ValueError):
                return f"{cell!r} for ({label!r}, {column!r}) is not a number."
    return "it holds values that are not numbers."


def _weights(weights: Mapping[str, float], columns: pd.Index) -> np.ndarray:
    pos = {c: i for i, c in enumerate(columns.tolist())}
    unknown = [k for k in weights if k not in pos]
    if unknown:
        raise ValueError(
            f"Weight given for unknown criterion {', '.join(map(repr, unknown))}; "
            f"criteria are {', '.join(map(repr, columns))}."
        )
    w = np.zeros(len(columns))
    for key, value in weights.items():
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"Weight for {key!r} must be a number, got {value!r}.") from None
        if not math.isfinite(v):
            raise ValueError(f"Weight for {key!r} must be a finite number, got {value!r}.")
        if v < 0:
            raise ValueError(f"Weight for {key!r} is negative ({value!r}); weights must be >= 0.")
        w[pos[key]] = v
    with np.errstate(over="ignore"):
        total = w.sum()
    if not math.isfinite(total):  # weights near 1e308 overflow the sum: same ratios, smaller
        w /= w.max()
        total = w.sum()
    if total <= 0:
        raise ValueError("All weights are zero; at least one criterion needs a positive weight.")
    return w / total


def _directions(directions: Mapping[str, str], columns: pd.Index) -> np.ndarray:
    names = columns.tolist()
    known = set(names)
    unknown = [k for k in directions if k not in known]
    if unknown:
        raise ValueError(f"Direction given for unknown criterion {', '.join(map(repr, unknown))}.")
    missing = [c for c in names if c not in directions]
    if missing:
        raise ValueError(
            f"No direction for criterion {', '.join(map(repr, missing))}; "
            "give 'benefit' or 'cost' for every column."
        )
    flags = []
    for col in names:
        d = directions[col]
        key = d.lower().strip() if isinstance(d, str) else d
        if key not in DIRECTIONS:
            raise ValueError(
                f"Unknown direction {d!r} for criterion {col!r}; expected 'benefit' or 'cost'."
            )
        flags.append(key == "benefit")
    return np.array(flags, dtype=bool)


Bounds = Mapping[str, tuple[float, float]]


def _bounds(
    bounds: Bounds | None, values: pd.DataFrame, x: np.ndarray, method: str
) -> tuple[np.ndarray, np.ndarray] | tuple[None, None]:
    """Per-column fixed scales (low, high), NaN for columns normalised across the alternatives."""
    if not bounds:
        return None, None
    if method != "wsm":
        raise ValueError(
            f"bounds apply to the weighted sum only; {method} stays relative to the shortlist."
        )
    pos = {c: i for i, c in enumerate(values.columns.tolist())}
    unknown = [k for k in bounds if k not in pos]
    if unknown:
        raise ValueError(
            f"Bounds given for unknown criterion {', '.join(map(repr, unknown))}; "
            f"criteria are {', '.join(map(repr, values.columns))}."
        )
    low, high = np.full(len(pos), np.nan), np.full(len(pos), np.nan)
    for key, pair in bounds.items():
        try:
            lo, hi = (float(v) for v in pair)
        except (TypeError, ValueError):
            raise ValueError(
                f"Bounds for {key!r} must be a (low, high) pair of numbers, got {pair!r}."
            ) from None
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError(f"Bounds for {key!r} must be finite, got ({lo!r}, {hi!r}).")
        if lo >= hi:
            raise ValueError(f"Bounds for {key!r}: low ({lo:g}) must be below high ({hi:g}).")
        column = x[:, pos[key]]
        outside = np.nonzero((column < lo) | (column > hi))[0]
        if outside.size:
            cells = ", ".join(
                f"{column[i]:g} for ({values.index[i]!r}, {key!r})" for i in outside[:10]
            )
            more = f" and {outside.size - 10} more" if outside.size > 10 else ""
            raise ValueError(f"Outside the bounds {lo:g}..{hi:g} of {key!r}: {cells}{more}.")
        low[pos[key]], high[pos[key]] = lo, hi
    return low, high


def prepare(
    values: pd.DataFrame,
    weights: Mapping[str, float],
    directions: Mapping[str, str],
    method: str,
    bounds: Bounds | None = None,
) -> Problem:
    key = _check_method(method)
    x = _matrix(values)
    w = _weights(weights, values.columns)
    benefit = _directions(directions, values.columns)
    low, high = _bounds(bounds, values, x, key)
    return Problem(
        x=x,
        w=w,
        benefit=benefit,
        low=low,
        high=high,
        index=values.index,
        columns=values.columns,
        method=key,
    )
