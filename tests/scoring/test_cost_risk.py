"""Cost risk (scoring/cost_risk.py): FX and escalation futures, their percentiles, and the share of
futures each vendor ranks first in."""

import math

import numpy as np
import pytest

from scoring.cost_risk import (
    DEFAULT_FX_VOLATILITY,
    CostStream,
    annual_volatility,
    first_shares,
    loop_simulate,
    simulate,
)


def test_without_foreign_currency_or_escalation_error_there_is_no_spread():
    result = simulate(
        [CostStream(monthly=10_000, months=24, one_off=5_000, currency="USD")],
        base_currency="USD",
        escalation_sd=0,
    )

    assert result.p10[0] == result.p50[0] == result.p90[0] == pytest.approx(245_000)
    assert result.at_risk[0] == pytest.approx(0)
    assert result.volatility == {}


def test_the_quoted_escalation_applies_at_the_start_of_each_contract_year():
    result = simulate(
        [CostStream(monthly=10_000, months=36, escalation=0.05)],
        base_currency="EUR",
        escalation_sd=0,
    )

    # PRODUCT.md's hand-worked case: 120,000 + 126,000 + 132,300.
    assert result.p50[0] == pytest.approx(378_300)


def test_a_foreign_currency_spreads_the_cost_around_todays_rate():
    streams = [
        CostStream(monthly=10_000, months=36, currency="INR"),
        CostStream(monthly=10_000, months=36, currency="USD"),
    ]

    result = simulate(streams, base_currency="USD", escalation_sd=0)

    assert result.p10[0] < result.p50[0] < result.p90[0]
    assert result.draws[:, 0].mean() == pytest.approx(360_000, rel=0.01)  # a martingale: no drift
    assert result.at_risk[1] == pytest.approx(0)
    assert result.volatility == {"INR": DEFAULT_FX_VOLATILITY}


def test_a_more_volatile_currency_carries_more_cost_at_risk():
    streams = [CostStream(monthly=1_000, months=36, currency="TRY")]

    calm = simulate(streams, base_currency="USD", volatility={"TRY": 0.05})
    wild = simulate(streams, base_currency="USD", volatility={"TRY": 0.30})

    assert wild.at_risk[0] > 3 * calm.at_risk[0]


def test_the_same_seed_gives_the_same_futures():
    streams = [CostStream(monthly=1_000, months=12, currency="PHP")]

    assert np.array_equal(
        simulate(streams, base_currency="USD").draws, simulate(streams, base_currency="USD").draws
    )


def test_the_vectorised_draws_agree_with_the_plain_python_loop():
    streams = [
        CostStream(monthly=2_000, months=30, one_off=1_000, currency="INR", escalation=0.04),
        CostStream(monthly=2_500, months=30, currency="USD"),
    ]

    fast = simulate(streams, base_currency="USD", draws=4_000)
    slow = loop_simulate(streams, base_currency="USD", draws=4_000)

    assert fast.draws.mean(axis=0) == pytest.approx(slow.mean(axis=0), rel=0.01)
    assert fast.draws.std(axis=0) == pytest.approx(slow.std(axis=0), rel=0.1)


def test_no_vendors_gives_empty_results():
    result = simulate([], base_currency="USD")

    assert result.p50.shape == (0,)


def test_volatility_is_measured_from_a_long_enough_history():
    rng = np.random.default_rng(1)
    months = np.arange(240) / 12
    path = np.exp(np.cumsum(0.2 * math.sqrt(1 / 12) * rng.standard_normal(240)))

    measured = annual_volatility(list(zip(months, path, strict=True)))

    assert measured == pytest.approx(0.2, rel=0.15)
    assert annual_volatility(list(zip(months[:11], path[:11], strict=True))) is None


def test_a_vendor_best_on_everything_ranks_first_in_every_future():
    costs = np.column_stack([np.full(1000, 100.0), np.full(1000, 200.0)])
    others = np.array([[9.0], [5.0]])

    shares = first_shares(
        costs, others, weights=np.array([0.5]), benefit=np.array([True]), cost_weight=0.5
    )

    assert shares.tolist() == [1.0, 0.0]


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_when_only_cost_counts_the_cheaper_vendor_in_each_future_wins(method):
    rng = np.random.default_rng(3)
    a = rng.normal(100, 10, 2000)
    costs = np.column_stack([a, np.full(2000, 108.0)])
    others = np.array([[5.0], [5.0]])

    shares = first_shares(
        costs,
        others,
        weights=np.array([0.0]),
        benefit=np.array([True]),
        cost_weight=1.0,
        method=method,
    )

    assert shares[0] == pytest.approx((a < 108).mean(), abs=0.02)
    assert shares.sum() == pytest.approx(1)


def test_on_a_fixed_cost_scale_a_small_saving_does_not_outweigh_a_better_score():
    # A is 6 % cheaper; B scores 7 against 6 on the other criterion (weights 0.15 cost, 0.85 the
    # rest). Min-max would stretch the 6 % to the whole cost scale and make A first; from 0 to a
    # cap of 1,000 (the absolute scale the ranking uses) B leads in every future, as it does there.
    costs = np.column_stack([np.full(500, 94.0), np.full(500, 100.0)])
    others = np.array([[6.0], [7.0]])
    common = {"weights": np.array([0.85]), "benefit": np.array([True]), "cost_weight": 0.15}
    common |= {"low": np.array([0.0]), "high": np.array([10.0]), "concentration": 1e6}

    relative = first_shares(costs, others, **common)
    absolute = first_shares(costs, others, cost_scale=(0.0, 1000.0), **common)

    assert relative.tolist() == [1.0, 0.0]
    assert absolute.tolist() == [0.0, 1.0]
