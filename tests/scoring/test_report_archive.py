"""The approved PDF is archived by a task after the approval commits: once, through the storage
API, with progress on the evaluation page and a retry when the render fails."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.test import Client, TestCase
from django.urls import reverse

from background.models import TaskRun
from scoring import archive
from scoring.archive import report_archive
from scoring.models import Evaluation
from scoring.reports import build_snapshot
from scoring.services import evaluation_approve
from tests.factories import rankable_evaluation


@pytest.fixture
def in_review(analyst):
    evaluation = rankable_evaluation(owner=analyst)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
    evaluation.refresh_from_db()
    return evaluation


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDF renders the archive does (the real renderer still runs)."""
    calls = []
    real = archive.render_report_pdf

    def counted(snapshot):
        calls.append(snapshot["id"])
        return real(snapshot)

    monkeypatch.setattr(archive, "render_report_pdf", counted)
    return calls


def broken_render(snapshot):
    raise RuntimeError("fonts missing")


def stored_reports() -> list[str]:
    return default_storage.listdir("reports")[1] if default_storage.exists("reports") else []


def test_the_approval_commits_the_snapshot_and_queues_the_pdf_without_rendering_it(
    manager, in_review, renders
):
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        evaluation_approve(evaluation=in_review, manager=manager, comment="OK")

    in_review.refresh_from_db()
    assert in_review.status == Evaluation.Status.APPROVED
    assert in_review.snapshot["id"]
    assert (in_review.report_sha256, in_review.report_file.name, renders) == ("", "", [])
    run = TaskRun.objects.get()
    assert (run.task_name, run.kwargs, run.state, run.owner) == (
        "scoring.archive_report",
        {"evaluation_id": in_review.pk},
        TaskRun.State.QUEUED,
        manager,
    )
    assert len(queued) == 1  # the task goes to the queue only once the approval is committed


def test_the_approving_manager_sees_the_progress_then_the_download_and_sha256(
    manager_client, manager, in_review
):
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        evaluation_approve(evaluation=in_review, manager=manager, comment="OK")
    run = TaskRun.objects.get()
    detail = reverse("scoring:evaluation_detail", args=[in_review.pk])
    pdf_url = reverse("scoring:report_pdf", args=[in_review.pk])

    waiting = manager_client.get(detail).content.decode()
    for callback in queued:
        callback()
    ready = manager_client.get(detail).content.decode()

    assert f'hx-get="{reverse("background:status", args=[run.pk])}"' in waiting
    assert "Waiting for a worker" in waiting and "Approved PDF (A4)" not in waiting
    in_review.refresh_from_db()
    assert in_review.report_sha256 in ready
    assert f'href="{pdf_url}"' in ready and "Approved PDF (A4)" in ready
    assert 'data-testid="report-archiving"' not in ready


def test_the_analysts_are_told_the_pdf_is_being_archived_without_polling_a_task_not_theirs(
    analyst_client, manager, in_review
):
    with TestCase.captureOnCommitCallbacks(execute=False):
        evaluation_approve(evaluation=in_review, manager=manager, comment="OK")

    page = analyst_client.get(reverse("scoring:evaluation_detail", args=[in_review.pk]))

    html = page.content.decode()
    assert "The approved PDF is being archived; reload this page in a moment" in html
    assert reverse("background:status", args=[TaskRun.objects.get().pk]) not in html


def test_a_failed_render_shows_its_message_and_the_manager_retries_it(
    manager_client, analyst, manager, in_review, monkeypatch
):
    analyst_client = Client()
    analyst_client.force_login(analyst)
    monkeypatch.setattr(archive, "render_report_pdf", broken_render)
    with TestCase.captureOnCommitCallbacks(execute=True):
        evaluation_approve(evaluation=in_review, manager=manager, comment="OK")
    failed = TaskRun.objects.get()
    detail = reverse("scoring:evaluation_detail", args=[in_review.pk])

    manager_page = manager_client.get(detail).content.decode()
    analyst_page = analyst_client.get(detail).content.decode()
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        retried = manager_client.post(reverse("background:retry", args=[failed.pk]))

    assert failed.state == TaskRun.State.FAILED
    assert "The task stopped on an unexpected error and wrote nothing" in manager_page
    assert reverse("background:retry", args=[failed.pk]) in manager_page
    assert "Archiving the approved PDF failed" in analyst_page
    assert reverse("background:retry", args=[failed.pk]) not in analyst_page
    assert retried.status_code == 302
    in_review.refresh_from_db()
    assert in_review.report_sha256 and in_review.report_file
    assert TaskRun.objects.filter(state=TaskRun.State.SUCCEEDED).count() == 1


