"""The decision of an evaluation as one typed value: who competes, what it costs, how it ranks.

Pure (no Django, like engine.py and costs.py): :func:`decide` turns :class:`DecisionInputs`
(gathered by ``scoring.selectors.decision_inputs``) into a frozen :class:`Decision` that the
ranking page, compare, the TCO page, the PDF and the exports all render, and that approval
freezes (``scoring.reports.snapshot`` serialises it with :data:`SCHEMA`). Its shape lives in
``scoring.decision_types``, re-exported here.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
import pandas as pd

from scoring import blending, engine, places, scales
from scoring.business_case import savings_against
from scoring.costs import CostSchedule
from scoring.decision_risk import cost_risk_for
from scoring.decision_types import (  # noqa: F401  (the decision's shape, re-exported)
    SCHEMA,
    STATUS_LABELS,
    CandidateStatus,
    Decision,
    RankedRow,
    ScoreCell,
    SensitivityLine,
    StabilityLine,
    Status,
    TcoLine,
)
from scoring.facts import (
    CriterionInfo,
    DecisionInputs,
    ScoreEntry,
    in_house_schedule,
    knockout_reasons,
    over_cap,
    quote_schedule,
    weight_shares,
)
from scoring.open_points import warnings_for

STABILITY_DRAWS = 2000


# --------------------------------------------------------------------------- deciding


@dataclass(frozen=True)
class Groundwork:
    """What neither the scores nor the weights change: the in-house baseline, the costs (with
    their delivery-mix programmes), the delivery places and who is excluded or knocked out."""

    in_house: CostSchedule | None
    tco: tuple[TcoLine, ...]
    placed: Mapping[int, tuple[places.Place, ...]]
    out: Mapping[int, tuple[Status, tuple[str, ...]]]


_last = threading.local()  # this thread's last (inputs, groundwork)


def groundwork(inputs: DecisionInputs) -> Groundwork:
    """Worked out once per inputs object: a page decides the same inputs again with its
    sensitivity (scoring.stability) right after deciding them without."""
    last = getattr(_last, "ground", None)
    if last is not None and last[0] is inputs:
        return last[1]
    ground = _groundwork(inputs)
    _last.ground = (inputs, ground)
    return ground


def _groundwork(inputs: DecisionInputs) -> Groundwork:
    ev = inputs.evaluation
    vendors = {v.id: v for v in inputs.vendors}
    in_house = in_house_schedule(ev)
    tco = _tco_lines(inputs, in_house)
    by_vendor = {line.vendor_id: line for line in tco}
    placed = places.vendor_places(inputs)
    out: dict[int, tuple[Status, tuple[str, ...]]] = {}
    for candidate in inputs.candidates:
        if candidate.excluded_reason:
            out[candidate.vendor_id] = (Status.EXCLUDED, (candidate.excluded_reason,))
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
            out[vendor.id] = (Status.KNOCKED_OUT, tuple(reasons))
    return Groundwork(in_house, tco, placed, out)


def decide(
    inputs: DecisionInputs,
    *,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    sensitivity: bool = True,
    risk: bool | None = None,
    ground: Groundwork | None = None,
) -> Decision:
    """The decision for ``inputs``; ``weights`` and ``method`` override the stored ones (what-if).
    ``risk`` (default: as ``sensitivity``) draws the cost-risk futures. ``ground``: the
    :func:`groundwork` of these inputs, already worked out (inputs that differ only in their
    scores share it: leave-one-out re-decides once per evaluator)."""
    ev = inputs.evaluation
    chosen = (method or ev.method).lower()
    if chosen not in engine.METHODS:
        raise ValueError(f"Unknown ranking method {chosen!r}.")
    shares = weight_shares({c.key: c.weight for c in inputs.criteria}, weights)
    what_if = bool(weights) or chosen != ev.method
    vendors = {v.id: v for v in inputs.vendors}
    ground = ground or groundwork(inputs)
    in_house, tco = ground.in_house, ground.tco
    by_vendor = {line.vendor_id: line for line in tco}
    used = [c for c in inputs.criteria if shares[c.key] > 0]
    manual = [c for c in used if c.is_manual]
    bounds = scales.bounds_for(used, ev, chosen)
    statuses = dict(ground.out)
    competing = _competing(inputs, statuses)
    cells = _cells(inputs, competing, manual)
    cell_values = {(cell.vendor_id, cell.criterion): cell.value for cell in cells}
    values = _values(inputs, ground, used, bounds, competing, cell_values, statuses)
    directions = {c.key: c.direction for c in used}
    ranking = _rank(values, used, shares, chosen, bounds)
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


def leaders_without(
    inputs: DecisionInputs,
    evaluators: Sequence[str],
    *,
    weights: Mapping[str, float],
    method: str,
    ground: Groundwork,
) -> tuple[str, ...]:
    """For each of ``evaluators``, the name of the vendor :func:`decide` would rank first without
    their scores ("" when none), without the rows, draws and sentences around it: leave-one-out.

    What their scores do not change (shares, bounds, knock-outs, consensus) is worked out once,
    and a cell's mean is summed again only where they scored it, over the others' values in the
    inputs' order: the very sum :func:`_cell_values` makes when the scores are left out."""
    shares = weight_shares({c.key: c.weight for c in inputs.criteria}, weights)
    used = [c for c in inputs.criteria if shares[c.key] > 0]
    manual = [c for c in used if c.is_manual]
    bounds = scales.bounds_for(used, inputs.evaluation, method)
    competing = _competing(inputs, dict(ground.out))
    wanted, keys = set(competing), {c.key for c in manual}
    scored: dict[tuple[int, str], list[tuple[str, float]]] = {}
    for score in inputs.scores:
        if score.vendor_id in wanted and score.criterion in keys:
            cell = (score.vendor_id, score.criterion)
            scored.setdefault(cell, []).append((score.evaluator, float(score.value)))
    agreed = {(c.vendor_id, c.criterion): float(c.value) for c in inputs.consensus}
    cells_of: dict[str, list[tuple[int, str]]] = {}
    for cell, entries in scored.items():
        if cell not in agreed:
            for who in dict.fromkeys(who for who, _ in entries):
                cells_of.setdefault(who, []).append(cell)
    everyone = {
        (vendor_id, c.key): agreed.get((vendor_id, c.key), _mean(scored.get((vendor_id, c.key))))
        for vendor_id in competing
        for c in manual
    }
    names = {v.id: v.name for v in inputs.vendors}
    leaders = []
    for evaluator in evaluators:
        cell_values = dict(everyone)
        for cell in cells_of.get(evaluator, ()):
            cell_values[cell] = _mean(scored[cell], leaving_out=evaluator)
        statuses = dict(ground.out)
        values = _values(inputs, ground, used, bounds, competing, cell_values, statuses)
        ranking = _rank(values, used, shares, method, bounds)
        found = ranking is not None and len(ranking.table)
        leaders.append(names[int(ranking.table.index[0])] if found else "")
    return tuple(leaders)


