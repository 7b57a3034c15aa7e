"""Who may do what in the Django admin: every registered model's changelist, add, change and delete
pages, for every role, GET and POST; then the evaluation quotes the admin must not reach.

Answers as in test_access_matrix (OK, LOGIN, codes), plus MISSING: the admin's own "not found" (a
redirect to the admin index saying the object does not exist), which is what an object outside the
user's queryset looks like there. Each request is rolled back.
"""

from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from contracts.models import Contract, StandingPolicy
from scoring.models import Evaluation, Score
from sourcing.models import Response
from tests.factories import (
    DeliveryCentreFactory,
    ExchangeRateFactory,
    QuoteFactory,
    VendorCertificationFactory,
    rankable_evaluation,
)
from tests.security.access_world import contract_in
from tests.security.test_access_matrix import LOGIN, OK, ROLES, answer, request_as
from tests.security.urlmap import admin_routes
from vendors.models import DeliveryCentre, ExchangeRate, Quote, VendorCertification

MISSING = "missing"
NON_STAFF = ("owner", "member", "outsider", "manager", "vendor_contact")
# Who works in the admin at all: vendor admins on the vendor market, superusers everywhere.
STAFF_APPS = {
    "vendor_admin": {"vendors", "sourcing"},
    "superuser": {"vendors", "scoring", "auth", "axes", "contracts", "sourcing"},
}
# Sourcing's evaluation side (rounds, invitations, responses) is the superuser's, as evaluations are.
SUPERUSER_ONLY = {"rfpround", "invitation", "response"}
# Seen, never written in the admin: the round's rules live in its services. Contacts come from
# invitation links: no add page, every field read-only; deleting one ends the access.
READ_ONLY = {"rfpround", "invitation", "response"}
NO_ADD_HERE = READ_ONLY | {"vendorcontact"}
# Django-axes' logs are written by logins only: its admin offers no add page, even to a superuser.
NO_ADD = {"axes"}
# The SLA standing policy is one row: once it exists (one_of_each saves it) there is no add page.
SINGLETONS = {"standingpolicy"}


def expected(app_label: str, action: str, model_name: str = "", method: str = "GET") -> dict:
    codes = {"anonymous": LOGIN} | dict.fromkeys(NON_STAFF, 403)
    for role, apps in STAFF_APPS.items():
        codes[role] = OK if app_label in apps else 403
        if role != "superuser" and model_name in SUPERUSER_ONLY:
            codes[role] = 403
        if action == "add" and (app_label in NO_ADD or model_name in SINGLETONS):
            codes[role] = 403
        if (action == "add" and model_name in NO_ADD_HERE) or (
            action == "change" and method == "POST" and model_name in READ_ONLY
        ):
            codes[role] = 403
        if model_name in READ_ONLY and action == "delete":
            codes[role] = 403
    return codes


def one_of_each(world) -> dict:
    """An object of every registered model for the change and delete pages (a market list price for
    the quote admin: evaluation quotes are tested below)."""
    row = {"user_agent": "pytest", "ip_address": "10.0.0.1", "username": "someone"}
    row |= {"http_accept": "*/*", "path_info": "/login/"}
    market_quote = QuoteFactory(vendor=world.vendor)
    objects = {
        Quote: market_quote,
        Group: Group.objects.first(),
        AccessAttempt: AccessAttempt.objects.create(
            **row, get_data="", post_data="", failures_since_start=1
        ),
        AccessLog: AccessLog.objects.create(**row),
        AccessFailureLog: AccessFailureLog.objects.create(**row),
        Evaluation: world.draft,
        Score: Score.objects.filter(evaluation=world.draft).first(),
        ExchangeRate: ExchangeRateFactory(),
        DeliveryCentre: DeliveryCentreFactory(vendor=world.vendor),
        VendorCertification: VendorCertificationFactory(vendor=world.vendor),
        StandingPolicy: StandingPolicy.objects.create(),
        Contract: contract_in(world),
        Response: Response.objects.create(
            round=world.draft.rfp_round, vendor=world.vendor, updated_by=world.vendor_contact
        ),
    }
    for model in admin.site._registry:
        objects.setdefault(model, model._default_manager.order_by("pk").first())
    return objects