def test_archiving_again_renders_nothing_and_keeps_the_one_file_and_hash(
    manager, in_review, renders
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        evaluation_approve(evaluation=in_review, manager=manager, comment="OK")
    in_review.refresh_from_db()
    first = (in_review.report_file.name, in_review.report_sha256, in_review.version)

    again = report_archive(evaluation_id=in_review.pk)

    assert (again.report_file.name, again.report_sha256, again.version) == first
    assert len(renders) == 1
    assert stored_reports() == [first[0].rsplit("/", 1)[1]]


def test_a_rerun_after_a_dead_worker_replaces_its_orphan_file_instead_of_adding_one(
    manager, in_review
):
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        evaluation_approve(evaluation=in_review, manager=manager, comment="OK")
    in_review.refresh_from_db()
    # A worker wrote the file, then died before its transaction committed the hash.
    default_storage.save(archive.report_file_name(in_review), __import__("io").BytesIO(b"partial"))

    for callback in queued:
        callback()

    in_review.refresh_from_db()
    assert stored_reports() == [archive.report_file_name(in_review).rsplit("/", 1)[1]]
    with in_review.report_file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == in_review.report_sha256


def test_an_evaluation_that_is_not_approved_fails_the_archive_with_a_reason(manager, in_review):
    from background.services import task_start
    from scoring.tasks import archive_report

    with TestCase.captureOnCommitCallbacks(execute=True):
        run = task_start(
            task=archive_report,
            owner=manager,
            label="Archive",
            kwargs={"evaluation_id": in_review.pk},
        )

    run.refresh_from_db()
    assert run.state == TaskRun.State.FAILED
    assert run.error == "Only an approved evaluation has an archived PDF; this one is In review."
    assert stored_reports() == []


def test_a_pdf_archived_in_the_row_before_the_task_queue_is_still_served(
    manager_client, manager, in_review
):
    legacy = b"%PDF-1.7 archived before the queue"
    Evaluation.objects.filter(pk=in_review.pk).update(
        status=Evaluation.Status.APPROVED,
        approver=manager,
        snapshot=build_snapshot(in_review),
        report_pdf=legacy,
        report_sha256=hashlib.sha256(legacy).hexdigest(),
    )

    pdf = manager_client.get(reverse("scoring:report_pdf", args=[in_review.pk]))
    page = manager_client.get(reverse("scoring:evaluation_detail", args=[in_review.pk]))

    assert pdf.content == legacy
    assert hashlib.sha256(legacy).hexdigest() in page.content.decode()
    assert 'data-testid="report-archiving"' not in page.content.decode()


def test_an_archived_file_missing_from_the_store_is_a_404_not_a_500(
    manager_client, manager, in_review
):
    with TestCase.captureOnCommitCallbacks(execute=True):
        evaluation_approve(evaluation=in_review, manager=manager, comment="OK")
    in_review.refresh_from_db()
    default_storage.delete(in_review.report_file.name)

    response = manager_client.get(reverse("scoring:report_pdf", args=[in_review.pk]))

    assert response.status_code == 404


def test_with_a_worker_the_approval_message_says_the_pdf_is_being_archived(
    manager_client, in_review
):
    with TestCase.captureOnCommitCallbacks(execute=False):
        response = manager_client.post(
            reverse("scoring:approve", args=[in_review.pk]), {"comment": "OK"}, follow=True
        )

    html = response.content.decode()
    assert "its PDF is being archived" in html and "its PDF archived" not in html


@pytest.mark.django_db(transaction=True)
def test_in_process_the_approval_message_says_the_pdf_is_archived():
    from tests.factories import AnalystFactory, ManagerFactory, ensure_reference_data

    ensure_reference_data()
    evaluation = rankable_evaluation(owner=AnalystFactory())
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
    client = Client()
    client.force_login(ManagerFactory())

    response = client.post(
        reverse("scoring:approve", args=[evaluation.pk]), {"comment": "OK"}, follow=True
    )

    html = response.content.decode()
    assert "The recommendation is frozen and its PDF archived." in html
    evaluation.refresh_from_db()
    assert evaluation.report_sha256 in html
