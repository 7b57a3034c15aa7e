"""Scores proposed by a vendor's answers: a yes/no answer is worth 10 or 0, a choice its place
among options listed best first (10 ... 0, spread evenly), and the proposal for a (vendor,
criterion) is the mean of its mapped answers' points. Pure: no Django, tested without a DB."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TOP, CENT = Decimal(10), Decimal("0.01")
SCORED_KINDS = ("yes_no", "choice")


@dataclass(frozen=True)
class AnswerFact:
    """One opened answer to a question mapped to a manual criterion."""

    answer_id: int
    vendor_id: int
    criterion: str  # the question's score_criterion_name, as written
    question: str
    kind: str  # "yes_no" or "choice" (other kinds never propose)
    options: tuple[str, ...]
    value: str


@dataclass(frozen=True)
class Proposal:
    vendor_id: int
    criterion: str  # lower-cased criterion name
    value: Decimal  # 0-10, two decimals
    answers: tuple[AnswerFact, ...]  # the answers it rests on, in question order

    @property
    def comment(self) -> str:
        """The score's comment: "From answers: “Q?” Yes (10); “Q2?” Not assessed (0)"."""
        return "From answers: " + "; ".join(
            f"“{a.question}” {a.value} ({_short(points(a.kind, a.options, a.value))})"
            for a in self.answers
        )


def _short(value: Decimal | None) -> str:
    """10, 5, 6.67: two decimals at most, no trailing zeros."""
    return "" if value is None else f"{value.quantize(CENT).normalize():f}"


def points(kind: str, options: tuple[str, ...], value: str) -> Decimal | None:
    """What one answer is worth out of 10; None when it cannot propose (blank, text, unknown)."""
    text = value.strip()
    if kind == "yes_no":
        return {"yes": TOP, "no": Decimal(0)}.get(text.lower())
    if kind != "choice" or text not in options:
        return None
    if len(options) == 1:
        return TOP
    worst = len(options) - 1
    return TOP * (worst - options.index(text)) / worst


def proposals(answers: Iterable[AnswerFact]) -> dict[tuple[int, str], Proposal]:
    """(vendor id, lower-cased criterion name) -> the mean of its answers' points, 2 decimals.
    A cell with no answer worth points has no proposal (rather than a made-up 0)."""
    grouped: dict[tuple[int, str], list[tuple[AnswerFact, Decimal]]] = {}
    for answer in answers:
        worth = points(answer.kind, answer.options, answer.value)
        if worth is None or not answer.criterion.strip():
            continue
        key = (answer.vendor_id, answer.criterion.strip().lower())
        grouped.setdefault(key, []).append((answer, worth))
    result = {}
    for (vendor_id, criterion), rows in grouped.items():
        mean = sum((worth for _, worth in rows), Decimal(0)) / len(rows)
        result[(vendor_id, criterion)] = Proposal(
            vendor_id=vendor_id,
            criterion=criterion,
            value=mean.quantize(CENT, rounding=ROUND_HALF_UP),
            answers=tuple(answer for answer, _ in rows),
        )
    return result
