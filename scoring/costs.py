"""Total cost of ownership (TCO) of a BPO quote, in exact Decimal money.

A quote has a pricing model (per FTE-month, per hour, per transaction or a fixed monthly fee),
a unit price and a one-time transition fee, both in the quote's currency. The evaluation says
how much work is bought per month (``volume`` in FTEs, hours or transactions) and for how
many months. TCO = unit price x monthly quantity x months + transition fee, converted to the
evaluation's base currency and rounded to cents (half up) only at the very end.

FTEs and hours convert through ``hours_per_fte`` (160 by default); transactions do not
convert to either, so pricing per transaction needs a volume in transactions.

Pure Python: no Django here.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from typing import TypeVar

__all__ = [
    "IncompatibleVolume",
    "MissingExchangeRate",
    "PricingModel",
    "VolumeUnit",
    "convert",
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
) -> Decimal:
    """Recurring charges over the term plus the one-time transition fee, in base currency.

    Rounded to 0.01 with ROUND_HALF_UP after conversion. Raises ``ValueError`` naming the
    field for negative or non-numeric inputs, :class:`IncompatibleVolume` when the volume
    unit does not fit the pricing model and :class:`MissingExchangeRate` for an unknown
    currency.
    """
    model = _choice(pricing_model, PricingModel, "pricing_model")
    unit = _choice(volume_unit, VolumeUnit, "volume_unit")
    price = _money(unit_price, "unit_price")
    fee = _money(transition_fee, "transition_fee")
    quantity = _money(volume, "volume")
    if isinstance(term_months, bool) or int(term_months) != term_months:
        raise ValueError(f"term_months must be a whole number of months, got {term_months!r}.")
    months = _money(int(term_months), "term_months")
    per_fte = _money(hours_per_fte, "hours_per_fte")
    if per_fte == 0:
        raise ValueError("hours_per_fte must be positive, got 0.")

    with localcontext() as ctx:
        ctx.prec = _PRECISION
        monthly = _monthly_quantity(model, quantity, unit, per_fte)
        in_quote_currency = price * monthly * months + fee
        in_base = convert(in_quote_currency, currency, base_currency, rates)
        return in_base.quantize(CENT, rounding=ROUND_HALF_UP)
