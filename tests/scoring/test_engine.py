"""Tests for scoring.engine.rank (WSM, TOPSIS) and AHP weights. No database needed."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm import normalizations
from pymcdm.methods import TOPSIS, WSM

from scoring.engine import IncompleteData, Ranking, ahp_matrix, ahp_weights, rank

# --------------------------------------------------------------------------- fixtures


def vendors() -> pd.DataFrame:
    return pd.DataFrame(
        {"price": [100.0, 200.0, 150.0], "quality": [8.0, 10.0, 6.0]},
        index=["Acme", "Bolt", "Crux"],
    )


DIRECTIONS = {"price": "cost", "quality": "benefit"}


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


# --------------------------------------------------------------------------- validation


def test_missing_values_raise_incomplete_data_naming_every_pair():
    values = vendors()
    values.loc["Bolt", "price"] = np.nan
    values.loc["Crux", "quality"] = np.nan
    with pytest.raises(IncompleteData, match=r"\('Bolt', 'price'\).*\('Crux', 'quality'\)") as err:
        rank(values, {"price": 1, "quality": 1}, DIRECTIONS)
    assert err.value.missing == [("Bolt", "price"), ("Crux", "quality")]
    assert isinstance(err.value, ValueError)


def test_missing_values_are_never_treated_as_zero_even_on_a_zero_weight_column():
    values = vendors()
    values.loc["Acme", "quality"] = np.nan
    with pytest.raises(IncompleteData):
        rank(values, {"price": 1}, DIRECTIONS)


@pytest.mark.parametrize(
    ("weights", "directions", "method", "message"),
    [
        ({"price": 1, "speed": 1}, DIRECTIONS, "wsm", "unknown criterion 'speed'"),
        ({"price": -0.5, "quality": 1}, DIRECTIONS, "wsm", "'price' is negative"),
        ({"price": 0, "quality": 0}, DIRECTIONS, "wsm", "All weights are zero"),
        ({"price": float("nan")}, DIRECTIONS, "wsm", "finite"),
        ({"price": 1}, {"price": "cost", "quality": "higher"}, "wsm", "Unknown direction 'higher'"),
        ({"price": 1}, {"price": "cost"}, "wsm", "No direction for criterion 'quality'"),
        ({"price": 1}, {**DIRECTIONS, "speed": "cost"}, "wsm", "Direction .* unknown .*'speed'"),
        ({"price": 1}, DIRECTIONS, "electre", "Unknown method 'electre'"),
    ],
)
def test_it_rejects_bad_input_with_a_clear_message(weights, directions, method, message):
    with pytest.raises(ValueError, match=message):
        rank(vendors(), weights, directions, method)


@pytest.mark.parametrize(
    "values",
    [
        pd.DataFrame(columns=["price", "quality"], dtype=float),
        pd.DataFrame(index=["Acme", "Bolt"]),
    ],
)
def test_it_rejects_an_empty_matrix(values):
    with pytest.raises(ValueError, match="Empty decision matrix"):
        rank(values, {}, {})


def test_it_rejects_non_numeric_and_infinite_values():
    text = vendors().astype(object)
    text.loc["Acme", "price"] = "cheap"
    with pytest.raises(ValueError, match="numeric"):
        rank(text, {"price": 1}, DIRECTIONS)
    inf = vendors()
    inf.loc["Crux", "quality"] = np.inf
    with pytest.raises(ValueError, match=r"Infinite value for \('Crux', 'quality'\)"):
        rank(inf, {"price": 1}, DIRECTIONS)


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


# --------------------------------------------------------------------------- AHP

HOUSE = ["size", "transport", "neighbourhood", "age", "yard", "facilities", "condition", "finance"]
# Saaty (1990), "How to make a decision: the analytic hierarchy process", EJOR 48, house example.
HOUSE_MATRIX = np.array(
    [
        [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
        [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
        [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
        [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
        [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
        [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
        [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
        [4, 7, 5, 8, 6, 6, 2, 1],
    ]
)


def test_it_reproduces_saatys_house_example():
    # Published: priorities .173 .054 .188 .018 .031 .036 .167 .333,
    # lambda_max = 9.669, CI = 0.238, CR = 0.169 (inconsistent).
    result = ahp_weights(HOUSE_MATRIX, HOUSE)
    assert result.weights.round(3).tolist() == [
        0.173,
        0.054,
        0.188,
        0.018,
        0.031,
        0.036,
        0.167,
        0.333,
    ]
    assert list(result.weights.index) == HOUSE
    assert round(result.lambda_max, 3) == 9.669
    assert round(result.ci, 3) == 0.238
    assert round(result.cr, 3) == 0.169
    assert result.consistent is False
    # neighbourhood judged 6x more important than general condition, yet condition's weight
    # is 0.9x neighbourhood's: the judgement most at odds with the result.
    assert result.worst_pair == ("neighbourhood", "condition")


def test_a_perfectly_consistent_matrix_returns_its_ratios_with_cr_zero():
    # w = (8, 4, 2, 1) / 15 and a_ij = w_i / w_j
    w = np.array([8, 4, 2, 1]) / 15
    result = ahp_weights(w[:, None] / w[None, :], ["a", "b", "c", "d"])
    np.testing.assert_allclose(result.weights, w, atol=1e-12)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.cr == pytest.approx(0.0, abs=1e-12)
    assert result.consistent is True


def test_the_worst_pair_is_the_judgement_that_was_flipped():
    w = np.array([8, 4, 2, 1]) / 15
    a = w[:, None] / w[None, :]
    a[1, 3], a[3, 1] = 1 / 2, 2  # should be 2: b vs d reversed
    result = ahp_weights(a, ["a", "b", "c", "d"])
    assert result.worst_pair == ("b", "d")
    assert result.cr > 0


def test_two_by_two_and_one_by_one_matrices_are_always_consistent():
    two = ahp_weights([[1, 3], [1 / 3, 1]], ["x", "y"])
    assert two.weights.tolist() == pytest.approx([0.75, 0.25])
    assert (two.ci, two.cr, two.consistent) == (0.0, 0.0, True)
    one = ahp_weights([[1]])
    assert one.weights.tolist() == [1.0]
    assert one.worst_pair is None


def test_ahp_accepts_a_dataframe_and_takes_its_labels():
    frame = pd.DataFrame(
        [[1, 3], [1 / 3, 1]], index=["cost", "quality"], columns=["cost", "quality"]
    )
    assert list(ahp_weights(frame).weights.index) == ["cost", "quality"]


def test_ahp_matrix_builds_a_reciprocal_matrix_from_upper_triangle_judgements():
    a = ahp_matrix(
        ["cost", "quality", "risk"],
        {("cost", "quality"): 3, ("risk", "cost"): 5, ("quality", "risk"): 1},
    )
    expected = np.array([[1, 3, 1 / 5], [1 / 3, 1, 1], [5, 1, 1]])
    np.testing.assert_allclose(a, expected)


@pytest.mark.parametrize(
    ("labels", "judgements", "message"),
    [
        (
            ["a", "b", "c"],
            {("a", "b"): 3},
            r"Missing judgement\(s\) for \('a', 'c'\), \('b', 'c'\)",
        ),
        (["a", "b"], {("a", "z"): 3}, "unknown label 'z'"),
        (["a", "b"], {("a", "b"): 3, ("b", "a"): 3}, "Contradictory judgements"),
        (["a", "b"], {("a", "b"): -2}, "must be positive"),
        (["a", "a"], {}, "unique"),
    ],
)
def test_ahp_matrix_rejects_bad_judgements(labels, judgements, message):
    with pytest.raises(ValueError, match=message):
        ahp_matrix(labels, judgements)


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        ([[1, 2, 3], [0.5, 1, 2]], "square"),
        ([[1, 3], [3, 1]], r"not reciprocal at \('x', 'y'\)"),
        ([[1, 0], [0, 1]], r"\('x', 'y'\) must be a positive number"),
        ([[1, -2], [-0.5, 1]], "positive number"),
        ([[1, 12], [1 / 12, 1]], r"\('x', 'y'\) = 12.0 is outside Saaty's scale"),
        ([[2, 1], [1, 1]], r"Diagonal entry \('x', 'x'\)"),
    ],
)
def test_ahp_rejects_invalid_matrices_naming_the_pair(matrix, message):
    labels = ["x", "y", "z"][: len(matrix)]
    with pytest.raises(ValueError, match=message):
        ahp_weights(np.array(matrix, dtype=float), labels)


def test_ahp_tolerates_rounded_reciprocals_like_point_three_three():
    result = ahp_weights([[1, 3], [0.33, 1]], ["x", "y"])
    assert result.weights["x"] == pytest.approx(0.75, abs=0.01)


def test_ahp_rejects_more_than_fifteen_criteria_and_wrong_label_counts():
    with pytest.raises(ValueError, match="at most 15"):
        ahp_weights(np.ones((16, 16)))
    with pytest.raises(ValueError, match="2 labels for a 3x3"):
        ahp_weights(np.ones((3, 3)), ["a", "b"])


def test_random_index_matches_saatys_table_through_cr():
    # For a 3x3 matrix CR = CI / 0.58; check the ratio rather than trusting the table blindly.
    result = ahp_weights([[1, 2, 9], [1 / 2, 1, 1 / 3], [1 / 9, 3, 1]], ["a", "b", "c"])
    assert result.cr == pytest.approx(result.ci / 0.58)
    assert math.isclose(result.ci, (result.lambda_max - 3) / 2, rel_tol=1e-12)


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


# --------------------------------------------------------------------------- more validation


def test_duplicate_alternative_labels_are_refused_naming_the_label():
    values = pd.DataFrame(
        {"price": [100.0, 200.0, 150.0], "quality": [8.0, 10.0, 6.0]},
        index=["Acme", "Bolt", "Acme"],
    )
    with pytest.raises(ValueError, match=r"Duplicate alternative labels: 'Acme'"):
        rank(values, {"price": 1, "quality": 1}, DIRECTIONS)


@pytest.mark.parametrize("weight", ["heavy", None, object(), [1, 2]])
def test_a_weight_that_is_not_a_number_is_refused_naming_the_criterion(weight):
    with pytest.raises(ValueError, match=r"Weight for 'quality' must be a number"):
        rank(vendors(), {"price": 1, "quality": weight}, DIRECTIONS)


def test_a_non_numeric_cell_is_named_by_alternative_and_criterion():
    text = vendors().astype(object)
    text.loc["Bolt", "quality"] = "good"
    with pytest.raises(ValueError, match=r"'good' for \('Bolt', 'quality'\) is not a number"):
        rank(text, {"price": 1}, DIRECTIONS)


def test_missing_and_infinite_cells_are_reported_together():
    values = vendors()
    values.loc["Bolt", "price"] = np.nan
    values.loc["Crux", "quality"] = np.inf
    values.loc["Acme", "quality"] = -np.inf
    with pytest.raises(IncompleteData) as err:
        rank(values, {"price": 1, "quality": 1}, DIRECTIONS)
    assert err.value.missing == [("Bolt", "price")]
    assert err.value.infinite == [("Acme", "quality"), ("Crux", "quality")]
    assert "('Bolt', 'price')" in str(err.value)
    assert "2 infinite value(s) for ('Acme', 'quality'), ('Crux', 'quality')" in str(err.value)


def test_every_infinite_cell_is_named_when_nothing_is_missing():
    values = vendors()
    values.loc["Crux", "quality"] = np.inf
    values.loc["Acme", "price"] = np.inf
    with pytest.raises(ValueError, match=r"\('Acme', 'price'\), \('Crux', 'quality'\)"):
        rank(values, {"price": 1, "quality": 1}, DIRECTIONS)


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


@pytest.mark.parametrize(
    ("bounds", "method", "message"),
    [
        (
            {"quality": (0, 9)},
            "wsm",
            r"Outside the bounds 0\.\.9 of 'quality': 10 for \('Bolt', 'quality'\)",
        ),
        ({"quality": (7, 10)}, "wsm", r"6 for \('Crux', 'quality'\)"),
        ({"speed": (0, 10)}, "wsm", "Bounds given for unknown criterion 'speed'"),
        (
            {"quality": (10, 10)},
            "wsm",
            r"Bounds for 'quality': low \(10\) must be below high \(10\)",
        ),
        ({"quality": (10, 0)}, "wsm", r"low \(10\) must be below high \(0\)"),
        ({"quality": (0, float("inf"))}, "wsm", "must be finite"),
        ({"quality": (0,)}, "wsm", r"Bounds for 'quality' must be a \(low, high\) pair"),
        ({"quality": ("low", 10)}, "wsm", r"Bounds for 'quality' must be a \(low, high\) pair"),
        ({"quality": (0, 10)}, "topsis", "bounds apply to the weighted sum only"),
    ],
)
def test_bad_bounds_are_refused_naming_the_criterion_or_alternative(bounds, method, message):
    with pytest.raises(ValueError, match=message):
        rank(vendors(), {"price": 1, "quality": 1}, DIRECTIONS, method, bounds=bounds)


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


def test_weights_near_the_float_limit_normalise_like_small_ones():
    huge = rank(vendors(), {"price": 1.5e308, "quality": 1e308}, DIRECTIONS)
    small = rank(vendors(), {"price": 1.5, "quality": 1}, DIRECTIONS)
    assert huge.weights.to_dict() == pytest.approx(small.weights.to_dict())
    pd.testing.assert_frame_equal(huge.table, small.table)
