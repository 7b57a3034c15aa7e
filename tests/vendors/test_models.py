"""Database constraints reject rows that break the domain's facts."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from scoring.models import Criterion, Evaluation, EvaluationWeight
from tests.factories import (
    EvaluationFactory,
    ExchangeRateFactory,
    QuoteFactory,
    ScoreFactory,
    VendorFactory,
)
from vendors.models import Quote

pytestmark = pytest.mark.django_db


def assert_rejected(factory, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


def test_vendor_names_are_unique():
    VendorFactory(name="Acme BPO")
    assert_rejected(VendorFactory, name="Acme BPO")


def test_it_rejects_a_negative_price():
    assert_rejected(QuoteFactory, unit_price=Decimal("-1"))


def test_it_rejects_a_negative_transition_fee():
    assert_rejected(QuoteFactory, transition_fee=Decimal("-0.01"))


def test_it_rejects_a_service_level_over_100_percent():
    assert_rejected(QuoteFactory, service_level_pct=Decimal("100.5"))


def test_the_market_holds_one_list_price_per_offer():
    quote = QuoteFactory()
    assert_rejected(
        QuoteFactory,
        vendor=quote.vendor,
        process=quote.process,
        delivery_model=quote.delivery_model,
        pricing_model=quote.pricing_model,
    )


def test_an_evaluation_holds_one_quote_per_vendor_beside_the_market_price():
    market = QuoteFactory()
    evaluation = EvaluationFactory()
    QuoteFactory(vendor=market.vendor, evaluation=evaluation)
    assert Quote.objects.filter(vendor=market.vendor).count() == 2
    assert_rejected(QuoteFactory, vendor=market.vendor, evaluation=evaluation)


@pytest.mark.parametrize("value", [Decimal("-0.5"), Decimal("10.5")])
def test_scores_stay_between_0_and_10(value):
    assert_rejected(ScoreFactory, value=value)


def test_one_score_per_evaluator_vendor_and_criterion():
    score = ScoreFactory()
    assert_rejected(
        ScoreFactory,
        evaluation=score.evaluation,
        vendor=score.vendor,
        criterion=score.criterion,
        evaluator=score.evaluator,
    )


def test_exchange_rates_are_positive():
    assert_rejected(ExchangeRateFactory, rate=Decimal("0"))


def test_weights_are_percentages():
    evaluation = EvaluationFactory(with_default_weights=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationWeight.objects.create(
            evaluation=evaluation, criterion=Criterion.objects.first(), weight=Decimal("120")
        )


def test_an_evaluation_lasts_at_least_one_month():
    assert_rejected(EvaluationFactory, term_months=0)


def test_deleting_a_vendor_with_quotes_is_refused():
    from django.db.models import ProtectedError

    quote = QuoteFactory()
    with pytest.raises(ProtectedError):
        quote.vendor.delete()


def test_a_new_evaluation_is_an_editable_draft():
    evaluation = EvaluationFactory()
    assert evaluation.status == Evaluation.Status.DRAFT
    assert evaluation.is_editable
    assert evaluation.version == 1
