"""Evaluations over the API under the one access policy; writes through the views' services."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import Criterion, Evaluation, EvaluationWeight, Score
from scoring.reports.snapshot import build_snapshot
from tests.factories import AnalystFactory, rankable_evaluation
from vendors.models import Quote

pytestmark = pytest.mark.django_db


def manual_criterion() -> Criterion:
    return Criterion.objects.filter(source=Criterion.Source.MANUAL, evaluation__isnull=True).first()


def test_the_list_holds_only_the_evaluations_the_user_may_see(world, as_role):
    other = rankable_evaluation(("Zeta BPO",), owner=AnalystFactory(), title="Someone else's")

    owner_sees = {
        e["title"] for e in as_role("owner").get(reverse("api:evaluations")).json()["results"]
    }
    manager_sees = {
        e["title"] for e in as_role("manager").get(reverse("api:evaluations")).json()["results"]
    }
    admin_sees = as_role("vendor_admin").get(reverse("api:evaluations")).json()["results"]

    assert owner_sees == {"Draft under test", "In review under test"}
    assert manager_sees == owner_sees | {other.title}
    assert admin_sees == []


@pytest.mark.parametrize("name", ["evaluation", "candidates", "scores", "ranking", "weights"])
def test_another_teams_evaluation_is_404(world, as_role, name):
    response = as_role("outsider").get(reverse(f"api:{name}", args=[world.draft.pk]))

    assert response.status_code == 404


def test_the_detail_and_candidates_read_as_the_pages_show_them(world, as_role):
    client = as_role("member")

    detail = client.get(reverse("api:evaluation", args=[world.draft.pk])).json()
    candidates = client.get(reverse("api:candidates", args=[world.draft.pk])).json()

    assert detail["status"] == "draft" and detail["owner"] == "owner"
    assert detail["team"] == ["member"]
    assert [c["name"] for c in candidates] == ["Alpha BPO", "Beta BPO", "Gamma BPO"]


def test_a_member_saves_a_score_through_the_service(world, as_role):
    criterion = manual_criterion()
    cell = {
        "vendor": world.vendor.pk,
        "criterion": criterion.key,
        "value": "7.5",
        "comment": "Good",
    }

    response = as_role("member").post(
        reverse("api:scores", args=[world.draft.pk]), cell, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["value"] == "7.50"
    score = Score.objects.get(evaluation=world.draft, evaluator=world.member, criterion=criterion)
    assert score.value == Decimal("7.5") and score.comment == "Good"
    assert score.history.first().history_user == world.member


def test_an_out_of_range_score_answers_the_services_message(world, as_role):
    cell = {"vendor": world.vendor.pk, "criterion": manual_criterion().key, "value": "11"}

    response = as_role("member").post(
        reverse("api:scores", args=[world.draft.pk]), cell, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"].endswith("must be between 0 and 10; got 11.")
    assert not Score.objects.filter(evaluator=world.member).exists()


def test_an_empty_value_deletes_the_users_own_score(world, as_role):
    criterion = manual_criterion()
    url = reverse("api:scores", args=[world.draft.pk])
    client = as_role("owner")
    (read,) = [
        s
        for s in client.get(url).json()
        if (s["vendor"], s["criterion"]) == (world.vendor.pk, criterion.key)
    ]
    cell = {"vendor": world.vendor.pk, "criterion": criterion.key, "value": ""}

    unversioned = client.post(url, cell, format="json")
    response = client.post(url, {**cell, "version": read["version"]}, format="json")

    assert unversioned.status_code == 409 and unversioned.json()["current_version"] == 1
    assert response.status_code == 204
    assert not Score.objects.filter(
        evaluation=world.draft, evaluator=world.owner, vendor=world.vendor, criterion=criterion
    ).exists()


@pytest.mark.parametrize(("role", "which"), [("manager", "draft"), ("owner", "in_review")])
def test_a_forbidden_score_write_is_403_and_writes_nothing(world, as_role, role, which):
    evaluation = getattr(world, which)
    before = Score.objects.count()
    cell = {
        "vendor": evaluation.candidates.first().vendor_id,
        "criterion": manual_criterion().key,
        "value": "5",
    }

    response = as_role(role).post(reverse("api:scores", args=[evaluation.pk]), cell, format="json")

    assert response.status_code == 403
    assert Score.objects.count() == before


def test_a_blind_evaluator_reads_only_their_own_scores(world, as_role):
    scores = as_role("member").get(reverse("api:scores", args=[world.draft.pk])).json()
    owners = as_role("owner").get(reverse("api:scores", args=[world.draft.pk])).json()

    assert scores == []  # the member has not scored yet; the owner's stay hidden (blind scoring)
    assert owners and {s["evaluator"] for s in owners} == {"owner"}


def test_weights_save_with_the_version_and_a_stale_version_is_409(world, as_role):
    client = as_role("owner")
    url = reverse("api:weights", args=[world.draft.pk])
    read = client.get(url).json()
    keys = sorted(read["weights"])
    even = {key: "0" for key in keys} | {keys[0]: "60", keys[1]: "40"}

    saved = client.put(url, {"version": read["version"], "weights": even}, format="json")
    stale = client.put(url, {"version": read["version"], "weights": even}, format="json")

    assert saved.status_code == 200, saved.json()
    assert saved.json()["version"] == read["version"] + 1
    assert stale.status_code == 409
    assert stale.json()["current_version"] == read["version"] + 1
    assert "changed by someone else" in stale.json()["detail"]
    stored = EvaluationWeight.objects.get(evaluation=world.draft, criterion__key=keys[0])
    assert stored.weight == Decimal("60")


def test_weights_that_do_not_add_up_are_refused_with_the_services_message(world, as_role):
    client = as_role("owner")
    url = reverse("api:weights", args=[world.draft.pk])
    read = client.get(url).json()

    response = client.put(
        url,
        {"version": read["version"], "weights": dict.fromkeys(read["weights"], "1")},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("The weights must add up to 100%")
    world.draft.refresh_from_db()
    assert world.draft.version == read["version"]


def test_a_member_puts_a_quote_through_the_quote_service(world, as_role):
    url = reverse("api:evaluation_quote", args=[world.draft.pk, world.vendor.pk])
    body = {
        "delivery_model": "offshore",
        "pricing_model": "per_fte_month",
        "unit_price": "1999.5",
        "currency": "USD",
        "version": as_role("member").get(url).json()["version"],
    }

    response = as_role("member").put(url, body, format="json")

    assert response.status_code == 200, response.json()
    quote = Quote.objects.get(evaluation=world.draft, vendor=world.vendor)
    assert quote.unit_price == Decimal("1999.5") and quote.transition_fee == 0
    assert as_role("manager").get(url).json()["unit_price"] == "1999.5000"


def test_a_quote_the_service_refuses_is_400_with_its_message(world, as_role):
    url = reverse("api:evaluation_quote", args=[world.draft.pk, world.vendor.pk])
    body = {
        "delivery_model": "offshore",
        "pricing_model": "per_fte_month",
        "unit_price": "1",
        "currency": "ZZZ",
        "version": as_role("owner").get(url).json()["version"],
    }

    response = as_role("owner").put(url, body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Currency: ZZZ is not a current ISO 4217 currency code.",
        "field": "currency",
    }


def test_the_ranking_is_the_decision_in_the_snapshots_shape(world, as_role):
    body = as_role("manager").get(reverse("api:ranking", args=[world.in_review.pk])).json()

    assert body["schema"] >= 3 and len(body["id"]) == 12
    first = body["ranking"][0]
    assert (first["name"], first["rank"]) == ("Delta BPO", 1)


def test_an_approved_evaluation_serves_its_frozen_snapshot_and_pdf(world, as_role):
    evaluation = world.in_review
    snapshot = build_snapshot(evaluation)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=Evaluation.Status.APPROVED, snapshot=snapshot, report_pdf=b"%PDF-1.7 archived"
    )
    client = as_role("manager")

    frozen = client.get(reverse("api:snapshot", args=[evaluation.pk]))
    ranking = client.get(reverse("api:ranking", args=[evaluation.pk]))
    pdf = client.get(reverse("api:report", args=[evaluation.pk]))

    assert frozen.json() == snapshot
    assert ranking.json()["id"] == snapshot["id"]
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == b"%PDF-1.7 archived"


def test_a_draft_has_no_snapshot_nor_archived_pdf(world, as_role):
    client = as_role("owner")

    snapshot = client.get(reverse("api:snapshot", args=[world.draft.pk]))
    pdf = client.get(reverse("api:report", args=[world.draft.pk]), HTTP_ACCEPT="application/pdf")

    assert snapshot.status_code == 404 and "only an approved one" in snapshot.json()["detail"]
    assert pdf.status_code == 404 and b"no archived PDF" in pdf.content


@pytest.mark.parametrize("extra", [0, 4])
def test_the_evaluation_list_costs_the_same_queries_whatever_the_count(
    world, as_role, extra, django_assert_num_queries
):
    for n in range(extra):
        rankable_evaluation((f"Extra {n}",), owner=world.manager, title=f"Extra {n}")
    client = as_role("manager")
    client.get(reverse("api:processes"))  # the token's last use is stamped now, not below

    # token + user, roles, the page, the teams
    with django_assert_num_queries(4):
        response = client.get(reverse("api:evaluations"))

    assert len(response.json()["results"]) == 2 + extra


def test_forged_fields_in_a_quote_put_change_nothing_else(world, as_role):
    url = reverse("api:evaluation_quote", args=[world.draft.pk, world.vendor.pk])
    body = {
        "delivery_model": "offshore",
        "pricing_model": "per_fte_month",
        "unit_price": "1500",
        "currency": "USD",
        "version": as_role("owner").get(url).json()["version"],
        "evaluation": world.in_review.pk,
        "vendor": world.in_review.candidates.first().vendor_id,
        "id": 1,
    }

    response = as_role("owner").put(url, body, format="json")

    assert response.status_code == 200
    assert response.json()["evaluation"] == world.draft.pk
    assert response.json()["vendor"] == world.vendor.pk
    assert not Quote.objects.filter(evaluation=world.in_review, unit_price=1500).exists()


def test_an_approved_evaluations_snapshot_is_404_for_another_team(world, as_role):
    Evaluation.objects.filter(pk=world.draft.pk).update(
        status=Evaluation.Status.APPROVED, snapshot={"schema": 3}
    )

    assert (
        as_role("outsider").get(reverse("api:snapshot", args=[world.draft.pk])).status_code == 404
    )
    assert (
        as_role("vendor_admin").get(reverse("api:report", args=[world.draft.pk])).status_code == 404
    )


def test_a_weight_key_that_is_not_unicode_is_a_400_not_a_500(world, as_role):
    url = reverse("api:weights", args=[world.draft.pk])
    body = '{"version": VERSION, "weights": {"\\ud800": "100"}}'.replace(
        "VERSION", str(world.draft.version)
    )

    response = as_role("owner").put(url, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"] == "Unknown criterion: \ud800."


QUOTE = {
    "delivery_model": "offshore",
    "pricing_model": "per_fte_month",
    "unit_price": "2000",
    "currency": "USD",
}


def test_a_quote_put_with_the_version_read_replaces_it_and_a_stale_one_is_409(world, as_role):
    url = reverse("api:evaluation_quote", args=[world.draft.pk, world.vendor.pk])
    owner, member = as_role("owner"), as_role("member")
    Quote.objects.filter(evaluation=world.draft, vendor=world.vendor).delete()
    created = member.put(url, {**QUOTE, "version": 0}, format="json").json()
    read = owner.get(url).json()

    first = member.put(url, {**QUOTE, "unit_price": "2100", "version": read["version"]}, "json")
    second = owner.put(url, {**QUOTE, "unit_price": "2200", "version": read["version"]}, "json")

    assert created["version"] == read["version"] == 1
    assert first.status_code == 200 and first.json()["version"] == 2
    assert second.status_code == 409
    assert second.json() == {
        "detail": f"{world.vendor.name}'s quote was changed by someone else since you read "
        "version 1 (now version 2). Read it again and reapply your change.",
        "current_version": 2,
    }
    quote = Quote.objects.get(evaluation=world.draft, vendor=world.vendor)
    assert (quote.unit_price, quote.version) == (Decimal("2100"), 2)


def test_replacing_a_quote_without_its_version_is_409_naming_the_current_one(world, as_role):
    url = reverse("api:evaluation_quote", args=[world.draft.pk, world.vendor.pk])
    before = Quote.objects.get(evaluation=world.draft, vendor=world.vendor)

    response = as_role("member").put(url, {**QUOTE, "unit_price": "1"}, format="json")

    assert response.status_code == 409
    assert response.json()["current_version"] == before.version
    assert f"already exists (version {before.version})" in response.json()["detail"]
    assert Quote.objects.get(pk=before.pk).unit_price == before.unit_price


def test_a_score_post_with_a_stale_version_is_409_and_keeps_the_score(world, as_role):
    url = reverse("api:scores", args=[world.draft.pk])
    cell = {"vendor": world.vendor.pk, "criterion": manual_criterion().key}
    client = as_role("member")
    created = client.post(url, {**cell, "value": "6", "version": 0}, format="json").json()

    first = client.post(url, {**cell, "value": "7", "version": created["version"]}, "json")
    second = client.post(url, {**cell, "value": "8", "version": created["version"]}, "json")
    listed = client.get(url).json()

    assert created["version"] == 1 and first.json()["version"] == 2
    assert second.status_code == 409 and second.json()["current_version"] == 2
    assert [(s["value"], s["version"]) for s in listed if s["evaluator"] == "member"] == [
        ("7.00", 2)
    ]
