"""Blended delivery through the pages: share bounds saved (or refused whole, naming the model),
prices per delivery model on the quote form, and the TCO page, ranking page and PDF showing the
mix and the cost risk with a query count that does not grow with the candidates."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import DeliveryShareBound, Evaluation
from scoring.services import SetupError
from scoring.services.blend import model_prices_save, share_bounds_save
from tests.factories import (
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    QuoteFactory,
    VendorFactory,
    delivery_model,
    quote_form_data,
    rankable_evaluation,
)
from tests.scoring.test_report_truth import flat, pdf_text
from vendors.models import ExchangeRate, Quote, QuoteDeliveryPrice

pytestmark = pytest.mark.django_db


def bounds_data(**values):
    data = {}
    for code in ("onshore", "nearshore", "offshore"):
        data[f"{code}_min"], data[f"{code}_max"] = values.get(code, ("0", "100"))
    return data


def blended_vendor(evaluation, name, *, offshore="2000", onshore="5000", seats=(50, 500)):
    vendor = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name=name)).vendor
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("onshore"), seats=seats[0])
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("offshore"), seats=seats[1])
    quote = QuoteFactory(
        vendor=vendor,
        evaluation=evaluation,
        delivery_model=delivery_model("offshore"),
        unit_price=Decimal(offshore),
        transition_fee=Decimal(0),
    )
    if onshore is not None:
        QuoteDeliveryPrice.objects.create(
            quote=quote, delivery_model=delivery_model("onshore"), unit_price=Decimal(onshore)
        )
    return vendor


def test_the_owner_sets_a_minimum_onshore_share_and_the_tco_page_shows_the_blend(
    analyst_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(10), term_months=12)
    blended_vendor(evaluation, "Blend BPO")

    answer = analyst_client.post(
        reverse("scoring:delivery_mix", args=[evaluation.pk]), bounds_data(onshore=("30", "100"))
    )
    page = analyst_client.get(reverse("scoring:tco", args=[evaluation.pk])).content.decode()

    assert answer.status_code == 302
    bound = DeliveryShareBound.objects.get(evaluation=evaluation)
    assert (bound.delivery_model.code, bound.min_share, bound.max_share) == ("onshore", 30, 100)
    assert "The volume must be delivered at least 30 % onshore" in page
    assert "70 % offshore at $2,000.00, 30 % onshore at $5,000.00: a blend of $2,900.00." in page
    assert "$348,000" in page  # 2,900 x 10 FTEs x 12 months
    assert "Every quote is in USD: no FX risk." in page
    assert "share of the volume per delivery model: Blend BPO: 70 % offshore" in page
    assert page.count('<img src="data:image/svg+xml;base64,') == 3  # TCO bars, cost by year, mix


def test_a_minimum_above_the_maximum_is_refused_naming_the_model_and_nothing_is_saved(
    analyst_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst)

    answer = analyst_client.post(
        reverse("scoring:delivery_mix", args=[evaluation.pk]),
        bounds_data(onshore=("20", "100"), offshore=("60", "40")),
    )

    assert answer.status_code == 200
    assert "Offshore: the minimum share 60 % is above the maximum 40 %." in answer.content.decode()
    assert not DeliveryShareBound.objects.filter(evaluation=evaluation).exists()


def test_minimum_shares_over_100_percent_are_refused_whole():
    evaluation = EvaluationFactory()
    onshore, offshore = delivery_model("onshore"), delivery_model("offshore")

    with pytest.raises(SetupError, match=r"add up to 110 %"):
        share_bounds_save(
            evaluation=evaluation,
            bounds={onshore: (Decimal(50), None), offshore: (Decimal(60), None)},
        )

    assert not DeliveryShareBound.objects.exists()


def test_a_frozen_evaluations_bounds_cannot_change():
    evaluation = rankable_evaluation(("Frozen BPO",), status=Evaluation.Status.IN_REVIEW)

    with pytest.raises(SetupError):
        share_bounds_save(evaluation=evaluation, bounds={delivery_model("onshore"): (10, 100)})

    assert not DeliveryShareBound.objects.exists()


def test_clearing_a_bound_removes_it_and_leaves_history():
    evaluation = EvaluationFactory()
    onshore = delivery_model("onshore")
    share_bounds_save(evaluation=evaluation, bounds={onshore: (Decimal(30), Decimal(100))})

    share_bounds_save(evaluation=evaluation, bounds={onshore: (None, None)})

    assert not DeliveryShareBound.objects.exists()
    assert [h.history_type for h in DeliveryShareBound.history.order_by("history_id")] == ["+", "-"]


def test_the_quote_form_offers_a_price_for_each_model_the_vendor_has_centres_in(
    analyst_client, analyst
):
    ExchangeRate.objects.create(
        currency="EUR", base_currency="USD", rate=Decimal("1.1"), as_of=dt.date.today()
    )
    evaluation = EvaluationFactory(owner=analyst)
    vendor = CandidateFactory(evaluation=evaluation).vendor
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("nearshore"))
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("onshore"))
    url = reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk])

    form = analyst_client.get(url).context["prices_form"]
    answer = analyst_client.post(url, quote_form_data() | {"prices-price_onshore": "4500"})

    assert sorted(form.fields) == ["price_nearshore", "price_onshore"]
    assert answer.status_code == 302
    quote = Quote.objects.get(evaluation=evaluation)
    assert [(p.delivery_model.code, p.unit_price) for p in quote.delivery_prices.all()] == [
        ("onshore", Decimal("4500"))
    ]


def test_a_price_for_a_model_without_a_centre_is_refused_and_the_quote_is_not_changed():
    evaluation = EvaluationFactory(volume=Decimal(10))
    vendor = blended_vendor(evaluation, "Blend BPO", onshore=None)

    with pytest.raises(SetupError, match="Nearshore price: Blend BPO has no nearshore centre"):
        model_prices_save(
            evaluation=evaluation,
            vendor=vendor,
            prices={delivery_model("nearshore"): Decimal(100)},
        )

    assert not QuoteDeliveryPrice.objects.exists()


def test_a_vendor_that_cannot_meet_the_bounds_is_shown_knocked_out_with_the_reason(
    analyst_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(10))
    blended_vendor(evaluation, "Offshore Only", onshore=None)
    share_bounds_save(evaluation=evaluation, bounds={delivery_model("onshore"): (30, 100)})

    page = analyst_client.get(reverse("scoring:tco", args=[evaluation.pk])).content.decode()

    assert (
        "No delivery mix fits: needs at least 30 % onshore but the vendor has no onshore price"
        in page
    )


@pytest.mark.parametrize("count", [3, 30])
def test_the_tco_page_with_blends_keeps_its_query_count(
    count, analyst_client, analyst, django_assert_num_queries
):
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(10))
    for index in range(count):
        blended_vendor(evaluation, f"V{index:03d}", offshore=str(2000 + index))
    share_bounds_save(evaluation=evaluation, bounds={delivery_model("onshore"): (20, 100)})
    url = reverse("scoring:tco", args=[evaluation.pk])
    analyst_client.get(url)

    # The TCO page, with the in-house baseline, SLA standing and RFP-evidenced certificates.
    with django_assert_num_queries(22):
        analyst_client.get(url)


def test_the_pdf_states_the_bounds_the_mixes_and_the_cost_risk(client):
    evaluation = rankable_evaluation(("Alpha BPO", "Beta BPO"))
    for quote in Quote.objects.filter(evaluation=evaluation):
        DeliveryCentreFactory(vendor=quote.vendor, delivery_model=delivery_model("onshore"))
        DeliveryCentreFactory(vendor=quote.vendor, delivery_model=delivery_model("offshore"))
        QuoteDeliveryPrice.objects.create(
            quote=quote, delivery_model=delivery_model("onshore"), unit_price=quote.unit_price * 2
        )
    share_bounds_save(evaluation=evaluation, bounds={delivery_model("onshore"): (25, 100)})
    client.force_login(evaluation.owner)

    text = flat(pdf_text(client, evaluation))
    ranking = client.get(reverse("scoring:ranking", args=[evaluation.pk])).content.decode()

    assert "Delivery mix" in text and "at least 25 % onshore" in text
    assert "75 % offshore" in text
    assert "Cost risk" in text and "no FX risk" in text
    assert "Cost risk" in ranking and "ranks first in" in ranking


def test_the_tco_export_names_the_blend_and_its_unit_price(analyst_client, analyst):
    import csv
    import io

    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(10), term_months=12)
    blended_vendor(evaluation, "Blend BPO")
    share_bounds_save(evaluation=evaluation, bounds={delivery_model("onshore"): (30, 100)})
    url = reverse("scoring:export", kwargs={"pk": evaluation.pk, "kind": "tco", "fmt": "csv"})

    rows = list(csv.reader(io.StringIO(analyst_client.get(url).content.decode("utf-8-sig"))))
    row = next(r for r in rows if r[:1] == ["Blend BPO"])

    assert row[1] == "Blend: 70 % offshore, 30 % onshore"
    assert row[3] == "2900.0000" or row[3].startswith("2900")
    assert "348000.00" in row


def test_fx_volatility_is_measured_from_a_years_stored_rates_and_said_so(analyst_client, analyst):
    today = dt.date.today()
    for month in range(13):
        ExchangeRate.objects.create(
            currency="INR",
            base_currency="USD",
            rate=Decimal("0.0120") * (Decimal("1.03") if month % 2 else Decimal("0.97")),
            as_of=today - dt.timedelta(days=30 * month),
        )
    ExchangeRate.objects.create(
        currency="PHP", base_currency="USD", rate=Decimal("0.018"), as_of=today
    )
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(10), term_months=24)
    blended_vendor(evaluation, "Rupee BPO", offshore="150000", onshore=None)
    Quote.objects.filter(evaluation=evaluation).update(currency="INR")
    peso = blended_vendor(evaluation, "Peso BPO", offshore="100000", onshore=None)
    Quote.objects.filter(evaluation=evaluation, vendor=peso).update(currency="PHP")

    page = analyst_client.get(reverse("scoring:tco", args=[evaluation.pk])).content.decode()

    # Alternating ±3 % a month is about 6 % a month, ~21 % a year; PHP has one rate: the default.
    assert re.search(r"INR 2\d% a year \(measured from stored rates\)", page)
    assert "PHP 10% a year (default)" in page


def test_the_history_says_who_changed_which_bound_and_price_old_to_new(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(10))
    vendor = blended_vendor(evaluation, "Blend BPO")
    onshore = delivery_model("onshore")
    share_bounds_save(evaluation=evaluation, bounds={onshore: (30, 100)}, by=analyst)
    share_bounds_save(evaluation=evaluation, bounds={onshore: (40, 90)}, by=analyst)
    model_prices_save(
        evaluation=evaluation, vendor=vendor, prices={onshore: Decimal("4800")}, by=analyst
    )

    page = analyst_client.get(reverse("scoring:history", args=[evaluation.pk]))
    found: dict = {}
    for entry in page.context["page_obj"].object_list:  # newest first
        found.setdefault((entry.kind, entry.subject), entry)

    price = found["Price per delivery model", "Blend BPO · Onshore"]
    assert {(c.old, c.new) for c in price.changes} == {("5,000.00", "4,800.00")}
    bound = found["Delivery share bound", "Onshore"]
    assert {(c.old, c.new) for c in bound.changes} == {("30.00", "40.00"), ("100.00", "90.00")}
    assert price.user == bound.user == (analyst.get_full_name() or analyst.username)


def test_a_minimum_share_of_a_model_the_evaluation_does_not_allow_is_refused():
    evaluation = EvaluationFactory()
    evaluation.allowed_delivery_models.set([delivery_model("offshore")])

    with pytest.raises(SetupError, match="does not allow onshore delivery"):
        share_bounds_save(evaluation=evaluation, bounds={delivery_model("onshore"): (10, 100)})

    assert not DeliveryShareBound.objects.exists()


def test_compare_shows_the_blended_price_the_tco_is_costed_at(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(10), term_months=12)
    first = blended_vendor(evaluation, "Blend BPO")
    second = blended_vendor(evaluation, "Other BPO", offshore="2500")
    share_bounds_save(evaluation=evaluation, bounds={delivery_model("onshore"): (30, 100)})

    page = analyst_client.get(
        reverse("scoring:compare", args=[evaluation.pk]), {"vendor": [first.pk, second.pk]}
    ).content.decode()

    assert "$2,900.00 per FTE-month · Blend (30% onshore, 70% offshore)" in flat(page)
    assert "$3,250.00 per FTE-month · Blend (30% onshore, 70% offshore)" in flat(page)
    assert "$2,000.00" not in page  # the offshore price alone is not what the TCO is costed at
