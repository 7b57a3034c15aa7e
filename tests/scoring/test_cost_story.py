"""scoring.reports.cost_story, pure: the cost assumptions, quote terms and savings in words, true
for no baseline, one vendor, every vendor dearer than in-house; the schedule by year and chart."""

import dataclasses
from decimal import Decimal

from scoring import facts
from scoring.decision import decide
from scoring.reports import cost_story, summary
from scoring.reports.snapshot import from_snapshot, to_snapshot
from tests.scoring.test_decision import ALPHA, BETA, TODAY, full_scores, inputs, quote

D = Decimal
# 10 FTEs x 12 months at 2,000 loaded = 240,000 in-house (the quotes below are per FTE-month).
BASELINE = facts.BaselineFacts(D(10), D(2000), D(0), D(0), D(0))


def with_terms(data, *, baseline=BASELINE, **evaluation):
    ev = dataclasses.replace(data.evaluation, baseline=baseline, **evaluation)
    return dataclasses.replace(data, evaluation=ev)


def two(prices=(1000, 1200), **kwargs):
    data = inputs(
        [ALPHA, BETA],
        quotes=[quote(1, prices[0]), quote(2, prices[1])],
        scores=full_scores((1, 8), (2, 6)),
    )
    return with_terms(data, **kwargs)


def test_without_a_baseline_nothing_is_claimed_about_savings():
    decision = decide(two(baseline=None))

    assert cost_story.savings_sentence(decision) == ""
    assert all(t.savings is None for t in decision.tco)
    assert cost_story.assumptions(decision)[-1] == (
        "No in-house baseline is recorded, so no savings against in-house are shown."
    )
    assert not any("in-house" in p for p in summary.executive_summary(decision))


def test_the_recommended_vendor_savings_lead_the_business_case():
    decision = decide(two())

    # Alpha 120,000 against 240,000: saves 120,000 = 50 %; Beta 144,000 saves 96,000.
    sentence = cost_story.savings_sentence(decision)
    assert sentence == (
        "Running the process in-house would cost €240,000 over the 12-month term: Alpha, the "
        "recommended vendor, saves €120,000 (50.0 %); breaks even in month 1. All 2 vendors with "
        "a TCO cost less than in-house."
    )
    assert sentence in summary.executive_summary(decision)


def test_every_vendor_dearer_than_in_house_is_said_so():
    decision = decide(two(prices=(3000, 2500)))

    assert cost_story.savings_sentence(decision).endswith(
        "Alpha, the recommended vendor, costs €120,000 (50.0 %) more than in-house; never breaks "
        "even within the term. All 2 vendors with a TCO cost more than in-house."
    )


def test_one_vendor_cheaper_of_two():
    decision = decide(two(prices=(1000, 2500)))

    assert cost_story.savings_sentence(decision).endswith(
        "1 vendor of the 2 with a TCO costs less than in-house."
    )


def test_the_only_vendor_with_a_tco_says_so():
    data = with_terms(inputs([ALPHA], quotes=[quote(1, 1000)], scores=full_scores((1, 7))))

    assert cost_story.savings_sentence(decide(data)).endswith("It is the only vendor with a TCO.")


def test_a_baseline_without_quotes_says_there_is_nothing_to_compare():
    data = with_terms(inputs([ALPHA], scores=full_scores((1, 7))))

    assert cost_story.savings_sentence(decide(data)) == (
        "Running the process in-house would cost €240,000 over the 12-month term; no competing "
        "vendor has a TCO to compare with it yet."
    )


def test_the_assumptions_state_hours_per_fte_discounting_and_the_baseline():
    baseline = facts.BaselineFacts(D(10), D(2000), D(500), D("3.5"), D(10000))
    decision = decide(two(hours_per_fte=D("152.5"), discount_rate=D(8), baseline=baseline))

    said = cost_story.assumptions(decision)

    assert said[0] == "Hours convert at 152.5 hours per FTE-month."
    assert said[1].startswith("Each month's payment is discounted to present value at 8 % a year")
    assert said[2] == "Every quote is in EUR: nothing is converted."
    assert said[3].startswith(
        "In-house: 10 FTEs at €2,000 per FTE-month plus €500 overheads a month, wages rising "
        "3.5 % a year, €10,000 exit costs at the end: €"
    )


def test_a_quote_s_terms_in_words():
    data = two()
    terms = dataclasses.replace(
        data.quotes[0], minimum_term_months=36, annual_escalation=D(5), exit_fee=D(2000)
    )
    decision = decide(dataclasses.replace(data, quotes=(terms, data.quotes[1])))

    assert cost_story.quote_terms(decision, 1) == [
        "Billed 36 months: the vendor's minimum term is longer than the 12-month contract.",
        "Prices rise 5 % at the start of each contract year.",
        "Exit fee €2,000 at the end.",
    ]
    assert cost_story.quote_terms(decision, 2) == []
    rows = cost_story.year_rows(decision)
    # 120,000; 126,000; 132,300 + 2,000 exit fee in the last billed year
    assert [r.years for r in rows if r.name == "Alpha"] == [
        (D("120000.00"), D("126000.00"), D("134300.00"))
    ]
    assert rows[-1].in_house and rows[-1].years == (D("240000.00"), D(0), D(0))


def test_the_schedule_chart_draws_each_vendor_the_in_house_line_and_the_cap():
    decision = decide(two(budget_cap=D(130000)))

    svg = cost_story.schedule_chart(decision)

    assert svg is not None and "Alpha" in svg and "In-house" in svg and "Budget cap" in svg
    assert "€130,000" in cost_story.chart_description(decision)
    assert cost_story.schedule_chart(decide(inputs())) is None


def test_schedules_and_savings_survive_the_snapshot_and_a_schema_3_one_still_loads():
    decision = decide(two(discount_rate=D(5)))
    data = to_snapshot(decision)

    again = from_snapshot(data)

    assert again.tco == decision.tco and again.in_house == decision.in_house
    old = dict(data, schema=3)
    old["tco"] = [
        {k: v for k, v in line.items() if k not in ("schedule", "savings")} for line in data["tco"]
    ]
    old.pop("in_house")
    for key in ("hours_per_fte", "discount_rate", "baseline"):
        old["inputs"]["evaluation"].pop(key)
    legacy = from_snapshot(old)
    assert legacy.schema == 3 and legacy.in_house is None
    assert legacy.evaluation.hours_per_fte == 160 and legacy.evaluation.discount_rate == 0
    assert [t.tco for t in legacy.tco] == [t.tco for t in decision.tco]
    assert cost_story.savings_sentence(legacy) == "" and cost_story.year_rows(legacy) == []


def test_a_what_if_ranking_recommends_nobody_in_the_business_case_either():
    decision = decide(two(), weights={"quality": 10, "cost": 90})

    assert "Alpha, ranked first, saves" in cost_story.savings_sentence(decision)


def test_quotes_in_other_currencies_state_the_rates_and_their_dates():
    data = two()
    rupees = dataclasses.replace(data.quotes[1], currency="INR", unit_price=D(100000))
    rate = facts.Rate("INR", "EUR", D("0.011"), TODAY)
    decision = decide(dataclasses.replace(data, quotes=(data.quotes[0], rupees), rates=(rate,)))

    assert cost_story.assumptions(decision)[2] == (
        "Converted into EUR at 0.011 EUR per INR (as of Jun 1, 2026)."
    )
