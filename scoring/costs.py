"""Total cost of ownership (TCO) of a BPO quote, in exact Decimal money.

A quote has a pricing model (per FTE-month, per hour, per transaction or a fixed monthly fee),
a unit price and a one-time transition fee, both in the quote's currency. The evaluation says
how much work is bought per month (``volume`` in FTEs, hours or transactions) and for how
many months. Behind every total is a monthly schedule (:func:`cost_schedule`): the billed months
are the longer of the term and the quote's minimum term, prices rise by the annual escalation at
the start of months 12, 24, ..., each month is discounted to present value at the evaluation's
discount rate, the transition fee is paid at month 0 and the exit fee at the end. The total is
that schedule's sum in the base currency, rounded to cents (half up) once, at the very end.

FTEs and hours convert through ``hours_per_fte`` (160 by default); transactions do not
convert to either, so pricing per transaction needs a volume in transactions.

Pure Python: no Django here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar

__all__ = [
    "CostSchedule",
    "IncompatibleVolume",
    "MissingExchangeRate",
    "MonthCharge",
    "PricingModel",
    "VolumeUnit",
    "YearCost",
    "baseline_schedule",
    "convert",
    "cost_schedule",
    "discount_factor",
    "total_cost_of_ownership",
]

CENT = Decimal("0.01")
# Enough digits that 1/3 FTE and chained conversions do not round before the final cent.
_PRECISION = 50


class PricingModel(StrEnum):
    PER_FTE_MONTH = "per_fte_month"
    PER_HOUR = "per_hour"
    PER_TRANSACTION = "per_transaction"
    FIXED_MONTHLY = "fixed_monthly"


class VolumeUnit(StrEnum):
    FTE = "fte"
    HOURS = "hours"
    TRANSACTIONS = "transactions"


class MissingExchangeRate(ValueError):
    """No rate to convert ``currency`` into the base currency."""

    def __init__(self, currency: str, base_currency: str):
        self.currency = currency
        self.base_currency = base_currency
        super().__init__(
            f"No exchange rate for {currency} (needed to convert into {base_currency})."
        )


class IncompatibleVolume(ValueError):
    """The evaluation's volume unit cannot be turned into the quote's pricing unit."""


def _money(value: object, field: str) -> Decimal:
    """Decimal from Decimal/int/str (floats via their shortest repr), non-negative, finite."""
    if isinstance(value, bool):
        raise ValueError(f"{field} must be a number, got {value!r}.")
    try:
        if isinstance(value, float):
            amount = Decimal(str(value))
        elif isinstance(value, Decimal | int | str | tuple):
            amount = Decimal(value)
        else:
            raise TypeError(type(value).__name__)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"{field} must be a number, got {value!r}.") from exc
    if not amount.is_finite():
        raise ValueError(f"{field} must be finite, got {value!r}.")
    if amount < 0:
        raise ValueError(f"{field} must not be negative, got {value}.")
    return amount


_Choice = TypeVar("_Choice", bound=StrEnum)


def _choice(value: str, enum: type[_Choice], field: str) -> _Choice:
    try:
        return enum(value)
    except ValueError:
        options = ", ".join(repr(m.value) for m in enum)
        raise ValueError(f"Unknown {field} {value!r}; expected one of {options}.") from None


def convert(
    amount: Decimal, currency: str, base_currency: str, rates: Mapping[str, Decimal]
) -> Decimal:
    """``amount`` in ``currency`` expressed in ``base_currency`` (not rounded).

    ``rates[c]`` is how many base-currency units one unit of ``c`` is worth; the base currency
    needs no entry. Currency codes are compared case-insensitively.
    """
    code, base = currency.strip().upper(), base_currency.strip().upper()
    value = Decimal(amount)
    if code == base:
        return value
    by_code = {str(k).strip().upper(): v for k, v in rates.items()}
    if code not in by_code:
        raise MissingExchangeRate(code, base)
    rate = _money(by_code[code], f"exchange rate for {code}")
    if rate == 0:
        raise ValueError(f"exchange rate for {code} must be positive, got 0.")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return value * rate


def _monthly_quantity(
    model: PricingModel, volume: Decimal, unit: VolumeUnit, hours_per_fte: Decimal
) -> Decimal:
    """Monthly volume in the unit the quote is priced in."""
    if model is PricingModel.FIXED_MONTHLY:
        return Decimal(1)
    if model is PricingModel.PER_TRANSACTION:
        if unit is not VolumeUnit.TRANSACTIONS:
            raise IncompatibleVolume(
                f"The quote is priced per transaction but the volume is in {unit.value}; "
                "enter the volume as transactions per month."
            )
        return volume
    if unit is VolumeUnit.TRANSACTIONS:
        priced = "FTE-month" if model is PricingModel.PER_FTE_MONTH else "hour"
        raise IncompatibleVolume(
            f"The quote is priced per {priced} but the volume is in transactions; "
            "transactions cannot be converted to FTEs or hours."
        )
    if model is PricingModel.PER_FTE_MONTH:
        return volume if unit is VolumeUnit.FTE else volume / hours_per_fte
    return volume if unit is VolumeUnit.HOURS else volume * hours_per_fte


@dataclass(frozen=True)
class MonthCharge:
    """One billed month, in the base currency, not rounded."""

    month: int  # 0 = the first month of the contract
    charge: Decimal  # as invoiced
    discounted: Decimal  # its present value (== charge without a discount rate)


@dataclass(frozen=True)
class YearCost:
    """A contract year's charges (months 12(y-1) .. 12y-1) with the one-off fees falling in it."""

    year: int  # 1 = the first contract year
    charge: Decimal
    discounted: Decimal


