"""Tests for scoring.engine.rank (WSM, TOPSIS, normalisation, bounds, extreme magnitudes), with
sensitivity/stability taking the same bounds. No database needed."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm import normalizations
from pymcdm.methods import TOPSIS, WSM

from scoring.engine import Ranking, rank
from tests.scoring.engine_helpers import DIRECTIONS, vendors

# --------------------------------------------------------------------------- WSM by hand


def test_it_ranks_a_hand_checked_wsm_example():
    # price is a cost: min 100, max 200 -> Acme (200-100)/100 = 1, Bolt 0, Crux 0.5
    # quality is a benefit: min 6, max 10 -> Acme (8-6)/4 = 0.5, Bolt 1, Crux 0
    # weights 3:2 -> 0.6 / 0.4
    # Acme 0.6*1 + 0.4*0.5 = 0.8; Bolt 0.6*0 + 0.4*1 = 0.4; Crux 0.6*0.5 + 0 = 0.3
    result = rank(vendors(), {"price": 3, "quality": 2}, DIRECTIONS)
    assert list(result.table.index) == ["Acme", "Bolt", "Crux"]
    assert result.table["score"].tolist() == pytest.approx([0.8, 0.4, 0.3])
    assert result.table["rank"].tolist() == [1, 2, 3]
    assert result.method == "wsm"
    assert result.weights.to_dict() == pytest.approx({"price": 0.6, "quality": 0.4})
    assert result.normalized.loc["Crux"].tolist() == pytest.approx([0.5, 0.0])
    assert result.contributions.loc["Acme"].tolist() == pytest.approx([0.6, 0.2])


def test_it_returns_a_frozen_ranking_with_int_ranks_and_input_ordered_matrices():
    result = rank(vendors(), {"price": 1, "quality": 1}, DIRECTIONS)
    assert isinstance(result, Ranking)
    with pytest.raises(AttributeError):
        result.method = "topsis"  # type: ignore[misc]
    assert result.table["rank"].dtype.kind == "i"
    assert list(result.normalized.index) == ["Acme", "Bolt", "Crux"]
    assert list(result.contributions.columns) == ["price", "quality"]


def test_a_criterion_where_everyone_is_equal_normalises_to_one():
    values = vendors().assign(sla=[99.5, 99.5, 99.5])
    result = rank(values, {"price": 1, "quality": 1, "sla": 1}, {**DIRECTIONS, "sla": "benefit"})
    assert result.normalized["sla"].tolist() == [1.0, 1.0, 1.0]


def test_columns_without_a_weight_count_as_weight_zero():
    result = rank(vendors(), {"quality": 5}, DIRECTIONS)
    assert result.weights.to_dict() == {"price": 0.0, "quality": 1.0}
    assert list(result.table.index) == ["Bolt", "Acme", "Crux"]


def test_ties_share_the_lower_rank():
    # A = (1, 0), B = (0, 1) on two equally weighted benefit criteria -> both 0.5; C = 0.
    values = pd.DataFrame({"x": [1.0, 0.0, 0.0], "y": [0.0, 1.0, 0.0]}, index=["A", "B", "C"])
    result = rank(values, {"x": 1, "y": 1}, {"x": "benefit", "y": "benefit"})
    assert result.table["rank"].tolist() == [1, 1, 3]
    assert list(result.table.index) == ["A", "B", "C"]  # stable: input order among ties


def test_mathematically_equal_scores_tie_despite_float_rounding():
    # Cyclic permutations of (0, 0.5, 1) with weights 1/3 each: every score is exactly 0.5,
    # but summing thirds in a different order differs in the last bit.
    values = pd.DataFrame(
        {"a": [0.0, 10.0, 5.0, 0.0], "b": [5.0, 0.0, 10.0, 0.0], "c": [10.0, 5.0, 0.0, 0.0]},
        index=["P", "Q", "R", "Z"],
    )
    result = rank(values, {"a": 0.1, "b": 0.1, "c": 0.1}, dict.fromkeys("abc", "benefit"))
    assert result.table["rank"].tolist() == [1, 1, 1, 4]
    assert list(result.table.index) == ["P", "Q", "R", "Z"]


def test_ties_share_the_lower_rank_in_topsis_too():
    values = pd.DataFrame({"x": [3.0, 4.0, 1.0], "y": [4.0, 3.0, 1.0]}, index=["A", "B", "C"])
    result = rank(values, {"x": 1, "y": 1}, {"x": "benefit", "y": "benefit"}, "topsis")
    assert result.table["rank"].tolist() == [1, 1, 3]


# --------------------------------------------------------------------------- TOPSIS


def test_it_ranks_a_hand_checked_topsis_example():
    # A = (3, 4), B = (4, 3), both benefit, weights 0.75 / 0.25.
    # vector norms: sqrt(9 + 16) = 5 for both columns -> A (0.6, 0.8), B (0.8, 0.6)
    # weighted: A (0.45, 0.20), B (0.60, 0.15); ideal (0.60, 0.20), anti (0.45, 0.15)
    # A: D+ = 0.15, D- = 0.05 -> 0.05 / 0.20 = 0.25
    # B: D+ = 0.05, D- = 0.15 -> 0.15 / 0.20 = 0.75
    values = pd.DataFrame({"x": [3.0, 4.0], "y": [4.0, 3.0]}, index=["A", "B"])
    result = rank(values, {"x": 3, "y": 1}, {"x": "benefit", "y": "benefit"}, method="topsis")
    assert result.table["score"].to_dict() == pytest.approx({"B": 0.75, "A": 0.25})
    assert result.normalized.loc["A"].tolist() == pytest.approx([0.6, 0.8])
    assert result.contributions.loc["B"].tolist() == pytest.approx([0.6, 0.15])


def test_it_reproduces_hwang_and_yoons_fighter_aircraft_topsis_example():
    # Hwang & Yoon (1981), Multiple Attribute Decision Making, fighter-aircraft example:
    # reliability and maneuverability on the 1-9 interval scale, acquisition cost is a cost.
    # Published relative closeness: A1 0.643, A2 0.268, A3 0.613, A4 0.312 -> A1 > A3 > A4 > A2.
    values = pd.DataFrame(
        {
            "max_speed": [2.0, 2.5, 1.8, 2.2],
            "ferry_range": [1500, 2700, 2000, 1800],
            "max_payload": [20000, 18000, 21000, 20000],
            "acquisition_cost": [5.5, 6.5, 4.5, 5.0],
            "reliability": [5, 3, 7, 5],
            "maneuverability": [9, 5, 7, 5],
        },
        index=["A1", "A2", "A3", "A4"],
    )
    weights = dict(zip(values.columns, [0.2, 0.1, 0.1, 0.1, 0.2, 0.3], strict=True))
    directions = dict.fromkeys(values.columns, "benefit") | {"acquisition_cost": "cost"}
    result = rank(values, weights, directions, method="topsis")
    assert list(result.table.index) == ["A1", "A3", "A4", "A2"]
    # The book works from 4-decimal intermediates, so its last printed digit may be off by
    # one (exact A3 = 0.61354 prints as 0.613 there): agree within one unit of that digit.
    published = {"A1": 0.643, "A3": 0.613, "A4": 0.312, "A2": 0.268}
    assert result.table["score"].to_dict() == pytest.approx(published, abs=1e-3)
    # Published normalised ratings (first row): 0.4671, 0.3662, 0.5056, 0.5069, 0.4811, 0.6708
    assert result.normalized.loc["A1"].round(4).tolist() == [
        0.4671,
        0.3662,
        0.5056,
        0.5069,
        0.4811,
        0.6708,
    ]


def test_topsis_scores_one_when_all_alternatives_are_equal():
    values = pd.DataFrame({"x": [2.0, 2.0], "y": [5.0, 5.0]}, index=["A", "B"])
    result = rank(values, {"x": 1, "y": 1}, {"x": "benefit", "y": "cost"}, "topsis")
    assert result.table["score"].tolist() == [1.0, 1.0]
    assert result.table["rank"].tolist() == [1, 1]


def test_method_names_are_case_insensitive():
    assert rank(vendors(), {"price": 1}, DIRECTIONS, "TOPSIS").method == "topsis"


# --------------------------------------------------------------------------- properties

small_values = st.floats(min_value=0.0, max_value=1000.0, allow_nan=False).map(
    lambda v: round(v, 2)
)


@st.composite
def problems(draw, min_alternatives=2):
    n = draw(st.integers(min_alternatives, 7))
    m = draw(st.integers(1, 5))
    matrix = draw(arrays(np.float64, (n, m), elements=small_values))
    columns = [f"c{j}" for j in range(m)]
    values = pd.DataFrame(matrix, index=[f"v{i}" for i in range(n)], columns=columns)
    raw = draw(st.lists(st.integers(0, 10), min_size=m, max_size=m).filter(any))
    weights = dict(zip(columns, map(float, raw), strict=True))
    directions = dict(
        zip(
            columns,
            draw(st.lists(st.sampled_from(["benefit", "cost"]), min_size=m, max_size=m)),
            strict=True,
        )
    )
    return values, weights, directions


def ranks_of(result: Ranking) -> pd.Series:
    return result.table["rank"].sort_index()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.data())
def test_improving_an_alternative_never_worsens_its_wsm_rank(problem, data):
    values, weights, directions = problem
    i = data.draw(st.integers(0, len(values) - 1))
    col = data.draw(st.sampled_from(list(values.columns)))
    step = data.draw(st.floats(0.01, 500.0))
    better = values.copy()
    better.iloc[i, values.columns.get_loc(col)] += step if directions[col] == "benefit" else -step
    before = ranks_of(rank(values, weights, directions))[values.index[i]]
    after = ranks_of(rank(better, weights, directions))[values.index[i]]
    assert after <= before


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.data(), st.sampled_from(["wsm", "topsis"]))
def test_a_dominating_alternative_ranks_at_or_above_the_dominated_one(problem, data, method):
    values, weights, directions = problem
    values = values + 1.0  # TOPSIS needs a non-zero column norm to be meaningful
    m = values.shape[1]
    gaps = np.array(data.draw(st.lists(st.floats(0, 100), min_size=m, max_size=m)))
    sign = np.array([1.0 if directions[c] == "benefit" else -1.0 for c in values.columns])
    # v0 dominates v1: at least as good on every criterion (values stay positive).
    v0 = values.iloc[0].to_numpy()
    values.iloc[1] = np.where(sign > 0, np.maximum(v0 - gaps, 0.5), v0 + gaps)
    ranks = ranks_of(rank(values, weights, directions, method))
    assert ranks["v0"] <= ranks["v1"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.data())
def test_scaling_a_criterion_by_a_positive_constant_leaves_wsm_ranks_unchanged(problem, data):
    values, weights, directions = problem
    col = data.draw(st.sampled_from(list(values.columns)))
    factor = data.draw(st.sampled_from([0.001, 0.37, 3.0, 12.5, 1000.0]))
    scaled = values.assign(**{col: values[col] * factor})
    assert ranks_of(rank(scaled, weights, directions)).equals(
        ranks_of(rank(values, weights, directions))
    )


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from([0.001, 0.5, 7.0, 1e6]), st.sampled_from(["wsm", "topsis"]))
def test_scaling_all_weights_together_changes_nothing(problem, factor, method):
    values, weights, directions = problem
    base = rank(values, weights, directions, method)
    scaled = rank(values, {k: v * factor for k, v in weights.items()}, directions, method)
    assert scaled.table["rank"].equals(base.table["rank"])
    assert list(scaled.table.index) == list(base.table.index)
    np.testing.assert_allclose(scaled.table["score"], base.table["score"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(scaled.weights, base.weights, rtol=1e-12)


@settings(max_examples=100)
@given(problems(min_alternatives=1))
def test_contributions_sum_to_the_score_and_scores_stay_in_unit_range(problem):
    values, weights, directions = problem
    result = rank(values, weights, directions)
    sums = result.contributions.sum(axis=1)
    np.testing.assert_allclose(sums[result.table.index], result.table["score"], atol=1e-12)
    assert result.table["score"].between(0, 1).all()
    assert result.table["score"].is_monotonic_decreasing
    assert result.table["rank"].iloc[0] == 1


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from(["wsm", "topsis"]))
def test_it_agrees_with_pymcdm_where_normalisations_match(problem, method):
    values, weights, directions = problem
    values = values + 1.0  # pymcdm's vector normalisation divides by the column norm
    types = np.array([1 if directions[c] == "benefit" else -1 for c in values.columns])
    w = np.array([weights[c] for c in values.columns])
    w = w / w.sum()
    assume(not (method == "topsis" and np.count_nonzero(w) < 1))
    if method == "wsm":
        body = WSM(normalizations.minmax_normalization)
    else:
        body = TOPSIS(normalizations.vector_normalization)
        # pymcdm divides 0/0 when every alternative is identical on the weighted criteria.
        weighted = values.to_numpy()[:, w > 0]
        assume(not (weighted == weighted[0]).all())
    expected = body(values.to_numpy(), w, types, validation=False)
    ours = rank(values, weights, directions, method).table["score"].reindex(values.index)
    np.testing.assert_allclose(ours.to_numpy(), expected, atol=1e-9)


# --------------------------------------------------------------------------- extreme magnitudes


@pytest.mark.parametrize("factor", [1e160, 1e200, 1e300, 1e-160, 1e-200, 1e-300])
def test_topsis_on_huge_or_tiny_values_scores_as_on_ordinary_ones(factor):
    base = rank(vendors(), {"price": 1, "quality": 1}, DIRECTIONS, "topsis")
    scaled = rank(vendors() * factor, {"price": 1, "quality": 1}, DIRECTIONS, "topsis")
    assert list(scaled.table.index) == list(base.table.index)
    np.testing.assert_allclose(scaled.table["score"], base.table["score"], rtol=1e-9)
    assert scaled.table["score"].tolist() != [1.0, 1.0, 1.0]


def test_wsm_copes_with_values_whose_range_overflows():
    values = pd.DataFrame({"x": [-1.5e308, 0.0, 1.5e308]}, index=["a", "b", "c"])
    result = rank(values, {"x": 1}, {"x": "benefit"})
    assert result.table["score"].to_dict() == pytest.approx({"c": 1.0, "b": 0.5, "a": 0.0})


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.integers(-200, 200), st.sampled_from(["wsm", "topsis"]))
def test_scaling_every_value_by_a_power_of_ten_leaves_the_scores_unchanged(
    problem, exponent, method
):
    values, weights, directions = problem
    values = values + 1.0  # TOPSIS needs a non-zero column norm to be meaningful
    base = rank(values, weights, directions, method)
    scaled = rank(values * 10.0**exponent, weights, directions, method)
    np.testing.assert_allclose(
        scaled.table["score"].sort_index(), base.table["score"].sort_index(), atol=1e-9
    )


# --------------------------------------------------------------------------- bounds


def test_bounds_normalise_on_the_fixed_scale_for_benefit_and_cost():
    # quality on 0..10: Acme 0.8, Bolt 1.0, Crux 0.6; price on 0..400 (cost): (400-x)/400
    # -> Acme 0.75, Bolt 0.5, Crux 0.625. Weights 1:1.
    result = rank(
        vendors(),
        {"price": 1, "quality": 1},
        DIRECTIONS,
        bounds={"quality": (0, 10), "price": (0, 400)},
    )
    assert result.normalized.loc["Acme"].tolist() == pytest.approx([0.75, 0.8])
    assert result.normalized.loc["Crux"].tolist() == pytest.approx([0.625, 0.6])
    assert result.table["score"].to_dict() == pytest.approx(
        {"Acme": 0.775, "Bolt": 0.75, "Crux": 0.6125}
    )
    assert list(result.table.index) == ["Acme", "Bolt", "Crux"]


def test_columns_without_bounds_keep_min_max_and_contributions_sum_to_the_score():
    result = rank(vendors(), {"price": 3, "quality": 2}, DIRECTIONS, bounds={"quality": (0, 10)})
    assert result.normalized["price"].tolist() == pytest.approx([1.0, 0.0, 0.5])
    assert result.normalized["quality"].tolist() == pytest.approx([0.8, 1.0, 0.6])
    sums = result.contributions.sum(axis=1)
    np.testing.assert_allclose(sums[result.table.index], result.table["score"], rtol=1e-12)


def test_a_bounded_score_does_not_depend_on_the_shortlist():
    bounds = {"price": (0, 400), "quality": (0, 10)}
    weights = {"price": 1, "quality": 2}
    full = rank(vendors(), weights, DIRECTIONS, bounds=bounds).table["score"]
    short = rank(vendors().loc[["Acme", "Crux"]], weights, DIRECTIONS, bounds=bounds).table["score"]
    assert short.to_dict() == pytest.approx(full[["Acme", "Crux"]].to_dict())


def test_no_bounds_gives_exactly_the_unbounded_ranking():
    plain = rank(vendors(), {"price": 3, "quality": 2}, DIRECTIONS)
    for bounds in (None, {}):
        same = rank(vendors(), {"price": 3, "quality": 2}, DIRECTIONS, bounds=bounds)
        pd.testing.assert_frame_equal(same.table, plain.table)
        pd.testing.assert_frame_equal(same.contributions, plain.contributions)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_bounded_contributions_always_sum_to_scores_in_zero_one(problem):
    values, weights, directions = problem
    bounds = {c: (0.0, 1000.0) for c in values.columns[::2]}
    result = rank(values, weights, directions, bounds=bounds)
    scores = result.table["score"]
    assert ((scores >= 0) & (scores <= 1)).all()
    np.testing.assert_allclose(
        result.contributions.sum(axis=1)[scores.index], scores, rtol=1e-9, atol=1e-12
    )


def test_sensitivity_and_stability_take_the_same_bounds_as_rank():
    from scoring.engine import rank_stability, weight_sensitivity

    weights = {"price": 1, "quality": 1}
    # Bounds equal to the shortlist's own min and max normalise exactly as min-max does.
    same = {"price": (100, 200), "quality": (6, 10)}
    pd.testing.assert_frame_equal(
        weight_sensitivity(vendors(), weights, DIRECTIONS, bounds=same),
        weight_sensitivity(vendors(), weights, DIRECTIONS),
    )
    pd.testing.assert_frame_equal(
        rank_stability(vendors(), weights, DIRECTIONS, draws=500, bounds=same),
        rank_stability(vendors(), weights, DIRECTIONS, draws=500),
    )
    with pytest.raises(ValueError, match="Outside the bounds"):
        weight_sensitivity(vendors(), weights, DIRECTIONS, bounds={"quality": (0, 9)})


def test_a_lone_alternative_on_fixed_bounds_scores_its_value_not_1():
    lone = pd.DataFrame({"quality": [7.0], "security": [7.0]}, index=["Acme"])
    directions = {"quality": "benefit", "security": "benefit"}
    bounded = rank(
        lone, {"quality": 1, "security": 1}, directions, bounds=dict.fromkeys(lone, (0, 10))
    )
    relative = rank(lone, {"quality": 1, "security": 1}, directions)
    assert bounded.table.loc["Acme", "score"] == pytest.approx(0.7)
    assert relative.table.loc["Acme", "score"] == pytest.approx(1.0)
