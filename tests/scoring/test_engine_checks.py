"""Tests for the input validation behind scoring.engine.rank (scoring/engine_checks.py): missing
and infinite cells, duplicate labels, non-numeric values, weights, directions, methods and bounds,
each refused with a message naming the culprit. No database needed."""

import numpy as np
import pandas as pd
import pytest

from scoring.engine import IncompleteData, rank
from tests.scoring.engine_helpers import DIRECTIONS, vendors

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


# --------------------------------------------------------------------------- weights


def test_weights_near_the_float_limit_normalise_like_small_ones():
    huge = rank(vendors(), {"price": 1.5e308, "quality": 1e308}, DIRECTIONS)
    small = rank(vendors(), {"price": 1.5, "quality": 1}, DIRECTIONS)
    assert huge.weights.to_dict() == pytest.approx(small.weights.to_dict())
    pd.testing.assert_frame_equal(huge.table, small.table)
