"""The evidence behind the decisive scores: for the recommended vendor and the runner-up, the
manual criteria that make most of the lead (the executive summary's "largest gains"), each with
the RFP answers the evaluators' scores cite. Pure: the citations come in as plain data."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from scoring.decision_types import CitedAnswer, Decision, RankedRow, ScoreEvidence
from scoring.reports.summary import DECIDERS, Gain, gains

Cited = Mapping[tuple[int, str], tuple[CitedAnswer, ...]]  # (vendor id, criterion key) -> answers


def decisive_manual(decision: Decision) -> tuple[RankedRow, RankedRow, list[Gain]] | None:
    """(winner, runner-up, the manual criteria deciding between them, largest first); None when
    fewer than two vendors are ranked. WSM: their exact parts of the lead; TOPSIS (not a sum of
    parts): weight x the difference of the scores used."""
    if len(decision.ranking) < 2:
        return None
    winner, runner = decision.ranking[0], decision.ranking[1]
    manual = {c.key: c for c in decision.manual_criteria}
    if decision.additive:
        found = [g for g in gains(decision, winner, runner) if g.key in manual]
    else:
        stats, found = decision.score_stats, []
        for key, criterion in manual.items():
            ahead = getattr(stats.get((winner.vendor_id, key)), "value", None)
            behind = getattr(stats.get((runner.vendor_id, key)), "value", None)
            if ahead is not None and behind is not None:
                gap = decision.weights.get(key, 0.0) * (ahead - behind) / 10
                if gap > 1e-9:
                    found.append(Gain(criterion.name, gap, key))
        found.sort(key=lambda g: -g.gap)
    return winner, runner, found[:DECIDERS]


def decisive_evidence(decision: Decision, cited: Cited) -> tuple[ScoreEvidence, ...]:
    """One line per decisive criterion and vendor (winner first), with its cited answers."""
    found = decisive_manual(decision)
    if found is None:
        return ()
    winner, runner, deciding = found
    stats = decision.score_stats
    return tuple(
        ScoreEvidence(
            criterion=gain.key,
            name=gain.name,
            vendor_id=row.vendor_id,
            vendor=row.name,
            score=getattr(stats.get((row.vendor_id, gain.key)), "value", None),
            gain=gain.gap,
            answers=tuple(cited.get((row.vendor_id, gain.key), ())),
        )
        for gain in deciding
        for row in (winner, runner)
    )


def with_evidence(decision: Decision, cited: Cited | None) -> Decision:
    """The decision carrying its evidence; ``cited`` None (no RFP round) leaves it ungathered."""
    if cited is None:
        return decision
    return dataclasses.replace(decision, evidence=decisive_evidence(decision, cited))


def _quote(answer: CitedAnswer) -> str:
    if answer.document:
        return f"“{answer.question}” document: {answer.document}"
    return f"“{answer.question}” {answer.answer or '(no answer)'}"


def _score(value: float | None) -> str:
    return "not scored" if value is None else f"{value:.2f}"


def evidence_paragraphs(decision: Decision) -> list[str]:
    """The PDF's sentences; [] when the evidence was not gathered or nobody is runner-up."""
    if decision.evidence is None or len(decision.ranking) < 2:
        return []
    winner, runner = decision.ranking[0], decision.ranking[1]
    if not decision.evidence:
        return [
            f"No score typed by the team adds to {winner.name}'s lead over {runner.name}, so no "
            "cited answer decided it."
        ]
    paragraphs: list[str] = []
    by_criterion: dict[tuple[str, str, float], list[ScoreEvidence]] = {}
    for line in decision.evidence:
        by_criterion.setdefault((line.criterion, line.name, line.gain), []).append(line)

    def share(gain: float) -> str:
        if decision.additive:
            return f"+{gain:.3f} of the {winner.score - runner.score:.3f}-point lead"
        return f"weighted score difference {gain:.3f}"

    if not any(line.answers for line in decision.evidence):
        decisive = "; ".join(f"{name} ({share(gain)})" for _key, name, gain in by_criterion)
        return [f"No evaluator cited an RFP answer behind the decisive scores: {decisive}."]
    for (_key, name, gain), lines in by_criterion.items():
        parts = []
        for line in lines:
            if line.answers:
                quoted = "; ".join(_quote(a) for a in line.answers)
                parts.append(f"{line.vendor} {_score(line.score)} rests on: {quoted}.")
            else:
                parts.append(f"{line.vendor} {_score(line.score)} cites no answer.")
        paragraphs.append(f"{name} ({share(gain)}): " + " ".join(parts))
    return paragraphs
