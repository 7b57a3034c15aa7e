"""The one way to fetch an evaluation a user may see or edit.

Visibility is filtered in the query itself: another team's evaluation is a 404, never a 403, so its
existence does not leak. Editing adds role and status checks, which are 403s.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from bpo_select.roles import Role, has_role
from scoring.models import Evaluation


def visible_evaluations(user) -> QuerySet[Evaluation]:
    """Managers and superusers see every evaluation; analysts see those they own or work on."""
    evaluations = Evaluation.objects.select_related("process", "owner", "approver")
    if has_role(user, Role.MANAGER):
        return evaluations
    if has_role(user, Role.ANALYST):
        return evaluations.filter(Q(owner=user) | Q(team=user)).distinct()
    return evaluations.none()


def evaluation_for_user(request: HttpRequest, pk: int) -> Evaluation:
    """The evaluation if the user may see it, else 404."""
    return get_object_or_404(visible_evaluations(request.user), pk=pk)


def is_member(user, evaluation: Evaluation) -> bool:
    if evaluation.owner_id == user.pk:
        return True
    return evaluation.team.filter(pk=user.pk).exists()


def can_edit(user, evaluation: Evaluation) -> bool:
    return (
        evaluation.is_editable
        and has_role(user, Role.ANALYST)
        and (user.is_superuser or is_member(user, evaluation))
    )


def evaluation_for_edit(request: HttpRequest, pk: int) -> Evaluation:
    """The evaluation if the user may change it: 404 when invisible, 403 when read-only for them."""
    evaluation = evaluation_for_user(request, pk)
    if not has_role(request.user, Role.ANALYST):
        raise PermissionDenied("Only the evaluation's analysts can change it.")
    if not (request.user.is_superuser or is_member(request.user, evaluation)):
        raise PermissionDenied("Only the evaluation's owner and team can change it.")
    if not evaluation.is_editable:
        raise PermissionDenied(
            f"This evaluation is {evaluation.get_status_display().lower()} and can no longer change."
        )
    return evaluation
