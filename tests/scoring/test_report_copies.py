"""Draft and Letter PDFs are rendered by a task: the page shows its progress, then the link;
only the user who asked may download the copy."""

import io

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from pypdf import PdfReader

from background.models import TaskRun
from scoring.services import team_set
from scoring.tasks import render_report
from tests.factories import AnalystFactory, rankable_evaluation


@pytest.fixture
def evaluation(analyst):
    return rankable_evaluation(owner=analyst)


def prepare(client, evaluation, **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("scoring:report_pdf_prepare", args=[evaluation.pk]),
            data,
            HTTP_HX_REQUEST="true",
        )


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_panel_offers_the_draft_pdf_as_a_task_button(analyst_client, evaluation):
    page = analyst_client.get(reverse("scoring:evaluation_detail", args=[evaluation.pk]))

    html = page.content.decode()
    assert f'hx-post="{reverse("scoring:report_pdf_prepare", args=[evaluation.pk])}"' in html
    assert 'hx-target="#pdf-task"' in html and 'id="pdf-task"' in html
    assert "Draft PDF (A4)" in html and "Approved PDF" not in html


def test_a_draft_pdf_is_rendered_by_a_task_then_downloaded_by_its_owner(
    analyst_client, analyst, evaluation
):
    response = prepare(analyst_client, evaluation, paper="a4")

    run = TaskRun.objects.get()
    assert (run.state, run.owner, run.kwargs) == (
        TaskRun.State.SUCCEEDED,
        analyst,
        {"evaluation_id": evaluation.pk, "paper": "a4"},
    )
    polling = response.content.decode()
    status = analyst_client.get(
        reverse("background:status", args=[run.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'hx-get="{reverse("background:status", args=[run.pk])}"' in polling
    assert "Download the PDF (A4)" in status
    download = analyst_client.get(reverse("background:download", args=[run.pk]))
    data = b"".join(download.streaming_content)
    assert data.startswith(b"%PDF") and "DRAFT" in pdf_text(data)
    assert download["Content-Disposition"].endswith(
        "_recommendation_" + run.result_file[-14:] + '"'
    )


def test_a_letter_copy_is_rendered_on_letter_paper(analyst_client, evaluation):
    prepare(analyst_client, evaluation, paper="letter")

    run = TaskRun.objects.get()
    download = analyst_client.get(reverse("background:download", args=[run.pk]))
    page = PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    assert run.result_label == "Download the PDF (US Letter)"


def test_another_paper_is_a_404_and_queues_nothing(analyst_client, evaluation):
    response = prepare(analyst_client, evaluation, paper="a0")

    assert response.status_code == 404
    assert not TaskRun.objects.exists()


def test_without_htmx_the_request_goes_to_the_task_page(analyst_client, evaluation):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = analyst_client.post(
            reverse("scoring:report_pdf_prepare", args=[evaluation.pk]), {"paper": "a4"}
        )

    assert response.status_code == 302
    assert response.url == reverse("background:status", args=[TaskRun.objects.get().pk])


def test_a_copy_queued_by_someone_who_then_left_the_team_is_not_made(analyst, evaluation):
    member = AnalystFactory()
    team_set(evaluation=evaluation, by=analyst, members=[member])
    client = Client()
    client.force_login(member)
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        client.post(
            reverse("scoring:report_pdf_prepare", args=[evaluation.pk]),
            {"paper": "a4"},
            HTTP_HX_REQUEST="true",
        )
    team_set(evaluation=evaluation, by=analyst, members=[])

    for callback in queued:
        callback()

    run = TaskRun.objects.get()
    assert run.state == TaskRun.State.FAILED
    assert run.error == "You can no longer see this evaluation, so its PDF was not made."
    assert run.result_file == ""


def test_with_a_broker_the_pdf_link_queues_a_render_and_goes_to_its_status(
    analyst_client, analyst, evaluation, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with CELERY_BROKER_URL set: no render in the web

    response = analyst_client.get(
        reverse("scoring:report_pdf", args=[evaluation.pk]), {"paper": "letter"}
    )

    run = TaskRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("background:status", args=[run.pk])
    assert (run.state, run.owner) == (TaskRun.State.QUEUED, analyst)
    assert run.kwargs == {"evaluation_id": evaluation.pk, "paper": "letter"}
    render_report.apply(args=[str(run.pk)])  # what the worker does with the queued message
    status = analyst_client.get(response["Location"]).content.decode()
    assert reverse("background:download", args=[run.pk]) in status


def test_without_a_broker_the_pdf_link_renders_in_the_request(analyst_client, evaluation):
    response = analyst_client.get(reverse("scoring:report_pdf", args=[evaluation.pk]))

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not TaskRun.objects.exists()