@dataclass(frozen=True)
class CostSchedule:
    """Every payment behind a total, in the base currency, unrounded; ``total`` is their sum."""

    currency: str
    months: tuple[MonthCharge, ...]
    transition_fee: Decimal = Decimal(0)  # at month 0, never discounted
    exit_fee: Decimal = Decimal(0)  # at month ``billed_months``, as invoiced
    exit_fee_discounted: Decimal = Decimal(0)

    @property
    def billed_months(self) -> int:
        return len(self.months)

    @property
    def total(self) -> Decimal:
        """The present value of every payment, rounded half up to cents (the TCO)."""
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            exact = sum((m.discounted for m in self.months), self.transition_fee)
            return (exact + self.exit_fee_discounted).quantize(CENT, rounding=ROUND_HALF_UP)

    def cumulative(self) -> tuple[Decimal, ...]:
        """Present value paid by the end of each month 0 .. B-1, then with the exit fee (B)."""
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            running, out = self.transition_fee, []
            for month in self.months:
                running += month.discounted
                out.append(running)
            out.append(running + self.exit_fee_discounted)
            return tuple(out)

    def by_year(self, years: int | None = None) -> tuple[YearCost, ...]:
        """Contract years 1 .. max(years, the billed ones); the transition fee falls in year 1,
        the exit fee in the year of the last billed month."""
        count = max(years or 0, -(-self.billed_months // 12), 1)
        charge = [Decimal(0)] * count
        present = [Decimal(0)] * count
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            for month in self.months:
                charge[month.month // 12] += month.charge
                present[month.month // 12] += month.discounted
            charge[0] += self.transition_fee
            present[0] += self.transition_fee
            last = max(self.billed_months - 1, 0) // 12
            charge[last] += self.exit_fee
            present[last] += self.exit_fee_discounted
        return tuple(YearCost(y + 1, charge[y], present[y]) for y in range(count))


def _rate(value: object, field: str) -> Decimal:
    """A yearly rate as a fraction (0.05 = 5 %): finite, any sign (the callers bound it)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str | float):
        raise ValueError(f"{field} must be a number, got {value!r}.")
    try:
        rate = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"{field} must be a number, got {value!r}.") from exc
    if not rate.is_finite():
        raise ValueError(f"{field} must be finite, got {value!r}.")
    return rate


def _months(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise ValueError(f"{field} must be a whole number of months, got {value!r}.")
    if int(value) != value:
        raise ValueError(f"{field} must be a whole number of months, got {value!r}.")
    if value < 0:
        raise ValueError(f"{field} must not be negative, got {value}.")
    return int(value)


def escalation_rate(value: object, field: str = "annual_escalation") -> Decimal:
    rate = _rate(value, field)
    if rate <= -1:
        raise ValueError(f"{field} must be above -100 % a year, got {rate}.")
    return rate


def discount_rate_of(value: object) -> Decimal:
    rate = _rate(value, "discount_rate")
    if rate < 0:
        raise ValueError(f"discount_rate must not be negative, got {rate}.")
    return rate


@lru_cache(maxsize=4096)
def discount_factor(rate: Decimal, month: int) -> Decimal:
    """(1 + rate) ** (-month / 12): what a payment at the start of ``month`` is worth today.

    Cached: a fractional power at 50 digits is most of a schedule's time, and a shortlist
    shares one rate and the same months."""
    if rate == 0 or month == 0:
        return Decimal(1)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return (1 + rate) ** (Decimal(-month) / 12)


def monthly_schedule(
    *,
    currency: str,
    base_monthly: Decimal,
    fixed_monthly: Decimal = Decimal(0),
    months: int,
    escalation: Decimal,
    discount_rate: Decimal,
    opening_fee: Decimal = Decimal(0),
    closing_fee: Decimal = Decimal(0),
) -> CostSchedule:
    """The schedule rules, shared by quotes and the in-house baseline: month m costs
    ``base_monthly x (1 + escalation) ** (m // 12) + fixed_monthly``, discounted by
    (1 + r) ** (-m/12); the opening fee at month 0, the closing fee at month ``months``.
    Amounts are already in ``currency`` (the base one) and validated."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        lines = []
        for month in range(months):
            charge = base_monthly * (1 + escalation) ** (month // 12) + fixed_monthly
            lines.append(MonthCharge(month, charge, charge * discount_factor(discount_rate, month)))
        return CostSchedule(
            currency=currency,
            months=tuple(lines),
            transition_fee=opening_fee,
            exit_fee=closing_fee,
            exit_fee_discounted=closing_fee * discount_factor(discount_rate, months),
        )


def cost_schedule(
    *,
    pricing_model: str,
    unit_price: Decimal,
    currency: str,
    transition_fee: Decimal,
    volume: Decimal,
    volume_unit: str,
    term_months: int,
    base_currency: str,
    rates: Mapping[str, Decimal],
    hours_per_fte: Decimal = Decimal(160),
    minimum_term_months: int = 0,
    annual_escalation: Decimal = Decimal(0),
    exit_fee: Decimal = Decimal(0),
    discount_rate: Decimal = Decimal(0),
) -> CostSchedule:
    """The monthly schedule of a quote in the base currency (see the module docstring).

    Raises ``ValueError`` naming the field for negative or non-numeric inputs, an escalation of
    -100 % or less, :class:`IncompatibleVolume` when the volume unit does not fit the pricing
    model and :class:`MissingExchangeRate` for an unknown currency.
    """
    model = _choice(pricing_model, PricingModel, "pricing_model")
    unit = _choice(volume_unit, VolumeUnit, "volume_unit")
    price = _money(unit_price, "unit_price")
    fee = _money(transition_fee, "transition_fee")
    leaving = _money(exit_fee, "exit_fee")
    quantity = _money(volume, "volume")
    term = _months(term_months, "term_months")
    minimum = _months(minimum_term_months or 0, "minimum_term_months")
    escalation = escalation_rate(annual_escalation)
    discount = discount_rate_of(discount_rate)
    per_fte = _money(hours_per_fte, "hours_per_fte")
    if per_fte == 0:
        raise ValueError("hours_per_fte must be positive, got 0.")

    with localcontext() as ctx:
        ctx.prec = _PRECISION
        monthly = price * _monthly_quantity(model, quantity, unit, per_fte)
        return monthly_schedule(
            currency=base_currency.strip().upper(),
            base_monthly=convert(monthly, currency, base_currency, rates),
            months=max(term, minimum),
            escalation=escalation,
            discount_rate=discount,
            opening_fee=convert(fee, currency, base_currency, rates),
            closing_fee=convert(leaving, currency, base_currency, rates),
        )


def total_cost_of_ownership(
    *,
    pricing_model: str,
    unit_price: Decimal,
    currency: str,
    transition_fee: Decimal,
    volume: Decimal,
    volume_unit: str,
    term_months: int,
    base_currency: str,
    rates: Mapping[str, Decimal],
    hours_per_fte: Decimal = Decimal(160),
    minimum_term_months: int = 0,
    annual_escalation: Decimal = Decimal(0),
    exit_fee: Decimal = Decimal(0),
    discount_rate: Decimal = Decimal(0),
) -> Decimal:
    """The present value of :func:`cost_schedule` (same arguments, same errors), rounded to
    0.01 with ROUND_HALF_UP after conversion. The defaults give price x quantity x term +
    transition fee."""
    return cost_schedule(
        pricing_model=pricing_model,
        unit_price=unit_price,
        currency=currency,
        transition_fee=transition_fee,
        volume=volume,
        volume_unit=volume_unit,
        term_months=term_months,
        base_currency=base_currency,
        rates=rates,
        hours_per_fte=hours_per_fte,
        minimum_term_months=minimum_term_months,
        annual_escalation=annual_escalation,
        exit_fee=exit_fee,
        discount_rate=discount_rate,
    ).total


def baseline_schedule(
    *,
    ftes: Decimal,
    loaded_cost_per_fte_month: Decimal,
    monthly_overheads: Decimal,
    term_months: int,
    base_currency: str,
    annual_wage_inflation: Decimal = Decimal(0),
    exit_costs: Decimal = Decimal(0),
    discount_rate: Decimal = Decimal(0),
) -> CostSchedule:
    """What running the process in-house costs over the term, by the same schedule rules as a
    quote: month m costs FTEs x loaded cost x (1 + wage inflation) ** (m // 12) + overheads
    (overheads do not follow wages), discounted like a quote's months; the one-off exit costs of
    the in-house operation fall at the end of the term, like a vendor's exit fee. Amounts are in
    the base currency."""
    staff = _money(ftes, "ftes")
    loaded = _money(loaded_cost_per_fte_month, "loaded_cost_per_fte_month")
    overheads = _money(monthly_overheads, "monthly_overheads")
    closing = _money(exit_costs, "exit_costs")
    term = _months(term_months, "term_months")
    inflation = escalation_rate(annual_wage_inflation, "annual_wage_inflation")
    discount = discount_rate_of(discount_rate)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return monthly_schedule(
            currency=base_currency.strip().upper(),
            base_monthly=staff * loaded,
            fixed_monthly=overheads,
            months=term,
            escalation=inflation,
            discount_rate=discount,
            closing_fee=closing,
        )
