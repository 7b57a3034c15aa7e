"""Tests for AHP weights and judgement matrices (scoring/ahp.py, exposed through scoring.engine).
No database needed."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.ahp import (
    SCALE_POSITIONS,
    check_judgements,
    judgements_from_weights,
    pairs_of,
    position_value,
    snap_position,
)
from scoring.engine import ahp_matrix, ahp_weights

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


# --------------------------------------------------------------------------- scale positions


def test_scale_positions_run_from_one_ninth_through_one_to_nine():
    assert [position_value(p) for p in (-8, -2, -1, 0, 1, 2, 8)] == pytest.approx(
        [1 / 9, 1 / 3, 1 / 2, 1, 2, 3, 9]
    )
    with pytest.raises(ValueError, match=r"outside -8\.\.8"):
        position_value(9)


@pytest.mark.parametrize(
    ("ratio", "position"),
    [(1.0, 0), (1.2, 0), (1.5, 1), (3.0, 2), (2.9, 2), (1 / 3, -2), (12.0, 8), (0.01, -8)],
)
def test_a_ratio_snaps_to_the_nearest_scale_point_on_a_log_scale(ratio, position):
    # 1.5 is nearer 2 than 1 on a log scale (ln 1.5 = 0.405 > ln 2 / 2 = 0.347).
    assert snap_position(ratio) == position


@given(st.integers(min_value=-8, max_value=8))
def test_every_scale_point_snaps_to_itself(position):
    assert snap_position(position_value(position)) == position


def test_judgements_from_weights_say_how_much_more_the_left_one_weighs():
    judgements = judgements_from_weights({"cost": 30.0, "risk": 10.0, "speed": 15.0})
    assert judgements == {("cost", "risk"): 2, ("cost", "speed"): 1, ("risk", "speed"): -1}
    with pytest.raises(ValueError, match="must be positive to take part"):
        judgements_from_weights({"cost": 30.0, "risk": 0.0})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=3), min_size=2, max_size=12))
def test_judgements_from_weights_on_the_scale_reproduce_the_weights_with_cr_zero(exponents):
    # Weights 1, 2, 4, 8 (times any constant) have ratios on Saaty's scale: nothing is rounded.
    weights = {f"c{i}": 5.0 * 2**k for i, k in enumerate(exponents)}
    check = check_judgements(list(weights), judgements_from_weights(weights))
    total = sum(weights.values())
    np.testing.assert_allclose(check.result.weights, [w / total for w in weights.values()])
    assert check.result.cr == pytest.approx(0.0, abs=1e-9)
    assert check.revision is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=1.0, max_value=9.0), min_size=3, max_size=12))
def test_the_cr_of_a_consistent_matrix_is_zero(raw):
    w = np.array(raw)
    result = ahp_weights(w[:, None] / w[None, :])
    assert result.cr == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(result.weights, w / w.sum(), rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=1.0, max_value=9.0), min_size=3, max_size=12))
def test_judgements_from_any_weights_keep_their_order_and_stay_consistent(raw):
    weights = {f"c{i}": value for i, value in enumerate(raw)}
    check = check_judgements(list(weights), judgements_from_weights(weights))
    derived = check.result.weights
    assert check.result.consistent
    for a, b in pairs_of(list(weights)):
        if weights[a] >= weights[b] * 1.5:  # a clear gap survives rounding to the scale
            assert derived[a] > derived[b]


def test_the_pair_to_revise_first_is_the_flipped_one_with_the_ratio_it_should_have():
    weights = {"a": 8.0, "b": 4.0, "c": 2.0, "d": 1.0}
    judgements = judgements_from_weights(weights)
    assert judgements[("a", "d")] == 7  # 8 times
    judgements[("a", "d")] = -7  # flipped: d said 8 times as important as a

    check = check_judgements(list(weights), judgements)

    assert not check.result.consistent
    assert check.revision is not None
    assert check.revision.pair == ("a", "d")
    assert check.revision.given == -7
    assert check.revision.suggested > 0  # the other answers say a weighs more than d
    judgements[("a", "d")] = check.revision.suggested
    assert check_judgements(list(weights), judgements).result.cr < check.result.cr


def test_check_judgements_takes_either_orientation_and_refuses_missing_or_off_scale_pairs():
    labels = ["a", "b", "c"]
    forward = check_judgements(labels, {("a", "b"): 2, ("a", "c"): 4, ("b", "c"): 1})
    reverse = check_judgements(labels, {("b", "a"): -2, ("c", "a"): -4, ("b", "c"): 1})
    np.testing.assert_allclose(forward.result.weights, reverse.result.weights)
    with pytest.raises(ValueError, match="Missing judgement"):
        check_judgements(labels, {("a", "b"): 2, ("a", "c"): 4})
    with pytest.raises(ValueError, match=r"outside -8\.\.8"):
        check_judgements(labels, {("a", "b"): 12, ("a", "c"): 4, ("b", "c"): 1})
    assert len(SCALE_POSITIONS) == 17
