"""Cost risk: a Monte-Carlo over exchange rates and wage escalation, vectorised over every draw.

Each vendor's charges are billed in its quote's currency and paid in the evaluation's base currency.
The model, per draw:

- **FX**: each foreign currency follows a driftless geometric Brownian motion (lognormal, so a rate
  never goes negative and its expectation stays today's rate), with the annual volatility measured
  from the stored rate history (:func:`annual_volatility`, at least 12 points) or
  :data:`DEFAULT_FX_VOLATILITY`. A contract year's charges convert at the rate of its middle.
- **Escalation**: the yearly price rise is the quoted one plus a normal error of
  :data:`ESCALATION_SD` (wages move), drawn once per vendor and future.
- One-off fees paid at signature (the transition fee) are known in base currency: no risk.

All draws are one array operation (futures x vendors x contract years), like
``engine.rank_stability``; :func:`first_shares` runs every future through the ranking with the
same kind of weight draws. Pure: numpy only, no Django. Fixed seed, so pages are reproducible.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DRAWS = 10_000
DEFAULT_FX_VOLATILITY = 0.10  # a year; major pairs move 6-12 %, emerging-market ones more
ESCALATION_SD = 0.01  # a year: one percentage point either way on the quoted escalation
MIN_HISTORY = 12  # rate points needed to measure a currency's volatility
SEED = 0


@dataclass(frozen=True)
class CostStream:
    """One vendor's charges as the Monte-Carlo sees them (base currency at today's rate)."""

    monthly: float  # recurring charge of the first month, converted at today's rate
    months: int  # billed months
    one_off: float = 0.0  # paid at signature, converted today (transition fee)
    currency: str = ""  # the quote's; the base currency (or "") carries no FX risk
    escalation: float = 0.0  # the quoted yearly rise, 0.05 = 5 %


@dataclass(frozen=True)
class RiskResult:
    """Percentiles per vendor (in the order given) and the draws they come from."""

    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    draws: np.ndarray  # futures x vendors, base currency
    volatility: dict[str, float]  # the annual volatility used per foreign currency

    @property
    def at_risk(self) -> np.ndarray:
        """Cost at risk: how much worse than the median the 1-in-10 bad future is (P90 - P50)."""
        return self.p90 - self.p50


def annual_volatility(rates: Sequence[tuple[float, float]]) -> float | None:
    """Annualised volatility of log changes from (time in years, rate) points, None with fewer
    than MIN_HISTORY points. Uneven spacing is allowed: each change is scaled by its interval."""
    if len(rates) < MIN_HISTORY:
        return None
    points = sorted((float(t), float(r)) for t, r in rates if float(r) > 0)
    if len(points) < MIN_HISTORY:
        return None
    times = np.array([t for t, _ in points])
    logs = np.log([r for _, r in points])
    gaps = np.diff(times)
    keep = gaps > 0
    if keep.sum() < MIN_HISTORY - 1:
        return None
    scaled = np.diff(logs)[keep] / np.sqrt(gaps[keep])
    return float(np.sqrt(np.mean(scaled**2)))


def simulate(
    streams: Sequence[CostStream],
    *,
    base_currency: str,
    volatility: Mapping[str, float] | None = None,
    draws: int = DRAWS,
    seed: int = SEED,
    escalation_sd: float = ESCALATION_SD,
) -> RiskResult:
    """Total cost per vendor in every future, and its P10/P50/P90.

    ``volatility``: currency -> annual volatility; a foreign currency without one gets
    DEFAULT_FX_VOLATILITY.
    """
    if draws < 1:
        raise ValueError("draws must be at least 1.")
    n = len(streams)
    base = base_currency.strip().upper()
    foreign = sorted({s.currency.strip().upper() for s in streams if s.currency} - {base, ""})
    sigma = {c: float((volatility or {}).get(c, DEFAULT_FX_VOLATILITY)) for c in foreign}
    if n == 0:
        empty = np.zeros(0)
        return RiskResult(empty, empty, empty, np.zeros((draws, 0)), sigma)
    years = max(1, max(math.ceil(s.months / 12) for s in streams))
    rng = np.random.default_rng(seed)

    # Months billed in each contract year, per vendor: (vendors x years).
    ends = np.minimum(np.array([s.months for s in streams])[:, None], 12 * np.arange(1, years + 1))
    billed = np.clip(ends - 12 * np.arange(years), 0, 12).astype(float)

    # FX multipliers at each year's middle, per currency: row 0 is the base currency (always 1).
    fx = np.ones((draws, 1 + len(foreign), years))
    if foreign:
        steps = np.full(years, 1.0)
        steps[0] = 0.5
        t = np.cumsum(steps)
        vol = np.array([sigma[c] for c in foreign])[None, :, None]
        shocks = rng.standard_normal((draws, len(foreign), years)) * np.sqrt(steps)
        fx[:, 1:, :] = np.exp(vol * np.cumsum(shocks, axis=2) - 0.5 * vol**2 * t)
    index = {c: i + 1 for i, c in enumerate(foreign)}
    which = np.array([index.get(s.currency.strip().upper(), 0) for s in streams])

    # Vendors x futures, year by year (a handful of years): each step is one array operation
    # over every vendor and future, and the running product keeps (1 + rise) ** year exact.
    quoted = np.array([s.escalation for s in streams])
    rise = 1.0 + np.maximum(
        quoted[:, None] + escalation_sd * rng.standard_normal((n, draws)), -0.99
    )
    monthly = np.array([s.monthly for s in streams], dtype=float)
    rates = np.ascontiguousarray(fx.transpose(1, 2, 0))  # currencies x years x futures
    total = np.repeat(np.array([s.one_off for s in streams], dtype=float)[:, None], draws, axis=1)
    growth = np.ones((n, draws))
    step = np.empty((n, draws))
    for year in range(years):
        np.multiply(growth, rates[which, year, :], out=step)
        step *= (monthly * billed[:, year])[:, None]
        total += step
        if year + 1 < years:
            growth *= rise
    p10, p50, p90 = _percentiles(total)
    total = total.T
    return RiskResult(p10, p50, p90, total, sigma)


def _percentiles(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P10, P50, P90 of each row (linear interpolation, as numpy.percentile), from one partition."""
    d = rows.shape[1]
    positions = np.array([0.1, 0.5, 0.9]) * (d - 1)
    below = np.floor(positions).astype(int)
    above = np.minimum(below + 1, d - 1)
    parted = np.partition(rows, np.unique(np.concatenate([below, above])), axis=1)
    frac = positions - below
    low, high = parted[:, below], parted[:, above]
    values = low + (high - low) * frac
    return values[:, 0], values[:, 1], values[:, 2]


