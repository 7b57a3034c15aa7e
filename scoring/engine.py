"""Vendor scoring engine: multi-criteria ranking, AHP weights, sensitivity and stability.

How a shortlist of BPO vendors is ranked, in plain terms:

* **WSM (weighted sum model).** Each criterion is rescaled to 0..1 across the vendors being
  compared (best vendor on that criterion = 1, worst = 0; for a *cost* criterion lower is
  better). A vendor's score is the weighted sum of its rescaled values, so the score splits
  exactly into per-criterion *contributions*.
* **TOPSIS.** Each criterion is divided by its vector length, weighted, and every vendor is
  measured by its distance to an imaginary "ideal" vendor (best value on every criterion) and
  to an "anti-ideal" one (worst value everywhere). Score = closeness to ideal,
  D- / (D+ + D-), between 0 and 1.
* **AHP (analytic hierarchy process).** Instead of typing weights, the analyst answers
  "how much more important is A than B?" on Saaty's 1..9 scale. The weights are the principal
  eigenvector of that comparison matrix; the consistency ratio (CR) flags contradictory
  answers (CR above 0.10 means: revisit the judgements, starting with ``worst_pair``).
* **Sensitivity.** For each criterion: how many weight points (0..1 scale) it would have to
  gain or lose, the other weights keeping their proportions, before a different vendor comes
  out on top. Small numbers mean a fragile decision.
* **Stability.** Weights are uncertain, so they are jittered many times around the chosen
  values (Dirichlet draws; higher ``concentration`` = less jitter). The share of draws each
  vendor wins, and its average rank, show how robust the ranking is.

Pure numpy/pandas: no Django here. Input validation lives in scoring.engine_checks and AHP in
scoring.ahp; both are re-exported here, the one place callers import from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from scoring.ahp import AhpResult, ahp_matrix, ahp_weights
from scoring.engine_checks import METHODS, Bounds, IncompleteData
from scoring.engine_checks import prepare as _prepare

__all__ = [
    "METHODS",
    "AhpResult",
    "IncompleteData",
    "Ranking",
    "ahp_matrix",
    "ahp_weights",
    "rank",
    "rank_stability",
    "weight_sensitivity",
]

# Scores are rounded to this many decimals before ranking so that mathematically equal
# scores (which float arithmetic may leave 1e-16 apart) share a rank.
_TIE_DECIMALS = 12
_TOL = 1e-12


@dataclass(frozen=True, eq=False)
class Ranking:
    """Result of :func:`rank`.

    ``table``: alternatives sorted best first, columns ``score`` (0..1) and ``rank`` (1 = best,
    ties share the lower rank). ``normalized``: min-max (or ``bounds``) normalised matrix (wsm,
    direction applied) or vector-normalised matrix (topsis, direction not applied), in input order.
    ``contributions``: wsm: weight x normalised value, rows sum to the score; topsis: the
    weighted normalised matrix (rows do *not* sum to the score). ``weights``: normalised to 1,
    one entry per column (columns without a weight get 0).

    ``normalized``, ``contributions`` and ``weights`` are built on first access: callers that
    only need the order (sensitivity loops, large shortlists) do not pay for three DataFrames.
    """

    table: pd.DataFrame
    method: str
    _normalized: np.ndarray = field(repr=False)
    _weights: np.ndarray = field(repr=False)
    _index: pd.Index = field(repr=False)
    _columns: pd.Index = field(repr=False)

    @cached_property
    def normalized(self) -> pd.DataFrame:
        return pd.DataFrame(self._normalized, index=self._index, columns=self._columns)

    @cached_property
    def contributions(self) -> pd.DataFrame:
        weighted = self._normalized * self._weights
        return pd.DataFrame(weighted, index=self._index, columns=self._columns)

    @cached_property
    def weights(self) -> pd.Series:
        return pd.Series(self._weights, index=self._columns, name="weight")


# --------------------------------------------------------------------------- scoring


def _column_scale(x: np.ndarray) -> np.ndarray:
    """Each column's largest magnitude (1 for an all-zero column): dividing by it keeps squares
    and differences of values near 1e±300 inside float64's range without changing ratios."""
    scale = np.abs(x).max(axis=0)
    return np.where(scale == 0, 1.0, scale)


