"""Absolute scoring (the engine's bounds) and measured criteria in the pure decision, its one
scale sentence in every case, and snapshots of schema 3 and 2. No database."""

import dataclasses
from decimal import Decimal

import pytest

from scoring import facts, scales
from scoring.decision import SCHEMA, Status, decide
from scoring.reports.snapshot import from_snapshot, to_snapshot
from tests.scoring.test_decision import ALPHA, BETA, GAMMA, inputs, quote

QUALITY = facts.CriterionInfo(1, "quality", "Service quality", "", "benefit", "manual", 50)
SECURITY = facts.CriterionInfo(2, "security", "Data security", "", "benefit", "manual", 50)
COST = facts.CriterionInfo(3, "cost", "Cost", "", "cost", "cost", 40)
ATTRITION = facts.CriterionInfo(
    4, "attrition-e1", "Attrition", "", "cost", "measured", 30, own=True, unit="%", low=0, high=60
)
SEATS = facts.CriterionInfo(5, "seats-e1", "Spare seats", "", "benefit", "measured", 30, own=True)


def scored(vendors, criteria, inputs_kwargs=None, *, scale="absolute", measurements=(), **scores):
    """Inputs where one evaluator gave every vendor ``scores[key]`` on each manual criterion."""
    entries = [
        (v.id, c.key, "Ana", scores.get(c.key, 7)) for v in vendors for c in criteria if c.is_manual
    ]
    base = inputs(
        vendors, scores=entries, team=(), criteria=tuple(criteria), **(inputs_kwargs or {})
    )
    evaluation = dataclasses.replace(base.evaluation, scale=scale)
    return dataclasses.replace(
        base,
        evaluation=evaluation,
        measurements=tuple(
            facts.MeasurementEntry(pk, key, Decimal(str(value))) for pk, key, value in measurements
        ),
    )


def test_a_lone_vendor_scored_7_everywhere_reads_0_7_under_absolute_scoring_not_1():
    absolute = decide(scored([ALPHA], [QUALITY, SECURITY]))
    relative = decide(scored([ALPHA], [QUALITY, SECURITY], scale="relative"))

    assert absolute.ranking[0].score == pytest.approx(0.7)
    assert absolute.scale == "absolute"
    assert relative.ranking[0].score == pytest.approx(1.0)  # what the issue complained of
    assert absolute.scale_sentence == (
        "Scores are absolute: 0–10 scores on their 0–10 scale, so a vendor's score means the "
        "same whatever the shortlist."
    )
    assert relative.scale_sentence == scales.RELATIVE_SENTENCE


def test_an_absolute_score_does_not_move_when_a_vendor_joins_the_shortlist():
    two = scored([ALPHA, BETA], [QUALITY], quality=6)
    alone = decide(dataclasses.replace(two, vendors=(ALPHA,), candidates=two.candidates[:1]))
    both = decide(two)
    assert alone.ranking[0].score == pytest.approx(0.6)
    assert {r.name: r.score for r in both.ranking}["Alpha"] == pytest.approx(0.6)


def test_cost_is_scored_from_0_to_the_budget_cap_and_the_sentence_names_the_cap():
    data = scored(
        [ALPHA, BETA],
        [QUALITY, COST],
        {"quotes": [quote(1, 1000), quote(2, 1500)], "cap": 200000},
    )
    decision = decide(data)
    rows = {r.name: r for r in decision.ranking}
    # TCO 120,000 of a 200,000 cap: (200,000 - 120,000) / 200,000 = 0.4 of the cost weight.
    assert rows["Alpha"].contributions["cost"] == pytest.approx(0.4 * 40 / 90)
    assert rows["Beta"].contributions["cost"] == pytest.approx(0.1 * 40 / 90)
    assert decision.scale_sentence == (
        "Scores are absolute: 0–10 scores on their 0–10 scale and Cost from 0 to the budget cap "
        "of €200,000, so a vendor's score means the same whatever the shortlist."
    )


def test_without_a_budget_cap_cost_stays_relative_and_the_sentence_says_so():
    data = scored([ALPHA, BETA], [QUALITY, COST], {"quotes": [quote(1, 1000), quote(2, 1500)]})
    decision = decide(data)
    rows = {r.name: r for r in decision.ranking}
    assert rows["Alpha"].contributions["cost"] == pytest.approx(40 / 90)  # min-max: best = 1
    assert rows["Beta"].contributions["cost"] == pytest.approx(0)
    assert decision.scale_sentence == (
        "Scores are absolute: 0–10 scores on their 0–10 scale; Cost has no fixed scale and stays "
        "relative to the shortlist, so only the fixed-scale parts of a score mean the same "
        "whatever the shortlist."
    )
    only_cost = decide(scored([ALPHA, BETA], [COST], {"quotes": [quote(1, 1000), quote(2, 1500)]}))
    assert only_cost.scale_sentence.startswith(
        "Scores are meant to be absolute, but no weighted criterion has a fixed scale (no budget "
        "cap is set), so they are relative to the shortlist"
    )


def test_a_bounded_measured_criterion_scores_on_its_bounds_lower_is_better():
    data = scored(
        [ALPHA, BETA],
        [QUALITY, ATTRITION],
        measurements=[(1, ATTRITION.key, 15), (2, ATTRITION.key, 45)],
    )
    decision = decide(data)
    rows = {r.name: r for r in decision.ranking}
    assert rows["Alpha"].contributions[ATTRITION.key] == pytest.approx(0.75 * 30 / 80)
    assert rows["Beta"].contributions[ATTRITION.key] == pytest.approx(0.25 * 30 / 80)
    assert "Attrition on 0–60 %" in decision.scale_sentence


