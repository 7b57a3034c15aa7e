"""The recommendation PDF: what it says, its watermark, paper sizes and page furniture."""

import io

import pytest
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from scoring.models import Evaluation
from scoring.reports import build_snapshot, render_report_pdf
from scoring.services import evaluation_approve
from tests.factories import rankable_evaluation

SECTIONS = [
    "Executive summary",
    "Shortlist",
    "What makes up each score",
    "Total cost of ownership",
    "Scores per criterion",
    "Sensitivity",
    "Exclusions",
    "Method and weights",
]


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def evaluation(analyst):
    return rankable_evaluation(owner=analyst, title="Helpdesk 2027")


def test_the_draft_pdf_names_the_winner_the_status_and_every_section(analyst_client, evaluation):
    response = analyst_client.get(reverse("scoring:report_pdf", args=[evaluation.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="bpo-select_helpdesk-2027_recommendation_'
    )
    text = "\n".join(pages_text(response.content))
    assert "We recommend Alpha BPO" in text
    assert "Draft" in text
    for heading in SECTIONS:
        assert heading in text, heading


def test_a_draft_carries_the_draft_watermark_and_the_approved_copy_does_not(manager, evaluation):
    draft = pages_text(render_report_pdf(build_snapshot(evaluation)))
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)

    with TestCase.captureOnCommitCallbacks(execute=True):
        evaluation_approve(evaluation=evaluation, manager=manager, comment="Signed off")

    assert all("DRAFT" in page for page in draft)
    evaluation.refresh_from_db()
    with evaluation.report_file.open("rb") as handle:
        archived = pages_text(handle.read())
    assert not any("DRAFT" in page for page in archived)
    assert "Approved" in archived[0] and "Signed off" in archived[0]


def test_every_page_has_a_running_header_and_page_x_of_y(evaluation):
    pages = pages_text(render_report_pdf(build_snapshot(evaluation)))

    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
    assert all("Helpdesk 2027" in text for text in pages[1:])


def test_the_cost_difference_to_the_runner_up_is_in_plain_words(evaluation):
    text = "\n".join(pages_text(render_report_pdf(build_snapshot(evaluation))))

    # Alpha 2,000 vs Beta 2,250 per FTE-month, 20 FTEs, 36 months: 180,000 apart.
    assert "costs $180,000 less than Beta BPO over the 36-month term" in text


@pytest.mark.parametrize(("paper", "width"), [("a4", 595), ("letter", 612)])
def test_the_report_comes_in_a4_and_us_letter(analyst_client, evaluation, paper, width):
    response = analyst_client.get(
        reverse("scoring:report_pdf", args=[evaluation.pk]), {"paper": paper}
    )

    first = PdfReader(io.BytesIO(response.content)).pages[0]
    assert round(float(first.mediabox.width)) == width


def test_an_unknown_paper_size_is_404(analyst_client, evaluation):
    response = analyst_client.get(
        reverse("scoring:report_pdf", args=[evaluation.pk]), {"paper": "a0"}
    )

    assert response.status_code == 404


def test_an_evaluation_without_a_ranking_still_renders_a_readable_report(analyst):
    evaluation = rankable_evaluation(owner=analyst, vendor_names=())

    text = "\n".join(pages_text(render_report_pdf(build_snapshot(evaluation))))

    assert "No vendor can be recommended yet" in text


def test_vendor_admins_cannot_download_reports(vendor_admin_client, evaluation):
    response = vendor_admin_client.get(reverse("scoring:report_pdf", args=[evaluation.pk]))

    assert response.status_code == 404  # they see no evaluation: scoring.access


def test_a_topsis_evaluation_explains_its_method_and_charts_its_scores(analyst):
    evaluation = rankable_evaluation(owner=analyst, method=Evaluation.Method.TOPSIS)

    text = "\n".join(pages_text(render_report_pdf(build_snapshot(evaluation))))

    assert "We recommend Alpha BPO" in text
    assert "TOPSIS score" in text  # the chart's title, drawn as text
    assert "closeness to the ideal" in text
    assert "What makes up each score" not in text
