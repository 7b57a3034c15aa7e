"""The optimal delivery mix: the cheapest split of a vendor's volume over its priced delivery models.

A vendor may price each delivery model (onshore, nearshore, offshore); an evaluation may bound each
model's share of the volume, and the vendor's seats in each model cap how many FTEs it can staff
there. The blend's monthly charge is ``sum(share_k x volume x price_k)`` (PRODUCT.md, "Blended
delivery"); the optimal mix minimises it, a small linear programme solved by HiGHS through
``scipy.optimize.linprog``. Many vendors are solved as one block-diagonal programme (one solver
call), after the reasons a mix cannot exist are found in words.

Pure: no Django here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

__all__ = ["Mix", "MixRequest", "optimal_mix", "optimal_mixes", "percent"]

SHARE_STEP = Decimal("0.000001")  # shares are kept to a ten-thousandth of a per cent
_TOLERANCE = 1e-9


def percent(share: float | Decimal) -> str:
    """0.3 -> "30 %"; 0.125 -> "12.5 %"."""
    value = (Decimal(str(share)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{value:f}".rstrip("0").rstrip(".")
    return f"{text} %"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@dataclass(frozen=True)
class MixRequest:
    """One vendor's side of the programme.

    ``prices``: model -> unit price (None or absent: the vendor does not offer that model).
    ``capacity``: model -> the most FTEs its centres can staff there (seats); absent or None: not
    limited (e.g. a volume in transactions, which seats cannot be compared with).
    """

    prices: Mapping[str, Decimal | float | None]
    capacity: Mapping[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Mix:
    """The cheapest shares (summing to exactly 1), or why there is none (``reason``)."""

    shares: dict[str, Decimal]  # model -> share of the volume, every model of the problem
    reason: str = ""

    @property
    def feasible(self) -> bool:
        return not self.reason

    def unit_price(self, prices: Mapping[str, Decimal | float | None]) -> Decimal:
        """The blend's weighted unit price: sum(share_k x price_k), exact in Decimal."""
        total = Decimal(0)
        for model, share in self.shares.items():
            if share:
                total += share * Decimal(str(prices[model]))
        return total

    def monthly_charge(self, volume: Decimal | float, prices) -> Decimal:
        """sum(share_k x volume x price_k), the blend's monthly charge."""
        return Decimal(str(volume)) * self.unit_price(prices)


def _bounds_for(
    models: Sequence[str],
    volume: float,
    request: MixRequest,
    min_share: Mapping[str, float],
    max_share: Mapping[str, float],
    labels: Mapping[str, str],
    unit: str,
) -> tuple[np.ndarray, np.ndarray, str]:
    """(lower, upper) share per model for one vendor, and the reason no mix fits ("" if one may)."""
    low = np.array([float(min_share.get(m, 0.0)) for m in models])
    high = np.array([float(max_share.get(m, 1.0)) for m in models])
    for i, model in enumerate(models):
        name = labels.get(model, model)
        price = request.prices.get(model)
        seats = request.capacity.get(model)
        if price is None:
            if low[i] > _TOLERANCE:
                return (
                    low,
                    high,
                    (f"needs at least {percent(low[i])} {name} but the vendor has no {name} price"),
                )
            high[i] = 0.0
            continue
        if seats is not None and volume > 0:
            room = float(seats) / volume
            if room + _TOLERANCE < low[i]:
                return (
                    low,
                    high,
                    (
                        f"needs at least {percent(low[i])} {name} ({_number(low[i] * volume)} {unit}) "
                        f"but its {name} centres have {_number(float(seats))} seats"
                    ),
                )
            high[i] = min(high[i], room)
    if low.sum() > 1 + _TOLERANCE:
        return low, high, f"the minimum shares add up to {percent(low.sum())}, more than 100 %"
    if high.sum() + _TOLERANCE < 1:
        priced = [m for m in models if request.prices.get(m) is not None]
        limits = [request.capacity.get(m) for m in priced]
        if priced and all(seats is not None for seats in limits):
            seats = sum(float(s) for s in limits if s is not None)
            if seats + _TOLERANCE < volume:
                return low, high, f"capacity {_number(seats)} seats < {_number(volume)} {unit}"
        if not priced:
            return low, high, "the vendor prices no delivery model"
        return (
            low,
            high,
            (
                f"its priced models can take at most {percent(min(high.sum(), 1.0))} of the volume "
                "within the share bounds and its seats"
            ),
        )
    return low, high, ""


