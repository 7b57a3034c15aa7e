"""Background tasks of the decision: thin shells over the services that do the work."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from background.services import TaskFailed, TaskResult, tracked_task
from bpo_select.logs import request_id_context
from scoring import stability
from scoring.access import visible_evaluations
from scoring.archive import ARCHIVE_TASK, ArchiveRefused, report_archive
from scoring.models import Evaluation
from scoring.reports import approval_decision, decision_for, render_report_pdf, report_filename
from scoring.selectors import evaluation_decision

PAPER_LABELS = {"a4": "A4", "letter": "US Letter"}


@tracked_task(name=ARCHIVE_TASK)
def archive_report(*, run, progress, evaluation_id: int) -> TaskResult:
    progress(0, 1)
    try:
        evaluation = report_archive(evaluation_id=evaluation_id)
    except ArchiveRefused as refused:
        raise TaskFailed(str(refused)) from refused
    progress(1, 1)
    return TaskResult(
        label="Download the approved PDF",
        url=reverse("scoring:report_pdf", args=[evaluation.pk]),
    )


@tracked_task(name="scoring.render_report")
def render_report(*, run, progress, evaluation_id: int, paper: str) -> TaskResult:
    """A copy of the recommendation PDF as the evaluation stands (a draft, or a Letter copy),
    stored for its owner to download (background:download)."""
    progress(0, 1)
    # Asked again at run time: whoever queued it may have left the team since.
    evaluation = visible_evaluations(run.owner).filter(pk=evaluation_id).first()
    if evaluation is None:
        raise TaskFailed("You can no longer see this evaluation, so its PDF was not made.")
    decision = decision_for(evaluation, run.owner)
    pdf = render_report_pdf(decision, paper=paper)
    kind = "recommendation" if paper == "a4" else "recommendation-letter"
    name = f"reports/copies/{run.pk.hex}/{report_filename(decision, kind, 'pdf')}"
    stored = default_storage.save(name, ContentFile(pdf))
    progress(1, 1)
    return TaskResult(label=f"Download the PDF ({PAPER_LABELS[paper]})", file_name=stored)


@tracked_task(name=stability.TASK_NAME, progress_unit="steps")
def rank_stability(
    *, run, progress, evaluation_id: int, weights: dict | None, method: str | None
) -> TaskResult:
    """The sensitivity panel's draws for a large problem, cached for every later view."""
    progress(0, 3)
    evaluation = visible_evaluations(run.owner).filter(pk=evaluation_id).first()
    if evaluation is None:
        raise TaskFailed("You can no longer see this evaluation, so its stability was not run.")
    decision = evaluation_decision(
        evaluation, viewer=run.owner, weights=weights, method=method, sensitivity=False
    )
    progress(1, 3)
    full = stability.compute(decision, weights=weights, method=method)
    progress(3, 3)
    leader = full.stability[0].name if full.stability else ""
    return TaskResult(
        label=(f"Rank stability ready: {leader} first" if leader else "Rank stability ready")[:200],
        url=reverse("scoring:ranking", args=[evaluation.pk]),
    )


@shared_task(name="scoring.draw_for_review", ignore_result=True, acks_late=True)
def draw_for_review(evaluation_id: int, request_id: str = "") -> None:
    """The draws of an evaluation just sent to review, made now and cached, so the managers'
    first ranking view and the approval (which freezes them) find them ready. Untracked: nobody
    waits for it, and without it they are drawn when first needed, the same draws."""
    with request_id_context(request_id):
        evaluation = Evaluation.objects.filter(
            pk=evaluation_id, status=Evaluation.Status.IN_REVIEW
        ).first()
        if evaluation is not None:
            approval_decision(evaluation)
