"""Tests for scoring.business_case: a vendor's savings against running the process in-house,
worked by hand. No database needed."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.business_case import savings_against
from scoring.costs import baseline_schedule, cost_schedule

D = Decimal


def in_house(term=24, **overrides):
    terms = {
        "ftes": D("10"),
        "loaded_cost_per_fte_month": D("5000"),
        "monthly_overheads": D("0"),
        "term_months": term,
        "base_currency": "EUR",
    }
    return baseline_schedule(**{**terms, **overrides})


def vendor(price, term=24, **overrides):
    terms = {
        "pricing_model": "per_fte_month",
        "unit_price": D(price),
        "currency": "EUR",
        "transition_fee": D("0"),
        "volume": D("10"),
        "volume_unit": "fte",
        "term_months": term,
        "base_currency": "EUR",
        "rates": {},
    }
    return cost_schedule(**{**terms, **overrides})


def test_a_cheaper_vendor_saves_money_percent_and_pays_back_its_transition():
    # In-house 50,000 a month x 24 = 1,200,000. Vendor 30,000 a month x 24 = 720,000 + 100,000
    # transition = 820,000: saves 380,000 = 31.7 %. Cumulative saving after month n:
    # 20,000 n - 100,000 >= 0 from month 5 on.
    savings = savings_against(in_house(), vendor("3000", transition_fee=D("100000")))
    assert savings.in_house == D("1200000.00")
    assert savings.vendor == D("820000.00")
    assert savings.amount == D("380000.00")
    assert savings.percent == D("31.7")
    assert savings.break_even_month == 5
    assert savings.cheaper
    # Year 1: 600,000 - (360,000 + 100,000) = 140,000; year 2: 600,000 - 360,000 = 240,000
    assert [(y.year, y.saving) for y in savings.by_year] == [(1, D("140000")), (2, D("240000"))]


def test_a_vendor_dearer_than_in_house_never_breaks_even():
    savings = savings_against(in_house(), vendor("6000"))
    assert savings.amount == D("-240000.00")
    assert savings.percent == D("-20.0")
    assert savings.break_even_month is None
    assert not savings.cheaper


def test_a_vendor_cheaper_each_month_whose_transition_never_pays_back_never_breaks_even():
    # Saves 10,000 a month x 24 = 240,000 < 300,000 transition.
    savings = savings_against(in_house(), vendor("4000", transition_fee=D("300000")))
    assert savings.amount == D("-60000.00")
    assert savings.break_even_month is None


def test_an_exit_fee_that_eats_the_savings_means_no_break_even():
    # Ahead by 240,000 at the end of the term, then a 250,000 exit fee.
    savings = savings_against(in_house(), vendor("4000", exit_fee=D("250000")))
    assert savings.amount == D("-10000.00")
    assert savings.break_even_month is None


def test_without_a_transition_a_cheaper_vendor_breaks_even_in_the_first_month():
    assert savings_against(in_house(), vendor("4999")).break_even_month == 1


def test_a_minimum_term_is_billed_beyond_the_in_house_term():
    # In-house 12 months = 600,000; vendor billed 36 x 30,000 = 1,080,000.
    savings = savings_against(in_house(term=12), vendor("3000", term=12, minimum_term_months=36))
    assert savings.amount == D("-480000.00")
    assert [y.in_house for y in savings.by_year] == [D("600000.00"), D("0.00"), D("0.00")]
    assert [y.vendor for y in savings.by_year] == [D("360000.00")] * 3
    assert savings.break_even_month is None


def test_a_free_baseline_has_no_percentage():
    savings = savings_against(in_house(loaded_cost_per_fte_month=D("0")), vendor("0"))
    assert savings.amount == D("0.00")
    assert savings.percent is None
    assert savings.break_even_month == 1


@settings(max_examples=80, deadline=None)
@given(
    price=st.integers(min_value=0, max_value=9000),
    fee=st.integers(min_value=0, max_value=500_000),
    exit_fee=st.integers(min_value=0, max_value=500_000),
    minimum=st.sampled_from([0, 12, 36, 48]),
    escalation=st.decimals(min_value=0, max_value="0.1", places=3),
    discount=st.decimals(min_value=0, max_value="0.2", places=3),
)
def test_break_even_only_when_the_whole_term_saves_and_years_add_up(
    price, fee, exit_fee, minimum, escalation, discount
):
    baseline = in_house(discount_rate=discount, exit_costs=D(20000))
    offer = vendor(
        str(price),
        transition_fee=D(fee),
        exit_fee=D(exit_fee),
        minimum_term_months=minimum,
        annual_escalation=escalation,
        discount_rate=discount,
    )

    savings = savings_against(baseline, offer)

    assert savings.amount == savings.in_house - savings.vendor == baseline.total - offer.total
    if savings.break_even_month is not None:
        assert savings.amount >= 0
        assert 1 <= savings.break_even_month <= max(24, minimum)
    by_year = sum(y.saving for y in savings.by_year)
    assert abs(by_year - savings.amount) <= D("0.01") * len(savings.by_year)