def admin_answer(response) -> object:
    if response.status_code == 302 and response["Location"] == reverse("admin:index"):
        return MISSING
    return answer(response)


ROUTES = admin_routes()


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_each_role_gets_the_answer_its_app_rule_says_on_every_admin_page(world, route):
    objects = one_of_each(world)
    assert objects[route.model] is not None, f"one_of_each() needs a {route.model.__name__}"
    url = route.url(objects[route.model])
    meta = route.model._meta
    wanted = {
        method: expected(meta.app_label, route.action, meta.model_name, method)
        for method in ("GET", "POST")
    }

    got = {}
    for method in ("GET", "POST"):
        for role in ROLES:
            data = {"post": "yes"} if route.action == "delete" else {}
            got[(method, role)] = admin_answer(request_as(world, role, method, url, data))

    wrong = {key: f"got {code}" for key, code in got.items() if code != wanted[key[0]][key[1]]}
    assert wrong == {}, f"{route.name} ({url}) wanted {wanted}: {wrong}"


def test_every_registered_model_has_its_four_admin_pages_in_the_matrix():
    names = {route.name for route in ROUTES}
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert {
            f"{prefix}_{action}" for action in ("changelist", "add", "change", "delete")
        } <= names


# --- Evaluation quotes ----------------------------------------------------------------------------


@pytest.fixture
def approved(world):
    return rankable_evaluation(
        ("Zeta BPO",), owner=world.owner, title="Approved", status=Evaluation.Status.APPROVED
    )


def quote_url(action: str, quote) -> str:
    return reverse(f"admin:vendors_quote_{action}", args=[quote.pk])


def quote_post(quote, **changes) -> dict:
    """The admin form's fields for ``quote``, as its change page would post them."""
    data = {
        "vendor": quote.vendor_id,
        "process": quote.process_id,
        "delivery_model": quote.delivery_model_id,
        "pricing_model": quote.pricing_model,
        "unit_price": str(quote.unit_price),
        "currency": quote.currency,
        "transition_fee": str(quote.transition_fee),
        "minimum_term_months": quote.minimum_term_months or "",
        "valid_until": quote.valid_until.isoformat() if quote.valid_until else "",
        "notes": quote.notes,
    }
    if quote.evaluation_id:
        data["evaluation"] = quote.evaluation_id
    return data | changes


EVALUATION_QUOTE_RULES = [
    # (which quote, page, method, {role: answer}) for the two staff roles; others are 403 as above.
    ("approved", "change", "GET", {"vendor_admin": MISSING, "superuser": OK}),
    ("approved", "change", "POST", {"vendor_admin": 403, "superuser": 403}),
    ("approved", "delete", "GET", {"vendor_admin": MISSING, "superuser": 403}),
    ("approved", "delete", "POST", {"vendor_admin": MISSING, "superuser": 403}),
    ("approved", "history", "GET", {"vendor_admin": 404, "superuser": OK}),
    ("draft", "change", "GET", {"vendor_admin": MISSING, "superuser": OK}),
    ("draft", "change", "POST", {"vendor_admin": 403, "superuser": OK}),
    ("draft", "delete", "GET", {"vendor_admin": MISSING, "superuser": OK}),
    ("draft", "history", "GET", {"vendor_admin": 404, "superuser": OK}),
]


@pytest.mark.parametrize(("which", "page", "method", "codes"), EVALUATION_QUOTE_RULES)
def test_evaluation_quotes_are_out_of_the_vendor_admins_reach(
    world, approved, which, page, method, codes
):
    evaluation = approved if which == "approved" else world.draft
    quote = evaluation.quotes.first()
    data = quote_post(quote, unit_price="0.01") if page == "change" else {"post": "yes"}

    got = {
        role: admin_answer(request_as(world, role, method, quote_url(page, quote), data))
        for role in ROLES
    }

    assert got == {"anonymous": LOGIN} | dict.fromkeys(NON_STAFF, 403) | codes
    quote.refresh_from_db()
    assert quote.unit_price != Decimal("0.01") or (which, method) == ("draft", "POST")


