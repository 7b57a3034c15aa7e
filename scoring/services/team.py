"""Blind team scoring: each evaluator's sheet, opening the scores to everyone, consensus per cell.

The rules of who sees what are scoring.access's; these are the writes. A submitted sheet is
locked (its evaluator has seen the team's scores since): reopening it is recorded in its history.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from scoring.access import consensus_refusal, is_member, open_scores_refusal, status_refusal
from scoring.models import Candidate, Consensus, Criterion, Evaluation, EvaluationWeight, ScoreSheet
from scoring.services.scores import ScoreError, _score_value
from vendors.models import Vendor

RATIONALE_MAX = 2000


class TeamError(Exception):
    """A team-scoring action breaks a rule; the message says which and what to do."""


def _editable(evaluation: Evaluation) -> Evaluation:
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    refusal = status_refusal(locked)
    if refusal:
        raise TeamError(refusal)
    return locked


def _sheet(evaluation: Evaluation, evaluator: User, submitted: bool) -> ScoreSheet:
    locked = _editable(evaluation)
    if not is_member(evaluator, locked):
        raise TeamError("Only the evaluation's owner and team have a score sheet.")
    sheet, _ = ScoreSheet.objects.get_or_create(evaluation=locked, evaluator=evaluator)
    if (sheet.submitted_at is not None) == submitted:
        state = "submitted" if submitted else "open"
        raise TeamError(f"Your sheet is already {state}.")
    sheet.submitted_at = timezone.now() if submitted else None
    sheet._history_user = evaluator  # type: ignore[attr-defined]
    sheet.save()
    return sheet


@transaction.atomic
def sheet_submit(*, evaluation: Evaluation, evaluator: User) -> ScoreSheet:
    """Hand in the evaluator's scores: they can no longer change them and see the team's."""
    return _sheet(evaluation, evaluator, submitted=True)


@transaction.atomic
def sheet_reopen(*, evaluation: Evaluation, evaluator: User) -> ScoreSheet:
    """Take the sheet back to change scores; the team's are hidden again until resubmitted."""
    return _sheet(evaluation, evaluator, submitted=False)


@transaction.atomic
def scores_open(*, evaluation: Evaluation, user: User) -> Evaluation:
    """The owner ends blind scoring: everyone who sees the evaluation sees every score."""
    locked = _editable(evaluation)
    refusal = open_scores_refusal(user, locked)
    if refusal:
        raise TeamError(refusal)
    if locked.scores_opened_at is not None:
        raise TeamError("The scores are already open to everyone.")
    locked.scores_opened_at = timezone.now()
    locked._history_user = user
    locked._change_reason = "Opened the scores to everyone"
    locked.save()
    evaluation.scores_opened_at = locked.scores_opened_at
    return locked


@transaction.atomic
def consensus_save(
    *,
    evaluation: Evaluation,
    user: User,
    vendor: Vendor,
    criterion: Criterion,
    value: str | None,
    rationale: str = "",
) -> Consensus | None:
    """Record the team's score for one cell with why; an empty value keeps the mean (deletes it)."""
    locked = _editable(evaluation)
    refusal = consensus_refusal(user, locked)
    if refusal:
        raise TeamError(refusal)
    if criterion.source != Criterion.Source.MANUAL:
        raise TeamError(f"{criterion.name} is computed from the quotes and has no consensus.")
    if not EvaluationWeight.objects.filter(evaluation=locked, criterion=criterion).exists():
        raise TeamError(f"{criterion.name} is not a criterion of this evaluation.")
    if not Candidate.objects.filter(evaluation=locked, vendor=vendor, excluded_reason="").exists():
        raise TeamError(f"{vendor.name} does not compete in this evaluation.")
    label = f"Consensus for {vendor.name} on {criterion.name}"
    try:
        number = _score_value(value, label)
    except ScoreError as exc:
        raise TeamError(str(exc)) from exc
    cell = {"evaluation": locked, "vendor": vendor, "criterion": criterion}
    if number is None:
        for agreed in Consensus.objects.filter(**cell):
            agreed._history_user = user  # type: ignore[attr-defined]
            agreed.delete()
        return None
    rationale = rationale.strip()
    if not rationale:
        raise TeamError(f"{label}: the rationale is required (why the team settled on it).")
    if len(rationale) > RATIONALE_MAX:
        raise TeamError(f"{label}: the rationale is at most {RATIONALE_MAX} characters.")
    agreed = Consensus.objects.filter(**cell).first() or Consensus(**cell)
    agreed.value, agreed.rationale, agreed.decided_by = number, rationale, user
    agreed._history_user = user  # type: ignore[attr-defined]
    agreed.save()
    return agreed
