"""Reads for the scoring pages: one evaluator's grid and the team's progress (fixed query counts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from scoring import decision as decisions
from scoring.models import Candidate, Criterion, Evaluation, Score, ScoreSheet
from scoring.selectors_criteria import evaluation_criteria
from vendors.models import Vendor


@dataclass(frozen=True)
class ScoreGrid:
    """One evaluator's scores: competing vendors (rows) x the evaluation's manual criteria."""

    vendors: list[Vendor]
    criteria: list[Criterion]
    scores: dict[tuple[int, int], Score]  # (vendor id, criterion id) -> the evaluator's score

    @property
    def rows(self) -> list[tuple[Vendor, list[tuple[Criterion, Score | None]]]]:
        return [
            (vendor, [(c, self.scores.get((vendor.pk, c.pk))) for c in self.criteria])
            for vendor in self.vendors
        ]

    @property
    def total(self) -> int:
        return len(self.vendors) * len(self.criteria)

    @property
    def scored(self) -> int:
        """How many of the grid's cells the evaluator scored (scores of dropped cells aside)."""
        vendors, criteria = {v.pk for v in self.vendors}, {c.pk for c in self.criteria}
        return sum(1 for v, c in self.scores if v in vendors and c in criteria)


def manual_criteria(evaluation: Evaluation) -> list[Criterion]:
    """The evaluation's weighted criteria scored by people, in order (0 % ones leave the grid)."""
    return [
        c
        for c in evaluation_criteria(evaluation, weighted=True)
        if c.source == Criterion.Source.MANUAL
    ]


def score_grid(evaluation: Evaluation, evaluator) -> ScoreGrid:
    """The evaluator's own scores of every competing candidate. 3 queries."""
    candidates = Candidate.objects.filter(evaluation=evaluation, excluded_reason="")
    vendors = [c.vendor for c in candidates.select_related("vendor").order_by("vendor__name")]
    scores = Score.objects.filter(evaluation=evaluation, evaluator=evaluator)
    return ScoreGrid(
        vendors=vendors,
        criteria=manual_criteria(evaluation),
        scores={(s.vendor_id, s.criterion_id): s for s in scores},
    )


@dataclass(frozen=True)
class EvaluatorProgress:
    user: object
    scored: int
    total: int
    submitted: bool = False


def evaluator_progress(
    evaluation: Evaluation, result: decisions.Decision
) -> list[EvaluatorProgress]:
    """Owner and team members with how many of the competing cells they scored and whether they
    submitted their sheet. 3 queries."""
    vendor_ids = set(result.competing)
    manual = result.manual_criteria  # weighted ones: a 0 % criterion is not in the grid
    counts = dict(
        Score.objects.filter(
            evaluation=evaluation, vendor_id__in=vendor_ids, criterion__in=[c.pk for c in manual]
        )
        .values("evaluator_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("evaluator_id", "n")
    )
    submitted = set(
        ScoreSheet.objects.filter(evaluation=evaluation, submitted_at__isnull=False).values_list(
            "evaluator_id", flat=True
        )
    )
    members = [evaluation.owner, *evaluation.team.order_by("username")]
    total = len(vendor_ids) * len(manual)
    return [
        EvaluatorProgress(user, counts.get(user.pk, 0), total, user.pk in submitted)
        for user in members
    ]
