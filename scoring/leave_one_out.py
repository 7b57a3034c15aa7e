"""Which single evaluator's scores, left out, would change the winner.

Pure (no Django), like scoring.decision: the decision is taken again from its own inputs without
one evaluator's scores, with the same weights and method. Consensus scores stay: the team agreed on
them, so they are nobody's alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.decision import Decision, groundwork, leaders_without


@dataclass(frozen=True)
class LeftOut:
    evaluator: str
    leader: str  # the winner without their scores; "" when no vendor would be ranked

    def changes(self, winner: str) -> bool:
        return self.leader != winner


@dataclass(frozen=True)
class LeaveOneOut:
    winner: str  # "" when no vendor is ranked
    evaluators: tuple[str, ...]  # everyone who scored, by name
    results: tuple[LeftOut, ...]
    blind: bool = False

    @property
    def changers(self) -> list[LeftOut]:
        return [r for r in self.results if r.changes(self.winner)]

    @property
    def testable(self) -> bool:
        return not self.blind and bool(self.winner) and len(self.evaluators) >= 2

    @property
    def sentence(self) -> str:
        """One sentence, true for this decision."""
        if self.blind:
            return (
                "Which evaluator's scores the winner rests on cannot be tested while the "
                "team's scores are hidden from you."
            )
        if not self.winner:
            return "No vendor is ranked, so leaving out an evaluator's scores cannot be tested."
        if not self.evaluators:
            return "Nobody has scored yet, so leaving out an evaluator's scores cannot be tested."
        if len(self.evaluators) == 1:
            return (
                f"Only {self.evaluators[0]} has scored, so leaving out one evaluator's scores "
                "cannot be tested."
            )
        changers = self.changers
        if not changers:
            return (
                f"Leaving out any one of the {len(self.evaluators)} evaluators' scores keeps "
                f"{self.winner} first."
            )
        parts = [
            f"without {r.evaluator}'s scores "
            + (
                f"{r.leader} would be first"
                if r.leader
                else "no vendor would be ranked (cells they alone scored)"
            )
            for r in changers
        ]
        return f"Leaving out one evaluator's scores changes the winner: {'; '.join(parts)}."


def leave_one_out(decision: Decision) -> LeaveOneOut:
    """Decide again without each evaluator's scores in turn (no sensitivity draws)."""
    inputs = decision.inputs
    winner = decision.leader.name if decision.leader else ""
    evaluators = tuple(sorted({s.evaluator for s in inputs.scores}, key=str.casefold))
    if inputs.blind or not winner or len(evaluators) < 2:
        return LeaveOneOut(winner, evaluators, (), blind=inputs.blind)
    leaders = leaders_without(
        inputs,
        evaluators,
        weights=decision.weights,
        method=decision.method,
        ground=groundwork(inputs),  # the scores change neither costs, places nor knock-outs
    )
    results = [LeftOut(name, leader) for name, leader in zip(evaluators, leaders, strict=True)]
    return LeaveOneOut(winner, evaluators, tuple(results))
