"""Which scale each criterion is normalised on, and the one sentence that says so.

Pure (no Django), used by scoring.decision: under the "absolute" scale the weighted sum gets the
engine's ``bounds`` — manual criteria (0, 10), measured ones their bounds when both are given,
cost (0, budget cap) when a positive cap is set — and every other criterion stays relative to the
shortlist. TOPSIS is always relative (the engine refuses bounds with it).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from scoring.facts import CriterionInfo, EvaluationFacts, money_text

ABSOLUTE, RELATIVE = "absolute", "relative"
MANUAL_SCALE = (0.0, 10.0)

RELATIVE_SENTENCE = (
    "Scores are relative to the shortlist: on each criterion the best ranked vendor gets full "
    "marks and the weakest none, so adding or removing a vendor can change the others' scores."
)
TOPSIS_SENTENCE = (
    "Scores are relative to the shortlist: TOPSIS measures each vendor against the best and "
    "worst ranked vendors, so adding or removing a vendor can change the others' scores."
)


def number_text(value: float) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def bound_text(criterion: CriterionInfo) -> str:
    """ "0–60 %" for a bounded measured criterion."""
    assert criterion.low is not None and criterion.high is not None
    unit = f" {criterion.unit}" if criterion.unit else ""
    return f"{number_text(criterion.low)}–{number_text(criterion.high)}{unit}"


def criterion_bounds(
    criterion: CriterionInfo, evaluation: EvaluationFacts
) -> tuple[float, float] | None:
    """The fixed scale of ``criterion`` under absolute scoring, or None (it stays relative)."""
    if criterion.is_manual:
        return MANUAL_SCALE
    if criterion.is_measured:
        return (criterion.low, criterion.high) if criterion.has_bounds else None  # type: ignore[return-value]
    cap = evaluation.budget_cap
    if criterion.source == "cost" and cap is not None and cap > 0:
        return (0.0, float(cap))
    return None


def scale_of(evaluation: EvaluationFacts, method: str) -> str:
    """The scale the decision really uses: absolute only with the weighted sum."""
    return ABSOLUTE if evaluation.scale == ABSOLUTE and method == "wsm" else RELATIVE


def bounds_for(
    used: Sequence[CriterionInfo], evaluation: EvaluationFacts, method: str
) -> dict[str, tuple[float, float]]:
    """The engine's ``bounds`` for the weighted criteria (empty: everything relative)."""
    if scale_of(evaluation, method) != ABSOLUTE:
        return {}
    result = {}
    for criterion in used:
        bounds = criterion_bounds(criterion, evaluation)
        if bounds is not None:
            result[criterion.key] = bounds
    return result


def _names(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def scale_sentence(used: Sequence[CriterionInfo], evaluation: EvaluationFacts, method: str) -> str:
    """One true sentence: which scale the scores are on and what that means."""
    if method != "wsm":
        if evaluation.scale == ABSOLUTE:
            return TOPSIS_SENTENCE.replace(
                "Scores are relative", "Scores are relative (TOPSIS cannot score absolutely)", 1
            )
        return TOPSIS_SENTENCE
    if evaluation.scale != ABSOLUTE:
        return RELATIVE_SENTENCE
    if not used:
        return "Scores are absolute, on fixed scales, once a criterion has a weight."
    fixed, loose = [], []
    manual = [c for c in used if c.is_manual]
    if manual:
        fixed.append("0–10 scores on their 0–10 scale")
    for criterion in used:
        if criterion.is_manual:
            continue
        bounds = criterion_bounds(criterion, evaluation)
        if bounds is None:
            loose.append(criterion.name)
        elif criterion.is_measured:
            fixed.append(f"{criterion.name} on {bound_text(criterion)}")
        else:
            cap = money_text(evaluation.budget_cap or Decimal(0), evaluation.base_currency)
            fixed.append(f"{criterion.name} from 0 to the budget cap of {cap}")
    if not fixed:
        why = "" if len(loose) > 1 or not _costs(used) else " (no budget cap is set)"
        return (
            "Scores are meant to be absolute, but no weighted criterion has a fixed scale"
            f"{why}, so they are relative to the shortlist: adding or removing a vendor can "
            "change the others' scores."
        )
    head = f"Scores are absolute: {_names(fixed)}"
    if not loose:
        return f"{head}, so a vendor's score means the same whatever the shortlist."
    verb = "has" if len(loose) == 1 else "have"
    return (
        f"{head}; {_names(loose)} {verb} no fixed scale and "
        f"{'stays' if len(loose) == 1 else 'stay'} relative to the shortlist, so only the "
        "fixed-scale parts of a score mean the same whatever the shortlist."
    )


def _costs(used: Sequence[CriterionInfo]) -> bool:
    return all(c.source == "cost" for c in used)
