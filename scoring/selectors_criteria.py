"""Reads of an evaluation's criteria: their labels, weights and definitions (1 query each)."""

from __future__ import annotations

from decimal import Decimal

from scoring import facts
from scoring.models import Criterion, Evaluation, EvaluationWeight
from scoring.places import HOURS_OVERLAP_KEY

__all__ = ["criterion_info", "evaluation_criteria", "measured_criteria"]


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def criterion_info(w: EvaluationWeight) -> facts.CriterionInfo:
    """An evaluation's criterion (its weight row, criterion selected) as the decision sees it."""
    c = w.criterion
    return facts.CriterionInfo(
        id=c.pk,
        key=c.key,
        name=w.name,
        description=c.description,
        direction=c.direction,
        source=c.source,
        weight=float(w.weight),
        own=c.evaluation_id is not None,
        unit=c.unit,
        low=_float(c.low) if c.has_bounds else None,
        high=_float(c.high) if c.has_bounds else None,
        rubric=tuple(c.rubric_bands) if c.source == Criterion.Source.MANUAL else (),
    )


def evaluation_criteria(evaluation: Evaluation, *, weighted: bool = False) -> list[Criterion]:
    """The evaluation's criteria in order, each with its ``label`` (the evaluation's name for it)
    and ``weight``; ``weighted``: only those weighing more than 0 %. 1 query."""
    rows = EvaluationWeight.objects.filter(evaluation=evaluation).select_related("criterion")
    if weighted:
        rows = rows.filter(weight__gt=0)
    result = []
    for row in rows.order_by("criterion__order", "criterion__name"):
        criterion = row.criterion
        criterion.label = row.name  # type: ignore[attr-defined]
        criterion.weight = row.weight  # type: ignore[attr-defined]
        result.append(criterion)
    return result


def measured_criteria(evaluation: Evaluation) -> list[Criterion]:
    """The evaluation's weighted measured criteria that the team types, in order (the
    working-hours overlap is computed by the decision)."""
    return [
        c
        for c in evaluation_criteria(evaluation, weighted=True)
        if c.source == Criterion.Source.MEASURED and c.key != HOURS_OVERLAP_KEY
    ]
