"""The shape of an evaluation's decision: the frozen dataclasses :func:`scoring.decision.decide`
returns and every page, file and snapshot renders. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from scoring import places
from scoring.blending import VendorMix
from scoring.business_case import Savings
from scoring.costs import CostSchedule
from scoring.decision_risk import CostRisk
from scoring.facts import (
    CriterionInfo,
    DecisionInputs,
    EvaluationFacts,
    QuoteInfo,
    VendorInfo,
)
from scoring.open_points import DISAGREEMENT_SPREAD

# 3: criteria definitions (kind, unit, bounds, rubric), measurements, scale;
# 4: cost terms, each TCO's monthly schedule, the in-house baseline and savings against it;
#    blended delivery (share bounds, per-model prices, each vendor's mix), cost risk;
#    where the work is done (buyer country, hours, languages)
SCHEMA = 4

# --------------------------------------------------------------------------- results


class Status(StrEnum):
    RANKED = "ranked"
    UNRANKED = "unranked"  # competes, but a score or a quote is missing
    KNOCKED_OUT = "knocked_out"  # fails a knock-out requirement
    EXCLUDED = "excluded"  # excluded by the analysts, with their reason


STATUS_LABELS = {
    Status.RANKED: "Ranked",
    Status.UNRANKED: "Not ranked",
    Status.KNOCKED_OUT: "Fails a knock-out",
    Status.EXCLUDED: "Excluded by the analysts",
}


@dataclass(frozen=True)
class CandidateStatus:
    vendor_id: int
    name: str
    status: Status
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class TcoLine:
    vendor_id: int
    name: str
    tco: Decimal | None
    problem: str  # why there is no TCO ("No quote yet", a missing rate...)
    expired: bool
    over_cap: bool
    schedule: CostSchedule | None = None  # the payments behind ``tco`` (schema 4 on)
    savings: Savings | None = None  # against the in-house baseline, when there is one
    mix: VendorMix | None = None  # blended delivery: the optimal mix its TCO is costed at


@dataclass(frozen=True)
class ScoreCell:
    """The evaluators' scores of one vendor on one criterion; ``count`` 0: nobody scored it."""

    vendor_id: int
    criterion: str
    mean: float | None
    low: float | None
    high: float | None
    count: int
    evaluators: tuple[str, ...]
    team_size: int
    consensus: float | None = None  # the team's agreed score, used instead of the mean
    rationale: str = ""
    consensus_by: str = ""

    @property
    def value(self) -> float | None:
        """What the decision uses: the consensus where the team recorded one, else the mean."""
        return self.consensus if self.consensus is not None else self.mean

    @property
    def spread(self) -> float | None:
        if self.high is None or self.low is None:
            return None
        return self.high - self.low

    @property
    def disagreement(self) -> bool:
        spread = self.spread
        return self.count > 1 and spread is not None and spread >= DISAGREEMENT_SPREAD

    @property
    def partial(self) -> bool:
        return 0 < self.count < self.team_size and self.consensus is None


@dataclass(frozen=True)
class RankedRow:
    vendor_id: int
    name: str
    rank: int
    score: float  # 0..1
    tco: Decimal | None
    contributions: dict[str, float] | None = None  # WSM: weight x normalised, sums to score
    ideal_distance: dict[str, float] | None = None  # TOPSIS: |v - ideal| per criterion
    anti_distance: dict[str, float] | None = None  # TOPSIS: |v - anti-ideal| per criterion
    first_share: float | None = None  # share of weight draws in which it ranks first
    savings: Savings | None = None  # against the in-house baseline (schema 4 on)


@dataclass(frozen=True)
class SensitivityLine:
    criterion: str
    name: str
    weight: float
    increase: float | None  # weight points (0..1) that make another vendor lead; None: never
    increase_leader: int | None
    decrease: float | None
    decrease_leader: int | None


@dataclass(frozen=True)
class StabilityLine:
    vendor_id: int
    name: str
    first_share: float
    mean_rank: float


@dataclass(frozen=True)
class CitedAnswer:
    """An answer of a vendor's opened RFP response that an evaluator's score cites."""

    question: str
    answer: str
    document: str = ""  # the evidence file's name, when the answer is a file


@dataclass(frozen=True)
class ScoreEvidence:
    """One decisive criterion's score of the recommended vendor or the runner-up, with the
    answers its evaluators cited (none: nobody cited one)."""

    criterion: str  # key
    name: str
    vendor_id: int
    vendor: str
    score: float | None  # the value the decision used (consensus or mean)
    gain: float  # the criterion's share of the winner's lead (score points of 0..1)
    answers: tuple[CitedAnswer, ...] = ()


