"""A quote's prices per delivery model are frozen with its evaluation, like the quote itself: the
ORM (one by one and in bulk) and the admin's inline refuse them once it is in review or approved."""

from decimal import Decimal

import pytest

from scoring.models import Evaluation
from tests.factories import UserFactory, delivery_model, rankable_evaluation
from vendors.models import EvaluationQuoteLocked, QuoteDeliveryPrice

pytestmark = pytest.mark.django_db


def _priced(status, name="Blend BPO"):
    evaluation = rankable_evaluation((name,))
    quote = evaluation.quotes.get()
    QuoteDeliveryPrice.objects.create(
        quote=quote, delivery_model=delivery_model("onshore"), unit_price=Decimal("5000")
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    return quote


@pytest.fixture(params=[Evaluation.Status.APPROVED, Evaluation.Status.IN_REVIEW])
def frozen_quote(request):
    return _priced(request.param)


def stored(quote) -> list[Decimal]:
    return list(quote.delivery_prices.values_list("unit_price", flat=True))


def test_changing_a_frozen_per_model_price_from_the_shell_is_refused(frozen_quote):
    price = frozen_quote.delivery_prices.get()
    price.unit_price = Decimal("1")

    with pytest.raises(EvaluationQuoteLocked, match="can no longer change"):
        price.save()
    with pytest.raises(EvaluationQuoteLocked):
        price.delete()

    assert stored(frozen_quote) == [Decimal("5000")]


def test_adding_a_per_model_price_to_a_frozen_quote_is_refused_one_by_one_and_in_bulk(
    frozen_quote,
):
    new = QuoteDeliveryPrice(
        quote=frozen_quote, delivery_model=delivery_model("nearshore"), unit_price=Decimal("1")
    )

    with pytest.raises(EvaluationQuoteLocked):
        new.save()
    with pytest.raises(EvaluationQuoteLocked):
        QuoteDeliveryPrice.objects.bulk_create([new])

    assert stored(frozen_quote) == [Decimal("5000")]


def test_bulk_updates_and_deletes_of_frozen_per_model_prices_are_refused(frozen_quote):
    draft_quote = _priced(Evaluation.Status.DRAFT, "Draft BPO")
    prices = list(QuoteDeliveryPrice.objects.all())
    for price in prices:
        price.unit_price = Decimal("1")

    with pytest.raises(EvaluationQuoteLocked):
        QuoteDeliveryPrice.objects.all().update(unit_price=Decimal("1"))
    with pytest.raises(EvaluationQuoteLocked):
        QuoteDeliveryPrice.objects.bulk_update(prices, ["unit_price"])
    with pytest.raises(EvaluationQuoteLocked):
        QuoteDeliveryPrice.objects.all().delete()

    assert stored(frozen_quote) == [Decimal("5000")]
    assert stored(draft_quote) == [Decimal("5000")]


def test_moving_a_draft_per_model_price_onto_a_frozen_quote_is_refused(frozen_quote):
    price = _priced(Evaluation.Status.DRAFT, "Draft BPO").delivery_prices.get()

    with pytest.raises(EvaluationQuoteLocked):
        QuoteDeliveryPrice.objects.filter(pk=price.pk).update(quote=frozen_quote)
    price.quote = frozen_quote
    with pytest.raises(EvaluationQuoteLocked):
        price.save()


def test_a_drafts_per_model_prices_change_freely():
    quote = _priced(Evaluation.Status.DRAFT)
    price = quote.delivery_prices.get()
    price.unit_price = Decimal("4800")
    price.save()
    QuoteDeliveryPrice.objects.filter(pk=price.pk).update(unit_price=Decimal("4700"))

    assert stored(quote) == [Decimal("4700")]
    assert price.history.count() == 2


def test_the_admin_inline_cannot_change_a_frozen_quotes_per_model_price(client, frozen_quote):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    price = frozen_quote.delivery_prices.get()
    url = f"/admin/vendors/quote/{frozen_quote.pk}/change/"

    page = client.get(url)
    answer = client.post(
        url,
        {
            "delivery_prices-TOTAL_FORMS": "1",
            "delivery_prices-INITIAL_FORMS": "1",
            "delivery_prices-0-id": str(price.pk),
            "delivery_prices-0-quote": str(frozen_quote.pk),
            "delivery_prices-0-delivery_model": str(price.delivery_model_id),
            "delivery_prices-0-unit_price": "1",
        },
    )

    assert page.status_code == 200
    assert "Price per delivery model" in page.content.decode() or "prices per delivery model" in (
        page.content.decode().lower()
    )
    assert answer.status_code == 403
    assert stored(frozen_quote) == [Decimal("5000")]
