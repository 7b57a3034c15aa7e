"""The history pages: who changed what and when, per evaluation and per vendor."""

from decimal import Decimal

import pytest
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from scoring.models import Criterion, Evaluation
from tests.factories import (
    WEIGHT_PERCENTS,
    AnalystFactory,
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    QuoteFactory,
    ScoreFactory,
    VendorFactory,
    VendorProcessFactory,
    delivery_model,
)
from vendors.models import Process, Vendor

pytestmark = pytest.mark.django_db


def history_url(evaluation) -> str:
    return reverse("scoring:history", args=[evaluation.pk])


def saved_by(instance, user, **changes):
    for name, value in changes.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.save()
    return instance


def entries(response):
    return list(response.context["page_obj"].object_list)


def test_it_shows_an_approval_as_status_and_approver_changes_by_the_manager(
    client, analyst, manager
):
    evaluation = EvaluationFactory(owner=analyst, title="Payroll 2027")
    saved_by(evaluation, analyst, status=Evaluation.Status.IN_REVIEW)
    saved_by(evaluation, manager, status=Evaluation.Status.APPROVED, approver=manager)
    client.force_login(analyst)

    response = client.get(history_url(evaluation))

    assert response.status_code == 200
    newest = entries(response)[0]
    assert newest.user == manager.get_full_name()
    assert newest.action == "Changed"
    assert {(c.field, c.old, c.new) for c in newest.changes} == {
        ("status", "In review", "Approved"),
        ("approver", "—", manager.get_full_name()),
    }
    assert "In review" in response.text and "Approved" in response.text
    assert Evaluation.history.filter(id=evaluation.pk).count() == 3