@dataclass(frozen=True)
class Decision:
    """An evaluation's decision. Every collection is ordered as the pages show it."""

    inputs: DecisionInputs
    method: str
    weights: dict[str, float]  # every criterion's share of 1
    what_if: bool
    candidates: tuple[CandidateStatus, ...]  # every candidate exactly once, by name
    tco: tuple[TcoLine, ...]  # every candidate, cheapest first, those without a TCO last
    cells: tuple[ScoreCell, ...]  # competing vendors x manual criteria
    ranking: tuple[RankedRow, ...]
    warnings: tuple[str, ...]
    sensitivity: tuple[SensitivityLine, ...] = ()
    stability: tuple[StabilityLine, ...] = ()
    scale: str = "relative"  # what the ranking used: absolute (fixed scales) or relative
    scale_sentence: str = ""  # that, in one sentence for the page and the PDF
    in_house: CostSchedule | None = None  # the baseline's schedule, when there is one
    cost_risk: CostRisk | None = None
    # The answers behind the decisive scores; None: not gathered (no RFP round, or a snapshot
    # taken before scores could cite answers), which the PDF must not read as "nothing cited".
    evidence: tuple[ScoreEvidence, ...] | None = None
    schema: int = SCHEMA
    id: str = ""  # a content hash, set when it is serialised (scoring.reports.snapshot)

    # -- lookups for the templates and callers
    @property
    def evaluation(self) -> EvaluationFacts:
        return self.inputs.evaluation

    @property
    def criteria(self) -> tuple[CriterionInfo, ...]:
        return self.inputs.criteria

    @property
    def tco_period(self) -> str:
        """What the TCOs cover: "36 months", or more where a vendor's minimum term bills longer."""
        term = self.evaluation.term_months
        longer = any(
            line.schedule is not None and line.schedule.billed_months > term for line in self.tco
        )
        return f"{term} months" + (" (longer where a vendor's minimum term is)" if longer else "")

    @property
    def used_criteria(self) -> list[CriterionInfo]:
        return [c for c in self.criteria if self.weights.get(c.key, 0) > 0]

    @property
    def manual_criteria(self) -> list[CriterionInfo]:
        """Weighted criteria scored 0-10 (a zero-weight one leaves the grid and the ranking)."""
        return [c for c in self.used_criteria if c.is_manual]

    @cached_property
    def vendors(self) -> dict[int, VendorInfo]:
        return {v.id: v for v in self.inputs.vendors}

    @cached_property
    def centre_places(self) -> dict[int, tuple[places.Place, ...]]:
        """vendor id -> its centres as this evaluation sees them (derived delivery model,
        time difference, overlap); recomputed from the inputs, so a snapshot agrees."""
        return places.vendor_places(self.inputs)

    @property
    def overlap_method(self) -> str:
        return places.overlap_method(self.evaluation, self.inputs.today)

    @property
    def place_lines(self) -> list[tuple[str, places.Place]]:
        """(vendor name, centre) for every candidate's centres, vendors by name."""
        return [(v.name, p) for v in self.inputs.vendors for p in self.centre_places[v.id]]

    @property
    def uses_overlap(self) -> bool:
        return any(c.key == places.HOURS_OVERLAP_KEY for c in self.used_criteria)

    @property
    def where_sentence(self) -> str:
        return places.buyer_sentence(self.evaluation, self.inputs.today)

    @cached_property
    def quotes(self) -> dict[int, QuoteInfo]:
        return {q.vendor_id: q for q in self.inputs.quotes}

    @cached_property
    def tco_by_vendor(self) -> dict[int, TcoLine]:
        return {line.vendor_id: line for line in self.tco}

    @cached_property
    def score_stats(self) -> dict[tuple[int, str], ScoreCell]:
        return {(cell.vendor_id, cell.criterion): cell for cell in self.cells}

    @cached_property
    def status_of(self) -> dict[int, CandidateStatus]:
        return {c.vendor_id: c for c in self.candidates}

    def _with(self, *statuses: Status) -> list[CandidateStatus]:
        return [c for c in self.candidates if c.status in statuses]

    @property
    def unranked(self) -> dict[int, tuple[str, ...]]:
        return {c.vendor_id: c.reasons for c in self._with(Status.UNRANKED)}

    @property
    def knocked_out(self) -> list[CandidateStatus]:
        return self._with(Status.KNOCKED_OUT)

    @property
    def excluded(self) -> list[CandidateStatus]:
        """Excluded by the analysts."""
        return self._with(Status.EXCLUDED)

    @property
    def not_ranked(self) -> list[CandidateStatus]:
        """Every candidate that is not in the ranking, with its status and reasons."""
        return [c for c in self.candidates if c.status != Status.RANKED]

    @property
    def competing(self) -> tuple[int, ...]:
        """Candidates not excluded by hand (knocked-out ones included), by name."""
        return tuple(c.vendor_id for c in self.candidates if c.status != Status.EXCLUDED)

    @property
    def blocking(self) -> bool:
        return bool(self.unranked) or not self.ranking

    @property
    def leader(self) -> RankedRow | None:
        return self.ranking[0] if self.ranking else None

    @property
    def ranked_ids(self) -> list[int]:
        return [row.vendor_id for row in self.ranking]

    @property
    def additive(self) -> bool:
        """Do the parts of a score add up to it (weighted sum), so that "leads on" is true?"""
        return self.method == "wsm"

    @property
    def approved(self) -> bool:
        return self.evaluation.status == "approved" and not self.what_if

    @property
    def disagreements(self) -> list[ScoreCell]:
        return [cell for cell in self.cells if cell.disagreement]

    @property
    def partial_cells(self) -> list[ScoreCell]:
        return [cell for cell in self.cells if cell.partial]

    def name_of(self, vendor_id: int | None) -> str:
        vendor = None if vendor_id is None else self.vendors.get(vendor_id)
        return vendor.name if vendor else ""
