"""Service credits and SLA standing: pure rules over KPI targets and monthly values (Decimal, no Django).

Credits. A KPI misses its target by ``points`` (target - value when higher is better, value - target
when lower is better; a point is one unit of the KPI: a percentage point, an hour). Its credit for a
month is ``min(points x credit % per point, the KPI's cap %)`` of the monthly fee; the month's credits
are the sum over its KPIs, capped at the contract's monthly cap %. Money is rounded half-up to cents
once per month, after the caps.

Earn-back. A KPI with ``earn_back_months = n > 0`` forgives a month's credit when the KPI meets its
target in each of the ``n`` months that follow; until those are measured, the credit stands (it is due).
The forgiven credit is taken off the month after both caps, so the monthly cap is never exceeded.

Standing. Over the last ``window`` measured contract-months of a vendor (every KPI measured that month
counts; a month is *met* when no measured KPI missed): share met = met / counted, banded as ERPNext's
supplier scorecard does: Excellent >= 80 %, Average >= 50 %, Poor >= 30 %, Very Poor below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HIGHER, LOWER = "higher", "lower"
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

EXCELLENT, AVERAGE, POOR, VERY_POOR = "Excellent", "Average", "Poor", "Very Poor"
# (lowest share met in %, band), best first: ERPNext's default standings.
BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(80), EXCELLENT),
    (Decimal(50), AVERAGE),
    (Decimal(30), POOR),
    (Decimal(0), VERY_POOR),
)
BAND_ORDER = {band: rank for rank, (_, band) in enumerate(reversed(BANDS))}  # Very Poor 0 .. 3
DEFAULT_WINDOW = 12


@dataclass(frozen=True)
class KpiRule:
    key: int | str
    name: str
    direction: str  # higher / lower is better
    target: Decimal
    credit_pct_per_point: Decimal
    cap_pct: Decimal
    earn_back_months: int = 0


@dataclass(frozen=True)
class KpiMonth:
    """One KPI in one month: its value (None: not measured), whether it met, the credit due."""

    kpi: KpiRule
    month: dt.date
    value: Decimal | None
    points_missed: Decimal
    credit_pct: Decimal  # after the KPI's cap, before the monthly cap
    earned_back: bool = False

    @property
    def measured(self) -> bool:
        return self.value is not None

    @property
    def met(self) -> bool:
        return self.value is not None and self.points_missed == 0


@dataclass(frozen=True)
class MonthCredits:
    month: dt.date
    cells: tuple[KpiMonth, ...]
    credit_pct: Decimal  # sum over KPIs, under the monthly cap, before earn-back
    capped: bool  # the monthly cap cut the sum
    earned_back_pct: Decimal
    credit: Decimal  # money due, rounded to cents: (credit_pct - earned_back_pct) x fee

    @property
    def measured(self) -> bool:
        return any(cell.measured for cell in self.cells)

    @property
    def missed(self) -> tuple[KpiMonth, ...]:
        return tuple(cell for cell in self.cells if cell.measured and not cell.met)

    @property
    def met(self) -> bool:
        return self.measured and not self.missed


def points_missed(rule: KpiRule, value: Decimal) -> Decimal:
    """How far ``value`` falls short of the target, in the KPI's own unit (0 when met)."""
    gap = rule.target - value if rule.direction == HIGHER else value - rule.target
    return max(gap, Decimal(0))


def kpi_credit_pct(rule: KpiRule, value: Decimal) -> Decimal:
    """% of the monthly fee credited for one KPI: points missed x rate, at most the KPI's cap."""
    return min(points_missed(rule, value) * rule.credit_pct_per_point, rule.cap_pct)


def _earned_back(rule: KpiRule, month_index: int, met_by_index: Sequence[bool | None]) -> bool:
    n = rule.earn_back_months
    if n <= 0:
        return False
    following = met_by_index[month_index + 1 : month_index + 1 + n]
    return len(following) == n and all(met is True for met in following)


