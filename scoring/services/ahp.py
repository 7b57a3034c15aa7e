"""AHP on an evaluation: which criteria take part, the judgements to start from, and saving the
weights they give together with the judgements (reopened next time) and a history entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from scoring import ahp, selectors_criteria
from scoring.models import AhpJudgement, Criterion, Evaluation
from scoring.services.common import SetupError, _bump, _locked
from scoring.services.setup import _store_weights, rounded_percentages

CR_LIMIT = 0.10
MAX_CRITERIA = len(ahp.RANDOM_INDEX)  # Saaty's random index is tabled up to 15 criteria


def evaluation_criteria(evaluation: Evaluation) -> list[tuple[Criterion, Decimal]]:
    """The evaluation's criteria (catalogue and own, named as the evaluation names them) with
    their weight %, in display order: the one place AHP reads them from."""
    criteria = selectors_criteria.evaluation_criteria(evaluation)
    for criterion in criteria:
        criterion.name = criterion.label  # type: ignore[attr-defined]  # shown, never saved
    return [(criterion, criterion.weight) for criterion in criteria]  # type: ignore[attr-defined]


def ahp_criteria(evaluation: Evaluation) -> list[tuple[Criterion, Decimal]]:
    """The criteria that take part in AHP: those weighted above 0."""
    return [
        (criterion, weight) for criterion, weight in evaluation_criteria(evaluation) if weight > 0
    ]


@dataclass(frozen=True)
class AhpStart:
    """What the AHP page opens with."""

    criteria: list[tuple[Criterion, Decimal]]
    positions: dict[ahp.Pair, int]  # keyed by criterion key pairs, in criteria order
    saved: bool  # True when the pairs come from judgements saved earlier
    saved_weights_differ: bool  # the saved judgements no longer give the current weights
    left_out: list[Criterion]  # weighted 0: not in AHP
    new_pairs: int = 0  # pairs nobody judged yet (a criterion back above 0): from the weights


def ahp_start(evaluation: Evaluation, *, from_weights: bool = False) -> AhpStart:
    """The judgements saved last time (unless ``from_weights``), and for pairs without one the
    ratios the current weights imply, snapped to Saaty's scale."""
    every = evaluation_criteria(evaluation)
    criteria = [(criterion, weight) for criterion, weight in every if weight > 0]
    left_out = [criterion for criterion, weight in every if weight <= 0]
    keys = [criterion.key for criterion, _ in criteria]
    derived = ahp.judgements_from_weights({c.key: float(w) for c, w in criteria}) if keys else {}
    stored = {
        (row.left.key, row.right.key): row.position
        for row in AhpJudgement.objects.filter(evaluation=evaluation).select_related(
            "left", "right"
        )
    }
    saved = {}
    for a, b in ahp.pairs_of(keys):
        if (a, b) in stored:
            saved[(a, b)] = stored[(a, b)]
        elif (b, a) in stored:
            saved[(a, b)] = -stored[(b, a)]
    if from_weights or not saved or not 2 <= len(keys) <= MAX_CRITERIA:
        return AhpStart(criteria, derived, False, False, left_out)
    positions = derived | saved
    shares = ahp.check_judgements(keys, positions).result.weights.to_dict()
    differ = rounded_percentages(shares) != {c.key: w for c, w in criteria}
    return AhpStart(criteria, positions, True, differ, left_out, len(derived) - len(saved))


def _checked_positions(keys: list[str], judgements: Mapping[ahp.Pair, int]) -> dict[ahp.Pair, int]:
    expected = ahp.pairs_of(keys)
    unknown = sorted(set(judgements) - set(expected))
    if unknown:
        a, b = unknown[0]
        raise SetupError(
            f"The pair {a} vs {b} is not one of this evaluation's comparisons; reload the page.",
            field=f"{a}__vs__{b}",
        )
    for a, b in expected:
        if (a, b) not in judgements:
            raise SetupError(f"Judge {a} vs {b}.", field=f"{a}__vs__{b}")
        position = judgements[(a, b)]
        if not isinstance(position, int) or position not in ahp.SCALE_POSITIONS:
            raise SetupError(
                f"{a} vs {b}: pick a point on Saaty's scale (1/9 to 9).", field=f"{a}__vs__{b}"
            )
    return {pair: judgements[pair] for pair in expected}


@transaction.atomic
def ahp_save(
    *,
    evaluation: Evaluation,
    user: User,
    judgements: Mapping[ahp.Pair, int],
    expected_version: int,
    confirmed: bool = False,
    reason: str = "",
) -> ahp.AhpCheck:
    """Set the weights of the criteria above 0 from scale positions for every pair of them
    (criterion keys), keep the judgements, and say why in the history. A consistency ratio
    above 0.10 needs ``confirmed`` and a ``reason``."""
    locked = _locked(evaluation, expected_version)
    criteria = ahp_criteria(locked)
    if len(criteria) < 2:
        raise SetupError("AHP needs at least two criteria weighted above 0.")
    if len(criteria) > MAX_CRITERIA:
        raise SetupError(
            f"AHP compares at most {MAX_CRITERIA} criteria; {len(criteria)} are weighted above 0."
        )
    keys = [criterion.key for criterion, _ in criteria]
    positions = _checked_positions(keys, judgements)
    check = ahp.check_judgements(keys, positions)
    cr = check.result.cr
    reason = reason.strip()
    if not check.result.consistent:
        if not confirmed:
            raise SetupError(
                f"The consistency ratio is {cr:.3f}, above {CR_LIMIT:.2f}: revise the judgements "
                "(start with the most inconsistent pair) or confirm that they stand.",
                field="confirm_inconsistent",
            )
        if not reason:
            raise SetupError(
                "Say why the inconsistent judgements stand before saving them.", field="reason"
            )
    summary = f"Weights derived by AHP (consistency ratio {cr:.3f})"
    if not check.result.consistent:
        summary = f"{summary}, above {CR_LIMIT:.2f}, saved with the reason: {reason}"
    by_key = {criterion.key: criterion for criterion, _ in criteria}
    percents = rounded_percentages(check.result.weights.to_dict())
    # The full reason once, on the evaluation's entry; its weight rows only say where they came from.
    _store_weights(
        locked, {by_key[key]: pct for key, pct in percents.items()}, reason="Derived by AHP"
    )
    _store_judgements(locked, by_key, positions, user=user)
    locked._history_user = user
    locked._change_reason = summary
    _bump(locked, evaluation)
    return check


def _store_judgements(
    evaluation: Evaluation,
    criteria: Mapping[str, Criterion],
    positions: Mapping[ahp.Pair, int],
    *,
    user: User,
) -> None:
    """Update the pairs that changed and add new ones; pairs of criteria that no longer take part
    are kept, to reopen if their weight comes back."""
    existing = {
        (row.left_id, row.right_id): row
        for row in AhpJudgement.objects.filter(evaluation=evaluation)
    }
    changed, new = [], []
    for (a, b), position in positions.items():
        left, right = criteria[a], criteria[b]
        row = existing.get((left.pk, right.pk))
        reversed_row = existing.get((right.pk, left.pk))
        if row is None and reversed_row is not None:
            row, position = reversed_row, -position
        if row is None:
            new.append(
                AhpJudgement(evaluation=evaluation, left=left, right=right, position=position)
            )
        elif row.position != position:
            row.position = position
            changed.append(row)
    if changed:
        bulk_update_with_history(changed, AhpJudgement, ["position"], default_user=user)
    if new:
        bulk_create_with_history(new, AhpJudgement, default_user=user)
