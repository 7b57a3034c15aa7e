"""A quote tied to an evaluation is part of it: once the evaluation is in review or approved, no path
changes it — not the service, not the model from a shell, not a queryset's bulk update or delete."""

from decimal import Decimal

import pytest

from scoring.models import Evaluation
from scoring.services import SetupError, quote_save
from tests.factories import QuoteFactory, VendorFactory, rankable_evaluation
from vendors.models import EvaluationQuoteLocked, Quote

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[Evaluation.Status.APPROVED, Evaluation.Status.IN_REVIEW])
def frozen(request):
    return rankable_evaluation(("Frozen BPO",), status=request.param)


@pytest.fixture
def draft():
    return rankable_evaluation(("Draft BPO",))


def prices(evaluation) -> list[Decimal]:
    return list(Quote.objects.filter(evaluation=evaluation).values_list("unit_price", flat=True))


def test_saving_a_frozen_evaluations_quote_from_the_shell_is_refused(frozen):
    quote = frozen.quotes.get()
    before = prices(frozen)
    quote.unit_price = Decimal("0.01")

    with pytest.raises(EvaluationQuoteLocked, match="can no longer change"):
        quote.save()

    assert prices(frozen) == before


def test_a_quote_fetched_with_only_some_fields_is_still_guarded(frozen):
    quote = Quote.objects.only("pk", "unit_price").get(evaluation=frozen)
    quote.unit_price = Decimal("0.01")

    with pytest.raises(EvaluationQuoteLocked):
        quote.save(update_fields=["unit_price"])

    assert prices(frozen) != [Decimal("0.01")]


def test_creating_a_quote_for_a_frozen_evaluation_is_refused(frozen):
    with pytest.raises(EvaluationQuoteLocked):
        Quote.objects.create(
            evaluation=frozen,
            vendor=VendorFactory(),
            process=frozen.process,
            delivery_model=frozen.quotes.get().delivery_model,
            pricing_model="per_fte_month",
            unit_price=Decimal("1"),
            currency="USD",
        )
    with pytest.raises(EvaluationQuoteLocked):
        Quote.objects.bulk_create([QuoteFactory.build(evaluation=frozen, vendor=VendorFactory())])

    assert frozen.quotes.count() == 1


def test_deleting_a_frozen_evaluations_quote_is_refused_one_by_one_and_in_bulk(frozen):
    with pytest.raises(EvaluationQuoteLocked):
        frozen.quotes.get().delete()
    with pytest.raises(EvaluationQuoteLocked):
        Quote.objects.all().delete()

    assert frozen.quotes.count() == 1


def test_a_bulk_update_touching_a_frozen_evaluations_quote_is_refused_whole(frozen, draft):
    market = QuoteFactory(unit_price=Decimal("100"))

    with pytest.raises(EvaluationQuoteLocked):
        Quote.objects.all().update(unit_price=Decimal("0.01"))
    quotes = list(Quote.objects.all())
    for quote in quotes:
        quote.unit_price = Decimal("0.01")
    with pytest.raises(EvaluationQuoteLocked):
        Quote.objects.bulk_update(quotes, ["unit_price"])

    market.refresh_from_db()
    assert market.unit_price == Decimal("100")
    assert Decimal("0.01") not in prices(frozen) + prices(draft)


def test_moving_a_quote_into_a_frozen_evaluation_is_refused(frozen, draft):
    quote = draft.quotes.get()
    quote.evaluation = frozen

    with pytest.raises(EvaluationQuoteLocked):
        quote.save()
    with pytest.raises(EvaluationQuoteLocked):
        Quote.objects.filter(pk=quote.pk).update(evaluation=frozen)
    with pytest.raises(EvaluationQuoteLocked):
        Quote.objects.bulk_update([quote], ["evaluation"])

    assert Quote.objects.get(pk=quote.pk).evaluation_id == draft.pk


def test_a_drafts_quotes_and_market_prices_still_change(draft):
    quote = draft.quotes.get()
    quote.unit_price = Decimal("1234")
    quote.save()
    market = QuoteFactory()
    Quote.objects.filter(pk=market.pk).update(unit_price=Decimal("99"))
    market.refresh_from_db()
    market.delete()

    assert prices(draft) == [Decimal("1234")]
    assert not Quote.objects.filter(pk=market.pk).exists()


def test_the_quote_service_refuses_a_frozen_evaluation_with_a_message(frozen):
    vendor = frozen.quotes.get().vendor

    with pytest.raises(SetupError, match="can no longer change"):
        quote_save(evaluation=frozen, vendor=vendor, unit_price=Decimal("0.01"))

    assert prices(frozen) != [Decimal("0.01")]
