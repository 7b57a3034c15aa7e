"""Blended delivery and cost risk in the pure decision: a vendor's TCO is costed at its optimal mix,
an infeasible mix knocks it out with the reason, the mix and the risk survive the snapshot, and
every sentence is true. No database."""

import dataclasses
from decimal import Decimal

import pytest

from scoring import blending, facts
from scoring.decision import Status, decide
from scoring.decision_risk import risk_sentences
from scoring.reports.snapshot import from_snapshot, to_snapshot
from tests.scoring.test_decision import full_scores, inputs, quote, vendor


def centre(model, seats):
    return facts.Centre(
        "IN", "India", "Pune", seats, {"onshore": 1, "offshore": 3}[model], model.title(), model
    )


def blended_quote(pk, offshore="2000", onshore="5000", currency="EUR"):
    base = dataclasses.replace(
        quote(pk, offshore), delivery_model_code="offshore", currency=currency
    )
    if onshore is None:
        return base
    return dataclasses.replace(
        base, model_prices=(facts.ModelPrice("onshore", "Onshore", Decimal(onshore)),)
    )


def with_bounds(data, **bounds):
    shares = tuple(
        facts.ShareBound(model, model.title(), Decimal(low), Decimal(high))
        for model, (low, high) in bounds.items()
    )
    return dataclasses.replace(
        data, evaluation=dataclasses.replace(data.evaluation, share_bounds=shares)
    )


BLEND = vendor(1, "Blend", centres=(centre("onshore", 50), centre("offshore", 500)))
SINGLE = vendor(2, "Single", centres=(centre("offshore", 500),))


def case(**bounds):
    data = inputs(
        [BLEND, SINGLE],
        quotes=[blended_quote(1), blended_quote(2, offshore="2500", onshore=None)],
        scores=full_scores((1, 7), (2, 7)),
    )
    return with_bounds(data, **bounds) if bounds else data


def test_a_vendor_with_prices_per_model_is_costed_at_its_cheapest_mix_within_the_bounds():
    decision = decide(case(onshore=("0.3", "1")), sensitivity=False)

    line = decision.tco_by_vendor[1]
    assert {s.model: s.share for s in line.mix.shares} == {
        "onshore": Decimal("0.3"),
        "offshore": Decimal("0.7"),
    }
    # 30 % at 5,000 and 70 % at 2,000 = 2,900 per FTE-month x 10 FTEs x 12 months.
    assert line.tco == Decimal("348000.00")
    assert line.mix.unit_price == Decimal("2900")


def test_without_bounds_or_prices_per_model_the_totals_are_todays():
    plain = inputs(
        [BLEND, SINGLE], quotes=[quote(1, 2000), quote(2, 2500)], scores=full_scores((1, 7), (2, 7))
    )

    decision = decide(plain, sensitivity=False)

    assert [line.mix for line in decision.tco] == [None, None]
    assert decision.tco_by_vendor[1].tco == Decimal("240000.00")


def test_prices_per_model_without_bounds_take_the_cheapest_model_all_the_way():
    decision = decide(case(), sensitivity=False)

    assert decision.tco_by_vendor[1].tco == Decimal("240000.00")
    assert decision.tco_by_vendor[2].mix is None  # a single price and no bounds: no mix


def test_a_vendor_that_cannot_meet_the_bounds_is_knocked_out_with_the_reason():
    decision = decide(case(onshore=("0.3", "1")), sensitivity=False)

    status = decision.status_of[2]
    assert status.status == Status.KNOCKED_OUT
    assert status.reasons == (
        "No delivery mix fits: needs at least 30 % onshore but the vendor has no onshore price",
    )
    assert decision.tco_by_vendor[2].tco is None
    assert [row.name for row in decision.ranking] == ["Blend"]


def test_too_few_seats_in_a_model_knocks_the_vendor_out_naming_the_seats():
    small = dataclasses.replace(BLEND, centres=(centre("onshore", 2), centre("offshore", 500)))
    data = dataclasses.replace(case(onshore=("0.3", "1")), vendors=(small, SINGLE))

    decision = decide(data, sensitivity=False)

    assert decision.status_of[1].reasons == (
        "No delivery mix fits: needs at least 30 % onshore (3 FTEs) but its onshore centres "
        "have 2 seats",
    )


def test_the_mix_and_the_cost_risk_survive_the_snapshot():
    decision = decide(case(onshore=("0.3", "0.5")))

    again = from_snapshot(to_snapshot(decision))

    assert again.tco == decision.tco
    assert again.cost_risk == decision.cost_risk
    assert again.tco_by_vendor[1].mix.shares[0].share == Decimal("0.3")


