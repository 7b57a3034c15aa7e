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
        # No vendor ranked without someone is no new winner: say it apart from the changes.
        others = [r for r in changers if r.leader]
        unranked = [r.evaluator for r in changers if not r.leader]
        clauses = []
        if others:
            clauses.append(
                "leaving out one evaluator's scores changes the winner: "
                + "; ".join(
                    f"without {r.evaluator}'s scores {r.leader} would be first" for r in others
                )
            )
        if unranked:
            who = _either([f"{name}'s" for name in unranked])
            alone = (
                "they alone scored some cells"
                if len(unranked) == 1
                else "each alone scored some cells"
            )
            clauses.append(f"leaving out {who} scores would leave no vendor ranked, as {alone}")
            if not others and len(unranked) < len(self.evaluators):
                clauses.append(f"leaving out anyone else's keeps {self.winner} first")
        text = "; ".join(clauses)
        return f"{text[0].upper()}{text[1:]}."


def _either(items: list[str]) -> str:
    """ "A", "A or B", "A, B or C"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


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