def _mean(entries: list[tuple[str, float]] | None, leaving_out: str | None = None) -> float | None:
    kept = [value for who, value in entries or () if who != leaving_out]
    return sum(kept) / len(kept) if kept else None


def _competing(inputs: DecisionInputs, statuses) -> list[int]:
    return [v.id for v in inputs.vendors if statuses.get(v.id, (None,))[0] != Status.EXCLUDED]


def _values(inputs, ground: Groundwork, used, bounds, competing, cell_values, statuses):
    """The ranked matrix (vendor x used criterion); a vendor missing a value is marked UNRANKED
    in ``statuses`` with its reasons instead."""
    ev, placed = inputs.evaluation, ground.placed
    by_vendor = {line.vendor_id: line for line in ground.tco}
    measured = {(m.vendor_id, m.criterion): float(m.value) for m in inputs.measurements}
    matrix: dict[int, dict[str, float]] = {}
    for vendor_id in competing:
        if vendor_id in statuses:
            continue
        row: dict[str, float] = {}
        reasons = []
        for criterion in used:
            if criterion.is_manual:
                value = cell_values[vendor_id, criterion.key]
                if value is None:
                    who = "you have not" if inputs.blind else "nobody has"
                    reasons.append(f"{criterion.name}: {who} scored it")
                else:
                    row[criterion.key] = value
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
    if not matrix:
        return pd.DataFrame.from_dict(matrix, orient="index", columns=columns, dtype=float)
    # From one array: DataFrame.from_dict costs a millisecond, leave-one-out pays it per evaluator.
    grid = np.array([[row[key] for key in columns] for row in matrix.values()], dtype=float)
    return pd.DataFrame(
        grid.reshape(len(matrix), len(columns)), index=list(matrix), columns=columns
    )


def _rank(values, used, shares, method: str, bounds):
    columns = [c.key for c in used]
    if not len(values) or not columns:
        return None
    directions = {c.key: c.direction for c in used}
    weights = {c: shares[c] for c in columns}
    return engine.rank(values, weights, directions, method, bounds=bounds or None)


def _cell_values(inputs, competing: list[int], manual) -> dict[tuple[int, str], float | None]:
    """Each cell's value as :func:`_cells` gives it (the consensus, else the mean), alone."""
    wanted = set(competing)
    keys = {c.key for c in manual}
    sums: dict[tuple[int, str], list[float]] = {}
    for score in inputs.scores:
        if score.vendor_id in wanted and score.criterion in keys:
            total = sums.setdefault((score.vendor_id, score.criterion), [0.0, 0])
            total[0] += float(score.value)
            total[1] += 1
    agreed = {(c.vendor_id, c.criterion): float(c.value) for c in inputs.consensus}
    values: dict[tuple[int, str], float | None] = {}
    for vendor_id in competing:
        for criterion in manual:
            cell = (vendor_id, criterion.key)
            found = sums.get(cell)
            mean = found[0] / found[1] if found else None
            values[cell] = agreed.get(cell, mean)
    return values


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
