"""Submit for approval (the evaluation's analysts), approve or reject (managers, four-eyes).

POST only; back to the overview. Who may do which is scoring.access's answer, asked once here and
again by the services underneath.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from scoring.access import evaluation_for_decision, evaluation_for_edit
from scoring.services import (
    ApprovalError,
    evaluation_approve,
    evaluation_reject,
    evaluation_submit,
)

DECISIONS = {
    "approve": (evaluation_approve, "Approved. The recommendation is frozen and its PDF archived."),
    "reject": (evaluation_reject, "Rejected. The analysts can change it and submit it again."),
}
# With a worker the PDF is archived after the approval; in-process it already is when we answer.
ARCHIVING = "Approved. The recommendation is frozen; its PDF is being archived (shown below)."


@require_POST
def submit(request, pk: int):
    evaluation = evaluation_for_edit(request, pk)
    try:
        evaluation_submit(
            evaluation=evaluation, user=request.user, rationale=request.POST.get("rationale", "")
        )
    except ApprovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Submitted: the managers can now approve or reject it.")
    return redirect(evaluation)


@require_POST
def decide(request, pk: int, verdict: str):
    """Approve or reject: one path, so both get the same checks (mapped twice in urls.py)."""
    evaluation = evaluation_for_decision(request, pk)
    service, done = DECISIONS[verdict]
    try:
        service(
            evaluation=evaluation, manager=request.user, comment=request.POST.get("comment", "")
        )
    except ApprovalError as error:
        messages.error(request, str(error))
    else:
        if verdict == "approve":
            evaluation.refresh_from_db(fields=["report_sha256"])
            done = done if evaluation.report_sha256 else ARCHIVING
        messages.success(request, done)
    return redirect(evaluation)
