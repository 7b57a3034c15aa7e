"""The sentences generated from a decision, each true for the decision it describes.

Pure: a :class:`~scoring.decision.Decision` in, plain strings and rows out. The PDF and the
ranking page print them; tests assert them for the empty, one-vendor and all-excluded cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal

from scoring.decision import Decision, RankedRow, ScoreCell, Status
from scoring.facts import money_text, plural
from scoring.open_points import DISAGREEMENT_SPREAD
from scoring.reports.cost_story import savings_sentence

DECIDERS = 3
METHOD_LABELS = {"wsm": "Weighted sum", "topsis": "TOPSIS"}


def in_sentence(name: str) -> str:
    """ "Cost (TCO)" -> "cost (TCO)": a name inside a sentence, acronyms kept."""
    return name[:1].lower() + name[1:]


def share_text(share: float) -> str:
    """0.998 -> "99.8 %", never "100 %" unless it is every draw (nor "0 %" unless none).

    Rounded as the pages' percent filter rounds (Babel, half to even), so the sentence and the
    table beside it print the same figure.
    """
    percent = Decimal(str(share)) * 100
    text = format_decimal(percent, format="#,##0", locale="en_US")
    if text in ("0", "100") and share not in (0.0, 1.0):
        text = format_decimal(percent, format="#,##0.0", locale="en_US")
    return f"{text} %"


def _score(value: float) -> str:
    return f"{value:.3f}"


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def cell_parts(cell: ScoreCell | None) -> tuple[str, str]:
    """("6.0", "4–8, n=2"): the mean, then the range of the scores and their number; a consensus
    score first where the team recorded one."""
    if cell is not None and cell.consensus is not None:
        detail = f"consensus; mean {cell.mean:.1f}, n={cell.count}" if cell.count else "consensus"
        return f"{cell.consensus:.1f}", detail
    if cell is None or cell.count == 0:
        return "—", ""
    if cell.count == 1:
        return f"{cell.mean:.1f}", "n=1"
    return f"{cell.mean:.1f}", f"{cell.low:g}–{cell.high:g}, n={cell.count}"


def cell_text(cell: ScoreCell | None) -> str:
    """ "6.0 (4–8, n=2)": the mean with the range of the scores, never "±"."""
    mean, detail = cell_parts(cell)
    return f"{mean} ({detail})" if detail else mean


@dataclass(frozen=True)
class Gain:
    name: str
    gap: float
    key: str = ""


def gains(decision: Decision, winner: RankedRow, runner: RankedRow) -> list[Gain]:
    """WSM only: every criterion where the winner gained over the runner-up, largest first.

    Contributions add up to the score, so these gains are exact parts of the score gap.
    """
    if not decision.additive or winner.contributions is None or runner.contributions is None:
        return []
    names = {c.key: c.name for c in decision.criteria}
    found = [
        Gain(names.get(key, key), value - runner.contributions.get(key, 0.0), key)
        for key, value in winner.contributions.items()
    ]
    return sorted((g for g in found if g.gap > 1e-9), key=lambda g: -g.gap)


def deciders(decision: Decision, winner: RankedRow, runner: RankedRow) -> list[Gain]:
    """The criteria where the winner gained most over the runner-up (WSM), largest first."""
    return gains(decision, winner, runner)[:DECIDERS]


def no_recommendation(decision: Decision) -> str:
    if not decision.candidates:
        return "No vendor can be recommended yet: the evaluation has no candidates."
    if not decision.competing:
        return "No vendor can be recommended: every candidate was excluded."
    if not decision.used_criteria:
        return "No vendor can be recommended yet: no criterion has a weight."
    if not any(c.status in (Status.UNRANKED, Status.RANKED) for c in decision.candidates):
        return "No vendor can be recommended: every competing vendor fails a knock-out requirement."
    return "No vendor can be recommended yet: the ranking needs complete scores and quotes."


def executive_summary(decision: Decision) -> list[str]:
    """The executive summary, one sentence (or two) per paragraph."""
    ev = decision.evaluation
    if not decision.ranking:
        return [no_recommendation(decision)]
    winner, ranked = decision.ranking[0], decision.ranking
    tied = [row for row in ranked[1:] if row.rank == winner.rank]
    method = ev.method_label if decision.method == ev.method else METHOD_LABELS[decision.method]
    if len(ranked) == 1:
        where = "it is the only vendor that could be ranked, with a score of"
    elif tied:
        names = _and([row.name for row in tied])
        where = f"it shares first place of {len(ranked)} vendors with {names}, with a score of"
    else:
        where = f"it ranks first of {len(ranked)} vendors with a score of"
    # Only the saved weights make a recommendation; a tie or a what-if only ranks.
    verb = "The ranking puts" if tied or decision.what_if else "We recommend"
    paragraphs = [
        f"{verb} {winner.name} for {in_sentence(ev.process)}: {where} {_score(winner.score)} "
        f"out of 1 ({method})."
    ]
    runners = [row for row in ranked[1:3]]
    if runners:
        label = "The runner-up is" if len(runners) == 1 else "The runners-up are"
        text = f"{label} " + _and([f"{r.name} ({_score(r.score)})" for r in runners]) + "."
        runner = runners[0]
        gap = winner.score - runner.score
        gains = deciders(decision, winner, runner)
        if gap > 1e-9 and gains:
            parts = _and([f"{in_sentence(g.name)} (+{_score(g.gap)})" for g in gains])
            text += (
                f" {winner.name} leads {runner.name} by {_score(gap)} points; its largest gains "
                f"are on {parts}."
            )
        elif gap > 1e-9 and not decision.additive:
            text += (
                f" {winner.name} scores {_score(gap)} higher than {runner.name} on closeness to "
                "the ideal vendor; TOPSIS scores are not a sum of parts, so the distances per "
                "criterion are listed instead."
            )
        paragraphs.append(text)
        cost = cost_sentence(decision, winner, runner)
        if cost:
            paragraphs.append(cost)
    savings = savings_sentence(decision)
    if savings:
        paragraphs.append(savings)
    fragile = fragile_sentence(decision, winner)
    if fragile:
        paragraphs.append(fragile)
    return paragraphs


def cost_sentence(decision: Decision, winner: RankedRow, runner: RankedRow) -> str:
    if winner.tco is None or runner.tco is None:
        return ""
    ev = decision.evaluation
    diff = Decimal(winner.tco) - Decimal(runner.tco)
    own = f" (total cost of ownership {money_text(winner.tco, ev.base_currency)})"
    if diff == 0:
        return f"{winner.name} costs the same as {runner.name} over {ev.term_months} months{own}."
    word = "less" if diff < 0 else "more"
    return (
        f"{winner.name} costs {money_text(abs(diff), ev.base_currency)} {word} than "
        f"{runner.name} over the {ev.term_months}-month term{own}."
    )


def fragile_sentence(decision: Decision, winner: RankedRow) -> str:
    """The smallest weight change that puts another vendor first, if any."""
    options = []
    for line in decision.sensitivity:
        for change, sign, leader in (
            (line.increase, "+", line.increase_leader),
            (line.decrease, "−", line.decrease_leader),
        ):
            if change is not None:
                options.append((change, sign, leader, line.name))
    if not options:
        return ""
    change, sign, leader, name = min(options, key=lambda o: o[0])
    text = (
        f"The recommendation holds unless the weight of {in_sentence(name)} changes by "
        f"{sign}{change * 100:.1f} points"
    )
    if leader is not None and decision.name_of(leader):
        text += f", when {decision.name_of(leader)} would lead"
    text += "."
    if winner.first_share is not None:
        text += (
            f" In {share_text(winner.first_share)} of random weight variations around the "
            f"chosen weights {winner.name} stays first."
        )
    return text


def exclusions_sentence(decision: Decision) -> str:
    """What to say when the exclusions table would be empty (or nothing to say)."""
    if not decision.candidates:
        return "There are no candidates yet."
    if not decision.not_ranked:
        return "Every candidate was ranked; none was excluded."
    return ""


def agreement_sentence(decision: Decision) -> str:
    """Whether the evaluators agree, said only as far as the scores show it."""
    scored = [cell for cell in decision.cells if cell.count]
    if not scored:
        return "Nobody has scored yet."
    if decision.disagreements:
        return ""
    shared = [cell for cell in scored if cell.count >= 2]
    spread = f"{DISAGREEMENT_SPREAD:g}"
    if not shared:
        return "Every score so far comes from one evaluator, so agreement cannot be judged yet."
    if len(shared) == len(scored):
        return f"The evaluators agree within {spread} points on every score."
    return (
        f"Where two or more evaluators scored ({plural(len(shared), 'cell', 'cells')} of "
        f"{len(scored)}), they agree within {spread} points."
    )


def flip_text(decision: Decision, sign: str, change: float | None, leader: int | None) -> str:
    """One direction of a criterion's sensitivity: "+7.2 points → Bluewave leads"."""
    if change is None or leader is None:
        return "none within 0–100 %"
    return f"{sign}{change * 100:.1f} points → {decision.name_of(leader)} leads"


