"""The decision of an evaluation as one typed value: who competes, what it costs, how it ranks.

Pure (no Django, like engine.py and costs.py): :func:`decide` turns :class:`DecisionInputs`
(gathered by ``scoring.selectors.decision_inputs``) into a frozen :class:`Decision` that the
ranking page, compare, the TCO page, the PDF and the exports all render, and that approval
freezes (``scoring.reports.snapshot`` serialises it with :data:`SCHEMA`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

import numpy as np
import pandas as pd

from scoring import blending, engine, places, scales
from scoring.blending import VendorMix
from scoring.business_case import Savings, savings_against
from scoring.costs import CostSchedule
from scoring.decision_risk import CostRisk, cost_risk_for
from scoring.facts import (
    CriterionInfo,
    DecisionInputs,
    EvaluationFacts,
    QuoteInfo,
    ScoreEntry,
    VendorInfo,
    in_house_schedule,
    knockout_reasons,
    over_cap,
    quote_schedule,
    weight_shares,
)
from scoring.open_points import DISAGREEMENT_SPREAD, warnings_for

# 3: criteria definitions (kind, unit, bounds, rubric), measurements, scale;
# 4: cost terms, each TCO's monthly schedule, the in-house baseline and savings against it;
#    blended delivery (share bounds, per-model prices, each vendor's mix), cost risk;
#    where the work is done (buyer country, hours, languages)
SCHEMA = 4
STABILITY_DRAWS = 2000


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


# --------------------------------------------------------------------------- deciding


def decide(
    inputs: DecisionInputs,
    *,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    sensitivity: bool = True,
    risk: bool | None = None,
) -> Decision:
    """The decision for ``inputs``; ``weights`` and ``method`` override the stored ones (what-if).
    ``risk`` (default: as ``sensitivity``) draws the cost-risk futures."""
    ev = inputs.evaluation
    chosen = (method or ev.method).lower()
    if chosen not in engine.METHODS:
        raise ValueError(f"Unknown ranking method {chosen!r}.")
    shares = weight_shares({c.key: c.weight for c in inputs.criteria}, weights)
    what_if = bool(weights) or chosen != ev.method
    vendors = {v.id: v for v in inputs.vendors}
    in_house = in_house_schedule(ev)
    tco = _tco_lines(inputs, in_house)
    by_vendor = {line.vendor_id: line for line in tco}
    used = [c for c in inputs.criteria if shares[c.key] > 0]
    manual = [c for c in used if c.is_manual]
    measured = {(m.vendor_id, m.criterion): float(m.value) for m in inputs.measurements}
    bounds = scales.bounds_for(used, ev, chosen)
    placed = places.vendor_places(inputs)

    statuses: dict[int, tuple[Status, tuple[str, ...]]] = {}
    for candidate in inputs.candidates:
        if candidate.excluded_reason:
            statuses[candidate.vendor_id] = (Status.EXCLUDED, (candidate.excluded_reason,))
            continue
        vendor = vendors[candidate.vendor_id]
        reasons = knockout_reasons(
            evaluation=ev,
            held={c.certification_id: c.valid_until for c in vendor.certifications},
            places=placed[vendor.id],
            tco=by_vendor[vendor.id].tco,
            today=inputs.today,
            active=vendor.active,
        )
        if (mix := by_vendor[vendor.id].mix) is not None and not mix.feasible:
            reasons.append(mix.knockout)
        reasons += [n.reason for n in inputs.standing if n.vendor_id == vendor.id and n.exclude]
        if reasons:
            statuses[vendor.id] = (Status.KNOCKED_OUT, tuple(reasons))
    competing = [v.id for v in inputs.vendors if statuses.get(v.id, (None,))[0] != Status.EXCLUDED]
    cells = _cells(inputs, competing, manual)
    by_cell = {(cell.vendor_id, cell.criterion): cell for cell in cells}

    matrix: dict[int, dict[str, float]] = {}
    for vendor_id in competing:
        if vendor_id in statuses:
            continue
        row: dict[str, float] = {}
        reasons = []
        for criterion in used:
            if criterion.is_manual:
                cell = by_cell[vendor_id, criterion.key]
                if cell.value is None:
                    who = "you have not" if inputs.blind else "nobody has"
                    reasons.append(f"{criterion.name}: {who} scored it")
                else:
                    row[criterion.key] = cell.value
            elif criterion.is_measured:
                value, problem = measured.get((vendor_id, criterion.key)), "no value entered"
                if criterion.key == places.HOURS_OVERLAP_KEY:  # computed, never typed
                    value, problem = places.best_overlap(ev, placed[vendor_id])
                if value is None:
                    reasons.append(f"{criterion.name}: {problem}")
                elif (fixed := bounds.get(criterion.key)) and not fixed[0] <= value <= fixed[1]:
                    reasons.append(
                        f"{criterion.name}: {scales.number_text(value)} is outside its bounds "
                        f"{scales.bound_text(criterion)}"
                    )
                else:
                    row[criterion.key] = value
            elif (total := by_vendor[vendor_id].tco) is None:
                reasons.append(by_vendor[vendor_id].problem or "No quote yet")
            else:
                row[criterion.key] = float(total)
        if reasons:
            statuses[vendor_id] = (Status.UNRANKED, tuple(reasons))
        else:
            matrix[vendor_id] = row

    columns = [c.key for c in used]
    values = pd.DataFrame.from_dict(matrix, orient="index", columns=columns, dtype=float)
    directions = {c.key: c.direction for c in used}
    ranking = None
    if len(values) and columns:
        ranking = engine.rank(
            values, {c: shares[c] for c in columns}, directions, chosen, bounds=bounds or None
        )
    stability, lines = (), ()
    if sensitivity and ranking is not None and len(values) >= 2:
        lines, stability = _sensitivity(values, shares, directions, chosen, inputs, bounds)
    rows = _ranked_rows(ranking, directions, vendors, by_vendor, stability)
    drawn = None
    if sensitivity if risk is None else risk:
        out = {vid for vid, (status, _) in statuses.items() if status == Status.KNOCKED_OUT}
        priced = {vid: by_vendor[vid].tco for vid in competing if vid not in out}
        ranked_values = values if ranking is not None else None
        cost_keys = tuple(c.key for c in used if c.source == "cost")
        drawn = cost_risk_for(
            inputs, priced, ranked_values, shares, directions, chosen, bounds, cost_keys,
            schedules={vid: by_vendor[vid].schedule for vid in priced},
            baseline=None if in_house is None else in_house.total,
        )  # fmt: skip
    for ranked in rows:
        statuses[ranked.vendor_id] = (Status.RANKED, ())
    candidates = tuple(
        CandidateStatus(
            v.id, v.name, *statuses.get(v.id, (Status.UNRANKED, ("No criterion has a weight",)))
        )
        for v in inputs.vendors
    )
    decision = Decision(
        inputs=inputs,
        method=chosen,
        weights=shares,
        what_if=what_if,
        candidates=candidates,
        tco=tco,
        cells=cells,
        ranking=rows,
        in_house=in_house,
        warnings=(),
        sensitivity=lines,
        stability=stability,
        scale=scales.scale_of(ev, chosen),
        scale_sentence=scales.scale_sentence(used, ev, chosen),
        cost_risk=drawn,
    )
    standing = tuple(
        f"{vendors[n.vendor_id].name}: {n.reason}."
        for n in inputs.standing
        if not n.exclude and n.vendor_id in vendors
    )
    return replace(decision, warnings=tuple(warnings_for(decision)) + standing)


def _tco_lines(inputs: DecisionInputs, in_house: CostSchedule | None) -> tuple[TcoLine, ...]:
    ev = inputs.evaluation
    rates = {r.currency: r.rate for r in inputs.rates}
    quotes = {q.vendor_id: q for q in inputs.quotes}
    mixes = blending.mixes_for(inputs)
    lines = []
    for vendor in inputs.vendors:
        quote = quotes.get(vendor.id)
        if quote is None:
            lines.append(TcoLine(vendor.id, vendor.name, None, "No quote yet", False, False))
            continue
        price, mix = quote.unit_price, mixes.get(vendor.id)
        if mix is not None:
            if mix.unit_price is None:
                lines.append(
                    TcoLine(vendor.id, vendor.name, None, mix.knockout, False, False, mix=mix)
                )
                continue
            price = mix.unit_price
        schedule, problem = quote_schedule(
            pricing_model=quote.pricing_model,
            pricing_label=quote.pricing_model_label,
            unit_price=price,
            currency=quote.currency,
            transition_fee=quote.transition_fee,
            evaluation=ev,
            rates=rates,
            minimum_term_months=quote.minimum_term_months,
            annual_escalation=quote.annual_escalation,
            exit_fee=quote.exit_fee,
        )
        total = None if schedule is None else schedule.total
        expired = quote.valid_until is not None and quote.valid_until < inputs.today
        cap = over_cap(total, ev.budget_cap)
        savings = None
        if schedule is not None and in_house is not None:
            savings = savings_against(in_house, schedule)
        lines.append(
            TcoLine(vendor.id, vendor.name, total, problem, expired, cap, schedule, savings, mix)
        )
    lines.sort(key=lambda r: (r.tco is None, r.tco or Decimal(0), r.name.casefold()))
    return tuple(lines)


def _cells(inputs, competing: list[int], manual: list[CriterionInfo]) -> tuple[ScoreCell, ...]:
    grouped: dict[tuple[int, str], list[ScoreEntry]] = {}
    for score in inputs.scores:
        grouped.setdefault((score.vendor_id, score.criterion), []).append(score)
    team = inputs.evaluation.evaluators
    agreed = {(c.vendor_id, c.criterion): c for c in inputs.consensus}
    cells = []
    for vendor_id in competing:
        for criterion in manual:
            scores = grouped.get((vendor_id, criterion.key), [])
            values = [float(s.value) for s in scores]
            consensus = agreed.get((vendor_id, criterion.key))
            cells.append(
                ScoreCell(
                    vendor_id=vendor_id,
                    criterion=criterion.key,
                    mean=sum(values) / len(values) if values else None,
                    low=min(values) if values else None,
                    high=max(values) if values else None,
                    count=len(values),
                    evaluators=tuple(sorted(s.evaluator for s in scores)),
                    team_size=max(team, len(values)),
                    consensus=None if consensus is None else float(consensus.value),
                    rationale=consensus.rationale if consensus else "",
                    consensus_by=consensus.decided_by if consensus else "",
                )
            )
    return tuple(cells)


def _finite(value) -> float | None:
    number = float(value)
    return number if np.isfinite(number) else None


def _leader_id(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _sensitivity(values, shares, directions, method, inputs, bounds=None):
    names = {c.key: c.name for c in inputs.criteria}
    vendors = {v.id: v.name for v in inputs.vendors}
    weights = {key: shares[key] for key in values.columns}
    fixed = bounds or None
    report = engine.weight_sensitivity(values, weights, directions, method=method, bounds=fixed)
    draws = engine.rank_stability(
        values, weights, directions, draws=STABILITY_DRAWS, seed=0, method=method, bounds=fixed
    ).sort_values(["first_share", "mean_rank"], ascending=[False, True])
    lines = tuple(
        SensitivityLine(
            criterion=key,
            name=names[key],
            weight=float(row["weight"]),
            increase=_finite(row["increase"]),
            increase_leader=_leader_id(row["increase_leader"]),
            decrease=_finite(row["decrease"]),
            decrease_leader=_leader_id(row["decrease_leader"]),
        )
        for key, row in report.iterrows()
    )
    stability = tuple(
        StabilityLine(int(vid), vendors[int(vid)], float(row.first_share), float(row.mean_rank))
        for vid, row in draws.iterrows()
    )
    return lines, stability


def _ranked_rows(ranking, directions, vendors, tco, stability) -> tuple[RankedRow, ...]:
    if ranking is None:
        return ()
    first = {line.vendor_id: line.first_share for line in stability}
    parts = ranking.contributions  # WSM: additive parts; TOPSIS: weighted normalised values
    ideal = anti = None
    if ranking.method == "topsis":
        benefit = np.array([directions[c] == "benefit" for c in parts.columns])
        best = np.where(benefit, parts.max(axis=0), parts.min(axis=0))
        worst = np.where(benefit, parts.min(axis=0), parts.max(axis=0))
        ideal = (parts - best).abs()
        anti = (parts - worst).abs()
    rows = []
    for vid, score, rank in zip(
        ranking.table.index, ranking.table["score"], ranking.table["rank"], strict=True
    ):
        vid = int(vid)
        rows.append(
            RankedRow(
                vendor_id=vid,
                name=vendors[vid].name,
                rank=int(rank),
                score=float(score),
                tco=tco[vid].tco,
                contributions=None if ideal is not None else _floats(parts.loc[vid]),
                ideal_distance=None if ideal is None else _floats(ideal.loc[vid]),
                anti_distance=None if anti is None else _floats(anti.loc[vid]),
                first_share=first.get(vid),
                savings=tco[vid].savings,
            )
        )
    return tuple(rows)


def _floats(series: pd.Series) -> dict[str, float]:
    return {str(key): float(value) for key, value in series.items()}
