"""scoring.selectors, candidates and costs: TCO rows, exchange rates and knock-outs."""

import datetime as dt
from decimal import Decimal

import pytest

from scoring.models import Evaluation
from scoring.selectors import (
    decision_inputs,
    evaluation_decision,
    exchange_rates,
)
from scoring.selectors_candidates import candidate_eligibility, candidate_knockouts
from tests.factories import (
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    ExchangeRateFactory,
    QuoteFactory,
    VendorCertificationFactory,
    VendorFactory,
    VendorProcessFactory,
    certification,
    delivery_model,
    process,
)
from vendors.models import Quote

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def quoted_candidate(evaluation, name, **quote):
    candidate = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name=name))
    QuoteFactory(
        vendor=candidate.vendor, evaluation=evaluation, process=evaluation.process, **quote
    )
    return candidate.vendor


def tco_lines(evaluation, *, include_excluded=False):
    """The decision's TCO lines of competing candidates (every candidate if asked), in order."""
    decision = evaluation_decision(evaluation)
    keep = set(decision.vendors) if include_excluded else set(decision.competing)
    return [line for line in decision.tco if line.vendor_id in keep]


def test_exchange_rates_takes_the_latest_rate_on_or_before_the_day():
    ExchangeRateFactory(currency="EUR", rate=Decimal("1.05"), as_of=TODAY - dt.timedelta(days=30))
    ExchangeRateFactory(currency="EUR", rate=Decimal("1.10"), as_of=TODAY - dt.timedelta(days=1))
    ExchangeRateFactory(currency="EUR", rate=Decimal("1.20"), as_of=TODAY + dt.timedelta(days=1))
    ExchangeRateFactory(currency="INR", base_currency="EUR", rate=Decimal("0.011"))

    rates = exchange_rates("USD")

    assert rates == {"EUR": Decimal("1.10")}
    assert exchange_rates("USD", TODAY - dt.timedelta(days=10)) == {"EUR": Decimal("1.05")}


def test_exchange_rates_uses_one_query(django_assert_num_queries):
    for code in ("EUR", "GBP", "INR"):
        ExchangeRateFactory(currency=code)
    with django_assert_num_queries(1):
        exchange_rates("USD")


def test_tco_is_computed_for_each_pricing_model_in_the_base_currency():
    ExchangeRateFactory(currency="EUR", rate=Decimal("1.10"))
    evaluation = EvaluationFactory(volume=Decimal("10"), term_months=12)
    fte = quoted_candidate(
        evaluation, "FTE Co", unit_price=Decimal("2000"), transition_fee=Decimal("500")
    )
    hour = quoted_candidate(
        evaluation,
        "Hourly Co",
        pricing_model=Quote.PricingModel.PER_HOUR,
        unit_price=Decimal("10"),
        transition_fee=Decimal("0"),
    )
    fixed = quoted_candidate(
        evaluation,
        "Fixed Co",
        pricing_model=Quote.PricingModel.FIXED_MONTHLY,
        unit_price=Decimal("15000"),
        currency="EUR",
        transition_fee=Decimal("0"),
    )

    rows = {row.vendor_id: row for row in tco_lines(evaluation)}

    assert rows[fte.pk].tco == Decimal("240500.00")  # 2000 x 10 FTE x 12 + 500
    assert rows[hour.pk].tco == Decimal("192000.00")  # 10 x 10 FTE x 160 h x 12
    assert rows[fixed.pk].tco == Decimal("198000.00")  # 15000 EUR x 12 x 1.10
    assert all(row.problem == "" for row in rows.values())


def test_tco_per_transaction_needs_a_volume_in_transactions():
    evaluation = EvaluationFactory(
        volume=Decimal("50000"), volume_unit=Evaluation.VolumeUnit.TRANSACTIONS, term_months=24
    )
    per_tx = quoted_candidate(
        evaluation,
        "Tx Co",
        pricing_model=Quote.PricingModel.PER_TRANSACTION,
        unit_price=Decimal("0.80"),
        transition_fee=Decimal("1000"),
    )
    per_fte = quoted_candidate(evaluation, "FTE Co")

    rows = {row.vendor_id: row for row in tco_lines(evaluation)}

    assert rows[per_tx.pk].tco == Decimal("961000.00")
    assert rows[per_fte.pk].tco is None
    assert rows[per_fte.pk].problem == "Priced per FTE-month but the volume is in transactions"


def test_tco_rows_are_cheapest_first_and_rows_without_tco_last():
    evaluation = EvaluationFactory()
    dear = quoted_candidate(evaluation, "Dear", unit_price=Decimal("3000"))
    cheap = quoted_candidate(evaluation, "Cheap", unit_price=Decimal("1000"))
    no_rate = quoted_candidate(evaluation, "Rupee", currency="INR")
    unquoted = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name="Silent")).vendor

    rows = tco_lines(evaluation)

    assert [row.vendor_id for row in rows] == [cheap.pk, dear.pk, no_rate.pk, unquoted.pk]
    assert rows[2].problem == "No exchange rate from INR to USD"
    assert rows[3].problem == "No quote yet"
    assert rows[3].tco is None


def test_an_expired_quote_is_flagged_but_still_costed():
    evaluation = EvaluationFactory()
    vendor = quoted_candidate(evaluation, "Old", valid_until=TODAY - dt.timedelta(days=1))

    (row,) = tco_lines(evaluation)

    assert row.vendor_id == vendor.pk
    assert row.expired is True
    assert row.tco is not None


def test_excluded_candidates_are_left_out_unless_asked_for():
    evaluation = EvaluationFactory()
    CandidateFactory(evaluation=evaluation, excluded_reason="Failed reference calls")
    kept = CandidateFactory(evaluation=evaluation).vendor

    assert [row.vendor_id for row in tco_lines(evaluation)] == [kept.pk]
    assert len(tco_lines(evaluation, include_excluded=True)) == 2