def _minmax(
    x: np.ndarray,
    benefit: np.ndarray,
    low: np.ndarray | None = None,
    high: np.ndarray | None = None,
) -> np.ndarray:
    lo, hi = x.min(axis=0), x.max(axis=0)
    if low is not None:
        fixed = ~np.isnan(low)
        lo, hi = np.where(fixed, low, lo), np.where(fixed, high, hi)
    with np.errstate(over="ignore"):
        span = hi - lo
    if not np.isfinite(span).all():  # hi - lo overflowed: same ratios on a smaller scale
        scale = np.maximum(_column_scale(x), np.maximum(np.abs(lo), np.abs(hi)))
        return _minmax(x / scale, benefit, lo / scale, hi / scale)
    flat = span == 0
    # One division per element: (x - lo) / span for benefit, (x - hi) / -span for cost.
    # Dividing (rather than multiplying by 1/span) keeps the best value exactly 1.
    origin = np.where(benefit, lo, hi)
    denom = np.where(flat, np.inf, np.where(benefit, span, -span))
    out = np.subtract(x, origin)
    np.divide(out, denom, out=out)
    if flat.any():
        out += flat
    return out


_SAFE_SUM_OF_SQUARES = 1e-280  # below it, the squares of a column's values lost precision


def _vector(x: np.ndarray) -> np.ndarray:
    # Squaring 1e155 overflows and 1e-155 underflows to 0, which scored everyone 1.0. When the
    # sums of squares show either (inf, or tiny for a column that is not all zeros), rescale each
    # column to a largest magnitude of 1 first (the vector norm is scale-invariant); otherwise
    # skip that extra pass over the matrix.
    squares = np.einsum("ij,ij->j", x, x)
    tiny = squares <= _SAFE_SUM_OF_SQUARES
    if not np.all(np.isfinite(squares)) or (tiny.any() and np.any(x[:, tiny] != 0)):
        x = x / _column_scale(x)
        squares = np.einsum("ij,ij->j", x, x)
    norm = np.sqrt(squares)
    return x / np.where(norm == 0, 1.0, norm)


class _Scorer:
    """Scores many weight vectors at once: ``scores(W)`` with W (k x m) -> (k x n)."""

    def __init__(
        self,
        x: np.ndarray,
        benefit: np.ndarray,
        method: str,
        low: np.ndarray | None = None,
        high: np.ndarray | None = None,
    ):
        self.method = method
        if method == "wsm":
            self.normalized = _minmax(x, benefit, low, high)
        else:
            r = _vector(x)
            self.normalized = r
            hi, lo = r.max(axis=0), r.min(axis=0)
            ideal, anti = np.where(benefit, hi, lo), np.where(benefit, lo, hi)
            # Weights are >= 0, so the weighted ideal is w * ideal and
            # D^2 = sum_j w_j^2 (r_ij - ideal_j)^2: a matrix product in w^2.
            # Kept n x m; ``w @ a.T`` lets BLAS read the transpose without a copy.
            self._dp = np.square(r - ideal)
            self._dm = np.square(r - anti)

    def take(self, rows: np.ndarray) -> _Scorer:
        """Scorer restricted to some alternatives, keeping the full matrix's ideals."""
        sub = object.__new__(_Scorer)
        sub.method = self.method
        sub.normalized = self.normalized[rows]
        if self.method == "topsis":
            sub._dp = self._dp[rows]
            sub._dm = self._dm[rows]
        return sub

    def scores(self, w: np.ndarray) -> np.ndarray:
        """Scores in [0, 1]; ``w`` is one weight vector (m) or a batch (k x m)."""
        if self.method == "wsm":
            s = w @ self.normalized.T
            return np.clip(s, 0.0, 1.0, out=s)
        w2 = w * w
        # In place: at 10,000 draws x 1,000 alternatives each temporary is 80 MB.
        dp = w2 @ self._dp.T
        dm = w2 @ self._dm.T
        np.sqrt(np.maximum(dp, 0.0, out=dp), out=dp)
        np.sqrt(np.maximum(dm, 0.0, out=dm), out=dm)
        dp += dm
        flat = dp == 0  # every alternative equal on every weighted criterion
        dp[flat] = 1.0
        dm[flat] = 1.0
        np.divide(dm, dp, out=dm)
        return np.clip(dm, 0.0, 1.0, out=dm)


