"""The contact drafts, submits, withdraws and resubmits a quote before the deadline; late changes
are refused; the quote service's rules apply at submission, not only at the opening."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sourcing.models import Response, RfpRound
from sourcing.services import RoundError, response_save, response_submit, response_withdraw
from tests.factories import delivery_model


def quote_data(**overrides) -> dict:
    data = {
        "delivery_model": delivery_model("offshore").pk,
        "pricing_model": "per_fte_month",
        "unit_price": "1777.77",
        "currency": "USD",
        "transition_fee": "4000",
        "minimum_term_months": "12",
        "service_level_pct": "92",
        "quality_pct": "97",
        "response_time_hours": "2",
        "notes": "Weekend cover included",
    }
    return data | overrides


def _fields(**overrides) -> dict:
    return {
        "delivery_model": delivery_model("offshore"),
        "pricing_model": "per_fte_month",
        "unit_price": Decimal("1777.77"),
        "currency": "usd",
    } | overrides


def test_the_contact_saves_a_draft_then_submits_it(client, contact, rfp):
    client.force_login(contact.user)
    url = reverse("sourcing:portal_response", args=[rfp.pk])

    saved = client.post(url, quote_data())
    submitted = client.post(reverse("sourcing:portal_submit", args=[rfp.pk]))

    assert saved.status_code == 302 and submitted.status_code == 302
    response = Response.objects.get(round=rfp, vendor=contact.vendor)
    assert response.status == Response.Status.SUBMITTED and response.submitted_at is not None
    assert response.unit_price == Decimal("1777.77") and response.notes == "Weekend cover included"
    assert "Submitted" in client.get(url).text


@pytest.mark.parametrize(("typed", "shown"), [("1777.77", "1777.77"), ("0.1234", "0.1234")])
def test_the_draft_shows_its_price_as_written_not_to_four_places(
    client, contact, rfp, typed, shown
):
    client.force_login(contact.user)
    url = reverse("sourcing:portal_response", args=[rfp.pk])
    client.post(url, quote_data(unit_price=typed))

    page = client.get(url).text

    assert f'name="unit_price" value="{shown}"' in page


def test_withdrawing_and_resubmitting_before_the_deadline(contact, rfp):
    response_save(rfp=rfp, contact=contact, **_fields())
    response_submit(rfp=rfp, contact=contact)

    withdrawn = response_withdraw(rfp=rfp, contact=contact)
    assert withdrawn.status == Response.Status.WITHDRAWN and withdrawn.submitted_at is None
    again = response_submit(rfp=rfp, contact=contact)

    assert again.status == Response.Status.SUBMITTED


def test_saving_a_change_to_a_submitted_response_makes_it_a_draft_again(contact, rfp):
    response_save(rfp=rfp, contact=contact, **_fields())
    response_submit(rfp=rfp, contact=contact)

    changed = response_save(rfp=rfp, contact=contact, **_fields(unit_price=Decimal("1800")))

    assert changed.status == Response.Status.DRAFT and changed.submitted_at is None


def test_a_late_submission_is_refused_and_nothing_changes(client, contact, rfp):
    response_save(rfp=rfp, contact=contact, **_fields())
    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(contact.user)

    submitted = client.post(reverse("sourcing:portal_submit", args=[rfp.pk]), follow=True)
    with pytest.raises(RoundError, match="deadline has passed"):
        response_save(rfp=rfp, contact=contact, **_fields(unit_price=Decimal("1")))

    assert "The deadline has passed" in submitted.text
    response = Response.objects.get()
    assert response.status == Response.Status.DRAFT and response.unit_price == Decimal("1777.77")


def test_submitting_a_currency_without_an_exchange_rate_is_refused_naming_the_field(contact, rfp):
    response_save(rfp=rfp, contact=contact, **_fields(currency="JPY"))

    with pytest.raises(RoundError) as caught:
        response_submit(rfp=rfp, contact=contact)

    assert caught.value.field == "currency" and "Currency" in str(caught.value)
    assert Response.objects.get().status == Response.Status.DRAFT
    assert not rfp.evaluation.quotes.filter(unit_price=Decimal("1777.77")).exists()


def test_submitting_without_a_price_names_the_missing_field(contact, rfp):
    response_save(rfp=rfp, contact=contact, **_fields(unit_price=None))

    with pytest.raises(RoundError, match="Unit price: needed before you submit"):
        response_submit(rfp=rfp, contact=contact)


def test_the_form_offers_only_delivery_models_the_vendor_has_a_centre_for(client, contact, rfp):
    client.force_login(contact.user)

    response = client.post(
        reverse("sourcing:portal_response", args=[rfp.pk]),
        quote_data(delivery_model=delivery_model("onshore").pk),
    )

    assert response.status_code == 200 and "Select a valid choice" in response.text
    assert not Response.objects.exists()
