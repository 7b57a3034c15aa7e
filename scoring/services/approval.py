"""Submit for review, approve (freezing the decision) or reject: the four-eyes steps."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from background.services import task_start
from bpo_select.logs import current_request_id
from scoring.access import change_refusal, decision_refusal
from scoring.models import (
    Evaluation,
)
from scoring.reports import build_snapshot
from scoring.selectors import evaluation_result
from scoring.services.common import (
    _bump,
)
from scoring.tasks import archive_report, draw_for_review

# --------------------------------------------------------------------------------------------------
# Approval
# --------------------------------------------------------------------------------------------------


RATIONALE_MAX = 2000


class ApprovalError(Exception):
    """The evaluation's status or the user's role does not allow this approval step."""


def _blocking_reasons(evaluation: Evaluation) -> list[str]:
    """Why the evaluation cannot be ranked as a whole; empty when it can go to review."""
    result = evaluation_result(evaluation, sensitivity=False)  # whether it ranks, not its draws
    if not result.blocking:
        return []
    names = {pk: vendor.name for pk, vendor in result.vendors.items()}
    reasons = [
        f"{names.get(pk, pk)}: {'; '.join(why)}"
        for pk, why in sorted(result.unranked.items(), key=lambda item: str(names.get(item[0])))
    ]
    return reasons or list(result.warnings) or ["There is no ranking yet."]


@transaction.atomic
def evaluation_submit(*, evaluation: Evaluation, user: User, rationale: str) -> Evaluation:
    """Send a draft (or rejected) evaluation to the managers with the analyst's rationale (kept on
    the evaluation and so in its history); refused while it cannot be ranked."""
    rationale = rationale.strip()
    if not rationale:
        raise ApprovalError("Rationale: write why the managers should approve this recommendation.")
    if len(rationale) > RATIONALE_MAX:
        raise ApprovalError(
            f"Rationale: keep it to {RATIONALE_MAX:,} characters (it has {len(rationale):,})."
        )
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    refusal = change_refusal(user, locked)
    if refusal:
        raise ApprovalError(refusal)
    if not locked.is_editable:
        raise ApprovalError(
            "Only drafts and rejected evaluations can be submitted; "
            f"this one is {locked.get_status_display()}."
        )
    reasons = _blocking_reasons(locked)
    if reasons:
        raise ApprovalError(
            "It cannot go to review until every competing vendor can be ranked. "
            + " ".join(f"{reason}." for reason in reasons)
        )
    locked.status = Evaluation.Status.IN_REVIEW
    locked.submit_rationale = rationale
    locked._history_user = user
    _bump(locked, evaluation)
    request_id = current_request_id()
    transaction.on_commit(lambda: draw_for_review.delay(locked.pk, request_id))
    evaluation.status = locked.status
    return locked


def _decide(evaluation: Evaluation, manager: User, verb: str) -> Evaluation:
    """The evaluation's row, locked, if ``manager`` may decide on it now (role, four-eyes, status)."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    refusal = decision_refusal(manager, locked)
    if refusal:
        raise ApprovalError(refusal)
    if locked.status != Evaluation.Status.IN_REVIEW:
        raise ApprovalError(
            f"Only evaluations in review can be {verb}d; this one is {locked.get_status_display()}."
        )
    return locked


@transaction.atomic
def evaluation_approve(*, evaluation: Evaluation, manager: User, comment: str) -> Evaluation:
    """Approve and freeze every input and result in a snapshot; its PDF is archived afterwards.

    The row lock makes a second, simultaneous approval wait and then fail on the status check.
    Rendering the PDF (seconds) is not done under the lock: once the approval commits, a tracked
    task renders it from the frozen snapshot and records its SHA-256 (scoring.archive).
    """
    locked = _decide(evaluation, manager, "approve")
    locked.status = Evaluation.Status.APPROVED
    locked.approver = manager
    locked.decided_at = timezone.now()
    locked.decision_comment = comment.strip()
    locked.snapshot = build_snapshot(locked)
    locked._history_user = manager
    _bump(locked, evaluation)
    task_start(
        task=archive_report,
        owner=manager,
        label="Archive the approved PDF",
        kwargs={"evaluation_id": locked.pk},
    )
    return locked


@transaction.atomic
def evaluation_reject(*, evaluation: Evaluation, manager: User, comment: str) -> Evaluation:
    """Send the evaluation back to its analysts with the reason; they can edit and resubmit."""
    if not comment.strip():
        raise ApprovalError("Say why you reject it: the comment is required.")
    locked = _decide(evaluation, manager, "reject")
    locked.status = Evaluation.Status.REJECTED
    locked.approver = manager
    locked.decided_at = timezone.now()
    locked.decision_comment = comment.strip()
    locked._history_user = manager
    _bump(locked, evaluation)
    return locked