def _shares(models: Sequence[str], x: np.ndarray) -> dict[str, Decimal]:
    """Solver floats -> Decimal shares to SHARE_STEP that add up to exactly 1."""
    shares = [
        Decimal(str(max(float(v), 0.0))).quantize(SHARE_STEP, rounding=ROUND_HALF_UP) for v in x
    ]
    largest = max(range(len(shares)), key=lambda i: shares[i])
    shares[largest] += Decimal(1) - sum(shares)
    return dict(zip(models, shares, strict=True))


def optimal_mixes(
    *,
    volume: float | Decimal,
    models: Sequence[str],
    requests: Sequence[MixRequest],
    min_share: Mapping[str, float] | None = None,
    max_share: Mapping[str, float] | None = None,
    labels: Mapping[str, str] | None = None,
    unit: str = "FTEs",
) -> list[Mix]:
    """The cheapest mix for each request, in order, all feasible ones solved in one HiGHS call.

    ``min_share``/``max_share`` (0..1, per model; absent: 0 and 1) are the evaluation's bounds,
    shared by every vendor; ``labels`` name the models in the reasons ("onshore").
    """
    models = tuple(models)
    if not models:
        raise ValueError("models must name at least one delivery model.")
    vol = float(volume)
    if not vol >= 0:
        raise ValueError(f"volume must not be negative, got {volume}.")
    low_of, high_of = dict(min_share or {}), dict(max_share or {})
    for model in set(low_of) | set(high_of):
        lo, hi = float(low_of.get(model, 0.0)), float(high_of.get(model, 1.0))
        if not 0 <= lo <= hi <= 1:
            raise ValueError(
                f"the share bounds of {model} must satisfy 0 <= min <= max <= 1, got {lo}..{hi}."
            )
    names = dict(labels or {})
    k = len(models)
    rows: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
    results: list[Mix | None] = []
    for index, request in enumerate(requests):
        low, high, reason = _bounds_for(models, vol, request, low_of, high_of, names, unit)
        if reason:
            results.append(Mix({m: Decimal(0) for m in models}, reason))
            continue
        prices = np.array(
            [
                float(request.prices.get(m) or 0) if high[i] > 0 else 0.0
                for i, m in enumerate(models)
            ]
        )
        rows.append((index, prices, low, np.maximum(high, low)))
        results.append(None)
    if rows:
        n = len(rows)
        cost = np.concatenate([r[1] for r in rows])
        bounds = np.column_stack(
            [np.concatenate([r[2] for r in rows]), np.concatenate([r[3] for r in rows])]
        )
        # One equality row per vendor: its shares sum to 1.
        a_eq = csr_array(
            (np.ones(n * k), (np.repeat(np.arange(n), k), np.arange(n * k))), shape=(n, n * k)
        )
        solved = linprog(cost, A_eq=a_eq, b_eq=np.ones(n), bounds=bounds, method="highs")
        if solved.status != 0:  # the bounds checks above leave a programme HiGHS can solve
            raise RuntimeError(f"The delivery-mix solver failed: {solved.message}")
        x = solved.x.reshape(n, k)
        for (index, *_), shares in zip(rows, x, strict=True):
            results[index] = Mix(_shares(models, shares))
    return [mix for mix in results if mix is not None]


def optimal_mix(
    *,
    volume: float | Decimal,
    prices: Mapping[str, Decimal | float | None],
    capacity: Mapping[str, float | None] | None = None,
    min_share: Mapping[str, float] | None = None,
    max_share: Mapping[str, float] | None = None,
    models: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    unit: str = "FTEs",
) -> Mix:
    """The cheapest mix for one vendor (see :func:`optimal_mixes`)."""
    chosen = tuple(models) if models else tuple(prices)
    request = MixRequest(prices=prices, capacity=capacity or {})
    return optimal_mixes(
        volume=volume,
        models=chosen,
        requests=[request],
        min_share=min_share,
        max_share=max_share,
        labels=labels,
        unit=unit,
    )[0]
