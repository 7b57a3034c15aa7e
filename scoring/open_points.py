"""The open points of a decision: what stops or weakens it, in words.

Pure, like scoring.decision, which attaches them to every Decision; each sentence must be true
for the decision it describes (tests/scoring/test_decision.py builds the edge cases).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoring.facts import plural

if TYPE_CHECKING:
    from scoring.decision import Decision

DISAGREEMENT_SPREAD = 3.0


def warnings_for(decision: Decision) -> list[str]:
    """What stops or weakens the decision, in words; each sentence true for this decision."""
    warnings = []
    if not decision.candidates:
        warnings.append("No candidates yet: add vendors on the Candidates tab.")
    elif not decision.competing:
        warnings.append("No vendor competes: every candidate was excluded by hand.")
    elif not decision.used_criteria:
        warnings.append("Every criterion weighs 0 %: give at least one criterion a weight.")
    unranked = decision.unranked
    if unranked:
        verb = "is" if len(unranked) == 1 else "are"
        missing = (
            "missing scores, measured values or quotes"
            if any(c.is_measured for c in decision.used_criteria)
            else "missing scores or quotes"
        )
        warnings.append(
            f"{plural(len(unranked), 'vendor', 'vendors')} {verb} not ranked: {missing}."
        )
    knocked = decision.knocked_out
    if knocked:
        verb = "fails" if len(knocked) == 1 else "fail"
        them = "it" if len(knocked) == 1 else "them"
        warnings.append(
            f"{plural(len(knocked), 'candidate', 'candidates')} {verb} a knock-out "
            f"requirement and cannot be ranked: exclude {them} on the Candidates tab."
        )
    competing = set(decision.competing)
    expired = sorted(
        line.name for line in decision.tco if line.expired and line.vendor_id in competing
    )
    if expired:
        warnings.append(f"Expired quotes: {', '.join(expired)}. Ask for fresh ones.")
    if decision.inputs.blind:
        warnings.append(
            "Blind scoring: these results use only your own scores. The team's appear once you "
            "submit your sheet or the owner opens the scores."
        )
        return warnings
    ranked = set(decision.ranked_ids)
    used = {c.key for c in decision.used_criteria}
    partial = [c for c in decision.partial_cells if c.vendor_id in ranked and c.criterion in used]
    if partial:
        team = decision.evaluation.evaluators
        warnings.append(
            f"{plural(len(partial), 'ranked score rests', 'ranked scores rest')} on fewer "
            f"evaluators than the team of {team}: "
            + "; ".join(
                f"{decision.name_of(c.vendor_id)} on {_criterion_name(decision, c.criterion)} "
                f"({c.count} of {team})"
                for c in partial[:5]
            )
            + (f"; and {len(partial) - 5} more" if len(partial) > 5 else "")
            + "."
        )
    disagreements = [cell for cell in decision.disagreements if cell.consensus is None]
    if disagreements:
        warnings.append(
            f"{plural(len(disagreements), 'score', 'scores')} where evaluators disagree by "
            f"{DISAGREEMENT_SPREAD:g} points or more and no consensus is recorded."
        )
    return warnings


def _criterion_name(decision: Decision, key: str) -> str:
    return next((c.name for c in decision.criteria if c.key == key), key)
