"""Submit for approval (analysts), approve or reject (managers). POST only; back to the overview."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from bpo_select.roles import Role, has_role
from scoring.access import evaluation_for_edit, evaluation_for_user
from scoring.services import (
    ApprovalError,
    evaluation_approve,
    evaluation_reject,
    evaluation_submit,
)


@require_POST
def submit(request, pk: int):
    evaluation = evaluation_for_edit(request, pk)
    try:
        evaluation_submit(evaluation=evaluation, user=request.user)
    except ApprovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Submitted: the managers can now approve or reject it.")
    return redirect(evaluation)


def _for_decision(request, pk: int):
    """The evaluation if visible (else 404) and the user is a manager (else 403)."""
    evaluation = evaluation_for_user(request, pk)
    if not has_role(request.user, Role.MANAGER):
        raise PermissionDenied("Only managers approve or reject evaluations.")
    return evaluation


@require_POST
def approve(request, pk: int):
    evaluation = _for_decision(request, pk)
    try:
        evaluation_approve(
            evaluation=evaluation, manager=request.user, comment=request.POST.get("comment", "")
        )
    except ApprovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Approved. The recommendation is frozen and its PDF archived.")
    return redirect(evaluation)


@require_POST
def reject(request, pk: int):
    evaluation = _for_decision(request, pk)
    try:
        evaluation_reject(
            evaluation=evaluation, manager=request.user, comment=request.POST.get("comment", "")
        )
    except ApprovalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Rejected. The analysts can change it and submit it again.")
    return redirect(evaluation)