def test_it_lists_score_changes_old_to_new_with_the_evaluator(client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = VendorFactory(name="Acme Outsourcing")
    score = ScoreFactory(evaluation=evaluation, vendor=vendor, value=Decimal("7"))
    saved_by(score, analyst, value=Decimal("9.5"), comment="References checked")
    client.force_login(analyst)

    response = client.get(history_url(evaluation))

    newest = entries(response)[0]
    assert newest.kind == "Score"
    assert "Acme Outsourcing" in newest.subject
    assert {(c.field, c.old, c.new) for c in newest.changes} == {
        ("value", "7.00", "9.50"),
        ("comment", "—", "References checked"),
    }
    score.refresh_from_db()
    assert score.value == Decimal("9.5")


def test_it_shows_the_evaluations_quotes_but_not_other_evaluations_quotes(client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    other = EvaluationFactory(owner=analyst)
    QuoteFactory(evaluation=evaluation, vendor=VendorFactory(name="Quoted For This One"))
    QuoteFactory(evaluation=other, vendor=VendorFactory(name="Quoted Elsewhere"))
    client.force_login(analyst)

    response = client.get(history_url(evaluation))

    subjects = [e.subject for e in entries(response) if e.kind == "Quote"]
    assert len(subjects) == 1 and subjects[0].startswith("Quoted For This One")


def test_a_team_member_and_a_manager_see_it_but_another_analyst_gets_404(client, analyst, manager):
    member = AnalystFactory()
    evaluation = EvaluationFactory(owner=analyst)
    evaluation.team.add(member)
    outsider = AnalystFactory()
    codes = {}
    for user in (member, manager, outsider):
        client.force_login(user)
        codes[user.username] = client.get(history_url(evaluation)).status_code

    assert codes == {member.username: 200, manager.username: 200, outsider.username: 404}


def test_a_vendor_admin_gets_404_on_evaluation_history_as_on_every_evaluation_url(
    vendor_admin_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst)

    assert vendor_admin_client.get(history_url(evaluation)).status_code == 404


def test_the_page_costs_the_same_queries_for_5_and_50_changes(
    client, analyst, django_assert_max_num_queries
):
    evaluation = EvaluationFactory(owner=analyst)
    criteria = list(Criterion.objects.filter(source=Criterion.Source.MANUAL))

    def add_changes(n):
        for i in range(n):
            vendor = VendorFactory()
            score = ScoreFactory(evaluation=evaluation, vendor=vendor, criterion=criteria[i % 9])
            saved_by(score, analyst, value=Decimal("3"))

    client.force_login(analyst)
    add_changes(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(history_url(evaluation))
    add_changes(22)

    with django_assert_max_num_queries(len(few)):
        response = client.get(history_url(evaluation))

    assert len(entries(response)) == 50  # one page of the 51 records
    assert response.context["page_obj"].paginator.count == 51


def test_a_vendor_history_shows_an_import_with_its_user_and_reason(client, vendor_admin, analyst):
    [vendor] = bulk_create_with_history(
        [Vendor(name="Imported Ltd", country="PT")],
        Vendor,
        default_user=vendor_admin,
        default_change_reason="Imported from vendors.xlsx",
    )
    vendor = Vendor.objects.get(name="Imported Ltd")
    client.force_login(analyst)

    response = client.get(reverse("vendors:history", args=[vendor.pk]))

    [entry] = entries(response)
    assert (entry.user, entry.action, entry.reason) == (
        vendor_admin.get_full_name(),
        "Created",
        "Imported from vendors.xlsx",
    )
    assert "Imported from vendors.xlsx" in response.text


def test_an_admin_edit_is_recorded_with_the_vendor_admin_as_author(client, vendor_admin):
    vendor = VendorFactory(name="Edited Co", headcount=100)
    data = {
        "name": "Edited Co",
        "country": "IN",
        "website": vendor.website,
        "description": "",
        "founded_year": "2005",
        "headcount": "250",
        "languages": vendor.languages,
        "is_active": "on",
    }
    for prefix in ("centres", "vendor_certifications", "offered_processes"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    client.force_login(vendor_admin)
    posted = client.post(reverse("admin:vendors_vendor_change", args=[vendor.pk]), data)
    assert posted.status_code == 302, posted.context and posted.context["adminform"].errors

    response = client.get(reverse("vendors:history", args=[vendor.pk]))

    newest = entries(response)[0]
    assert newest.user == vendor_admin.get_full_name()
    assert [(c.field, c.old, c.new) for c in newest.changes] == [("headcount", "100", "250")]
    vendor.refresh_from_db()
    assert vendor.headcount == 250


def test_vendor_history_leaves_out_quotes_sent_for_an_evaluation(client, analyst):
    vendor = VendorFactory()
    QuoteFactory(vendor=vendor)  # market list price
    CandidateFactory(vendor=vendor, evaluation=EvaluationFactory())
    QuoteFactory(vendor=vendor, evaluation=EvaluationFactory())
    client.force_login(analyst)

    response = client.get(reverse("vendors:history", args=[vendor.pk]))

    assert sorted(e.kind for e in entries(response)) == ["List price", "Vendor"]


def test_vendor_history_of_a_missing_vendor_is_404(analyst_client):
    assert analyst_client.get(reverse("vendors:history", args=[999999])).status_code == 404


# --- Every input of an evaluation, in words (issue 11 item 4) -------------------------------------

WEIGHTS = WEIGHT_PERCENTS


def table(response) -> list[tuple]:
    return [
        (e.kind, e.subject, e.action, e.user, {(c.field, c.old, c.new) for c in e.changes})
        for e in entries(response)
    ]


def new_evaluation(owner):
    """Created as the wizard does, so its starting weights have their history."""
    from scoring.services import evaluation_create

    return evaluation_create(
        owner=owner,
        title="Helpdesk 2027",
        process=Process.objects.get(slug="customer-service-support"),
        base_currency="usd",
        volume=Decimal("10"),
        volume_unit="fte",
        term_months=24,
    )


def test_a_weight_change_shows_each_criterion_old_to_new_and_no_empty_row(client, analyst):
    evaluation = new_evaluation(analyst)
    before = {w.criterion.key: w.weight for w in evaluation.weights.select_related("criterion")}
    client.force_login(analyst)
    client.post(
        reverse("scoring:weights", args=[evaluation.pk]),
        {"version": evaluation.version, **WEIGHTS},
    )

    response = client.get(history_url(evaluation))

    changed = [row for row in table(response) if row[0] == "Weight" and row[2] == "Changed"]
    expected = {
        (Criterion.objects.get(key=key).name, f"{before[key]:.2f}", f"{Decimal(new):.2f}")
        for key, new in WEIGHTS.items()
        if Decimal(new) != before[key]
    }
    assert expected, "the test must change some weights"
    assert {(subject, *next(iter(c))[1:]) for _, subject, _, _, c in changed} == expected
    assert all(row[3] == analyst.get_full_name() and len(row[4]) == 1 for row in changed)
    assert "No visible field changed" not in response.text


def test_a_weight_older_than_its_history_shows_its_new_value_after_not_recorded(client, analyst):
    evaluation = EvaluationFactory(owner=analyst)  # weights bulk-created without history
    client.force_login(analyst)
    client.post(
        reverse("scoring:weights", args=[evaluation.pk]),
        {"version": evaluation.version, **WEIGHTS},
    )

    response = client.get(history_url(evaluation))

    rows = table(response)
    assert (
        "Weight",
        "Cost (TCO)",
        "Changed",
        analyst.get_full_name(),
        {("weight %", "(not recorded)", "25.00")},
    ) in rows


def test_adding_excluding_reinstating_and_removing_a_candidate_each_leave_an_entry(client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = VendorProcessFactory(vendor=VendorFactory(name="Nimbus BPO")).vendor
    client.force_login(analyst)
    base = f"/evaluations/{evaluation.pk}/candidates/"
    client.post(reverse("scoring:candidate_add", args=[evaluation.pk]), {"vendors": [vendor.pk]})
    client.post(f"{base}{vendor.pk}/exclude/", {"reason": "No ISO 27001"})
    client.post(f"{base}{vendor.pk}/exclude/", {"reason": ""})
    client.post(f"{base}{vendor.pk}/remove/")

    response = client.get(history_url(evaluation))

    who = analyst.get_full_name()
    assert [row for row in table(response) if row[0] == "Candidate"] == [
        ("Candidate", "Nimbus BPO", "Removed", who, set()),
        ("Candidate", "Nimbus BPO", "Reinstated", who, {("excluded reason", "No ISO 27001", "—")}),
        ("Candidate", "Nimbus BPO", "Excluded", who, {("excluded reason", "—", "No ISO 27001")}),
        ("Candidate", "Nimbus BPO", "Added", who, set()),
    ]
    assert not evaluation.candidates.exists()


def test_a_created_quote_shows_the_values_it_was_created_with(client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name="Orbit")).vendor
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("offshore"))
    client.force_login(analyst)
    response = client.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]),
        {
            "delivery_model": delivery_model("offshore").pk,
            "pricing_model": "per_fte_month",
            "unit_price": "3000",
            "currency": "USD",
            "transition_fee": "5000",
            "minimum_term_months": "24",
            "valid_until": "2030-01-31",
            "notes": "Weekend cover",
        },
    )
    assert response.status_code == 302  # saved

    response = client.get(history_url(evaluation))

    [created] = [e for e in entries(response) if e.kind == "Quote"]
    changes = {(c.field, c.old, c.new) for c in created.changes}
    assert created.action == "Created" and created.user == analyst.get_full_name()
    assert {
        ("unit price", "—", "3,000.00"),
        ("valid until", "—", "Jan 31, 2030"),
        ("currency", "—", "USD"),
        ("pricing model", "—", "Per FTE-month"),
        ("notes", "—", "Weekend cover"),
    } <= changes
    assert not {c.field for c in created.changes} & {"evaluation", "vendor", "id", "created at"}


