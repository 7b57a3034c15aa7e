"""Quotes and TCO: the table of candidates' costs and the quote form."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import Evaluation
from tests.factories import (
    AnalystFactory,
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    ExchangeRateFactory,
    QuoteFactory,
    VendorFactory,
    certification,
    delivery_model,
    quote_form_data,
)
from vendors.models import ExchangeRate, Quote

pytestmark = pytest.mark.django_db


def quote_data(**overrides):
    return quote_form_data(**overrides)


def candidate(evaluation, name, **quote):
    """A candidate that can be quoted as quote_data() does: a nearshore centre, a EUR rate to USD."""
    vendor = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name=name)).vendor
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("nearshore"))
    ExchangeRate.objects.get_or_create(
        currency="EUR",
        base_currency="USD",
        as_of=dt.date.today(),
        defaults={"rate": Decimal("1.10")},
    )
    if quote:
        QuoteFactory(vendor=vendor, evaluation=evaluation, **quote)
    return vendor


def test_the_table_lists_candidates_cheapest_first_with_flags(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal("10"), term_months=12)
    candidate(evaluation, "Dear", unit_price=Decimal("3000"))
    candidate(evaluation, "Cheap", unit_price=Decimal("2000"))
    candidate(evaluation, "Rupee", currency="INR")
    candidate(evaluation, "Silent")
    candidate(
        evaluation,
        "Stale",
        unit_price=Decimal("2500"),
        valid_until=dt.date.today() - dt.timedelta(days=1),
    )

    response = analyst_client.get(reverse("scoring:tco", args=[evaluation.pk]))

    rows = response.context["rows"]
    assert [row.name for row, *_ in rows] == ["Cheap", "Stale", "Dear", "Rupee", "Silent"]
    assert [difference for _, _, difference, *_ in rows[:3]] == [
        0,
        Decimal("60000.00"),
        Decimal("120000.00"),
    ]
    assert "$250,000" in response.text  # Cheap: 2000 x 10 x 12 + 10,000
    assert "+$120,000" in response.text
    for flag in ("No exchange rate from INR to USD", "No quote yet", "Expired"):
        assert flag in response.text
    assert response.context["chart"].startswith("data:image/svg+xml;base64,")
    assert 'alt="Bar chart of the total cost of ownership per vendor' in response.text


def test_a_candidate_failing_a_knock_out_is_flagged_with_its_reason(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    evaluation.required_certifications.add(certification("iso-27001"))
    candidate(evaluation, "Uncertified")

    response = analyst_client.get(reverse("scoring:tco", args=[evaluation.pk]))

    [(_, _, _, knock_outs, *_)] = response.context["rows"]
    assert knock_outs == ("Missing certification: ISO 27001",)
    assert "Fails a knock-out" in response.text
    assert "Missing certification: ISO 27001" in response.text


def test_an_analyst_enters_a_quote_and_it_is_tied_to_the_evaluation(analyst_client, analyst):
    ExchangeRateFactory(currency="EUR", rate=Decimal("1.10"))
    evaluation = EvaluationFactory(owner=analyst)
    vendor = candidate(evaluation, "Newco")

    response = analyst_client.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]), quote_data()
    )

    assert response.status_code == 302
    quote = Quote.objects.get(evaluation=evaluation, vendor=vendor)
    assert (quote.currency, quote.unit_price, quote.process) == ("EUR", 3000, evaluation.process)
    assert quote.valid_until == dt.date(2030, 1, 31)
    page = analyst_client.get(reverse("scoring:tco", args=[evaluation.pk]))
    assert page.context["rows"][0][0].tco == Decimal("2381500.00")  # (3000x20x36+5000) x 1.10


def test_saving_again_updates_the_same_quote(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = candidate(evaluation, "Newco", unit_price=Decimal("1"))

    analyst_client.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]),
        quote_data(unit_price="2750.50"),
    )

    quote = Quote.objects.get(vendor=vendor)
    assert quote.unit_price == Decimal("2750.50")


def test_bad_quote_input_names_the_field_and_saves_nothing(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = candidate(evaluation, "Newco")

    response = analyst_client.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]),
        quote_data(unit_price="-1", currency="DOLLARS", quality_pct="140"),
    )

    errors = response.context["form"].errors
    assert {"unit_price", "currency", "quality_pct"} == set(errors)
    assert not Quote.objects.exists()


def test_a_per_transaction_quote_is_refused_when_the_volume_is_in_ftes(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = candidate(evaluation, "Newco")

    response = analyst_client.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]),
        quote_data(pricing_model="per_transaction"),
    )

    assert "volume is in ftes" in str(response.context["form"].errors["pricing_model"]).lower()
    assert not Quote.objects.exists()


def test_quote_post_ignores_evaluation_vendor_and_process(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    other = EvaluationFactory()
    vendor = candidate(evaluation, "Newco")

    analyst_client.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]),
        quote_data(evaluation=other.pk, vendor=VendorFactory().pk, process=99),
    )

    quote = Quote.objects.get()
    assert (quote.evaluation, quote.vendor, quote.process) == (
        evaluation,
        vendor,
        evaluation.process,
    )


def test_the_form_starts_from_the_vendors_list_price(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = candidate(evaluation, "Newco")
    market = QuoteFactory(vendor=vendor, unit_price=Decimal("1999.00"), currency="GBP")

    response = analyst_client.get(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]), {"list_price": market.pk}
    )

    form = response.context["form"]
    assert form.initial["unit_price"] == Decimal("1999.00")
    assert form.initial["currency"] == "GBP"
    assert "Start from the vendor's list price" in response.text


def test_a_vendor_that_is_not_a_candidate_has_no_quote_form(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    outsider = VendorFactory()
    url = reverse("scoring:quote_edit", args=[evaluation.pk, outsider.pk])
    assert analyst_client.get(url).status_code == 404
    assert analyst_client.post(url, quote_data()).status_code == 404
    assert not Quote.objects.exists()


def test_another_teams_analyst_gets_404(client):
    evaluation = EvaluationFactory()
    vendor = candidate(evaluation, "Newco")
    client.force_login(AnalystFactory())

    assert client.get(reverse("scoring:tco", args=[evaluation.pk])).status_code == 404
    url = reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, quote_data()).status_code == 404
    assert not Quote.objects.exists()


def test_a_manager_reads_but_cannot_post(manager_client):
    evaluation = EvaluationFactory()
    vendor = candidate(evaluation, "Newco")
    url = reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk])

    assert manager_client.get(reverse("scoring:tco", args=[evaluation.pk])).status_code == 200
    page = manager_client.get(url)
    assert page.status_code == 200 and page.context["form"].fields["unit_price"].disabled
    assert manager_client.post(url, quote_data()).status_code == 403
    assert not Quote.objects.exists()


def test_an_approved_evaluation_cannot_take_quotes(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst, status=Evaluation.Status.APPROVED)
    vendor = candidate(evaluation, "Newco")

    response = analyst_client.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]), quote_data()
    )

    assert response.status_code == 403
    assert not Quote.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client):
    evaluation = EvaluationFactory()
    response = client.get(reverse("scoring:tco", args=[evaluation.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("count", [5, 50])
def test_the_tco_page_query_count_does_not_grow_with_candidates(
    count, analyst_client, analyst, django_assert_num_queries
):
    evaluation = EvaluationFactory(owner=analyst)
    for index in range(count):
        candidate(
            evaluation,
            f"V{index:03d}",
            **({"unit_price": Decimal(1000 + index)} if index % 4 else {}),
        )
    url = reverse("scoring:tco", args=[evaluation.pk])
    analyst_client.get(url)
    with django_assert_num_queries(QUERIES):
        analyst_client.get(url)


# Session, user, evaluation, whether blind scoring hides the team's scores (the owner alone: one
# query), then decision_inputs: a fixed number whatever the candidates.
QUERIES = (
    22  # 16, then the in-house baseline, share bounds, per-model prices, FX history, SLA standing,
    # the RFP-evidenced certificates
)
