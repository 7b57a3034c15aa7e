"""Submit, approve and reject: workflow rules, permissions and the frozen snapshot."""

import hashlib
import io
import os
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from background.models import TaskRun
from bpo_select.roles import Role
from scoring.models import Criterion, Evaluation
from scoring.services import (
    ApprovalError,
    evaluation_approve,
    evaluation_reject,
    evaluation_submit,
    score_save,
    team_set,
)
from tests.factories import (
    AnalystFactory,
    CandidateFactory,
    ManagerFactory,
    ScoreFactory,
    VendorFactory,
    ensure_reference_data,
    rankable_evaluation,
)
from vendors.models import EvaluationQuoteLocked, Vendor

IN_REVIEW = Evaluation.Status.IN_REVIEW


def approve_and_archive(evaluation, manager, comment):
    """Approve, then run what the approval queued on commit (the archive task, in-process)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        evaluation_approve(evaluation=evaluation, manager=manager, comment=comment)


def archived_pdf(evaluation) -> bytes:
    with evaluation.report_file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def evaluation(analyst):
    return rankable_evaluation(owner=analyst)


@pytest.fixture
def in_review(evaluation):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=IN_REVIEW)
    evaluation.refresh_from_db()
    return evaluation


# ------------------------------------------------------------------------------------- submit


def test_the_owner_submits_a_complete_draft_for_review(analyst_client, evaluation):
    response = analyst_client.post(
        reverse("scoring:submit", args=[evaluation.pk]), {"rationale": "  Best value.  "}
    )

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == IN_REVIEW
    assert evaluation.version == 2
    assert evaluation.submit_rationale == "Best value."


def test_a_team_member_may_submit_too(client, evaluation):
    member = AnalystFactory()
    evaluation.team.add(member)

    evaluation_submit(evaluation=evaluation, user=member, rationale="Best value.")

    evaluation.refresh_from_db()
    assert evaluation.status == IN_REVIEW


def test_submit_is_refused_with_the_reasons_while_a_vendor_cannot_be_ranked(analyst, evaluation):
    CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name="Unquoted Ltd"))

    with pytest.raises(ApprovalError) as refused:
        evaluation_submit(evaluation=evaluation, user=analyst, rationale="Best value.")

    message = str(refused.value)
    assert "Unquoted Ltd: " in message
    assert "No quote yet" in message
    assert "Expertise & know-how: nobody has scored it" in message
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT


def test_the_submit_page_shows_the_blocking_reasons(analyst_client, evaluation):
    CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name="Unquoted Ltd"))

    response = analyst_client.post(
        reverse("scoring:submit", args=[evaluation.pk]), {"rationale": "Best value."}, follow=True
    )

    html = response.content.decode()
    assert "Unquoted Ltd: " in html
    assert "No quote yet" in html
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT


def test_an_evaluation_in_review_cannot_be_submitted_again(analyst, in_review):
    with pytest.raises(ApprovalError, match="this one is In review"):
        evaluation_submit(evaluation=in_review, user=analyst, rationale="Best value.")


def test_a_manager_cannot_submit_it(manager_client, evaluation):
    response = manager_client.post(reverse("scoring:submit", args=[evaluation.pk]))

    assert response.status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT


def test_submit_is_post_only(analyst_client, evaluation):
    response = analyst_client.get(reverse("scoring:submit", args=[evaluation.pk]))

    assert response.status_code == 405


# ------------------------------------------------------------------------------------ approve


def test_a_manager_approves_and_the_pdf_is_archived_with_its_sha256(
    manager_client, manager, in_review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("scoring:approve", args=[in_review.pk]), {"comment": "Go with Alpha."}
        )

    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Evaluation.Status.APPROVED
    assert in_review.approver == manager
    assert in_review.decided_at is not None
    assert in_review.decision_comment == "Go with Alpha."
    pdf = archived_pdf(in_review)
    assert pdf.startswith(b"%PDF")
    assert in_review.report_sha256 == hashlib.sha256(pdf).hexdigest()
    assert (
        in_review.report_file.name
        == f"reports/evaluation-{in_review.pk}-{in_review.snapshot['id']}.pdf"
    )
    assert in_review.report_pdf is None  # the bytes live in the file store, not in the row
    run = TaskRun.objects.get()
    assert (run.state, run.owner, run.attempts) == (TaskRun.State.SUCCEEDED, manager, 1)
    assert (
        in_review.snapshot["ranking"][0]["vendor_id"]
        == in_review.candidates.get(vendor__name="Alpha BPO").vendor_id
    )


def test_the_overview_shows_the_approval_and_the_sha256(manager_client, manager, in_review):
    approve_and_archive(in_review, manager, "Fine <b>by me</b>")
    in_review.refresh_from_db()

    page = manager_client.get(reverse("scoring:evaluation_detail", args=[in_review.pk]))

    html = page.content.decode()
    assert in_review.report_sha256 in html
    assert "Fine &lt;b&gt;by me&lt;/b&gt;" in html
    assert in_review.snapshot["id"] in html


def test_approving_twice_is_refused_and_changes_nothing(manager, in_review):
    approve_and_archive(in_review, manager, "First")
    in_review.refresh_from_db()
    sha = in_review.report_sha256

    with pytest.raises(ApprovalError) as refused:
        evaluation_approve(evaluation=in_review, manager=ManagerFactory(), comment="Second")

    assert str(refused.value) == (
        "Only evaluations in review can be approved; this one is Approved."
    )
    in_review.refresh_from_db()
    assert (in_review.decision_comment, in_review.report_sha256) == ("First", sha)
    assert in_review.approver == manager
    assert TaskRun.objects.count() == 1  # the refused approval queued no second archive


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="Row locks need PostgreSQL (DATABASE_URL=postgres://...).",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_approvals_produce_exactly_one():
    ensure_reference_data()  # an earlier transactional test's flush may have removed it
    analyst = AnalystFactory()
    evaluation = rankable_evaluation(owner=analyst)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=IN_REVIEW)
    managers = [ManagerFactory(), ManagerFactory()]
    start = threading.Barrier(2)
    outcomes = []

    def approve(manager):
        try:
            start.wait()
            evaluation_approve(evaluation=evaluation, manager=manager, comment=manager.username)
            outcomes.append("approved")
        except ApprovalError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(m,)) for m in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["approved", "refused"]
    evaluation.refresh_from_db()
    assert evaluation.version == 2
    assert evaluation.decision_comment == evaluation.approver.username


def test_an_analyst_cannot_approve(analyst_client, in_review):
    response = analyst_client.post(
        reverse("scoring:approve", args=[in_review.pk]), {"comment": "Mine"}
    )

    assert response.status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == IN_REVIEW


def test_the_approval_service_refuses_analysts(analyst, in_review):
    with pytest.raises(ApprovalError, match="Only managers"):
        evaluation_approve(evaluation=in_review, manager=analyst, comment="")


def test_a_draft_cannot_be_approved(manager_client, evaluation):
    response = manager_client.post(
        reverse("scoring:approve", args=[evaluation.pk]), {"comment": ""}, follow=True
    )

    assert (
        "Only evaluations in review can be approved; this one is Draft."
        in response.content.decode()
    )
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT


def test_approve_is_post_only(manager_client, in_review):
    response = manager_client.get(reverse("scoring:approve", args=[in_review.pk]))

    assert response.status_code == 405


# ------------------------------------------------------------------------------------- reject


def test_reject_requires_a_comment(manager_client, in_review):
    response = manager_client.post(
        reverse("scoring:reject", args=[in_review.pk]), {"comment": "   "}, follow=True
    )

    assert "the comment is required" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == IN_REVIEW


def test_rejected_returns_to_editable_keeps_the_comment_and_can_be_resubmitted(
    manager, analyst, in_review
):
    evaluation_reject(evaluation=in_review, manager=manager, comment="Get a second quote.")
    in_review.refresh_from_db()
    assert in_review.status == Evaluation.Status.REJECTED
    assert in_review.is_editable

    evaluation_submit(evaluation=in_review, user=analyst, rationale="Best value.")

    in_review.refresh_from_db()
    assert in_review.status == IN_REVIEW
    assert in_review.decision_comment == "Get a second quote."
    assert not in_review.report_pdf and not in_review.report_file and not in_review.report_sha256
    assert not TaskRun.objects.exists()


def test_an_analyst_cannot_reject(analyst_client, in_review):
    response = analyst_client.post(
        reverse("scoring:reject", args=[in_review.pk]), {"comment": "No"}
    )

    assert response.status_code == 403
    in_review.refresh_from_db()
    assert in_review.status == IN_REVIEW


# ------------------------------------------------------------------------------- four-eyes


@pytest.fixture
def analyst_and_manager(db):
    """One person holding both roles: the four-eyes rule is about people, not roles."""
    person = AnalystFactory(username="both")
    person.groups.add(Group.objects.get(name=Role.MANAGER))
    return person


def test_an_analyst_manager_who_joined_the_team_scored_and_submitted_cannot_approve_it(
    client, analyst, analyst_and_manager
):
    evaluation = rankable_evaluation(owner=analyst)
    team_set(evaluation=evaluation, members=[analyst_and_manager], by=analyst)
    vendor = evaluation.candidates.first().vendor
    expertise = Criterion.objects.get(key="expertise")
    score_save(
        evaluation=evaluation,
        evaluator=analyst_and_manager,
        vendor=vendor,
        criterion=expertise,
        value="8",
    )
    evaluation_submit(evaluation=evaluation, user=analyst_and_manager, rationale="Best value.")
    client.force_login(analyst_and_manager)

    response = client.post(reverse("scoring:approve", args=[evaluation.pk]), {"comment": "Mine"})

    assert response.status_code == 403
    with pytest.raises(ApprovalError, match=r"on this evaluation's team.*\(four-eyes rule\)"):
        evaluation_approve(evaluation=evaluation, manager=analyst_and_manager, comment="Mine")
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.approver, evaluation.report_sha256) == (
        IN_REVIEW,
        None,
        "",
    )


def test_the_owner_holding_the_manager_role_cannot_reject_their_own_evaluation(
    analyst_and_manager,
):
    evaluation = rankable_evaluation(owner=analyst_and_manager, status=IN_REVIEW)

    with pytest.raises(ApprovalError, match="You own this evaluation"):
        evaluation_reject(evaluation=evaluation, manager=analyst_and_manager, comment="Redo")

    evaluation.refresh_from_db()
    assert evaluation.status == IN_REVIEW and evaluation.decision_comment == ""


def test_a_manager_who_scored_it_cannot_approve_it_even_off_the_team(analyst, in_review):
    scorer = ManagerFactory()
    vendor = in_review.candidates.first().vendor
    ScoreFactory(evaluation=in_review, vendor=vendor, evaluator=scorer, value=Decimal("4"))

    with pytest.raises(ApprovalError, match="You scored vendors in this evaluation"):
        evaluation_approve(evaluation=in_review, manager=scorer, comment="")

    in_review.refresh_from_db()
    assert in_review.status == IN_REVIEW


def test_the_approval_panel_offers_no_buttons_to_an_involved_manager_and_says_why(
    client, analyst, analyst_and_manager, in_review
):
    in_review.team.add(analyst_and_manager)
    client.force_login(analyst_and_manager)

    page = client.get(reverse("scoring:evaluation_detail", args=[in_review.pk])).content.decode()

    assert "another manager must approve or reject it (four-eyes rule)" in page
    assert reverse("scoring:approve", args=[in_review.pk]) not in page
    assert reverse("scoring:reject", args=[in_review.pk]) not in page


def test_an_uninvolved_manager_gets_the_buttons(manager_client, in_review):
    page = manager_client.get(reverse("scoring:evaluation_detail", args=[in_review.pk]))

    html = page.content.decode()
    assert reverse("scoring:approve", args=[in_review.pk]) in html
    assert "four-eyes" not in html


# -------------------------------------------------------------------------------- visibility

EVALUATION_URLS = [
    ("scoring:submit", {}, "post"),
    ("scoring:approve", {}, "post"),
    ("scoring:reject", {}, "post"),
    ("scoring:report_pdf", {}, "get"),
    ("scoring:export", {"kind": "ranking", "fmt": "xlsx"}, "get"),
    ("scoring:export", {"kind": "tco", "fmt": "csv"}, "get"),
]


@pytest.mark.parametrize(("name", "extra", "method"), EVALUATION_URLS)
def test_analysts_outside_the_team_get_404(client, in_review, name, extra, method):
    client.force_login(AnalystFactory())
    url = reverse(name, kwargs={"pk": in_review.pk, **extra})

    response = getattr(client, method)(url, {"comment": "x"} if method == "post" else {})

    assert response.status_code == 404
    in_review.refresh_from_db()
    assert in_review.status == IN_REVIEW


# ------------------------------------------------------------------------------ immutability


def test_later_edits_never_change_an_approved_recommendation(manager, manager_client, in_review):
    approve_and_archive(in_review, manager, "OK")
    in_review.refresh_from_db()
    archived, sha, ranking = (
        archived_pdf(in_review),
        in_review.report_sha256,
        in_review.snapshot["ranking"],
    )
    alpha = in_review.candidates.get(vendor__name="Alpha BPO").vendor
    alpha.name = "Renamed Vendor"
    alpha.save()
    with pytest.raises(EvaluationQuoteLocked):  # the quotes themselves are frozen below the views
        in_review.quotes.filter(vendor=alpha).update(unit_price=Decimal("99999"))

    pdf = manager_client.get(reverse("scoring:report_pdf", args=[in_review.pk]))
    export = manager_client.get(
        reverse("scoring:export", kwargs={"pk": in_review.pk, "kind": "tco", "fmt": "csv"})
    )

    in_review.refresh_from_db()
    assert pdf.content == archived
    assert hashlib.sha256(pdf.content).hexdigest() == sha == in_review.report_sha256
    assert in_review.snapshot["ranking"] == ranking
    text = export.content.decode("utf-8-sig")
    assert "Alpha BPO" in text and "Renamed Vendor" not in text
    assert "2000.0000" in text and "99999" not in text


def test_a_letter_copy_of_an_approved_report_comes_from_the_snapshot(
    manager, manager_client, in_review
):
    approve_and_archive(in_review, manager, "OK")
    in_review.refresh_from_db()
    Vendor.objects.filter(name="Alpha BPO").update(name="Renamed Vendor")

    response = manager_client.get(
        reverse("scoring:report_pdf", args=[in_review.pk]), {"paper": "letter"}
    )

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Alpha BPO" in text and "Renamed Vendor" not in text
    assert response.content != archived_pdf(in_review)