def test_a_deleted_score_shows_the_value_it_had(client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name="Kite")).vendor
    client.force_login(analyst)
    expertise = Criterion.objects.get(key="expertise")
    save = reverse("scoring:score_save", args=[evaluation.pk])
    client.post(save, {"vendor": vendor.pk, "criterion": expertise.pk, "value": "6"})
    client.post(save, {"vendor": vendor.pk, "criterion": expertise.pk, "value": ""})

    response = client.get(history_url(evaluation))

    deleted, created = [e for e in entries(response) if e.kind == "Score"]
    assert (deleted.action, created.action) == ("Deleted", "Created")
    assert ("value", "6.00", "—") in {(c.field, c.old, c.new) for c in deleted.changes}
    assert ("value", "—", "6.00") in {(c.field, c.old, c.new) for c in created.changes}


def test_a_new_evaluations_starting_weights_are_in_its_history(client, analyst):
    evaluation = new_evaluation(analyst)
    client.force_login(analyst)

    response = client.get(history_url(evaluation))

    weights = [e for e in entries(response) if e.kind == "Weight"]
    assert len(weights) == evaluation.weights.count() > 0
    assert all(e.action == "Created" and e.user == analyst.get_full_name() for e in weights)
    [created] = [e for e in entries(response) if e.kind == "Evaluation"]
    assert ("title", "—", "Helpdesk 2027") in {(c.field, c.old, c.new) for c in created.changes}


def test_changed_knock_out_lists_are_named_old_to_new_in_the_history(client, analyst):
    from scoring.services import evaluation_update
    from vendors.models import Certification

    evaluation = new_evaluation(analyst)
    iso, pci = (
        Certification.objects.get(slug="iso-27001"),
        Certification.objects.get(slug="pci-dss"),
    )
    evaluation.required_certifications.set([iso])
    evaluation_update(
        evaluation=evaluation,
        expected_version=evaluation.version,
        user=analyst,
        required_certifications=[iso, pci],
    )
    client.force_login(analyst)

    response = client.get(history_url(evaluation))

    newest = entries(response)[0]
    assert (newest.kind, newest.action, newest.user) == (
        "Evaluation",
        "Changed",
        analyst.get_full_name(),
    )
    assert newest.reason == f"Required certifications: {iso} → {iso}, {pci}"
    assert "No visible field changed" not in response.text
    assert set(evaluation.required_certifications.all()) == {iso, pci}
