"""With a broker, the upload returns at once: a task validates the file while the page shows rows
validated (polling the task status), then the preview; a file that cannot be read says why."""

import pytest
from django.test import Client
from django.urls import reverse

from background.models import TaskRun
from tests.factories import QuoteFactory, VendorAdminFactory, VendorFactory, process
from tests.vendors.importing_helpers import GOOD_QUOTE, db_state
from tests.vendors.test_import_views import commit, token_of, upload
from vendors import importing
from vendors.tasks import import_preview

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    """As with CELERY_BROKER_URL set: tasks are queued, a test runs them as the worker would."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return settings


def work(run: TaskRun) -> TaskRun:
    import_preview.apply(args=[str(run.pk)])
    run.refresh_from_db()
    return run


def poll(client, run: TaskRun, follow: str):
    return client.get(
        reverse("background:status", args=[run.pk]), {"follow": follow}, HTTP_HX_REQUEST="true"
    )


def test_the_upload_returns_at_once_then_shows_progress_then_the_preview(
    vendor_admin_client, broker
):
    VendorFactory(name="Acme")
    before = db_state()

    response = upload(vendor_admin_client, [GOOD_QUOTE])

    run = TaskRun.objects.get()
    page_url = reverse("vendors:import_preview", args=[run.pk])
    assert response.status_code == 302 and response["Location"] == page_url
    assert (run.task_name, run.state) == ("vendors.import_preview", TaskRun.State.QUEUED)
    waiting = vendor_admin_client.get(page_url).content.decode()
    assert "Validating quotes.csv" in waiting and "Waiting for a worker" in waiting
    assert f'hx-get="{reverse("background:status", args=[run.pk])}?follow={page_url}"' in waiting

    TaskRun.objects.filter(pk=run.pk).update(state=TaskRun.State.RUNNING, done=250, total=1000)
    assert (
        "250 of 1,000 rows validated" in poll(vendor_admin_client, run, page_url).content.decode()
    )

    run = work(run)
    assert (run.state, run.done, run.total) == (TaskRun.State.SUCCEEDED, 1, 1)
    assert poll(vendor_admin_client, run, page_url)["HX-Redirect"] == page_url
    preview = vendor_admin_client.get(page_url)
    assert preview.status_code == 200
    assert preview.context["report"].counts == {"new": 1, "changed": 0, "unchanged": 0, "error": 0}
    assert token_of(preview) == run.kwargs["token"]
    assert vendor_admin_client.session["vendor_import"]["token"] == run.kwargs["token"]
    assert db_state() == before  # validating wrote nothing

    broker.CELERY_TASK_ALWAYS_EAGER = True  # the commit, run in-process here
    _response, committed = commit(vendor_admin_client, {"token": token_of(preview)})
    assert committed.state == TaskRun.State.SUCCEEDED, committed.error


def test_a_preview_with_deletions_asks_for_the_same_confirmation(vendor_admin_client, broker):
    acme = VendorFactory(name="Acme")
    QuoteFactory(
        vendor=acme,
        process=process("payroll-benefits-administration"),
        unit_price=1850,
        valid_until="2027-06-30",
    )
    cleared = [*GOOD_QUOTE[:6], "-"]  # "-" clears the stored valid_until

    upload(vendor_admin_client, [cleared])
    run = work(TaskRun.objects.get())
    preview = vendor_admin_client.get(reverse("vendors:import_preview", args=[run.pk]))

    report = preview.context["report"]
    assert report.deletion_count == 1
    assert f'name="confirm_deletions" value="{report.deletions_digest}"' in preview.content.decode()
    assert (
        report.deletions_digest
        == importing.preview(
            importing.load(importing.unstash(run.kwargs["token"]), "quotes.csv", "quotes")
        )[0].deletions_digest
    )


def test_a_file_that_cannot_be_read_says_why_and_keeps_nothing(vendor_admin_client, broker):
    before = db_state()

    upload(vendor_admin_client, [], data=b"vendor,colour\nAcme,red\n")
    run = work(TaskRun.objects.get())
    page = vendor_admin_client.get(reverse("vendors:import_preview", args=[run.pk]))

    assert run.state == TaskRun.State.FAILED
    assert page.status_code == 400
    assert "unknown column(s): colour" in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()  # upload a corrected file
    assert importing.unstash(run.kwargs["token"]) is None
    assert "vendor_import" not in vendor_admin_client.session
    assert db_state() == before


def test_a_file_with_row_errors_is_previewed_without_a_commit(vendor_admin_client, broker):
    VendorFactory(name="Acme")

    upload(vendor_admin_client, [["Nobody", *GOOD_QUOTE[1:]]])
    run = work(TaskRun.objects.get())
    page = vendor_admin_client.get(reverse("vendors:import_preview", args=[run.pk]))

    assert page.status_code == 200 and "unknown vendor" in page.content.decode()
    assert token_of(page) == "" and "vendor_import" not in vendor_admin_client.session
    assert importing.unstash(run.kwargs["token"]) is None  # nothing to commit, so not kept


def test_another_admins_preview_is_a_404(vendor_admin_client, broker):
    VendorFactory(name="Acme")
    upload(vendor_admin_client, [GOOD_QUOTE])
    run = work(TaskRun.objects.get())
    other = Client()
    other.force_login(VendorAdminFactory())

    assert other.get(reverse("vendors:import_preview", args=[run.pk])).status_code == 404
    assert other.get(reverse("background:status", args=[run.pk])).status_code == 404


def test_a_committed_preview_is_gone(vendor_admin_client):
    VendorFactory(name="Acme")
    preview = upload(vendor_admin_client, [GOOD_QUOTE])
    commit(vendor_admin_client, {"token": token_of(preview)})
    run = TaskRun.objects.get(task_name="vendors.import_preview")

    again = vendor_admin_client.get(reverse("vendors:import_preview", args=[run.pk]))

    assert again.status_code == 410
    assert "This preview is gone" in again.content.decode()


def test_follow_only_sends_the_browser_to_a_page_of_this_site(vendor_admin_client, broker):
    VendorFactory(name="Acme")
    upload(vendor_admin_client, [GOOD_QUOTE])
    run = work(TaskRun.objects.get())

    response = poll(vendor_admin_client, run, "https://evil.example/")

    assert response.status_code == 200 and "HX-Redirect" not in response
