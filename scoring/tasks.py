"""Background tasks of the decision: thin shells over the services that do the work."""

from django.urls import reverse

from background.services import TaskFailed, TaskResult, tracked_task
from scoring.archive import ARCHIVE_TASK, ArchiveRefused, report_archive


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
