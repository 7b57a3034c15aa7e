"""`seed_demo` loads the demo market the README promises, and loading it twice changes nothing."""

import hashlib
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import TestCase

from background.models import TaskRun
from contracts.models import Contract, KpiMeasurement
from scoring.models import Candidate, Evaluation, Score
from scoring.selectors import evaluation_decision
from scoring.selectors_watch import evaluation_watch
from vendors.models import (
    DeliveryCentre,
    ExchangeRate,
    Process,
    Quote,
    Vendor,
    VendorCertification,
)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [
        Vendor,
        DeliveryCentre,
        VendorCertification,
        Quote,
        ExchangeRate,
        Evaluation,
        Candidate,
        Score,
        User,
        Contract,
        KpiMeasurement,
    ]
    return {model.__name__: model.objects.count() for model in models}


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_loads_a_market_as_large_as_the_readme_says():
    output = seed()

    assert Vendor.objects.count() >= 40
    assert Vendor.objects.values("country").distinct().count() >= 12
    offers = Process.objects.annotate(n=Count("offers")).values_list("n", flat=True)
    assert min(offers) >= 3
    assert set(DeliveryCentre.objects.values_list("delivery_model__code", flat=True)) == {
        "onshore",
        "nearshore",
        "offshore",
    }
    assert VendorCertification.objects.filter(
        valid_until__lt=Vendor.objects.first().created_at
    ).exists()
    assert Quote.objects.count() >= 150
    assert Quote.objects.values("currency").distinct().count() >= 5
    assert set(Evaluation.objects.values_list("status", flat=True)) == {
        "draft",
        "in_review",
        "approved",
    }
    assert "demo-only" in output


def test_it_ends_with_an_approved_evaluation_whose_pdf_is_archived_in_process():
    with TestCase.captureOnCommitCallbacks(execute=True):
        seed()

    approved = Evaluation.objects.get(status="approved")
    run = TaskRun.objects.get()
    assert (run.state, run.kwargs) == ("succeeded", {"evaluation_id": approved.pk})
    with approved.report_file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == approved.report_sha256


def test_it_holds_a_running_contract_whose_credits_add_up_and_whose_standing_warns():
    from contracts.selectors import contract_scorecard, standing_notes, vendor_standings
    from contracts.services import renewal_start

    seed()

    contract = Contract.objects.get()
    assert contract.evaluation.status == "approved"
    card = contract_scorecard(contract)
    measured = [m for m in card.months if m.measured]
    missed = [m for m in measured if not m.met]
    assert (len(measured), len(missed)) == (12, 7)
    # Each missed month: service level 1.5 points below target x 2 % = 3 % of the monthly fee.
    per_month = (contract.monthly_fee * Decimal("0.03")).quantize(Decimal("0.01"))
    assert [m.credit for m in missed] == [per_month] * 7
    assert card.total_credits == per_month * 7
    standing = vendor_standings([contract.vendor_id])[contract.vendor_id]
    assert standing.sentence == "SLA standing Poor: 7 of the last 12 months below target"
    # The renewal the dashboard offers is an evaluation of the same process: the standing warns.
    renewal = renewal_start(contract=contract, by=User.objects.get(username="manager"))
    (note,) = standing_notes(renewal, [contract.vendor_id])
    assert (note.reason, note.exclude) == (standing.sentence, False)


def test_demo_users_hold_their_roles():
    seed()
    roles = {u.username: set(u.groups.values_list("name", flat=True)) for u in User.objects.all()}
    assert roles["analyst"] == {"Analyst"}
    assert roles["manager"] == {"Manager"}
    assert roles["vendoradmin"] == {"Vendor admin"}
    assert User.objects.get(username="vendoradmin").is_staff
    assert roles["vendorcontact"] == {"Vendor contact"}


def test_the_demo_contact_has_a_draft_response_to_the_drafts_round():
    from sourcing.models import Response

    seed()
    contact = User.objects.get(username="vendorcontact").vendor_contact
    [response] = Response.objects.filter(vendor=contact.vendor)
    assert response.status == Response.Status.DRAFT and response.unit_price is not None
    assert response.round.evaluation.status == Evaluation.Status.DRAFT
    assert response.round.invitations.get().contact == contact
    assert response.answers.filter(question__criterion_name="Attrition %", value="22.5").exists()
    [certificate] = response.evidence.all()
    assert certificate.certification.slug == "iso-27001" and certificate.valid_until is not None
    assert certificate.file.read().startswith(b"%PDF-")


def test_running_it_twice_leaves_the_same_counts():
    seed()
    first = counts()
    seed()
    assert counts() == first


def test_if_empty_leaves_an_existing_market_alone():
    seed()
    before = counts()
    output = seed("--if-empty")
    assert counts() == before
    assert "not loaded" in output


def test_it_adds_synthetic_vendors_for_benchmarks():
    seed("--vendors", "250")
    assert Vendor.objects.filter(name__startswith="Synthetic Vendor").count() == 250
    seed("--vendors", "250")
    assert Vendor.objects.filter(name__startswith="Synthetic Vendor").count() == 250
    assert Quote.objects.filter(vendor__name__startswith="Synthetic Vendor").count() == 500


def test_a_big_market_is_analysed_so_the_planner_knows_its_size():
    seed("--vendors", "250")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'vendors_vendor'")
            assert cursor.fetchone()[0] >= 250
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'vendors_vendor'")
            assert int(cursor.fetchone()[0].split()[0]) >= 250


def test_the_demo_draft_names_its_buyer_so_a_centre_changes_its_delivery_model():
    seed()
    draft = Evaluation.objects.get(status=Evaluation.Status.DRAFT)
    decision = evaluation_decision(draft, sensitivity=False)

    changed = [
        place for _, place in decision.place_lines if place.code != place.centre.delivery_model_code
    ]
    assert (draft.buyer_country.code, draft.required_languages) == ("US", "en")
    assert changed, "no centre's derived model differs from its recorded label"
    assert "The buyer is in United States of America" in decision.where_sentence


def test_the_demo_round_opens_by_itself_once_its_deadline_passes(client):
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from sourcing.models import RfpRound
    from sourcing.services import response_submit

    seed()
    contact = User.objects.get(username="vendorcontact").vendor_contact
    rfp = RfpRound.objects.get(invitations__contact=contact)
    response = response_submit(rfp=rfp, contact=contact)
    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(rfp.evaluation.owner)

    page = client.get(reverse("sourcing:round", args=[rfp.evaluation_id]))

    assert "Opened at the deadline" in page.text
    quote = Quote.objects.get(evaluation=rfp.evaluation, vendor=contact.vendor)
    assert quote.unit_price == response.unit_price


def test_the_demo_draft_flags_a_certificate_lapsing_before_its_contract_starts():
    seed()
    draft = Evaluation.objects.get(status=Evaluation.Status.DRAFT)
    flags = evaluation_watch(draft).flags
    assert draft.contract_start is not None
    assert any(
        f.certificate.name == "ISO 27001" and "before the contract starts" in f.text for f in flags
    )


def test_the_demo_reasons_for_review_and_approval_name_a_budget_cap_only_where_it_holds():
    from scoring.selectors import evaluation_decision

    seed()

    for evaluation in Evaluation.objects.exclude(status="draft"):
        said = f"{evaluation.submit_rationale} {evaluation.decision_comment}"
        if evaluation.budget_cap is None:
            assert "budget cap" not in said, evaluation.title
            continue
        leader = evaluation_decision(evaluation, sensitivity=False).leader
        assert "well within the budget cap" in said
        assert leader.tco <= evaluation.budget_cap * Decimal("0.8"), evaluation.title
