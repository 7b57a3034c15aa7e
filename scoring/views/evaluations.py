"""Evaluation pages. Every view under an evaluation starts from scoring.access."""

from django.db.models import Q
from django.shortcuts import render

from background.views import POLL_SECONDS
from bpo_select.roles import Role, has_role, role_required
from scoring.access import decision_refusal, evaluation_for_user, visible_evaluations
from scoring.archive import report_archive_run, report_is_archived
from scoring.models import Evaluation
from scoring.selectors import evaluation_decision
from scoring.selectors_watch import dashboard_watch


@role_required(*Role.ALL)
def dashboard(request):
    user = request.user
    mine = visible_evaluations(user).filter(Q(owner=user) | Q(team=user)).distinct()
    waiting = (
        visible_evaluations(user).filter(status=Evaluation.Status.IN_REVIEW)
        if has_role(user, Role.MANAGER)
        else Evaluation.objects.none()
    )
    return render(
        request,
        "scoring/dashboard.html",
        {
            "mine": mine[:10],
            "waiting": waiting[:20],
            "watch": dashboard_watch(user) if has_role(user, Role.ANALYST) else None,
            "nav": "dashboard",
        },
    )


@role_required(Role.ANALYST, Role.MANAGER)
def evaluation_list(request):
    evaluations = visible_evaluations(request.user)
    status = request.GET.get("status")
    if status in Evaluation.Status.values:
        evaluations = evaluations.filter(status=status)
    return render(
        request,
        "scoring/evaluation_list.html",
        {
            "evaluations": evaluations,
            "statuses": Evaluation.Status.choices,
            "status": status,
            "nav": "evaluations",
        },
    )


def evaluation_detail(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    refusal = decision_refusal(request.user, evaluation) if evaluation.status == "in_review" else ""
    archiving = evaluation.status == "approved" and not report_is_archived(evaluation)
    # What the manager decides on, beside the analyst's rationale: the same decision as the pages.
    submitted = evaluation.status in ("in_review", "approved")
    decision = evaluation_decision(evaluation, sensitivity=False) if submitted else None
    return render(
        request,
        "scoring/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "decision_refusal": refusal,
            "decision": decision,
            "leader": decision.ranking[0] if decision and decision.ranking else None,
            "nav": "evaluations",
            "archive_run": report_archive_run(evaluation) if archiving else None,
            "archiving": archiving,
            "poll_seconds": POLL_SECONDS,
        },
    )
