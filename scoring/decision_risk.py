"""The cost risk of a decision: each costed vendor's TCO futures (``scoring.cost_risk``) as P10 /
P50 / P90, and the share of futures in which each ranked vendor comes first. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np
import pandas as pd

from scoring import cost_risk, costs
from scoring.facts import DecisionInputs, money_text, plural

WHOLE = Decimal(1)


@dataclass(frozen=True)
class RiskLine:
    vendor_id: int
    name: str
    currency: str
    p10: Decimal
    p50: Decimal
    p90: Decimal
    first_share: float | None = None  # share of futures in which it ranks first
    savings_p50: Decimal | None = None  # against the in-house baseline, when there is one
    savings_p10: Decimal | None = None

    @property
    def at_risk(self) -> Decimal:
        return self.p90 - self.p50

    @property
    def savings_at_risk(self) -> Decimal | None:
        if self.savings_p50 is None or self.savings_p10 is None:
            return None
        return self.savings_p50 - self.savings_p10


@dataclass(frozen=True)
class CurrencyRisk:
    currency: str
    volatility: float
    measured: bool  # from the stored rate history, else the default


@dataclass(frozen=True)
class CostRisk:
    draws: int
    lines: tuple[RiskLine, ...]  # costed vendors, cheapest median first
    currencies: tuple[CurrencyRisk, ...]  # the foreign currencies quoted
    escalation_sd: float
    ranked_first: bool  # first shares were drawn (a weighted cost criterion, two ranked vendors)

    @property
    def fx_free(self) -> bool:
        return not self.currencies


def _amount(value: float) -> Decimal:
    return Decimal(str(float(value))).quantize(WHOLE, rounding=ROUND_HALF_UP)


# The futures of a shortlist this size or smaller (10,000 x 20 floats: 1.6 MB) are kept, the last
# KEPT_SETS of them per process; a longer list's are drawn each time.
KEPT_VENDORS = 20
KEPT_SETS = 8


def futures(
    streams: tuple[cost_risk.CostStream, ...],
    base_currency: str,
    volatility: tuple[tuple[str, float], ...],
    draws: int,
) -> cost_risk.RiskResult:
    """`cost_risk.simulate`, once per process for the same costs: the futures depend on the
    quotes and rates only, so a what-if (other weights) or a new score reuses them. Read-only."""
    draw = _kept_futures if len(streams) <= KEPT_VENDORS else _futures
    return draw(streams, base_currency, volatility, draws)


def _futures(streams, base_currency, volatility, draws) -> cost_risk.RiskResult:
    result = cost_risk.simulate(
        streams, base_currency=base_currency, volatility=dict(volatility), draws=draws
    )
    for array in (result.p10, result.p50, result.p90, result.draws):
        array.setflags(write=False)
    return result


_kept_futures = lru_cache(maxsize=KEPT_SETS)(_futures)


def cost_risk_for(
    inputs: DecisionInputs,
    tco: Mapping[int, Decimal | None],
    values: pd.DataFrame | None = None,
    shares: Mapping[str, float] | None = None,
    directions: Mapping[str, str] | None = None,
    method: str = "wsm",
    bounds: Mapping[str, tuple[float, float]] | None = None,
    cost_keys: tuple[str, ...] = (),
    *,
    schedules: Mapping[int, costs.CostSchedule | None] | None = None,
    baseline: Decimal | None = None,
    draws: int = cost_risk.DRAWS,
) -> CostRisk:
    """``tco``: vendor id -> TCO (base currency; None: not costed) of each competing vendor that
    passes the knock-outs; ``values`` etc.: the ranking's inputs, to count first places per future
    (None: not ranked)."""
    ev = inputs.evaluation
    rates = {r.currency: r.rate for r in inputs.rates}
    quotes = {q.vendor_id: q for q in inputs.quotes}
    names = {v.id: v.name for v in inputs.vendors}
    totals = {vid: total for vid, total in tco.items() if total is not None and vid in quotes}
    ids = list(totals)
    streams = []
    for vid in ids:
        quote = quotes[vid]
        schedule = (schedules or {}).get(vid)
        if schedule is not None and schedule.months:
            # The schedule's first month and the quoted escalation: billed months, minimum term
            # and fees as the TCO counts them (undiscounted: the futures are nominal).
            streams.append(
                cost_risk.CostStream(
                    monthly=float(schedule.months[0].charge),
                    months=schedule.billed_months,
                    one_off=float(schedule.transition_fee + schedule.exit_fee),
                    currency=quote.currency,
                    escalation=float(quote.annual_escalation) / 100,
                )
            )
            continue
        fee = costs.convert(quote.transition_fee, quote.currency, ev.base_currency, rates)
        recurring = float(totals[vid] - fee)
        streams.append(
            cost_risk.CostStream(
                monthly=recurring / ev.term_months,
                months=ev.term_months,
                one_off=float(fee),
                currency=quote.currency,
            )
        )
    measured = {f.currency: f.volatility for f in inputs.fx_volatility}
    result = futures(tuple(streams), ev.base_currency, tuple(sorted(measured.items())), draws)
    first: dict[int, float] = {}
    key = cost_keys[0] if cost_keys else None
    ranked_first = False
    if values is not None and key is not None and len(values) >= 2 and shares and directions:
        column = {vid: i for i, vid in enumerate(ids)}
        order = [int(v) for v in values.index]
        if all(v in column for v in order):
            others = [c for c in values.columns if c != key]
            low = np.array([(bounds or {}).get(c, (np.nan, np.nan))[0] for c in others])
            high = np.array([(bounds or {}).get(c, (np.nan, np.nan))[1] for c in others])
            scale = (bounds or {}).get(key)
            won = cost_risk.first_shares(
                result.draws[:, [column[v] for v in order]],
                values[others].to_numpy(dtype=float),
                weights=np.array([shares[c] for c in others]),
                benefit=np.array([directions[c] == "benefit" for c in others]),
                cost_weight=sum(shares[k] for k in cost_keys),
                method=method,
                low=low if method == "wsm" else None,
                high=high if method == "wsm" else None,
                cost_scale=(float(scale[0]), float(scale[1]))
                if scale and method == "wsm"
                else None,
            )
            first = {v: float(s) for v, s in zip(order, won, strict=True)}
            ranked_first = True
    lines = []
    for i, vid in enumerate(ids):
        p10, p50, p90 = (_amount(result.p10[i]), _amount(result.p50[i]), _amount(result.p90[i]))
        lines.append(
            RiskLine(
                vendor_id=vid,
                name=names.get(vid, ""),
                currency=quotes[vid].currency,
                p10=p10,
                p50=p50,
                p90=p90,
                first_share=first.get(vid),
                savings_p50=None if baseline is None else baseline - p50,
                savings_p10=None if baseline is None else baseline - p90,
            )
        )
    lines.sort(key=lambda line: (line.p50, line.name.casefold()))
    currencies = tuple(
        CurrencyRisk(code, vol, code in measured) for code, vol in sorted(result.volatility.items())
    )
    return CostRisk(draws, tuple(lines), currencies, cost_risk.ESCALATION_SD, ranked_first)


def risk_sentences(risk: CostRisk | None, base_currency: str) -> list[str]:
    """What the Monte-Carlo says, true for no vendor, one vendor and no foreign currency."""
    if risk is None or not risk.lines:
        return ["No vendor has a TCO yet, so there is no cost risk to show."]
    draws = f"{risk.draws:,}"
    if risk.fx_free:
        fx = f"Every quote is in {base_currency}: no FX risk."
    else:
        parts = [
            f"{c.currency} {c.volatility:.0%} a year ({'measured from stored rates' if c.measured else 'default'})"
            for c in risk.currencies
        ]
        fx = "Exchange rates move with annual volatility " + ", ".join(parts) + "."
    said = [
        f"{draws} simulated futures. {fx} Escalation varies around the quoted one with a "
        f"standard deviation of {risk.escalation_sd:.0%} a year."
    ]
    widest = max(risk.lines, key=lambda line: line.at_risk)
    at_risk = money_text(widest.at_risk, base_currency)
    if widest.at_risk <= 0:
        said.append("No TCO moves between the futures.")
    elif len(risk.lines) == 1:
        said.append(f"{widest.name}'s cost at risk (P90 − P50) is {at_risk}.")
    else:
        said.append(f"The largest cost at risk (P90 − P50) is {widest.name}'s, {at_risk}.")
    ranked = [line for line in risk.lines if line.first_share is not None]
    if risk.ranked_first and ranked:
        best = max(ranked, key=lambda line: line.first_share or 0.0)
        said.append(
            f"Run through the ranking with the weight draws, {best.name} ranks first in "
            f"{best.first_share:.1%} of the futures"  # as the table prints it (99.9 % is not 100 %)
            + (f" ({plural(len(ranked), 'vendor', 'vendors')} ranked)." if len(ranked) > 1 else ".")
        )
    return said
