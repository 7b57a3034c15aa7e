"""Two vendors invited to the same round are kept apart, and a third, not invited, sees nothing: on
every portal URL another vendor's round is a 404 and another vendor's response is never shown or
touched; every non-portal URL is a 403 for each contact, as the access matrix says for one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sourcing.models import Response
from sourcing.services import response_save, response_submit
from tests.factories import delivery_model
from tests.security.access_world import (
    approved_evaluation_contract_and_token,  # noqa: F401  (autouse: the URLs' objects)
    owners_task_runs,  # noqa: F401  (autouse: the URLs' objects)
)
from tests.security.test_access_matrix import ADMIN_RULES, CONTACT_MAY, RULES, url_for
from tests.sourcing.factories import VendorContactFactory, invite

SECRET_PRICE = Decimal("1444.44")
PORTAL_ROUND_URLS = [
    "sourcing:portal_response",
    "sourcing:portal_submit",
    "sourcing:portal_withdraw",
]


@pytest.fixture
def contacts(world):
    """A (the world's contact) and B invited to the draft's round, A submitted; D alone invited
    to the in-review evaluation's round; C's vendor invited nowhere."""
    alpha, beta, gamma = (c.vendor for c in world.draft.candidates.select_related("vendor"))
    rfp = world.draft.rfp_round
    a = alpha.contacts.get()
    b = VendorContactFactory(vendor=beta, user__username="beta.sales")
    invite(world.draft, beta, contact=b)
    c = VendorContactFactory(vendor=gamma, user__username="gamma.sales")
    delta = world.in_review.candidates.select_related("vendor").first().vendor
    d = VendorContactFactory(vendor=delta, user__username="delta.sales")
    other = invite(
        world.in_review, delta, deadline=timezone.now() + dt.timedelta(days=2), contact=d
    )
    response_save(
        rfp=rfp,
        contact=a,
        delivery_model=delivery_model("offshore"),
        pricing_model="per_fte_month",
        unit_price=SECRET_PRICE,
        currency="USD",
        notes="Alpha's secret",
    )
    response_submit(rfp=rfp, contact=a)
    return {"a": a, "b": b, "c": c, "d": d, "shared": rfp, "other": other.round}


def _as(user, method: str, url: str):
    client = Client()
    client.force_login(user)
    return client.get(url) if method == "GET" else client.post(url, {"unit_price": "0.01"})


def _portal_url(name: str, rfp) -> str:
    return reverse(name, args=[rfp.pk])


@pytest.mark.parametrize("name", PORTAL_ROUND_URLS)
@pytest.mark.parametrize(("who", "round_key"), [("b", "other"), ("c", "shared"), ("c", "other")])
def test_a_round_the_contacts_vendor_is_not_invited_to_is_a_404(contacts, name, who, round_key):
    url = _portal_url(name, contacts[round_key])

    codes = {method: _as(contacts[who].user, method, url).status_code for method in ("GET", "POST")}

    wanted = {"GET": 405 if name != "sourcing:portal_response" else 404, "POST": 404}
    assert codes == wanted


def test_the_other_vendor_on_the_same_round_never_sees_or_touches_as_response(contacts):
    b = contacts["b"].user
    rfp = contacts["shared"]

    page = _as(b, "GET", _portal_url("sourcing:portal_response", rfp))
    portal = _as(b, "GET", reverse("sourcing:portal"))
    _as(b, "POST", _portal_url("sourcing:portal_withdraw", rfp))
    _as(b, "POST", _portal_url("sourcing:portal_submit", rfp))

    assert page.status_code == 200 and portal.status_code == 200
    for body in (page.content, portal.content):
        assert b"1,444" not in body and b"1444" not in body and b"Alpha&#x27;s secret" not in body
    assert b"Alpha BPO" not in page.content
    alphas = Response.objects.get(round=rfp, vendor=contacts["a"].vendor)
    assert alphas.status == Response.Status.SUBMITTED and alphas.unit_price == SECRET_PRICE
    assert not Response.objects.filter(round=rfp, vendor=contacts["b"].vendor).exists()


def test_the_contact_invited_nowhere_has_an_empty_portal(contacts):
    page = _as(contacts["c"].user, "GET", reverse("sourcing:portal"))

    assert page.status_code == 200
    assert contacts["shared"].evaluation.title not in page.text
    assert contacts["other"].evaluation.title not in page.text


def _non_portal_names() -> list[str]:
    names = [n for n in RULES if n not in CONTACT_MAY and not n.startswith("sourcing:portal")]
    return sorted(names) + sorted(ADMIN_RULES)


def test_every_non_portal_url_is_a_403_for_each_contact(world, contacts):
    clients = {}
    for who in ("a", "b", "c"):
        clients[who] = Client()
        clients[who].force_login(contacts[who].user)
    wrong = {}
    for name in _non_portal_names():
        url = url_for(name, world)
        for who, client in clients.items():
            for method in ("GET", "POST"):
                response = client.get(url) if method == "GET" else client.post(url, {})
                if response.status_code != 403:
                    wrong[(name, who, method)] = response.status_code

    assert wrong == {}
    assert len(_non_portal_names()) > 50
