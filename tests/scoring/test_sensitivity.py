"""Tests for weight sensitivity and rank stability in scoring.engine. No database needed."""

import numpy as np
import pandas as pd
import pytest

from scoring.engine import rank, rank_stability, weight_sensitivity

BENEFIT = {"x": "benefit", "y": "benefit"}


def triangle() -> pd.DataFrame:
    # Min-max normalised: A (1, 0), B (0, 1), C (0.6, 0.6).
    return pd.DataFrame({"x": [10.0, 0.0, 6.0], "y": [0.0, 10.0, 6.0]}, index=["A", "B", "C"])


def random_problem(seed: int, n: int = 6, m: int = 4):
    rng = np.random.default_rng(seed)
    columns = [f"c{j}" for j in range(m)]
    values = pd.DataFrame(
        rng.uniform(1, 100, (n, m)), index=[f"v{i}" for i in range(n)], columns=columns
    )
    weights = dict(zip(columns, rng.uniform(0.05, 1, m), strict=True))
    directions = dict(zip(columns, rng.choice(["benefit", "cost"], m), strict=True))
    return values, weights, directions


def rescaled(weights: dict, key: str, target: float) -> dict:
    """Set ``key`` to ``target`` (0..1) and scale the others to fill 1 - target."""
    total = sum(weights.values())
    others = {k: v / total for k, v in weights.items() if k != key}
    rest = sum(others.values())
    out = {k: (1 - target) * (v / rest if rest else 1 / len(others)) for k, v in others.items()}
    return {**out, key: target}


def leader(values, weights, directions, method) -> str:
    return rank(values, weights, directions, method).table.index[0]


# --------------------------------------------------------------------------- sensitivity


def test_it_finds_hand_computed_crossings():
    # weights x 0.7, y 0.3: A 0.7, C 0.6, B 0.3 -> A leads.
    # x down to t (y = 1 - t): A = t, C = 0.6 always, B = 1 - t -> C takes over at t = 0.6.
    # y up to u (x = 1 - u): A = 1 - u -> C takes over at u = 0.4, i.e. +0.1.
    # x up / y down only help A -> no change (NaN).
    result = weight_sensitivity(triangle(), {"x": 7, "y": 3}, BENEFIT)
    assert list(result.columns) == [
        "weight",
        "increase",
        "increase_leader",
        "decrease",
        "decrease_leader",
    ]
    assert result.loc["x", "weight"] == pytest.approx(0.7)
    assert result.loc["x", "decrease"] == pytest.approx(0.1)
    assert result.loc["x", "decrease_leader"] == "C"
    assert result.loc["y", "increase"] == pytest.approx(0.1)
    assert result.loc["y", "increase_leader"] == "C"
    assert np.isnan(result.loc["x", "increase"])
    assert pd.isna(result.loc["x", "increase_leader"])
    assert np.isnan(result.loc["y", "decrease"])


def test_a_criterion_holding_all_the_weight_gives_the_rest_away_equally():
    # x = 1, y = 0: A leads with 1. Lowering x to t hands 1 - t to y: C overtakes at t = 0.6.
    # Raising y from 0 takes from x (the only other weight): same crossing at y = 0.4.
    result = weight_sensitivity(triangle(), {"x": 1, "y": 0}, BENEFIT)
    assert result.loc["x", "decrease"] == pytest.approx(0.4)
    assert result.loc["x", "decrease_leader"] == "C"
    assert np.isnan(result.loc["x", "increase"])
    assert result.loc["y", "increase"] == pytest.approx(0.4)
    assert result.loc["y", "increase_leader"] == "C"


def test_a_single_criterion_cannot_move():
    result = weight_sensitivity(triangle()[["x"]], {"x": 1}, {"x": "benefit"})
    assert result[["increase", "decrease"]].isna().all().all()


@pytest.mark.parametrize("method", ["wsm", "topsis"])
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_the_leader_changes_exactly_at_the_reported_weight(method, seed):
    values, weights, directions = random_problem(seed)
    result = weight_sensitivity(values, weights, directions, method)
    start = leader(values, weights, directions, method)
    eps = 1e-7
    found = 0
    for key, row in result.iterrows():
        for side, sign in (("increase", 1), ("decrease", -1)):
            if np.isnan(row[side]):
                # Brute force: nothing changes anywhere on a fine grid in that direction.
                end = 1.0 if sign > 0 else 0.0
                for t in np.linspace(row["weight"], end, 401)[1:]:
                    assert leader(values, rescaled(weights, key, t), directions, method) == start
                continue
            found += 1
            crossing = row["weight"] + sign * row[side]
            before = leader(
                values, rescaled(weights, key, crossing - sign * eps), directions, method
            )
            after = leader(
                values, rescaled(weights, key, crossing + sign * eps), directions, method
            )
            assert before == start
            assert after == row[f"{side}_leader"] != start
    assert found > 0  # the seeds were chosen so that some weight can flip the lead