def first_shares(
    cost_draws: np.ndarray,
    others: np.ndarray,
    *,
    weights: np.ndarray,
    benefit: np.ndarray,
    cost_weight: float,
    method: str = "wsm",
    low: np.ndarray | None = None,
    high: np.ndarray | None = None,
    cost_scale: tuple[float, float] | None = None,
    concentration: float = 100.0,
    seed: int = SEED,
) -> np.ndarray:
    """Share of futures in which each vendor ranks first, with the cost criterion's value drawn
    (``cost_draws``: futures x vendors) and the weights drawn around the chosen ones as in
    ``engine.rank_stability`` (Dirichlet, one draw per future).

    ``others`` (vendors x criteria) are the other criteria's values, ``weights``/``benefit``
    theirs; ``low``/``high`` fixed scales (NaN: min-max), WSM only; ``cost_scale`` the cost
    criterion's fixed scale (low, high), e.g. 0 to the budget cap on the absolute scale, so each
    future is scored as the ranking scores it.
    """
    d, n = cost_draws.shape
    if n == 0:
        return np.zeros(0)
    w0 = np.append(np.asarray(weights, dtype=float), cost_weight)
    w0 = w0 / w0.sum()
    rng = np.random.default_rng(seed)
    w = rng.dirichlet(concentration * w0 + 1e-6, size=d)
    w_other, w_cost = w[:, :-1], w[:, -1:]
    x = np.asarray(others, dtype=float).reshape(n, -1)
    good = np.asarray(benefit, dtype=bool)
    if method == "wsm":
        lo, hi = x.min(axis=0), x.max(axis=0)
        if low is not None and high is not None:
            fixed = ~np.isnan(low)
            lo, hi = np.where(fixed, low, lo), np.where(fixed, high, hi)
        span = np.where(hi > lo, hi - lo, np.inf)
        norm = np.where(good, x - lo, hi - x) / span + (hi <= lo)
        if cost_scale is not None and cost_scale[1] > cost_scale[0]:
            c_lo, c_hi = (np.full((d, 1), float(v)) for v in cost_scale)
        else:
            c_lo = cost_draws.min(axis=1, keepdims=True)
            c_hi = cost_draws.max(axis=1, keepdims=True)
        c_span = np.where(c_hi > c_lo, c_hi - c_lo, np.inf)
        cost_norm = np.clip((c_hi - cost_draws) / c_span + (c_hi <= c_lo), 0.0, 1.0)
        scores = w_other @ norm.T + w_cost * cost_norm
    else:
        norms = np.sqrt((x**2).sum(axis=0))
        r = x / np.where(norms == 0, 1.0, norms)
        ideal = np.where(good, r.max(axis=0), r.min(axis=0))
        anti = np.where(good, r.min(axis=0), r.max(axis=0))
        c_norm = np.sqrt((cost_draws**2).sum(axis=1, keepdims=True))
        rc = cost_draws / np.where(c_norm == 0, 1.0, c_norm)
        w2, wc2 = w_other**2, w_cost**2
        plus = w2 @ np.square(r - ideal).T + wc2 * np.square(rc - rc.min(axis=1, keepdims=True))
        minus = w2 @ np.square(r - anti).T + wc2 * np.square(rc - rc.max(axis=1, keepdims=True))
        plus, minus = np.sqrt(plus), np.sqrt(minus)
        total = plus + minus
        scores = np.where(total == 0, 1.0, minus / np.where(total == 0, 1.0, total))
    return np.bincount(np.argmax(scores, axis=1), minlength=n) / d


