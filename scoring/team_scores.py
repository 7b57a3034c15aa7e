"""Reads for the scoring grid and the team view under blind scoring (scoring.access decides who
sees what; scoring.selectors gathers the decision)."""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.access import is_member, scores_hidden_from
from scoring.decision import Decision, ScoreCell
from scoring.facts import ScoreEntry
from scoring.models import Evaluation, ScoreSheet


@dataclass(frozen=True)
class SheetState:
    """The viewer's own sheet and what they may see and do with the team's scores."""

    member: bool
    submitted_at: object  # datetime | None
    hidden: bool  # the team's scores are hidden from the viewer
    opened_at: object  # datetime | None: the owner opened the scores
    is_owner: bool

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


def sheet_state(evaluation: Evaluation, user) -> SheetState:
    """3 queries at most."""
    member = is_member(user, evaluation)
    sheet = (
        ScoreSheet.objects.filter(evaluation=evaluation, evaluator=user).first() if member else None
    )
    return SheetState(
        member=member,
        submitted_at=sheet.submitted_at if sheet else None,
        hidden=scores_hidden_from(user, evaluation),
        opened_at=evaluation.scores_opened_at,
        is_owner=user.pk == evaluation.owner_id or user.is_superuser,
    )


@dataclass(frozen=True)
class TeamCell:
    criterion: object  # CriterionInfo
    stat: ScoreCell
    scores: list[ScoreEntry] = field(default_factory=list)  # by evaluator name


def team_rows(decision: Decision) -> list[tuple[object, list[TeamCell]]]:
    """Competing vendors by name, each with every manual criterion's cell and who scored what."""
    by_cell: dict[tuple[int, str], list[ScoreEntry]] = {}
    for score in decision.inputs.scores:
        by_cell.setdefault((score.vendor_id, score.criterion), []).append(score)
    vendors = sorted(
        (decision.vendors[vid] for vid in decision.competing), key=lambda v: v.name.casefold()
    )
    return [
        (
            vendor,
            [
                TeamCell(
                    c,
                    decision.score_stats[vendor.id, c.key],
                    sorted(by_cell.get((vendor.id, c.key), []), key=lambda s: s.evaluator),
                )
                for c in decision.manual_criteria
            ],
        )
        for vendor in vendors
    ]