def test_market_quotes_and_other_evaluations_quotes_do_not_count():
    evaluation = EvaluationFactory()
    vendor = CandidateFactory(evaluation=evaluation).vendor
    QuoteFactory(vendor=vendor)  # market list price
    QuoteFactory(vendor=vendor, evaluation=EvaluationFactory())

    (row,) = tco_lines(evaluation)

    assert row.vendor_id not in evaluation_decision(evaluation).quotes
    assert row.problem == "No quote yet"


@pytest.mark.parametrize("count", [5, 50])
def test_decision_inputs_uses_a_fixed_number_of_queries_whatever_the_candidate_count(
    count, django_assert_num_queries
):
    evaluation = EvaluationFactory()
    for index in range(count):
        quoted_candidate(evaluation, f"V{index:03d}")
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    with django_assert_num_queries(INPUT_QUERIES):
        decision_inputs(evaluation)


# Weights, candidates (+ certifications, centres), quotes, rates, scores, and the evaluation's
# process, owner, team, required certifications and allowed delivery models; consensus scores;
# the in-house baseline; delivery share bounds, prices per delivery model and the FX rate history;
# the candidates' SLA standing (contracts, one query); their RFP-evidenced certificates (one).
INPUT_QUERIES = 19


def offering(name, **kwargs):
    vendor = VendorFactory(name=name, **kwargs)
    VendorProcessFactory(vendor=vendor)
    return vendor


def test_eligibility_splits_offering_vendors_by_knock_outs_with_every_reason():
    evaluation = EvaluationFactory()
    evaluation.required_certifications.set([certification("iso-27001")])
    evaluation.allowed_delivery_models.set(
        [delivery_model("nearshore"), delivery_model("offshore")]
    )
    good = offering("Good")
    VendorCertificationFactory(vendor=good)
    DeliveryCentreFactory(vendor=good, delivery_model=delivery_model("offshore"))
    expired = offering("Expired")
    lapsed = TODAY - dt.timedelta(days=3)
    VendorCertificationFactory(vendor=expired, valid_until=lapsed)
    DeliveryCentreFactory(vendor=expired, delivery_model=delivery_model("nearshore"))
    bare = offering("Bare")
    DeliveryCentreFactory(vendor=bare, delivery_model=delivery_model("onshore"))

    suggested, excluded = candidate_eligibility(evaluation)

    assert [e.vendor for e in suggested] == [good]
    reasons = {e.vendor.name: e.reasons for e in excluded}
    assert reasons == {
        "Bare": [
            "Missing certification: ISO 27001",
            "No centre in an allowed delivery model (Nearshore, Offshore)",
        ],
        "Expired": [f"ISO 27001 expired on {lapsed:%b} {lapsed.day}, {lapsed.year}"],
    }


def test_inactive_vendors_candidates_and_other_processes_are_never_suggested():
    evaluation = EvaluationFactory()
    offering("Retired", is_active=False)
    already = offering("Already")
    CandidateFactory(evaluation=evaluation, vendor=already)
    VendorProcessFactory(process=process("payroll-benefits-administration"))  # other process only
    VendorFactory(name="Nothing offered")
    fresh = offering("Fresh")

    suggested, excluded = candidate_eligibility(evaluation)

    assert [e.vendor for e in suggested] == [fresh]
    assert excluded == []


def test_budget_cap_knocks_out_only_once_a_quote_exists():
    evaluation = EvaluationFactory(
        budget_cap=Decimal("1000000"), volume=Decimal("20"), term_months=36
    )
    unquoted = offering("Unquoted")
    dear = offering("Dear")
    QuoteFactory(vendor=dear, evaluation=evaluation, unit_price=Decimal("2500"))  # 1,810,000

    suggested, excluded = candidate_eligibility(evaluation)

    assert [e.vendor for e in suggested] == [unquoted]
    assert excluded[0].vendor == dear
    assert excluded[0].reasons == ["TCO $1,810,000 over the budget cap $1,000,000"]


def test_candidate_knockouts_lists_reasons_for_current_candidates():
    evaluation = EvaluationFactory()
    evaluation.required_certifications.set([certification("pci-dss")])
    ok = CandidateFactory(evaluation=evaluation).vendor
    VendorCertificationFactory(vendor=ok, certification=certification("pci-dss"))
    missing = CandidateFactory(evaluation=evaluation).vendor
    retired = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(is_active=False)).vendor
    VendorCertificationFactory(vendor=retired, certification=certification("pci-dss"))

    knockouts = candidate_knockouts(evaluation)

    assert knockouts == {
        ok.pk: [],
        missing.pk: ["Missing certification: PCI DSS"],
        retired.pk: ["Vendor is no longer active"],
    }


@pytest.mark.parametrize("count", [5, 50])
def test_eligibility_and_knockouts_use_constant_queries(count, django_assert_num_queries):
    evaluation = EvaluationFactory(budget_cap=Decimal("100"))
    evaluation.required_certifications.set([certification("iso-27001")])
    evaluation.allowed_delivery_models.set([delivery_model("offshore")])
    for index in range(count):
        vendor = offering(f"V{index:03d}")
        VendorCertificationFactory(vendor=vendor)
        DeliveryCentreFactory(vendor=vendor)
        QuoteFactory(vendor=vendor, evaluation=evaluation)
        if index % 2:
            CandidateFactory(evaluation=evaluation, vendor=vendor)
    with django_assert_num_queries(7):
        candidate_eligibility(evaluation)
    with django_assert_num_queries(8):  # and the candidates' SLA standing
        candidate_knockouts(evaluation)
