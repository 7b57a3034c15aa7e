"""Tests for scoring.costs: total cost of ownership in Decimal money. No database needed."""

from decimal import Decimal

import pytest

from scoring.costs import (
    IncompatibleVolume,
    MissingExchangeRate,
    PricingModel,
    VolumeUnit,
    convert,
    total_cost_of_ownership,
)

D = Decimal
RATES = {"EUR": D("1.10"), "INR": D("0.012"), "PHP": D("0.0175")}


def tco(**overrides):
    quote = {
        "pricing_model": "per_fte_month",
        "unit_price": D("2500"),
        "currency": "USD",
        "transition_fee": D("0"),
        "volume": D("10"),
        "volume_unit": "fte",
        "term_months": 12,
        "base_currency": "USD",
        "rates": RATES,
    }
    return total_cost_of_ownership(**{**quote, **overrides})


def test_per_fte_month_multiplies_price_ftes_and_months_plus_transition():
    # 2,500 x 10 FTE x 12 months = 300,000 + 15,000 transition
    assert tco(transition_fee=D("15000")) == D("315000.00")


def test_per_fte_month_accepts_hours_through_hours_per_fte():
    # 800 hours / 160 = 5 FTE -> 2,500 x 5 x 12 = 150,000
    assert tco(volume=D("800"), volume_unit="hours") == D("150000.00")
    # 800 / 150 = 5.333... FTE -> 2,500 x 5.333.. x 12 = 160,000 exactly (no early rounding)
    assert tco(volume=D("800"), volume_unit="hours", hours_per_fte=D("150")) == D("160000.00")


def test_per_hour_multiplies_price_hours_per_month_and_months():
    # 18.50 x 1,600 h x 24 months = 710,400 + 5,000
    cost = tco(
        pricing_model="per_hour",
        unit_price=D("18.50"),
        volume=D("1600"),
        volume_unit="hours",
        term_months=24,
        transition_fee=D("5000"),
    )
    assert cost == D("715400.00")


def test_per_hour_converts_ftes_to_hours():
    # 10 FTE x 160 h = 1,600 h -> 18.50 x 1,600 x 12 = 355,200
    assert tco(pricing_model="per_hour", unit_price=D("18.50")) == D("355200.00")


def test_per_transaction_multiplies_price_transactions_and_months():
    # 0.85 x 40,000 x 36 = 1,224,000
    cost = tco(
        pricing_model=PricingModel.PER_TRANSACTION,
        unit_price=D("0.85"),
        volume=D("40000"),
        volume_unit=VolumeUnit.TRANSACTIONS,
        term_months=36,
    )
    assert cost == D("1224000.00")


def test_fixed_monthly_ignores_the_volume():
    # 42,000 x 6 months + 10,000, whatever the volume unit
    for unit in ("fte", "hours", "transactions"):
        cost = tco(
            pricing_model="fixed_monthly",
            unit_price=D("42000"),
            volume_unit=unit,
            term_months=6,
            transition_fee=D("10000"),
        )
        assert cost == D("262000.00")


def test_it_converts_quote_and_transition_fee_into_the_base_currency():
    # (2,000 x 10 x 12 + 20,000) EUR = 260,000 EUR x 1.10 = 286,000 USD
    cost = tco(currency="EUR", unit_price=D("2000"), transition_fee=D("20000"))
    assert cost == D("286000.00")


def test_convert_uses_the_rate_as_base_units_per_unit_and_skips_the_base_currency():
    assert convert(D("1000"), "INR", "USD", RATES) == D("12.000")
    assert convert(D("1000"), "usd", "USD", {}) == D("1000")
    assert convert(D("3"), "eur", "usd", RATES) == D("3.30")


def test_a_missing_rate_names_the_currency():
    with pytest.raises(MissingExchangeRate, match="No exchange rate for GBP") as err:
        tco(currency="GBP")
    assert err.value.currency == "GBP"
    assert isinstance(err.value, ValueError)


def test_a_zero_or_negative_rate_is_rejected():
    with pytest.raises(ValueError, match="exchange rate for EUR must be positive"):
        convert(D("1"), "EUR", "USD", {"EUR": D("0")})
    with pytest.raises(ValueError, match="exchange rate for EUR must not be negative"):
        convert(D("1"), "EUR", "USD", {"EUR": D("-1.1")})


@pytest.mark.parametrize(
    ("model", "unit", "message"),
    [
        ("per_transaction", "fte", "priced per transaction but the volume is in fte"),
        ("per_transaction", "hours", "priced per transaction but the volume is in hours"),
        ("per_fte_month", "transactions", "priced per FTE-month but the volume is in trans"),
        ("per_hour", "transactions", "priced per hour but the volume is in transactions"),
    ],
)
def test_transactions_do_not_convert_to_ftes_or_hours(model, unit, message):
    with pytest.raises(IncompatibleVolume, match=message):
        tco(pricing_model=model, volume_unit=unit)


def test_it_rounds_half_up_to_cents_only_at_the_end():
    # 0.125 x 1 x 1 = 0.125 -> half up -> 0.13 (banker's rounding would give 0.12)
    assert tco(
        pricing_model="per_transaction",
        unit_price=D("0.125"),
        volume=D("1"),
        volume_unit="transactions",
        term_months=1,
    ) == D("0.13")
    # Sub-cent prices keep every digit until the end: 0.0033 INR x 1e6 x 0.012 = 39.60 USD
    # (rounding the unit price to cents first would give 0.00)
    assert tco(
        pricing_model="per_transaction",
        unit_price=D("0.0033"),
        volume=D("1000000"),
        volume_unit="transactions",
        term_months=1,
        currency="INR",
    ) == D("39.60")
    # 1 hour = 1/160 FTE: 1,000 x 1/160 x 3 = 18.75 exactly
    assert tco(unit_price=D("1000"), volume=D("1"), volume_unit="hours", term_months=3) == D(
        "18.75"
    )
    # 1 FTE-month at 1000 for 1 hour / 150 = 6.6666.. -> 6.67
    assert tco(
        unit_price=D("1000"),
        volume=D("1"),
        volume_unit="hours",
        term_months=1,
        hours_per_fte=D("150"),
    ) == D("6.67")


def test_the_result_is_a_decimal_with_two_places():
    cost = tco()
    assert isinstance(cost, Decimal)
    assert cost.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "field", ["unit_price", "transition_fee", "volume", "term_months", "hours_per_fte"]
)
def test_negative_inputs_are_rejected_naming_the_field(field):
    with pytest.raises(ValueError, match=f"{field} must not be negative"):
        tco(**{field: -1 if field == "term_months" else D("-1")})


def test_it_rejects_unknown_models_units_and_non_numbers():
    with pytest.raises(ValueError, match="Unknown pricing_model 'per_seat'"):
        tco(pricing_model="per_seat")
    with pytest.raises(ValueError, match="Unknown volume_unit 'calls'"):
        tco(volume_unit="calls")
    with pytest.raises(ValueError, match="unit_price must be a number"):
        tco(unit_price="cheap")
    with pytest.raises(ValueError, match="volume must be finite"):
        tco(volume=D("NaN"))
    with pytest.raises(ValueError, match="term_months must be a whole number"):
        tco(term_months=1.5)
    with pytest.raises(ValueError, match="hours_per_fte must be positive"):
        tco(volume_unit="hours", hours_per_fte=D("0"))


def test_a_zero_month_term_costs_only_the_transition_fee():
    assert tco(term_months=0, transition_fee=D("999.995")) == D("1000.00")