def test_the_approved_quote_attack_from_issue_11_leaves_the_price_as_signed(
    world, approved, client
):
    quote = approved.quotes.get()
    price = quote.unit_price
    client.force_login(world.vendor_admin)

    listed = client.get(reverse("admin:vendors_quote_changelist"), {"evaluation__isnull": "False"})
    posted = client.post(quote_url("change", quote), quote_post(quote, unit_price="0.01"))
    without_field = quote_post(quote, unit_price="0.01")
    without_field.pop("evaluation")
    posted_again = client.post(quote_url("change", quote), without_field)

    assert list(listed.context["cl"].result_list) == []
    assert posted.status_code == 403
    assert admin_answer(posted_again) == MISSING
    quote.refresh_from_db()
    assert quote.unit_price == price


def test_adding_a_quote_to_a_draft_evaluation_in_the_admin_is_refused_for_a_vendor_admin(
    world, client
):
    before = set(Quote.objects.values_list("pk", flat=True))
    data = quote_post(QuoteFactory.build(vendor=world.vendor, evaluation=world.draft))
    data["unit_price"] = "1.00"
    client.force_login(world.vendor_admin)

    response = client.post(reverse("admin:vendors_quote_add"), data)

    assert response.status_code == 403
    assert set(Quote.objects.values_list("pk", flat=True)) == before
    assert world.draft.quotes.filter(unit_price=Decimal("1.00")).count() == 0


def test_a_superuser_cannot_attach_a_quote_to_an_approved_evaluation_in_the_admin(
    world, approved, client
):
    data = quote_post(QuoteFactory.build(vendor=world.vendor, evaluation=approved))
    client.force_login(world.superuser)

    response = client.post(reverse("admin:vendors_quote_add"), data)

    assert response.status_code == 200
    assert "its quotes can no longer change" in response.content.decode()
    assert approved.quotes.count() == 1


# --- Frozen evaluations in the scoring admin ------------------------------------------------------


def test_a_superuser_sees_an_approved_evaluation_read_only_with_its_weights_and_candidates(
    world, approved, client
):
    client.force_login(world.superuser)
    url = reverse("admin:scoring_evaluation_change", args=[approved.pk])

    page = client.get(url)
    posted = client.post(url, {"title": "Tampered"})
    deleted = client.post(reverse("admin:scoring_evaluation_delete", args=[approved.pk]))

    assert page.status_code == 200
    assert "its inputs are frozen in the approved snapshot" in page.content.decode()
    assert not page.context["has_change_permission"]
    assert all(
        not (f.has_add_permission or f.has_change_permission or f.has_delete_permission)
        for f in page.context["inline_admin_formsets"]
    )
    assert (posted.status_code, deleted.status_code) == (403, 403)
    approved.refresh_from_db()
    assert approved.title == "Approved" and approved.status == Evaluation.Status.APPROVED


def test_the_approval_fields_are_read_only_in_the_evaluation_admin_even_for_a_draft(world, client):
    client.force_login(world.superuser)

    page = client.get(reverse("admin:scoring_evaluation_change", args=[world.draft.pk]))

    form_fields = set(page.context["adminform"].form.fields)
    assert page.context["has_change_permission"]
    assert not form_fields & {"status", "approver", "decided_at", "decision_comment", "version"}


def test_a_superuser_cannot_change_delete_or_add_scores_of_an_approved_evaluation(
    world, approved, client
):
    score = Score.objects.filter(evaluation=approved).first()
    value = score.value
    client.force_login(world.superuser)
    data = {
        "evaluation": approved.pk,
        "vendor": score.vendor_id,
        "criterion": score.criterion_id,
        "evaluator": world.superuser.pk,
        "value": "0",
        "comment": "",
    }

    changed = client.post(reverse("admin:scoring_score_change", args=[score.pk]), data)
    deleted = client.post(reverse("admin:scoring_score_delete", args=[score.pk]), {"post": "yes"})
    added = client.post(reverse("admin:scoring_score_add"), data)

    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert added.status_code == 200 and "its scores can no longer change" in added.content.decode()
    score.refresh_from_db()
    assert score.value == value
    assert not Score.objects.filter(evaluation=approved, evaluator=world.superuser).exists()