def test_weight_sensitivity_validates_like_rank():
    with pytest.raises(ValueError, match="Unknown method"):
        weight_sensitivity(triangle(), {"x": 1}, BENEFIT, method="vikor")


# --------------------------------------------------------------------------- stability


def slow_stability(values, weights, directions, draws, concentration, seed, method):
    """One rank() call per Dirichlet draw: the obvious, slow definition."""
    columns = list(values.columns)
    w = np.array([weights.get(c, 0.0) for c in columns], dtype=float)
    # Same draws as the engine: Dirichlet(concentration x normalised weights + 1e-6).
    alpha = concentration * w / w.sum() + 1e-6
    sample = np.random.default_rng(seed).dirichlet(alpha, size=draws)
    first = pd.Series(0.0, index=values.index)
    ranks = pd.Series(0.0, index=values.index)
    for row in sample:
        table = rank(values, dict(zip(columns, row, strict=True)), directions, method).table
        first[table.index[0]] += 1
        ranks += table["rank"].reindex(values.index)
    return first / draws, ranks / draws


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_vectorised_stability_matches_a_slow_loop(method):
    values, weights, directions = random_problem(7, n=5, m=3)
    values.loc["v4"] = values.loc["v1"]  # an exact duplicate must tie, not flip on noise
    got = rank_stability(
        values, weights, directions, draws=400, concentration=5, seed=3, method=method
    )
    share, mean_rank = slow_stability(values, weights, directions, 400, 5, 3, method)
    np.testing.assert_allclose(got["first_share"], share, atol=1e-12)
    np.testing.assert_allclose(got["mean_rank"], mean_rank, atol=1e-12)
    assert got.loc["v4", "first_share"] == 0
    assert got.loc["v4", "mean_rank"] == got.loc["v1", "mean_rank"]


def test_stability_is_reproducible_for_a_seed():
    values, weights, directions = random_problem(11, n=8)
    first = rank_stability(values, weights, directions, draws=2000, concentration=2, seed=42)
    again = rank_stability(values, weights, directions, draws=2000, concentration=2, seed=42)
    other = rank_stability(values, weights, directions, draws=2000, concentration=2, seed=43)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_shares_sum_to_one_and_mean_ranks_are_consistent(method):
    values, weights, directions = random_problem(12, n=9, m=5)
    result = rank_stability(values, weights, directions, draws=3000, concentration=1, method=method)
    assert list(result.columns) == ["first_share", "mean_rank"]
    assert result["first_share"].sum() == pytest.approx(1.0)
    assert result["mean_rank"].between(1, 9).all()
    # Without ties, ranks 1..n are used once per draw.
    assert result["mean_rank"].sum() == pytest.approx(9 * 10 / 2)


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_a_dominating_alternative_wins_every_draw(method):
    values, weights, directions = random_problem(13, n=6)
    sign = np.array([1 if directions[c] == "benefit" else -1 for c in values.columns])
    best = np.where(sign > 0, values.max().to_numpy() + 5, values.min().to_numpy() - 0.5)
    values.loc["best"] = best
    result = rank_stability(
        values, weights, directions, draws=5000, concentration=0.5, method=method
    )
    assert result.loc["best", "first_share"] == 1.0
    assert result.loc["best", "mean_rank"] == 1.0


def test_a_clear_leader_keeps_most_draws_and_jitter_lowers_its_share():
    values = triangle()
    tight = rank_stability(values, {"x": 7, "y": 3}, BENEFIT, concentration=1000, seed=1)
    loose = rank_stability(values, {"x": 7, "y": 3}, BENEFIT, concentration=2, seed=1)
    assert tight.loc["A", "first_share"] > 0.99
    assert loose.loc["A", "first_share"] < tight.loc["A", "first_share"]


def test_zero_weights_still_sample_and_mean_ranks_can_be_skipped():
    result = rank_stability(triangle(), {"x": 1}, BENEFIT, draws=500, mean_ranks=False)
    assert list(result.columns) == ["first_share"]
    assert result["first_share"].sum() == pytest.approx(1.0)
    assert result.loc["A", "first_share"] > 0.9


def test_stability_rejects_bad_parameters():
    with pytest.raises(ValueError, match="draws must be at least 1"):
        rank_stability(triangle(), {"x": 1}, BENEFIT, draws=0)
    with pytest.raises(ValueError, match="concentration must be positive"):
        rank_stability(triangle(), {"x": 1}, BENEFIT, concentration=0)
