"""The round opens by itself at its deadline: Celery beat's task, `manage.py open_due_rounds` and
the team's next page view each open it, once, as nobody ("opened at the deadline"); a round whose
response cannot become a quote stays sealed and the round page says why beside the Open button."""

import datetime as dt
import logging
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bpo_select.celery import app as celery_app
from scoring.models import Evaluation
from sourcing.models import RfpRound
from sourcing.opening import open_due_rounds, open_round_at_deadline
from sourcing.services import response_save, response_submit
from sourcing.tasks import open_due_rounds_task
from tests.factories import delivery_model
from vendors.models import DeliveryCentre

PRICE = Decimal("1555.55")
TASK_NAME = "sourcing.open_due_rounds"


@pytest.fixture
def submitted(contact, rfp):
    response_save(
        rfp=rfp,
        contact=contact,
        delivery_model=delivery_model("offshore"),
        pricing_model="per_fte_month",
        unit_price=PRICE,
        currency="USD",
    )
    return response_submit(rfp=rfp, contact=contact)


def _deadline_passed(rfp: RfpRound) -> RfpRound:
    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    rfp.refresh_from_db()
    return rfp


def _alpha_price(evaluation: Evaluation) -> Decimal:
    return evaluation.quotes.get(vendor__name="Alpha BPO").unit_price


def test_before_the_deadline_no_path_opens_the_round(client, submitted, evaluation):
    out = StringIO()
    client.force_login(evaluation.owner)

    opened = open_due_rounds()
    open_due_rounds_task.apply()
    call_command("open_due_rounds", stdout=out)
    client.get(reverse("scoring:evaluation_detail", args=[evaluation.pk]))
    too_early = open_due_rounds(now=submitted.round.deadline - dt.timedelta(seconds=1))

    assert (opened, too_early) == (0, 0)
    assert "Opened 0 RFP rounds" in out.getvalue()
    assert RfpRound.objects.get().opened_at is None
    assert _alpha_price(evaluation) == Decimal("2000.00")


def test_the_command_opens_a_due_round_as_nobody_and_the_record_says_at_the_deadline(
    client, submitted, evaluation
):
    _deadline_passed(submitted.round)
    out = StringIO()

    call_command("open_due_rounds", stdout=out)

    assert "Opened 1 RFP round at" in out.getvalue()
    rfp = RfpRound.objects.get()
    assert rfp.opened_at is not None and rfp.opened_by is None
    assert _alpha_price(evaluation) == PRICE
    client.force_login(evaluation.owner)
    history = client.get(reverse("scoring:history", args=[evaluation.pk])).text
    assert "RFP round opened at the deadline: 1 submitted response became a quote" in history
    page = client.get(reverse("sourcing:round", args=[evaluation.pk])).text
    assert "Opened at the deadline" in page and "Open the responses" not in page


def test_celery_beats_task_opens_a_due_round(submitted, evaluation):
    _deadline_passed(submitted.round)

    result = open_due_rounds_task.apply()

    assert result.get() == 1
    assert RfpRound.objects.get().is_open and _alpha_price(evaluation) == PRICE


def test_celery_beat_runs_the_task_every_minute():
    [entry] = [e for e in celery_app.conf.beat_schedule.values() if e["task"] == TASK_NAME]

    assert entry["schedule"] == 60.0
    assert open_due_rounds_task.name == TASK_NAME


@pytest.mark.parametrize("page", ["sourcing:round", "scoring:evaluation_detail", "scoring:ranking"])
def test_the_teams_next_page_view_opens_the_round_first(client, submitted, evaluation, page):
    _deadline_passed(submitted.round)
    client.force_login(evaluation.owner)

    response = client.get(reverse(page, args=[evaluation.pk]))

    assert response.status_code == 200
    rfp = RfpRound.objects.get()
    assert rfp.is_open and rfp.opened_by is None
    quote = evaluation.quotes.get(vendor=submitted.vendor)
    assert quote.unit_price == PRICE
    # Written at the deadline, not by the analyst whose page view happened to come first.
    assert quote.history.first().history_user is None


def test_the_opened_quote_shows_on_the_very_page_view_that_opened_it(client, submitted, evaluation):
    _deadline_passed(submitted.round)
    client.force_login(evaluation.owner)

    page = client.get(reverse("scoring:tco", args=[evaluation.pk]))

    assert b"1,555.55" in page.content


def test_two_callers_open_the_round_once_and_write_the_quote_once(submitted, evaluation):
    rfp = _deadline_passed(submitted.round)
    quote = evaluation.quotes.get(vendor=submitted.vendor)
    quote_records = quote.history.count()

    first, second = open_due_rounds(), open_due_rounds()
    again = open_round_at_deadline(rfp.pk)

    assert (first, second, again) == (1, 0, False)
    assert quote.history.count() == quote_records + 1
    openings = evaluation.history.filter(history_change_reason__startswith="RFP round opened")
    assert openings.count() == 1


def test_a_response_that_cannot_become_a_quote_leaves_the_round_sealed_and_says_why(
    client, submitted, evaluation, caplog
):
    rfp = _deadline_passed(submitted.round)
    # Alpha closes its offshore centre after submitting: its quote would have no centre to deliver.
    DeliveryCentre.objects.filter(vendor=submitted.vendor).delete()

    with caplog.at_level(logging.WARNING, logger="bpo_select.sourcing"):
        opened = open_due_rounds()
        client.force_login(evaluation.owner)
        page = client.get(reverse("sourcing:round", args=[evaluation.pk])).text

    assert opened == 0
    # Logged by the command's attempt and by the page view's.
    assert caplog.text.count(f"RFP round {rfp.pk} stays sealed at its deadline: Alpha BPO") == 2
    assert RfpRound.objects.get().opened_at is None
    assert _alpha_price(evaluation) == Decimal("2000.00")
    assert "The round could not open at the deadline: Alpha BPO" in page
    assert "Open the responses" in page


def test_a_frozen_evaluation_keeps_its_round_sealed_at_the_deadline(client, submitted, evaluation):
    _deadline_passed(submitted.round)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)

    assert open_due_rounds() == 0
    client.force_login(evaluation.owner)
    page = client.get(reverse("sourcing:round", args=[evaluation.pk])).text

    assert RfpRound.objects.get().opened_at is None
    assert "could not open at the deadline: This evaluation is in review" in page
