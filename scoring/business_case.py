"""The business case: what a vendor saves against running the process in-house.

Both sides are :class:`~scoring.costs.CostSchedule` values (a quote's and the in-house
baseline's), compared month by month at present value. Pure: no Django here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from scoring.costs import CENT, CostSchedule

__all__ = ["Savings", "YearSaving", "savings_against"]

_PRECISION = 50
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class YearSaving:
    year: int  # 1 = the first contract year
    in_house: Decimal  # present value, cents
    vendor: Decimal
    saving: Decimal  # in_house - vendor (negative: the vendor costs more that year)


@dataclass(frozen=True)
class Savings:
    """One vendor against the in-house baseline, in the base currency."""

    in_house: Decimal  # the baseline's total over the term, cents
    vendor: Decimal  # the vendor's TCO, cents
    amount: Decimal  # in_house - vendor
    percent: Decimal | None  # of the in-house cost, one decimal; None when that is zero
    by_year: tuple[YearSaving, ...]
    # The month (1 = the first) from whose end the cumulative saving stays at or above zero to
    # the end of both schedules, exit fees included; None: never within the term.
    break_even_month: int | None

    @property
    def cheaper(self) -> bool:
        return self.amount > 0

    @property
    def magnitude(self) -> Decimal:
        """The saving (or the extra cost) without its sign, for "saves X" / "X more"."""
        return abs(self.amount)

    @property
    def percent_magnitude(self) -> Decimal | None:
        return None if self.percent is None else abs(self.percent)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _paid_by_month(schedule: CostSchedule, months: int) -> list[Decimal]:
    """Present value paid by the end of each month 0 .. months-1 (nothing is billed after the
    schedule's last month), before the exit fee."""
    running, out = schedule.transition_fee, []
    for month in range(months):
        if month < schedule.billed_months:
            running += schedule.months[month].discounted
        out.append(running)
    return out


def savings_against(baseline: CostSchedule, vendor: CostSchedule) -> Savings:
    """The vendor's savings against ``baseline``: in total, by contract year, and when they
    pay back the transition."""
    months = max(baseline.billed_months, vendor.billed_months)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        in_house, cost = baseline.total, vendor.total
        amount = in_house - cost
        percent = (amount / in_house * 100).quantize(TENTH, ROUND_HALF_UP) if in_house else None
        years = max(-(-months // 12), 1)
        by_year = tuple(
            YearSaving(
                b.year,
                _cents(b.discounted),
                _cents(v.discounted),
                _cents(b.discounted) - _cents(v.discounted),
            )
            for b, v in zip(baseline.by_year(years), vendor.by_year(years), strict=True)
        )
        ahead = [
            b - v
            for b, v in zip(
                _paid_by_month(baseline, months), _paid_by_month(vendor, months), strict=True
            )
        ]
        at_exit = (ahead[-1] if ahead else Decimal(0)) + (
            baseline.exit_fee_discounted - vendor.exit_fee_discounted
        )
    break_even = None
    if at_exit >= 0:
        month = months
        while month > 0 and ahead[month - 1] >= 0:
            month -= 1
        break_even = month + 1 if month < months else None
    return Savings(in_house, cost, amount, percent, by_year, break_even)
