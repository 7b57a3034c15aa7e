"""Tests for the cost contract's new terms and the monthly schedule behind every total
(scoring.costs.cost_schedule / baseline_schedule). No database needed."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.costs import baseline_schedule, cost_schedule, total_cost_of_ownership

D = Decimal


def contract(**overrides):
    """PRODUCT.md's hand-worked cases: per FTE-month, 10 FTEs, base = quote currency."""
    quote = {
        "pricing_model": "per_fte_month",
        "unit_price": D("1000"),
        "currency": "EUR",
        "transition_fee": D("0"),
        "volume": D("10"),
        "volume_unit": "fte",
        "term_months": 24,
        "base_currency": "EUR",
        "rates": {},
    }
    return {**quote, **overrides}


def test_a_minimum_term_longer_than_the_contract_is_paid():
    # 1,000 x 10 x max(24, 36) = 360,000
    assert total_cost_of_ownership(**contract(minimum_term_months=36)) == D("360000.00")
    assert cost_schedule(**contract(minimum_term_months=36)).billed_months == 36


def test_a_minimum_term_shorter_than_the_contract_changes_nothing():
    assert total_cost_of_ownership(**contract(minimum_term_months=12)) == D("240000.00")


def test_escalation_raises_prices_at_the_start_of_each_contract_year():
    # 120,000 + 126,000 + 132,300 = 378,300
    terms = contract(term_months=36, annual_escalation=D("0.05"))
    assert total_cost_of_ownership(**terms) == D("378300.00")
    schedule = cost_schedule(**terms)
    assert [m.charge for m in schedule.months[10:14]] == [D(10000), D(10000), D(10500), D(10500)]
    assert [y.charge for y in schedule.by_year()] == [D(120000), D(126000), D(132300)]


def test_transition_fee_at_the_start_and_exit_fee_at_the_end():
    # 1,000 x 10 x 12 = 120,000 + 5,000 + 2,000 = 127,000
    terms = contract(term_months=12, transition_fee=D("5000"), exit_fee=D("2000"))
    assert total_cost_of_ownership(**terms) == D("127000.00")
    years = cost_schedule(**terms).by_year()
    assert [y.charge for y in years] == [D("127000")]


def test_discounting_takes_each_month_to_present_value_but_not_the_transition_fee():
    # 10,000 a month for 12 months at 10 % a year: month m is worth 10,000 x 1.1^(-m/12).
    # A geometric series with q = 1.1^(-1/12): 10,000 x (1 - q^12) / (1 - q)
    #   = 10,000 x (1 - 1/1.1) / (1 - 0.99208894...) = 114,913.97
    # + the transition fee 5,000 at month 0 (not discounted)
    # + the exit fee 11,000 at month 12, discounted by 1.1^-1 = 10,000  -> 129,913.97
    terms = contract(
        term_months=12,
        transition_fee=D("5000"),
        exit_fee=D("11000"),
        discount_rate=D("0.10"),
    )
    assert total_cost_of_ownership(**terms) == D("129913.97")
    schedule = cost_schedule(**terms)
    assert schedule.months[0].discounted == D(10000)
    assert schedule.exit_fee_discounted.quantize(D("0.01")) == D("10000.00")
    assert schedule.months[6].discounted < schedule.months[6].charge == D(10000)


def test_the_schedule_is_in_the_base_currency():
    terms = contract(term_months=2, currency="USD", rates={"USD": D("0.9")}, exit_fee=D("100"))
    schedule = cost_schedule(**terms)
    assert schedule.currency == "EUR"
    assert [m.charge for m in schedule.months] == [D("9000.0"), D("9000.0")]
    assert schedule.exit_fee == D("90.0")
    assert schedule.total == D("18090.00")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("exit_fee", D("-1"), "exit_fee must not be negative"),
        ("transition_fee", D("-1"), "transition_fee must not be negative"),
        ("unit_price", D("-0.01"), "unit_price must not be negative"),
        ("annual_escalation", D("-1"), "annual_escalation must be above -100 %"),
        ("annual_escalation", D("-1.5"), "annual_escalation must be above -100 %"),
        ("annual_escalation", "fast", "annual_escalation must be a number"),
        ("discount_rate", D("-0.01"), "discount_rate must not be negative"),
        ("discount_rate", D("NaN"), "discount_rate must be finite"),
        ("minimum_term_months", -1, "minimum_term_months must not be negative"),
        ("minimum_term_months", 2.5, "minimum_term_months must be a whole number"),
    ],
)
def test_bad_terms_raise_naming_the_field(field, value, message):
    with pytest.raises(ValueError, match=message):
        total_cost_of_ownership(**contract(**{field: value}))
    with pytest.raises(ValueError, match=message):
        cost_schedule(**contract(**{field: value}))


