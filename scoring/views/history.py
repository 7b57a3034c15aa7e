"""An evaluation's audit trail: who changed the evaluation, its scores and its quotes, and when."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from bpo_select.audit import Source, history_page
from bpo_select.roles import Role, role_required
from scoring.access import evaluation_for_user
from scoring.models import Evaluation, Score
from vendors.models import Quote


def _sources(evaluation: Evaluation) -> list[Source]:
    return [
        Source("Evaluation", Evaluation.history.filter(id=evaluation.pk), lambda r: r.title),
        Source(
            "Score",
            Score.history.filter(evaluation_id=evaluation.pk),
            lambda r: f"{r.vendor} · {r.criterion} (by {r.evaluator})",
            related=("vendor", "criterion", "evaluator"),
        ),
        Source(
            "Quote",
            Quote.history.filter(evaluation_id=evaluation.pk),
            lambda r: f"{r.vendor} · {r.process}",
            related=("vendor", "process"),
        ),
    ]


@require_GET
@role_required(Role.ANALYST, Role.MANAGER)
def evaluation_history(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    page = history_page(_sources(evaluation), request.GET.get("page"))
    return render(
        request,
        "scoring/history.html",
        {"evaluation": evaluation, "page_obj": page, "nav": "evaluations"},
    )