def scorecard(
    *,
    rules: Sequence[KpiRule],
    months: Sequence[dt.date],
    values: Mapping[tuple[Any, dt.date], Decimal],
    monthly_fee: Decimal,
    monthly_cap_pct: Decimal,
) -> tuple[MonthCredits, ...]:
    """Every month of ``months`` (in order) with each KPI's result and the credits due in money."""
    if monthly_fee < 0:
        raise ValueError("monthly_fee must not be negative.")
    if not Decimal(0) <= monthly_cap_pct <= HUNDRED:
        raise ValueError("monthly_cap_pct must be between 0 and 100.")
    met_by_kpi: dict[int | str, list[bool | None]] = {}
    for rule in rules:
        met_by_kpi[rule.key] = [
            None if (v := values.get((rule.key, m))) is None else points_missed(rule, v) == 0
            for m in months
        ]
    result = []
    for index, month in enumerate(months):
        cells = []
        for rule in rules:
            value = values.get((rule.key, month))
            if value is None:
                cells.append(KpiMonth(rule, month, None, Decimal(0), Decimal(0)))
                continue
            pct = kpi_credit_pct(rule, value)
            back = pct > 0 and _earned_back(rule, index, met_by_kpi[rule.key])
            cells.append(KpiMonth(rule, month, value, points_missed(rule, value), pct, back))
        total = sum((c.credit_pct for c in cells), Decimal(0))
        capped_total = min(total, monthly_cap_pct)
        forgiven = min(
            sum((c.credit_pct for c in cells if c.earned_back), Decimal(0)), capped_total
        )
        money = ((capped_total - forgiven) * monthly_fee / HUNDRED).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        result.append(
            MonthCredits(
                month=month,
                cells=tuple(cells),
                credit_pct=capped_total,
                capped=total > monthly_cap_pct,
                earned_back_pct=forgiven,
                credit=money,
            )
        )
    return tuple(result)


def total_credits(months: Iterable[MonthCredits]) -> Decimal:
    return sum((m.credit for m in months), Decimal(0))


def band_for(share_met_pct: Decimal) -> str:
    for lowest, band in BANDS:
        if share_met_pct >= lowest:
            return band
    return VERY_POOR


def band_below(band: str, threshold: str) -> bool:
    """Is ``band`` worse than ``threshold`` (e.g. Poor below Average)?"""
    return BAND_ORDER[band] < BAND_ORDER[threshold]


@dataclass(frozen=True)
class Standing:
    """A vendor's delivered SLA record over its last measured contract-months."""

    counted: int  # contract-months with at least one measured KPI, at most the window
    met: int  # of those, months where every measured KPI met its target
    window: int

    @property
    def missed(self) -> int:
        return self.counted - self.met

    @property
    def share_met_pct(self) -> Decimal:
        if not self.counted:
            return Decimal(0)
        return (Decimal(self.met) * HUNDRED / self.counted).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def band(self) -> str:
        return band_for(self.share_met_pct)

    @property
    def sentence(self) -> str:
        """ "SLA standing Poor: 7 of the last 12 months below target"."""
        if self.counted == 1:
            how = "below" if self.missed else "on"
            return f"SLA standing {self.band}: the only measured month {how} target"
        return f"SLA standing {self.band}: {self.missed} of the last {self.counted} months below target"

    @property
    def inputs_sentence(self) -> str:
        return (
            f"{self.met} of {self.counted} measured contract-months met every KPI target "
            f"({self.share_met_pct}%; window: the last {self.window} months)"
        )


def standing(
    month_results: Iterable[tuple[dt.date, bool]], *, window: int = DEFAULT_WINDOW
) -> Standing | None:
    """Standing from (month, met) per measured contract-month; None without any measured month.

    The latest ``window`` entries count (by month; ties keep their given order).
    """
    if window < 1:
        raise ValueError("window must be at least one month.")
    ordered = sorted(month_results, key=lambda item: item[0])
    counted = ordered[-window:]
    if not counted:
        return None
    return Standing(counted=len(counted), met=sum(1 for _, met in counted if met), window=window)


def month_results(months: Iterable[MonthCredits]) -> list[tuple[dt.date, bool]]:
    """(month, met) for each measured month of a scorecard: the standing's input."""
    return [(m.month, m.met) for m in months if m.measured]


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, 1)


def term_months(start: dt.date, term: int) -> list[dt.date]:
    """The first days of every month of a term starting in ``start``'s month."""
    return [add_months(start, i) for i in range(term)]
