"""Side-by-side compare of 2-4 competing vendors."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import Candidate
from tests.factories import (
    AnalystFactory,
    DeliveryCentreFactory,
    VendorCertificationFactory,
    certification,
    delivery_model,
    scored_evaluation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(analyst):
    return scored_evaluation(5, owner=analyst)


def _vendors(evaluation):
    return [
        c.vendor for c in Candidate.objects.filter(evaluation=evaluation).order_by("vendor__name")
    ]


def _url(evaluation):
    return reverse("scoring:compare", args=[evaluation.pk])


def test_it_shows_two_vendors_side_by_side_with_profile_quote_scores_and_chart(
    analyst_client, evaluation
):
    first, second = _vendors(evaluation)[:2]
    DeliveryCentreFactory(
        vendor=first, city="Manila", country="PH", delivery_model=delivery_model("offshore")
    )
    DeliveryCentreFactory(
        vendor=first, city="Lisbon", country="PT", delivery_model=delivery_model("nearshore")
    )
    VendorCertificationFactory(
        vendor=second, certification=certification("iso-27001"), valid_until=dt.date(2020, 1, 31)
    )

    response = analyst_client.get(_url(evaluation), {"vendor": [first.pk, second.pk]})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<th scope="col"><a href=') == 2
    assert "Manila, Philippines" in html and "Lisbon, Portugal" in html
    assert ">Nearshore</span>" in html and ">Offshore</span>" in html
    assert "ISO 27001" in html and "expired Jan 31, 2020" in html
    assert "$1,450,000" in html  # first vendor's TCO
    assert "8.0" in html and "7.0" in html  # mean scores
    assert 'src="data:image/svg+xml;base64,' in html
    assert re.search(rf'<input[^>]*id="pick-{first.pk}"[^>]*checked', html)


@pytest.mark.parametrize("count", [1, 5])
def test_it_asks_for_two_to_four_vendors(analyst_client, evaluation, count):
    picked = [v.pk for v in _vendors(evaluation)[:count]]

    response = analyst_client.get(_url(evaluation), {"vendor": picked})

    html = response.content.decode()
    assert f"Pick 2 to 4 vendors to compare; you picked {count}." in html
    assert "data:image/svg+xml" not in html


def test_it_ignores_vendors_that_do_not_compete(analyst_client, evaluation):
    first, second = _vendors(evaluation)[:2]
    Candidate.objects.filter(vendor=second).update(excluded_reason="Too small")

    response = analyst_client.get(_url(evaluation), {"vendor": [first.pk, second.pk, "x"]})

    assert "you picked 1." in response.content.decode()


def test_without_a_pick_it_only_shows_the_picker(analyst_client, evaluation):
    html = analyst_client.get(_url(evaluation)).content.decode()

    assert html.count('type="checkbox"') == 5
    assert "Pick 2 to 4 vendors to compare;" not in html


def test_another_teams_analyst_gets_404(client, evaluation):
    client.force_login(AnalystFactory())

    assert client.get(_url(evaluation)).status_code == 404


def test_a_manager_can_compare(manager_client, evaluation):
    picked = [v.pk for v in _vendors(evaluation)[:2]]

    assert manager_client.get(_url(evaluation), {"vendor": picked}).status_code == 200


def test_anonymous_users_are_sent_to_log_in(client, evaluation):
    response = client.get(_url(evaluation))

    assert response.status_code == 302 and response.url.startswith("/login/")


def test_its_queries_do_not_grow_with_candidates(analyst_client, analyst):
    small = scored_evaluation(5, owner=analyst)
    large = scored_evaluation(50, owner=analyst)
    pick = {e.pk: {"vendor": [v.pk for v in _vendors(e)[:4]]} for e in (small, large)}
    analyst_client.get(_url(small), pick[small.pk])

    with CaptureQueriesContext(connection) as few:
        analyst_client.get(_url(small), pick[small.pk])
    with CaptureQueriesContext(connection) as many:
        analyst_client.get(_url(large), pick[large.pk])

    assert len(few) == len(many)
