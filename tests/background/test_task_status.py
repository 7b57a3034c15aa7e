"""Slow work runs as a tracked task: the page polls its status, shows the result or a retry.

Without CELERY_BROKER_URL (as here) tasks run in-process; tests/background/test_worker.py runs the
same path on a real Celery worker and Redis.
"""

import csv
import io

import pytest
from django.urls import reverse

from background.models import TaskRun
from tests.factories import AnalystFactory, VendorFactory

pytestmark = pytest.mark.django_db
EXPORT = reverse("vendors:directory_export")


def committed(client_method, *args, **kwargs):
    """The request, then what it queued on commit (the test's own transaction never commits)."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client_method(*args, **kwargs)


def start_export(client, query: str = "") -> TaskRun:
    response = committed(client.post, EXPORT + query)
    run = TaskRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("background:status", args=[run.pk])
    return run


def download(client, run: TaskRun) -> list[list[str]]:
    response = client.get(reverse("background:download", args=[run.pk]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_exporting_the_directory_runs_a_task_that_ends_with_a_download_link(analyst_client):
    VendorFactory(name="Pune Co", country="IN")
    VendorFactory(name="Manila Co", country="PH")
    run = start_export(analyst_client, "?country=PH")
    run.refresh_from_db()
    assert run.state == TaskRun.State.SUCCEEDED
    assert (run.done, run.total) == (1, 1)
    page = analyst_client.get(reverse("background:status", args=[run.pk])).content.decode()
    assert "Download the CSV (1 vendor)" in page
    assert 'hx-trigger="load' not in page  # finished: it stops polling
    rows = download(analyst_client, run)
    assert rows[0][:2] == ["Name", "Headquarters"]
    assert [row[:2] for row in rows[1:]] == [["Manila Co", "Philippines"]]


def test_an_export_with_no_matching_vendor_says_zero_vendors(analyst_client):
    run = start_export(analyst_client, "?q=nothing-matches")
    run.refresh_from_db()
    assert run.result_label == "Download the CSV (0 vendors)"
    assert download(analyst_client, run) == [
        [
            "Name",
            "Headquarters",
            "Website",
            "Founded",
            "Headcount",
            "Languages",
            "Processes",
            "Valid certifications",
            "Delivery models",
        ]
    ]


def test_text_that_looks_like_a_formula_is_escaped_in_the_export(analyst_client):
    VendorFactory(name='=HYPERLINK("http://evil")', languages="+English")
    run = start_export(analyst_client)
    row = download(analyst_client, run)[1]
    assert row[0] == '\'=HYPERLINK("http://evil")'
    assert row[5] == "'+English"


def test_a_running_task_shows_a_progress_bar_that_polls(analyst_client, analyst):
    run = TaskRun.objects.create(
        task_name="vendors.export_directory",
        label="Export",
        owner=analyst,
        state=TaskRun.State.RUNNING,
        done=2000,
        total=5000,
    )
    response = analyst_client.get(
        reverse("background:status", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page  # the partial, for htmx to swap
    assert 'role="progressbar"' in page and 'aria-valuenow="40"' in page
    assert 'aria-valuetext="2,000 of 5,000"' in page
    assert "task-progress-40" in page
    assert f'hx-get="{reverse("background:status", args=[run.pk])}"' in page


def test_invalid_filters_fail_the_task_with_a_message_naming_the_field(analyst_client):
    run = start_export(analyst_client, "?process=not-a-number")
    run.refresh_from_db()
    assert run.state == TaskRun.State.FAILED
    assert "(process)" in run.error
    page = analyst_client.get(reverse("background:status", args=[run.pk])).content.decode()
    assert "(process)" in page and "Try again" in page


def test_a_crashed_task_says_so_and_a_retry_runs_it_again(analyst_client, monkeypatch):
    VendorFactory(name="Pune Co")
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage.save
    calls = []

    def full_disk_once(storage, name, content, **kwargs):
        calls.append(name)
        if len(calls) == 1:
            raise OSError("No space left on device")
        return real_save(storage, name, content, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", full_disk_once)
    run = start_export(analyst_client)
    run.refresh_from_db()
    assert run.state == TaskRun.State.FAILED
    assert str(run.pk) in run.error and "wrote nothing" in run.error
    response = committed(
        analyst_client.post, reverse("background:retry", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    retried = TaskRun.objects.exclude(pk=run.pk).get()
    assert f'id="task-{retried.pk}"' in response.content.decode()  # swapped in, polling the new run
    assert retried.state == TaskRun.State.SUCCEEDED
    page = analyst_client.get(reverse("background:status", args=[retried.pk])).content.decode()
    assert "Download the CSV (1 vendor)" in page
    run.refresh_from_db()
    assert run.state == TaskRun.State.FAILED  # the failed run stays as it was


def test_a_task_that_did_not_fail_cannot_be_retried(analyst_client):
    run = start_export(analyst_client)
    response = analyst_client.post(reverse("background:retry", args=[run.pk]))
    assert response.status_code == 400
    assert "Only a failed task can be retried; this one is done." in response.content.decode()
    assert TaskRun.objects.count() == 1


def test_a_finished_run_delivered_again_does_nothing(analyst_client):
    from vendors.tasks import export_directory

    run = start_export(analyst_client)
    run.refresh_from_db()
    assert export_directory.apply(args=[str(run.pk)]).get() == TaskRun.State.SUCCEEDED
    run.refresh_from_db()
    assert run.attempts == 1


@pytest.mark.parametrize("name", ["background:status", "background:download", "background:retry"])
def test_another_users_task_is_a_404(client, analyst_client, name):
    run = start_export(analyst_client)
    client.force_login(AnalystFactory(username="other"))
    method = client.post if name == "background:retry" else client.get
    assert method(reverse(name, args=[run.pk])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, analyst):
    run = TaskRun.objects.create(task_name="x", label="Export", owner=analyst)
    response = client.get(reverse("background:status", args=[run.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_directory_offers_the_export_with_its_filters(analyst_client):
    VendorFactory(country="PH")
    page = analyst_client.get(reverse("vendors:directory"), {"country": "PH"}).content.decode()
    assert f'action="{EXPORT}?country=PH"' in page
    assert "Export 1 vendor as CSV" in page