def loop_simulate(streams: Sequence[CostStream], *, base_currency: str, draws: int) -> np.ndarray:
    """The same model as :func:`simulate` one future and one vendor at a time in plain Python
    (the bench's baseline; not used by the app)."""
    import random

    rng = random.Random(SEED)
    base = base_currency.upper()
    totals = np.zeros((draws, len(streams)))
    longest = max([math.ceil(s.months / 12) for s in streams] + [1])
    for d in range(draws):
        walks: dict[str, list[float]] = {}
        for v, stream in enumerate(streams):
            code = stream.currency.upper()
            years = max(1, math.ceil(stream.months / 12))
            if code and code != base and code not in walks:
                level, path, sig = 0.0, [], DEFAULT_FX_VOLATILITY
                for y in range(longest):
                    step = 0.5 if y == 0 else 1.0
                    level += rng.gauss(0, 1) * math.sqrt(step)
                    path.append(math.exp(sig * level - 0.5 * sig * sig * (y + 0.5)))
                walks[code] = path
            rise = stream.escalation + ESCALATION_SD * rng.gauss(0, 1)
            total = stream.one_off
            for y in range(years):
                months = min(12, stream.months - 12 * y)
                fx = walks[code][y] if code in walks else 1.0
                total += stream.monthly * months * (1 + rise) ** y * fx
            totals[d, v] = total
    return totals
