"""Sealed until the deadline: before it the team reads statuses only, on every evaluation page and
export and in the decision inputs; after it the analyst opens the round and the submitted quotes
become the evaluation's quotes, recorded in the history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import Evaluation
from scoring.selectors import decision_inputs
from sourcing.models import RfpRound
from sourcing.opening import opening_outcome, round_open
from sourcing.selectors import Sealed, opened_responses, vendor_statuses
from sourcing.services import RoundError, response_save, response_submit
from tests.factories import delivery_model
from tests.security.urlmap import project_routes
from tests.sourcing.factories import invite

SECRET_PRICE = Decimal("1777.77")


@pytest.fixture
def submitted(contact, rfp):
    response_save(
        rfp=rfp,
        contact=contact,
        delivery_model=delivery_model("offshore"),
        pricing_model="per_fte_month",
        unit_price=SECRET_PRICE,
        currency="USD",
        notes="Secret sauce",
    )
    return response_submit(rfp=rfp, contact=contact)


def _past_deadline(rfp: RfpRound) -> RfpRound:
    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    rfp.refresh_from_db()
    return rfp


def _evaluation_pages(evaluation: Evaluation):
    values = {"pk": evaluation.pk, "vendor_pk": evaluation.candidates.first().vendor_id}
    for route in project_routes():
        if route.template.startswith("evaluations/<int:pk>/") and "<str:" not in route.template:
            yield route.path(**values)
    for kind in ("ranking", "scores", "tco"):  # XLSX is zipped: it writes the same tables as CSV
        yield reverse("scoring:export", args=[evaluation.pk, kind, "csv"])


def test_before_the_deadline_no_team_path_shows_the_content(client, submitted, evaluation):
    client.force_login(evaluation.owner)
    seen = {}
    for url in _evaluation_pages(evaluation):
        if url.endswith("report.pdf"):
            continue  # rendered from the same decision inputs checked below
        body = client.get(url).content
        seen[url] = any(part in body for part in (b"1,777", b"1777", b"Secret sauce"))

    assert seen and not any(seen.values()), [url for url, leaked in seen.items() if leaked]
    inputs = decision_inputs(evaluation, evaluation.owner)
    alpha_quotes = [q for q in inputs.quotes if q.vendor_id == submitted.vendor_id]
    assert [q.unit_price for q in alpha_quotes] == [Decimal("2000.00")]
    with pytest.raises(Sealed):
        opened_responses(submitted.round)


def test_before_the_deadline_the_team_sees_who_responded(client, submitted, evaluation):
    client.force_login(evaluation.owner)

    page = client.get(reverse("sourcing:round", args=[evaluation.pk]))

    [row] = vendor_statuses(submitted.round)
    assert row.vendor_name == "Alpha BPO" and row.status == "Submitted"
    assert "Responded" in page.text and "Open the responses" not in page.text


def test_opening_before_the_deadline_is_refused(submitted, evaluation):
    with pytest.raises(RoundError, match="sealed until the deadline"):
        round_open(rfp=submitted.round, user=evaluation.owner)
    assert RfpRound.objects.get().opened_at is None


def test_after_the_deadline_opening_makes_the_quote_and_records_it(client, submitted, evaluation):
    _past_deadline(submitted.round)
    client.force_login(evaluation.owner)

    count = round_open(rfp=submitted.round, user=evaluation.owner)

    assert count == 1
    quote = evaluation.quotes.get(vendor=submitted.vendor)
    assert quote.unit_price == SECRET_PRICE and quote.notes == "Secret sauce"
    assert RfpRound.objects.get().opened_by == evaluation.owner
    history = client.get(reverse("scoring:history", args=[evaluation.pk])).text
    assert "RFP round opened by" in history
    page = client.get(reverse("sourcing:round", args=[evaluation.pk])).text
    assert "by " + (evaluation.owner.get_full_name() or evaluation.owner.username) in page
    assert b"1,777.77" in client.get(reverse("scoring:tco", args=[evaluation.pk])).content
    with pytest.raises(RoundError, match="already open"):
        round_open(rfp=RfpRound.objects.get(), user=evaluation.owner)


def test_the_open_button_after_the_round_opened_by_itself_says_so(client, submitted, evaluation):
    _past_deadline(submitted.round)
    client.force_login(evaluation.owner)

    response = client.post(reverse("sourcing:round_open", args=[evaluation.pk]), follow=True)

    assert "The round opened at the deadline: 1 submitted response became a quote" in response.text
    assert RfpRound.objects.get().opened_by is None


def test_a_draft_or_withdrawn_response_does_not_become_a_quote(contact, rfp, evaluation):
    response_save(
        rfp=rfp,
        contact=contact,
        delivery_model=delivery_model("offshore"),
        pricing_model="per_fte_month",
        unit_price=SECRET_PRICE,
        currency="USD",
    )
    _past_deadline(rfp)

    count = round_open(rfp=rfp, user=evaluation.owner)

    assert count == 0
    assert evaluation.quotes.get(vendor=contact.vendor).unit_price == Decimal("2000.00")


def test_a_frozen_evaluation_cannot_open_its_round(submitted, evaluation):
    _past_deadline(submitted.round)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)

    with pytest.raises(RoundError, match="in review"):
        round_open(rfp=RfpRound.objects.get(), user=evaluation.owner)

    assert evaluation.quotes.get(vendor=submitted.vendor).unit_price == Decimal("2000.00")


@pytest.mark.parametrize("invited", [1, 3])
def test_the_round_page_takes_the_same_queries_however_many_are_invited(
    client, submitted, evaluation, invited, django_assert_num_queries
):
    for candidate in evaluation.candidates.select_related("vendor")[1:invited]:
        invite(evaluation, candidate.vendor)
    client.force_login(evaluation.owner)
    url = reverse("sourcing:round", args=[evaluation.pk])
    client.get(url)

    with django_assert_num_queries(9):
        page = client.get(url)
    assert page.text.count("<tr>") == invited + 1


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (0, "no response was submitted, so no quote changed"),
        (1, "1 submitted response became a quote"),
        (3, "3 submitted responses became quotes"),
    ],
)
def test_the_opening_says_what_it_did_for_none_one_and_many(count, words):
    assert opening_outcome(count) == words
