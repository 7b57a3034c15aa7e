"""Archive an approved evaluation's PDF: rendered once from its frozen snapshot, stored through
Django's storage API, its SHA-256 recorded once. Runs on a worker after the approval commits.

Idempotent so that `acks_late` redelivery (a worker killed mid-render) costs a render, never a
second file or hash: an archive already recorded ends the work at once, the recording happens under
the row lock, and the file name is fixed by the snapshot so a re-run replaces an orphan left by a
dead worker.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from background.models import TaskRun
from scoring.models import Evaluation
from scoring.reports import render_report_pdf

ARCHIVE_TASK = "scoring.archive_report"


class ArchiveRefused(Exception):
    """The evaluation cannot have an archived PDF (not approved, or its snapshot is missing)."""


def report_file_name(evaluation: Evaluation) -> str:
    snapshot = evaluation.snapshot or {}
    return f"reports/evaluation-{evaluation.pk}-{snapshot.get('id', 'unversioned')}.pdf"


def report_is_archived(evaluation: Evaluation) -> bool:
    return bool(evaluation.report_sha256)


def _approved(evaluation_id: int, *, lock: bool) -> Evaluation:
    evaluations = Evaluation.objects.select_for_update() if lock else Evaluation.objects
    evaluation = evaluations.filter(pk=evaluation_id).first()
    if evaluation is None:
        raise ArchiveRefused("The evaluation no longer exists; there is nothing to archive.")
    if not report_is_archived(evaluation) and (
        evaluation.status != Evaluation.Status.APPROVED or not evaluation.snapshot
    ):
        raise ArchiveRefused(
            "Only an approved evaluation has an archived PDF; "
            f"this one is {evaluation.get_status_display()}."
        )
    return evaluation


def report_archive(*, evaluation_id: int) -> Evaluation:
    """Render and store the approved PDF unless it is already archived; returns the evaluation.

    The render (seconds of CPU) runs outside any lock: the snapshot it reads is frozen. Only the
    recording locks the row, and a run that finds the archive recorded meanwhile keeps that one.
    """
    evaluation = _approved(evaluation_id, lock=False)
    if report_is_archived(evaluation):
        return evaluation
    pdf = render_report_pdf(evaluation.snapshot or {})  # _approved refused a missing one
    with transaction.atomic():
        locked = _approved(evaluation_id, lock=True)
        if report_is_archived(locked):
            return locked
        name = report_file_name(locked)
        if default_storage.exists(name):  # left by a worker that died before its commit
            default_storage.delete(name)
        locked.report_file.name = default_storage.save(name, ContentFile(pdf))
        locked.report_sha256 = hashlib.sha256(pdf).hexdigest()
        # Not a change of the decision: no history row, no version bump (nobody's edit goes stale).
        locked.skip_history_when_saving = True
        try:
            locked.save(update_fields=["report_file", "report_sha256", "updated_at"])
        finally:
            del locked.skip_history_when_saving
    return locked


def report_archive_run(evaluation: Evaluation) -> TaskRun | None:
    """The latest run archiving this evaluation's PDF (what its page shows until it is ready)."""
    return (
        TaskRun.objects.filter(task_name=ARCHIVE_TASK, kwargs__evaluation_id=evaluation.pk)
        .order_by("-created_at")
        .first()
    )
