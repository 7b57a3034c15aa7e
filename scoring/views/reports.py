"""The recommendation PDF and the CSV/XLSX exports of an evaluation.

Approved evaluations serve their archived PDF and export their frozen decision; others are
rendered from a fresh decision on each request: by a worker when a broker is configured (so PDF
renders never hold a web process; their concurrency is the worker pool's), in-process without one.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from background.services import in_process, task_start
from background.views import POLL_SECONDS
from scoring.access import evaluation_for_user
from scoring.models import Evaluation
from scoring.reports import (
    EXPORT_FORMATS,
    EXPORT_KINDS,
    PAPER_SIZES,
    decision_for,
    export_file,
    render_report_pdf,
    report_filename,
)
from scoring.tasks import PAPER_LABELS, render_report


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def report_pdf(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    paper = request.GET.get("paper", "a4")
    if paper not in PAPER_SIZES:
        raise Http404("Paper is a4 or letter.")
    approved = evaluation.status == Evaluation.Status.APPROVED and paper == "a4"
    archived = approved and (evaluation.report_file or evaluation.report_pdf)
    if not archived and not in_process():
        # A worker renders it; the status page polls, then links to the download.
        return redirect("background:status", _start_render(request, evaluation, paper).pk)
    decision = decision_for(evaluation, request.user)
    if approved and evaluation.report_file:
        try:
            with evaluation.report_file.open("rb") as stored:
                data = stored.read()
        except FileNotFoundError:
            raise Http404("The archived PDF is missing from the file store.") from None
    elif approved and evaluation.report_pdf:  # archived in the row before the task queue
        data = bytes(evaluation.report_pdf)
    else:
        data = render_report_pdf(decision, paper=paper)
    name = report_filename(
        decision, "recommendation" if paper == "a4" else "recommendation-letter", "pdf"
    )
    return _attachment(data, "application/pdf", name)


def _start_render(request, evaluation: Evaluation, paper: str):
    return task_start(
        task=render_report,
        owner=request.user,
        label=f"PDF of {evaluation.title} ({PAPER_LABELS[paper]})"[:200],
        kwargs={"evaluation_id": evaluation.pk, "paper": paper},
    )


@require_POST
def report_pdf_prepare(request, pk: int):
    """Render a PDF copy on a worker; the page swaps in its progress, then the download link."""
    evaluation = evaluation_for_user(request, pk)
    paper = request.POST.get("paper", "a4")
    if paper not in PAPER_SIZES:
        raise Http404("Paper is a4 or letter.")
    run = _start_render(request, evaluation, paper)
    if not request.htmx:
        return redirect("background:status", run.pk)
    run.refresh_from_db()  # in-process (no broker), it has already run
    context = {"run": run, "poll_seconds": POLL_SECONDS, "refusal": ""}
    return render(request, "background/partials/task_status.html", context)


def export(request, pk: int, kind: str, fmt: str):
    evaluation = evaluation_for_user(request, pk)
    if kind not in EXPORT_KINDS or fmt not in EXPORT_FORMATS:
        raise Http404("Exports are ranking, scores or tco as csv or xlsx.")
    data, content_type, filename = export_file(decision_for(evaluation, request.user), kind, fmt)
    return _attachment(data, content_type, filename)