def _leader(scores: np.ndarray) -> np.ndarray:
    """Index of the top alternative per row (ties: first in input order)."""
    return np.argmax(np.round(scores, _TIE_DECIMALS), axis=-1)


def _min_ranks(sorted_scores: np.ndarray) -> np.ndarray:
    n = sorted_scores.shape[0]
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    np.not_equal(sorted_scores[1:], sorted_scores[:-1], out=starts[1:])
    return np.maximum.accumulate(np.where(starts, np.arange(n), 0)) + 1


_TABLE_COLUMNS = pd.Index(["score", "rank"])


def _table(scores: np.ndarray, ranks: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """The ranking table, built without pandas re-inferring a column index per call.

    Inferring the two column labels costs about two thirds of ``rank`` at 1,000
    alternatives, so the private ``_from_arrays`` is used when present, with a fallback.
    """
    columns = _TABLE_COLUMNS.copy()  # a copy: callers may rename their table's columns
    from_arrays = getattr(pd.DataFrame, "_from_arrays", None)
    if from_arrays is not None:
        try:
            return from_arrays([scores, ranks], columns=columns, index=index)
        except TypeError:  # signature changed in a future pandas
            pass
    return pd.DataFrame({"score": scores, "rank": ranks}, index=index, copy=False)


def rank(
    values: pd.DataFrame,
    weights: Mapping[str, float],
    directions: Mapping[str, str],
    method: str = "wsm",
    *,
    bounds: Bounds | None = None,
) -> Ranking:
    """Rank alternatives (rows of ``values``) on criteria (columns).

    ``weights`` are normalised to sum 1; a column without a weight key gets weight 0.
    ``directions`` maps every column to "benefit" (higher is better) or "cost".
    ``bounds`` (WSM only) maps a column to a fixed scale ``(low, high)``: it is normalised as
    (x - low) / (high - low) (cost: (high - x) / (high - low)) so a score does not depend on
    the shortlist; other columns keep min-max.
    Raises :class:`IncompleteData` if any value is NaN, ``ValueError`` for bad input
    (including duplicate alternative labels and values outside their bounds).
    """
    p = _prepare(values, weights, directions, method, bounds)
    scorer = _Scorer(p.x, p.benefit, p.method, p.low, p.high)
    scores = scorer.scores(p.w)
    rounded = np.round(scores, _TIE_DECIMALS)
    order = np.argsort(-rounded, kind="stable")
    table = _table(scores[order], _min_ranks(rounded[order]), p.index.take(order))
    return Ranking(
        table=table,
        method=p.method,
        _normalized=scorer.normalized,
        _weights=p.w,
        _index=p.index,
        _columns=p.columns,
    )


# --------------------------------------------------------------------------- sensitivity


def _rescaled(w0: np.ndarray, k: int, t: np.ndarray) -> np.ndarray:
    """Weight vectors with w_k = t and the others scaled to keep their proportions.

    If w_k is currently 1 the others have no proportions; they share 1 - t equally.
    """
    m = w0.shape[0]
    others = np.delete(w0, k)
    rest = others / others.sum() if others.sum() > 0 else np.full(m - 1, 1 / (m - 1))
    w = np.empty((t.shape[0], m))
    w[:, k] = t
    w[:, np.arange(m) != k] = (1 - t)[:, None] * rest[None, :]
    return w


def _wsm_sensitivity(
    n: np.ndarray, w0: np.ndarray, lead: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Exact crossing points: with others rescaled, score_a(t) = r_a + t (n_ak - r_a)."""
    nalt, m = n.shape
    s = n @ w0
    free = 1 - w0
    pinned = free <= _TOL
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (s[:, None] - n * w0[None, :]) / np.where(pinned, 1.0, free)[None, :]
    if pinned.any() and m > 1:
        equal = (n.sum(axis=1, keepdims=True) - n) / (m - 1)
        r = np.where(pinned[None, :], equal, r)
    slope = n - r
    d0 = r - r[lead]  # difference to the leader at t = 0
    d1 = slope - slope[lead]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(np.abs(d1) > _TOL, -d0 / d1, np.nan)
    not_lead = (np.arange(nalt) != lead)[:, None]

    up = not_lead & (d1 > _TOL) & (t >= w0 - 1e-9) & (t < 1 - 1e-12)
    t_up = np.where(up, np.maximum(t, w0), np.inf)
    best_up = t_up.min(axis=0)
    at_up = up & (t_up <= best_up + 1e-12)
    up_leader = np.argmax(np.where(at_up, d1, -np.inf), axis=0)

    down = not_lead & (d1 < -_TOL) & (t <= w0 + 1e-9) & (t > 1e-12)
    t_down = np.where(down, np.minimum(t, w0), -np.inf)
    best_down = t_down.max(axis=0)
    at_down = down & (t_down >= best_down - 1e-12)
    down_leader = np.argmax(np.where(at_down, -d1, -np.inf), axis=0)

    increase = np.where(np.isfinite(best_up), best_up - w0, np.nan)
    decrease = np.where(np.isfinite(best_down), w0 - best_down, np.nan)
    if m == 1:
        increase[:] = decrease[:] = np.nan
    return increase, up_leader, decrease, down_leader


def _grid_crossing(
    scorer: _Scorer, w0: np.ndarray, k: int, lead: int, target: float, steps: int = 200
) -> tuple[float, int] | None:
    """First weight between w0_k and ``target`` where the leader changes (grid + bisection)."""
    start = w0[k]
    if abs(target - start) <= _TOL:
        return None
    grid = np.linspace(start, target, steps + 1)
    leaders = _leader(scorer.scores(_rescaled(w0, k, grid)))
    changed = np.nonzero(leaders != lead)[0]
    if changed.size == 0:
        return None
    hi_i = int(changed[0])
    if hi_i == 0:
        return start, int(leaders[0])
    lo, hi = grid[hi_i - 1], grid[hi_i]
    for _ in range(60):
        mid = (lo + hi) / 2
        if _leader(scorer.scores(_rescaled(w0, k, np.array([mid]))))[0] == lead:
            lo = mid
        else:
            hi = mid
    return hi, int(_leader(scorer.scores(_rescaled(w0, k, np.array([hi]))))[0])


def weight_sensitivity(
    values: pd.DataFrame,
    weights: Mapping[str, float],
    directions: Mapping[str, str],
    method: str = "wsm",
    *,
    bounds: Bounds | None = None,
) -> pd.DataFrame:
    """How far each criterion's weight can move before another alternative takes the lead.

    Columns: ``weight`` (current, normalised), ``increase`` / ``decrease`` (smallest change in
    absolute weight points, 0..1, others rescaled proportionally; NaN if the leader never
    changes within 0..100 %) and ``increase_leader`` / ``decrease_leader`` (the new leader).
    WSM is solved exactly; TOPSIS uses a 200-step grid refined by bisection, so a lead change
    that reverts within one grid step (0.5 % of the range) can be missed. ``bounds`` as in
    :func:`rank`.
    """
    p = _prepare(values, weights, directions, method, bounds)
    scorer = _Scorer(p.x, p.benefit, p.method, p.low, p.high)
    lead = int(_leader(scorer.scores(p.w)))
    m = len(p.columns)
    if p.method == "wsm":
        inc, inc_lead, dec, dec_lead = _wsm_sensitivity(scorer.normalized, p.w, lead)
    else:
        inc, dec = np.full(m, np.nan), np.full(m, np.nan)
        inc_lead, dec_lead = np.zeros(m, dtype=int), np.zeros(m, dtype=int)
        for k in range(m if m > 1 else 0):
            if p.w[k] < 1 - _TOL:
                hit = _grid_crossing(scorer, p.w, k, lead, 1.0)
                if hit is not None:
                    inc[k], inc_lead[k] = hit[0] - p.w[k], hit[1]
            hit = _grid_crossing(scorer, p.w, k, lead, 0.0)
            if hit is not None:
                dec[k], dec_lead[k] = p.w[k] - hit[0], hit[1]
    names = p.index.to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "weight": p.w,
            "increase": inc,
            "increase_leader": np.where(np.isnan(inc), None, names[inc_lead]),
            "decrease": dec,
            "decrease_leader": np.where(np.isnan(dec), None, names[dec_lead]),
        },
        index=p.columns,
    )


# --------------------------------------------------------------------------- stability


def _mean_ranks(s: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Mean over draws (rows of ``s``) of 1 + total ``counts`` of alternatives scoring higher.

    One row-wise argsort; ties (after rounding) share the lower rank. Mean ranks are gathered
    with a bincount instead of scattering a draws x n rank matrix back into place.
    """
    draws, n = s.shape
    order = np.argsort(-s, axis=1)
    ranked = np.round(np.take_along_axis(s, order, axis=1), _TIE_DECIMALS)
    starts = np.empty(ranked.shape, dtype=bool)
    starts[:, 0] = True
    np.not_equal(ranked[:, 1:], ranked[:, :-1], out=starts[:, 1:])
    if (counts == 1).all():
        before = np.broadcast_to(np.arange(n, dtype=np.float64), (draws, n))
    else:
        sized = counts[order]
        before = np.cumsum(sized, axis=1) - sized
    group = np.maximum.accumulate(np.where(starts, before, 0.0), axis=1)
    return 1 + np.bincount(order.ravel(), weights=group.ravel(), minlength=n) / draws


def rank_stability(
    values: pd.DataFrame,
    weights: Mapping[str, float],
    directions: Mapping[str, str],
    draws: int = 10_000,
    concentration: float = 100.0,
    seed: int = 0,
    method: str = "wsm",
    mean_ranks: bool = True,
    *,
    bounds: Bounds | None = None,
) -> pd.DataFrame:
    """Monte-Carlo robustness of the ranking under weight uncertainty.

    Draws weight vectors from Dirichlet(concentration x weights) (zero weights get a tiny
    epsilon), scores every draw in one matrix product (TOPSIS too: its squared distances are
    linear in the squared weights) and reports ``first_share`` (share of draws won) and, if
    ``mean_ranks``, ``mean_rank`` (1 = best; ties share the lower rank). Alternatives with
    identical normalised values are scored once, the earliest one taking the wins.
    ``bounds`` as in :func:`rank`.
    """
    p = _prepare(values, weights, directions, method, bounds)
    if draws < 1:
        raise ValueError("draws must be at least 1.")
    if not concentration > 0:
        raise ValueError("concentration must be positive.")
    scorer = _Scorer(p.x, p.benefit, p.method, p.low, p.high)
    rng = np.random.default_rng(seed)
    alpha = concentration * p.w + 1e-6
    w = rng.dirichlet(alpha, size=draws)

    # Identical alternatives would tie up to BLAS rounding noise; score each distinct row once.
    _, first, inverse, counts = np.unique(
        scorer.normalized, axis=0, return_index=True, return_inverse=True, return_counts=True
    )
    inverse = inverse.reshape(-1)
    # np.unique sorts rows; restore input order so argmax ties go to the earliest alternative.
    order = np.argsort(first, kind="stable")
    keep = first[order]
    remap = np.empty_like(order)
    remap[order] = np.arange(order.size)
    inverse = remap[inverse]
    counts = counts[order]
    if keep.size < p.x.shape[0]:
        scorer = scorer.take(keep)

    s = scorer.scores(w)  # draws x n_unique, C-contiguous
    wins = np.bincount(np.argmax(s, axis=1), minlength=s.shape[1]) / draws
    share = np.zeros(p.x.shape[0])
    share[keep] = wins
    out = {"first_share": share}
    if mean_ranks:
        out["mean_rank"] = _mean_ranks(s, counts.astype(np.float64))[inverse]
    return pd.DataFrame(out, index=p.index)