def test_an_unbounded_measured_criterion_stays_relative_and_is_named():
    data = scored(
        [ALPHA, BETA], [QUALITY, SEATS], measurements=[(1, SEATS.key, 10), (2, SEATS.key, 30)]
    )
    decision = decide(data)
    rows = {r.name: r for r in decision.ranking}
    assert rows["Beta"].contributions[SEATS.key] == pytest.approx(30 / 80)
    assert rows["Alpha"].contributions[SEATS.key] == pytest.approx(0)
    assert "Spare seats has no fixed scale and stays relative" in decision.scale_sentence


def test_a_missing_or_out_of_bounds_measurement_leaves_the_vendor_unranked_with_the_reason():
    data = scored(
        [ALPHA, BETA, GAMMA],
        [QUALITY, ATTRITION],
        measurements=[(1, ATTRITION.key, 15), (3, ATTRITION.key, 75)],
    )
    decision = decide(data)
    assert decision.ranked_ids == [1]
    assert decision.status_of[2].reasons == ("Attrition: no value entered",)
    assert decision.status_of[3].reasons == ("Attrition: 75 is outside its bounds 0–60 %",)


def test_topsis_stays_relative_and_the_sentence_says_it_cannot_score_absolutely():
    data = scored([ALPHA, BETA], [QUALITY, SECURITY], security=5)
    decision = decide(data, method="topsis")
    assert decision.scale == "relative"
    assert decision.scale_sentence.startswith(
        "Scores are relative (TOPSIS cannot score absolutely) to the shortlist: TOPSIS measures"
    )


def test_a_zero_weight_criterion_leaves_the_grid_cells_and_the_ranking_columns():
    unused = dataclasses.replace(SECURITY, weight=0)
    data = scored([ALPHA], [QUALITY, unused])
    data = dataclasses.replace(
        data, scores=tuple(s for s in data.scores if s.criterion != "security")
    )
    decision = decide(data)
    assert decision.ranked_ids == [1]  # nobody scored security, and it does not matter
    assert [c.key for c in decision.manual_criteria] == ["quality"]
    assert {cell.criterion for cell in decision.cells} == {"quality"}
    assert set(decision.ranking[0].contributions) == {"quality"}
    assert decision.scale_sentence.startswith("Scores are absolute: 0–10 scores")


def test_no_weighted_criterion_gives_a_true_sentence():
    data = scored([ALPHA], [dataclasses.replace(QUALITY, weight=0)])
    decision = decide(data)
    assert decision.ranking == ()
    assert decision.scale_sentence == (
        "Scores are absolute, on fixed scales, once a criterion has a weight."
    )


def test_a_schema_3_snapshot_keeps_the_criteria_definitions_and_measurements():
    rubric = (("0–2", "No plan"), ("9–10", "Audited plan"))
    data = scored(
        [ALPHA, BETA],
        [dataclasses.replace(QUALITY, own=True, rubric=rubric), ATTRITION],
        measurements=[(1, ATTRITION.key, 15), (2, ATTRITION.key, 45.5)],
    )
    decision = decide(data)
    snapshot = to_snapshot(decision)
    again = from_snapshot(snapshot)

    assert snapshot["schema"] == SCHEMA == 4
    stored = {c["key"]: c for c in snapshot["inputs"]["criteria"]}
    assert stored[ATTRITION.key] | {"weight": 0} == {
        "id": 4,
        "key": ATTRITION.key,
        "name": "Attrition",
        "description": "",
        "direction": "cost",
        "source": "measured",
        "weight": 0,
        "own": True,
        "unit": "%",
        "low": 0,
        "high": 60,
        "rubric": [],
    }
    assert stored["quality"]["rubric"] == [["0–2", "No plan"], ["9–10", "Audited plan"]]
    assert again.inputs == decision.inputs and again.ranking == decision.ranking
    assert again.scale_sentence == decision.scale_sentence
    assert to_snapshot(again) == snapshot


def _as_schema_2(snapshot: dict) -> dict:
    """What a schema 2 snapshot held: no criteria kinds beyond manual/cost, no scale."""
    old = {k: v for k, v in snapshot.items() if k not in ("scale", "scale_sentence")}
    old["schema"] = 2
    inputs_ = dict(old["inputs"])
    inputs_.pop("measurements")
    inputs_["evaluation"] = {k: v for k, v in inputs_["evaluation"].items() if k != "scale"}
    inputs_["criteria"] = [
        {k: v for k, v in c.items() if k not in ("own", "unit", "low", "high", "rubric")}
        for c in inputs_["criteria"]
    ]
    old["inputs"] = inputs_
    return old


def test_a_schema_2_snapshot_still_loads_as_relative_with_its_figures_kept():
    decision = decide(scored([ALPHA, BETA], [QUALITY, SECURITY], scale="relative", security=5))
    old = _as_schema_2(to_snapshot(decision))
    loaded = from_snapshot(old)

    assert loaded.ranking == decision.ranking
    assert loaded.scale == "relative" and loaded.evaluation.scale == "relative"
    assert loaded.scale_sentence == scales.RELATIVE_SENTENCE
    assert loaded.id == old["id"]
    assert loaded.inputs.criteria[0].rubric == () and loaded.inputs.measurements == ()
    assert all(s.status == Status.RANKED for s in loaded.candidates)