def distance_rows(decision: Decision) -> list[tuple[str, list[tuple[float | None, float | None]]]]:
    """TOPSIS: per ranked vendor and weighted criterion, (distance to ideal, to anti-ideal)."""
    if decision.additive:
        return []
    keys = [c.key for c in decision.used_criteria]
    return [
        (
            row.name,
            [
                ((row.ideal_distance or {}).get(key), (row.anti_distance or {}).get(key))
                for key in keys
            ],
        )
        for row in decision.ranking
    ]


@dataclass(frozen=True)
class FlipRow:
    criterion: str
    weight: float
    change: str  # "+7.2 points", or "none within 0–100 %"
    leader: str


def sensitivity_rows(decision: Decision) -> list[FlipRow]:
    """Per criterion, the smallest weight change that puts another vendor first; fragile first."""
    rows = []
    for line in decision.sensitivity:
        options = [
            (change, sign, leader)
            for change, sign, leader in (
                (line.increase, "+", line.increase_leader),
                (line.decrease, "−", line.decrease_leader),
            )
            if change is not None
        ]
        if options:
            change, sign, leader = min(options, key=lambda o: o[0])
            rows.append(
                (
                    change,
                    FlipRow(
                        line.name,
                        line.weight,
                        f"{sign}{change * 100:.1f} points",
                        decision.name_of(leader) or "—",
                    ),
                )
            )
        else:
            rows.append((float("inf"), FlipRow(line.name, line.weight, "none within 0–100 %", "—")))
    return [row for _, row in sorted(rows, key=lambda r: r[0])]