def test_a_falling_price_is_allowed_above_minus_one_hundred_percent():
    terms = contract(term_months=24, annual_escalation=D("-0.5"))
    assert total_cost_of_ownership(**terms) == D("180000.00")


prices = st.decimals(min_value=0, max_value=100_000, places=4)
fees = st.decimals(min_value=0, max_value=1_000_000, places=2)
volumes = st.decimals(min_value=0, max_value=5_000, places=2)
models = st.sampled_from(["per_fte_month", "per_hour", "fixed_monthly"])
units = st.sampled_from(["fte", "hours"])
terms_ = st.integers(min_value=0, max_value=120)


@settings(max_examples=150, deadline=None)
@given(price=prices, fee=fees, volume=volumes, model=models, unit=units, term=terms_)
def test_the_defaults_give_the_old_formula(price, fee, volume, model, unit, term):
    quantity = {"fixed_monthly": D(1)}.get(model) or {
        ("per_fte_month", "fte"): volume,
        ("per_fte_month", "hours"): volume / 160,
        ("per_hour", "fte"): volume * 160,
        ("per_hour", "hours"): volume,
    }[model, unit]
    old = (price * quantity * term + fee) * D("1.25")
    terms = contract(
        pricing_model=model,
        unit_price=price,
        transition_fee=fee,
        volume=volume,
        volume_unit=unit,
        term_months=term,
        currency="GBP",
        rates={"GBP": D("1.25")},
    )
    assert total_cost_of_ownership(**terms) == old.quantize(D("0.01"), rounding="ROUND_HALF_UP")


@settings(max_examples=100, deadline=None)
@given(
    price=prices,
    fee=fees,
    exit_fee=fees,
    term=terms_,
    minimum=st.integers(min_value=0, max_value=60),
    escalation=st.decimals(min_value="-0.5", max_value="0.2", places=3),
    discount=st.decimals(min_value=0, max_value="0.3", places=3),
)
def test_the_total_is_the_sum_of_its_schedule(
    price, fee, exit_fee, term, minimum, escalation, discount
):
    terms = contract(
        unit_price=price,
        transition_fee=fee,
        exit_fee=exit_fee,
        term_months=term,
        minimum_term_months=minimum,
        annual_escalation=escalation,
        discount_rate=discount,
    )
    schedule = cost_schedule(**terms)
    exact = (
        sum(m.discounted for m in schedule.months)
        + schedule.transition_fee
        + schedule.exit_fee_discounted
    )
    assert total_cost_of_ownership(**terms) == exact.quantize(D("0.01"), rounding="ROUND_HALF_UP")
    assert schedule.billed_months == max(term, minimum)
    by_year = sum(y.discounted for y in schedule.by_year())
    assert by_year.quantize(D("0.01"), rounding="ROUND_HALF_UP") == schedule.total


def test_the_in_house_baseline_follows_the_same_rules():
    # 10 FTEs x 4,000 loaded + 5,000 overheads = 45,000 a month in year 1;
    # year 2 wages +10 %: 44,000 + 5,000 = 49,000 (overheads do not follow wages);
    # 12 x 45,000 + 12 x 49,000 = 1,128,000 + exit costs 20,000 at the end = 1,148,000
    schedule = baseline_schedule(
        ftes=D("10"),
        loaded_cost_per_fte_month=D("4000"),
        monthly_overheads=D("5000"),
        annual_wage_inflation=D("0.10"),
        exit_costs=D("20000"),
        term_months=24,
        base_currency="eur",
    )
    assert [y.charge for y in schedule.by_year()] == [D(540000), D(608000)]
    assert schedule.total == D("1148000.00")
    assert schedule.currency == "EUR"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("ftes", "ftes must not be negative"),
        ("loaded_cost_per_fte_month", "loaded_cost_per_fte_month must not be negative"),
        ("monthly_overheads", "monthly_overheads must not be negative"),
        ("exit_costs", "exit_costs must not be negative"),
        ("annual_wage_inflation", "annual_wage_inflation must be above -100 %"),
        ("discount_rate", "discount_rate must not be negative"),
    ],
)
def test_a_bad_baseline_raises_naming_the_field(field, message):
    terms = {
        "ftes": D("1"),
        "loaded_cost_per_fte_month": D("1"),
        "monthly_overheads": D("0"),
        "term_months": 12,
        "base_currency": "EUR",
        field: D("-1") if field != "annual_wage_inflation" else D("-2"),
    }
    with pytest.raises(ValueError, match=message):
        baseline_schedule(**terms)