def test_a_schema_3_snapshot_loads_without_a_mix_or_a_risk():
    data = to_snapshot(decide(case(), sensitivity=False))
    data["schema"] = 3
    for line in data["tco"]:
        del line["mix"]
    del data["cost_risk"]

    old = from_snapshot(data)

    assert old.schema == 3
    assert old.cost_risk is None
    assert all(line.mix is None for line in old.tco)


def test_cost_risk_in_the_base_currency_says_there_is_no_fx_risk():
    decision = decide(case(onshore=("0.3", "1")))
    risk = decision.cost_risk

    assert [line.name for line in risk.lines] == ["Blend"]  # the knocked-out vendor has none
    assert risk.fx_free
    said = risk_sentences(risk, "EUR")
    assert "Every quote is in EUR: no FX risk." in said[0]
    assert risk.lines[0].p10 <= risk.lines[0].p50 <= risk.lines[0].p90


def test_cost_risk_in_a_foreign_currency_names_its_volatility_and_first_places():
    data = case()
    rates = (facts.Rate("INR", "EUR", Decimal("0.011"), None),)
    quotes = (
        blended_quote(1, offshore="180000", onshore=None, currency="INR"),
        blended_quote(2, onshore=None),
    )
    data = dataclasses.replace(data, rates=rates, quotes=quotes)

    risk = decide(data).cost_risk
    said = " ".join(risk_sentences(risk, "EUR"))

    assert "INR 10% a year (default)" in said
    assert risk.ranked_first
    assert sum(line.first_share for line in risk.lines) == pytest.approx(1)
    best = max(risk.lines, key=lambda line: line.first_share or 0.0)
    assert f"{best.name} ranks first in {best.first_share:.1%} of the futures" in said


def test_no_vendor_with_a_tco_has_no_cost_risk_sentence_but_says_so():
    assert risk_sentences(None, "EUR") == [
        "No vendor has a TCO yet, so there is no cost risk to show."
    ]


def test_the_bounds_are_stated_in_words():
    assert blending.bounds_sentence(case().evaluation) == (
        "No share of the volume is required of any delivery model."
    )
    bounded = case(onshore=("0.3", "1"), offshore=("0", "0.6")).evaluation
    assert blending.bounds_sentence(bounded) == (
        "The volume must be delivered at least 30 % onshore; at most 60 % offshore; "
        "the rest goes where it is cheapest."
    )


def test_the_mix_is_stated_in_words():
    mix = decide(case(onshore=("0.3", "1")), sensitivity=False).tco_by_vendor[1].mix

    assert blending.mix_sentence(mix, lambda p: f"€{p:,.0f}") == (
        "70 % offshore at €2,000, 30 % onshore at €5,000: a blend of €2,900."
    )


def test_savings_at_risk_against_a_baseline_mirror_the_cost_at_risk():
    from scoring.decision_risk import cost_risk_for

    data = dataclasses.replace(
        case(),
        rates=(facts.Rate("INR", "EUR", Decimal("0.011"), None),),
        quotes=(blended_quote(1, offshore="180000", onshore=None, currency="INR"),),
    )

    risk = cost_risk_for(data, {1: Decimal("237600.00")}, baseline=Decimal("300000"))
    line = risk.lines[0]

    assert line.savings_p50 == Decimal(300000) - line.p50
    assert line.savings_p10 == Decimal(300000) - line.p90
    assert line.savings_at_risk == line.at_risk > 0
    assert line.first_share is None and not risk.ranked_first


def test_one_costed_vendor_gets_sentences_about_itself_alone():
    base = case()
    longer = dataclasses.replace(base.evaluation, term_months=24)  # escalation moves year 2
    data = dataclasses.replace(
        base, evaluation=longer, vendors=(BLEND,), candidates=base.candidates[:1]
    )

    said = risk_sentences(decide(data).cost_risk, "EUR")

    assert said[1].startswith("Blend's cost at risk (P90 − P50) is €")
    assert not any("ranks first" in sentence or "largest" in sentence for sentence in said)


def test_a_one_year_contract_in_the_base_currency_says_nothing_moves():
    said = risk_sentences(decide(case()).cost_risk, "EUR")

    assert "No TCO moves between the futures." in said


def test_a_mix_in_one_delivery_model_is_named_by_it_not_called_a_blend():
    from scoring.blending import MixShare, VendorMix

    def mix(near: str, price: str) -> VendorMix:
        shares = (
            MixShare("nearshore", "Nearshore", Decimal(near), Decimal(10)),
            MixShare("offshore", "Offshore", 1 - Decimal(near), Decimal(5)),
        )
        return VendorMix(shares, Decimal(price))

    assert (mix("1", "10").blended, mix("1", "10").delivery_text) == (False, "Nearshore")
    assert (mix("0.3", "6.5").blended, mix("0.3", "6.5").delivery_text) == (True, "Blend")
