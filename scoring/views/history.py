"""An evaluation's audit trail: who changed the evaluation, its weights (and AHP judgements),
candidates, scores and quotes, when, and each value old -> new."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from bpo_select.audit import Change, Source, history_page
from scoring.access import evaluation_for_user, scores_hidden_from
from scoring.models import (
    AhpJudgement,
    Candidate,
    Consensus,
    Criterion,
    DeliveryShareBound,
    Evaluation,
    EvaluationWeight,
    InHouseBaseline,
    Measurement,
    Score,
    ScoreSheet,
)
from vendors.models import Quote, QuoteDeliveryPrice


def _candidate_verb(history_type: str, changes: list[Change]) -> str | None:
    """Adding, removing, excluding and reinstating a vendor, as the candidates page words them."""
    if history_type == "+":
        return "Added"
    if history_type == "-":
        return "Removed"
    for change in changes:
        if change.field == "excluded reason":
            return "Reinstated" if change.new == "—" else "Excluded"
    return None


def _weight_verb(history_type: str, changes: list[Change]) -> str | None:
    """A criterion leaving or renamed in the evaluation, as the criteria page words it."""
    if history_type == "-":
        return "Dropped"
    if any(change.field == "label" for change in changes):
        return "Renamed"
    return None


def _sources(evaluation: Evaluation, user) -> list[Source]:
    """Every history of the evaluation; while scoring is blind for ``user``, only their own
    scores and no consensus (scoring.access.scores_hidden_from)."""
    scores = Score.history.filter(evaluation_id=evaluation.pk)
    agreed = Consensus.history.filter(evaluation_id=evaluation.pk)
    if scores_hidden_from(user, evaluation):
        scores, agreed = scores.filter(evaluator_id=user.pk), agreed.none()
    return [
        Source("Evaluation", Evaluation.history.filter(id=evaluation.pk), lambda r: r.title),
        Source(
            "Weight",
            EvaluationWeight.history.filter(evaluation_id=evaluation.pk),
            lambda r: str(r.criterion),
            related=("criterion",),
            quiet=("evaluation", "criterion"),
            verb=_weight_verb,
        ),
        Source(
            "In-house baseline",
            InHouseBaseline.history.filter(evaluation_id=evaluation.pk),
            lambda r: "In-house cost",
            quiet=("evaluation",),
        ),
        Source(
            "Criterion",
            Criterion.history.filter(evaluation_id=evaluation.pk),
            lambda r: r.name,
            quiet=("evaluation", "key", "order"),
        ),
        Source(
            "Measurement",
            Measurement.history.filter(evaluation_id=evaluation.pk),
            lambda r: f"{r.vendor} · {r.criterion}",
            related=("vendor", "criterion"),
            quiet=("evaluation", "vendor", "criterion", "updated_by", "origin"),
        ),
        Source(
            "AHP judgement",
            AhpJudgement.history.filter(evaluation_id=evaluation.pk),
            lambda r: f"{r.left} vs {r.right}",
            related=("left", "right"),
            quiet=("evaluation", "left", "right"),
        ),
        Source(
            "Candidate",
            Candidate.history.filter(evaluation_id=evaluation.pk),
            lambda r: str(r.vendor),
            related=("vendor",),
            quiet=("evaluation", "vendor"),
            verb=_candidate_verb,
        ),
        Source(
            "Score",
            scores,
            lambda r: f"{r.vendor} · {r.criterion} (by {r.evaluator})",
            related=("vendor", "criterion", "evaluator"),
            quiet=("evaluation", "vendor", "criterion", "evaluator"),
        ),
        Source(
            "Consensus",
            agreed,
            lambda r: f"{r.vendor} · {r.criterion}",
            related=("vendor", "criterion", "decided_by"),
            quiet=("evaluation", "vendor", "criterion"),
        ),
        Source(
            "Score sheet",
            ScoreSheet.history.filter(evaluation_id=evaluation.pk),
            lambda r: f"{r.evaluator}'s sheet",
            related=("evaluator",),
            quiet=("evaluation", "evaluator"),
        ),
        Source(
            "Quote",
            Quote.history.filter(evaluation_id=evaluation.pk),
            lambda r: f"{r.vendor} · {r.process}",
            related=("vendor", "process"),
            quiet=("evaluation", "vendor", "process"),
        ),
        Source(
            "Price per delivery model",
            QuoteDeliveryPrice.history.filter(
                quote_id__in=Quote.objects.filter(evaluation_id=evaluation.pk).values("pk")
            ),
            lambda r: f"{r.quote.vendor} · {r.delivery_model}",
            related=("quote__vendor", "delivery_model"),
            quiet=("quote", "delivery_model"),
        ),
        Source(
            "Delivery share bound",
            DeliveryShareBound.history.filter(evaluation_id=evaluation.pk),
            lambda r: str(r.delivery_model),
            related=("delivery_model",),
            quiet=("evaluation", "delivery_model"),
        ),
    ]


@require_GET
def evaluation_history(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    page = history_page(_sources(evaluation, request.user), request.GET.get("page"))
    return render(
        request,
        "scoring/history.html",
        {"evaluation": evaluation, "page_obj": page, "nav": "evaluations"},
    )
