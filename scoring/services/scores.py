"""Evaluators' scores, one cell at a time."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from scoring.models import (
    Candidate,
    Criterion,
    Evaluation,
    EvaluationWeight,
    Score,
    ScoreSheet,
)
from scoring.services.common import (
    CENT,
    StaleEdit,
    check_row_version,
)
from vendors.models import Vendor

# --------------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------------

SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(10)


class ScoreError(Exception):
    """A score cannot be saved; the message names the vendor and criterion."""


def _score_value(value: Decimal | str | None, label: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ScoreError(f"{label}: enter a number from 0 to 10.") from exc
    if not number.is_finite() or not SCORE_MIN <= number <= SCORE_MAX:
        raise ScoreError(f"{label} must be between 0 and 10; got {value}.")
    if number != number.quantize(CENT):
        raise ScoreError(f"{label}: use at most two decimals; got {value}.")
    return number.quantize(CENT)


@transaction.atomic
def score_save(
    *,
    evaluation: Evaluation,
    evaluator: User,
    vendor: Vendor,
    criterion: Criterion,
    value: Decimal | str | None,
    comment: str = "",
    expected_version: int | None = None,
) -> Score | None:
    """Set the evaluator's own score of ``vendor`` on ``criterion``; an empty value deletes it.

    Returns the saved score, or None when it was deleted. ``expected_version`` is the score's
    version the writer read (0: none yet); when given and the stored score has moved on,
    StaleEdit with its current version and nothing is written. Concurrent saves of one cell
    update the same row (unique constraint; the loser of a race retries once).
    """
    label = f"Score for {vendor.name} on {criterion.name}"
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not locked.is_editable:
        raise ScoreError(
            f"This evaluation is {locked.get_status_display().lower()}; scores can no longer change."
        )
    if ScoreSheet.objects.filter(
        evaluation=locked, evaluator=evaluator, submitted_at__isnull=False
    ).exists():
        raise ScoreError("You submitted your sheet: reopen it to change your scores.")
    if criterion.source != Criterion.Source.MANUAL:
        raise ScoreError(f"{criterion.name} is computed from the quotes and cannot be scored.")
    if not EvaluationWeight.objects.filter(evaluation=locked, criterion=criterion).exists():
        raise ScoreError(f"{criterion.name} is not a criterion of this evaluation.")
    if not Candidate.objects.filter(evaluation=locked, vendor=vendor, excluded_reason="").exists():
        raise ScoreError(f"{vendor.name} does not compete in this evaluation; it cannot be scored.")
    number = _score_value(value, label)
    cell: dict[str, Any] = {
        "evaluation": locked,
        "vendor": vendor,
        "criterion": criterion,
        "evaluator": evaluator,
    }
    # The evaluation's row lock (above) serializes the writers, so the version read here holds.
    stored = Score.objects.filter(**cell).first()
    what = f"Your score for {vendor.name} on {criterion.name}"
    check_row_version(what, stored.version if stored else 0, expected_version)
    if number is None:
        for score in Score.objects.filter(**cell):
            score.delete()  # one by one, so the history keeps who deleted what
        return None
    comment = comment.strip()
    if stored is not None:
        stored.value, stored.comment = number, comment
        stored.version += 1
        stored.save()
        return stored
    try:
        with transaction.atomic():
            return Score.objects.create(**cell, value=number, comment=comment)
    except IntegrityError:
        # Another request created the cell between our lookup and insert (a database without
        # row locks): update theirs, unless the writer said which version it read.
        score = Score.objects.get(**cell)
        if expected_version is not None:
            raise StaleEdit(score.version, f"{what} was just created by another request.") from None
        score.value, score.comment = number, comment
        score.version += 1
        score.save()
        return score
