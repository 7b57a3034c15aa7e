"""The optimal delivery mix (scoring/delivery_mix.py): hand cases, infeasible ones in words, and a
brute-force grid over shares in 1 % steps on small random cases."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.delivery_mix import MixRequest, optimal_mix, optimal_mixes, percent

MODELS = ("onshore", "nearshore", "offshore")
PRICES = {"onshore": Decimal("5000"), "nearshore": Decimal("3500"), "offshore": Decimal("2000")}


def test_without_bounds_it_puts_everything_on_the_cheapest_model():
    mix = optimal_mix(volume=100, prices=PRICES)

    assert mix.feasible
    assert mix.shares == {"onshore": 0, "nearshore": 0, "offshore": 1}
    assert mix.unit_price(PRICES) == Decimal("2000")


def test_a_minimum_onshore_share_is_met_and_the_rest_goes_offshore():
    mix = optimal_mix(volume=100, prices=PRICES, min_share={"onshore": 0.3})

    assert mix.shares == {
        "onshore": Decimal("0.3"),
        "nearshore": Decimal("0"),
        "offshore": Decimal("0.7"),
    }
    # PRODUCT.md: the blend's monthly charge is sum(share x volume x price).
    assert mix.monthly_charge(100, PRICES) == Decimal("290000")
    assert mix.unit_price(PRICES) == Decimal("2900")


def test_a_maximum_share_and_the_seats_push_work_to_the_next_cheapest_model():
    mix = optimal_mix(
        volume=100,
        prices=PRICES,
        max_share={"offshore": 0.6},
        capacity={"onshore": 500, "nearshore": 25, "offshore": 1000},
    )

    assert mix.shares == {
        "onshore": Decimal("0.15"),
        "nearshore": Decimal("0.25"),
        "offshore": Decimal("0.6"),
    }
    assert sum(mix.shares.values()) == 1


def test_shares_always_add_up_to_exactly_one():
    mix = optimal_mix(
        volume=3, prices=PRICES, capacity={"offshore": 1, "nearshore": 1, "onshore": 5}
    )

    assert sum(mix.shares.values()) == Decimal(1)
    assert mix.shares["onshore"] == Decimal("0.333334")


def test_a_minimum_share_of_an_unpriced_model_is_infeasible_and_says_why():
    mix = optimal_mix(
        volume=100,
        prices={"onshore": None, "offshore": Decimal(2000)},
        min_share={"onshore": 0.3},
        models=MODELS,
    )

    assert not mix.feasible
    assert mix.reason == "needs at least 30 % onshore but the vendor has no onshore price"


def test_too_few_seats_in_total_is_infeasible_and_says_why():
    mix = optimal_mix(
        volume=100,
        prices=PRICES,
        capacity={"onshore": 10, "nearshore": 10, "offshore": 20},
    )

    assert mix.reason == "capacity 40 seats < 100 FTEs"


def test_too_few_seats_for_a_minimum_share_says_which_model():
    mix = optimal_mix(
        volume=100, prices=PRICES, min_share={"onshore": 0.3}, capacity={"onshore": 20}
    )

    assert (
        mix.reason == "needs at least 30 % onshore (30 FTEs) but its onshore centres have 20 seats"
    )


def test_bounds_that_leave_part_of_the_volume_unplaced_are_infeasible():
    mix = optimal_mix(
        volume=100,
        prices={"onshore": None, "offshore": Decimal(2000)},
        max_share={"offshore": 0.5},
        models=MODELS,
    )

    assert "at most 50 % of the volume" in mix.reason


def test_minimum_shares_above_100_percent_are_refused():
    mix = optimal_mix(volume=10, prices=PRICES, min_share={"onshore": 0.6, "offshore": 0.5})

    assert mix.reason == "the minimum shares add up to 110 %, more than 100 %"


def test_bad_bounds_raise_naming_the_model():
    with pytest.raises(ValueError, match="onshore"):
        optimal_mix(
            volume=10, prices=PRICES, min_share={"onshore": 0.6}, max_share={"onshore": 0.4}
        )


def test_many_vendors_are_solved_together_and_keep_their_order():
    requests = [
        MixRequest(PRICES),
        MixRequest({"onshore": None, "nearshore": None, "offshore": 100}),
        MixRequest({"onshore": 10, "nearshore": 1, "offshore": 5}, {"nearshore": 50}),
    ]

    mixes = optimal_mixes(volume=100, models=MODELS, requests=requests, min_share={"onshore": 0.2})

    assert [m.feasible for m in mixes] == [True, False, True]
    assert mixes[0].shares["offshore"] == Decimal("0.8")
    assert mixes[2].shares == {
        "onshore": Decimal("0.2"),
        "nearshore": Decimal("0.5"),
        "offshore": Decimal("0.3"),
    }


def test_percent_reads_like_a_person_writes_it():
    assert percent(0.3) == "30 %"
    assert percent(Decimal("0.125")) == "12.5 %"


def _brute_force(prices, low, high, capacity, volume):
    """Cheapest cost over every mix in 1 % steps, or None when no grid point is feasible."""
    best = None
    for a, b in itertools.product(range(101), repeat=2):
        c = 100 - a - b
        if c < 0:
            continue
        shares = dict(zip(MODELS, (a, b, c), strict=True))
        ok = True
        cost = 0.0
        for model, pct in shares.items():
            share = pct / 100
            if prices[model] is None and pct:
                ok = False
            if not low[model] <= share <= high[model]:
                ok = False
            if capacity[model] is not None and share * volume > capacity[model] + 1e-9:
                ok = False
            cost += share * (prices[model] or 0)
        if ok and (best is None or cost < best - 1e-12):
            best = cost
    return best


percent_bound = st.integers(0, 100)
case = st.fixed_dictionaries(
    {
        "prices": st.tuples(*[st.one_of(st.none(), st.integers(1, 9000))] * 3),
        "bounds": st.tuples(*[st.tuples(percent_bound, percent_bound)] * 3),
        "capacity": st.tuples(*[st.one_of(st.none(), st.integers(0, 150))] * 3),
    }
)


@settings(max_examples=60, deadline=None)
@given(case)
def test_it_matches_a_brute_force_grid_in_one_percent_steps(data):
    # Volume 100 FTEs and whole-per-cent bounds and seats put every vertex on the 1 % grid, so the
    # grid's best is the programme's optimum and feasibility agrees exactly.
    prices = dict(zip(MODELS, data["prices"], strict=True))
    low = {m: min(b) / 100 for m, b in zip(MODELS, data["bounds"], strict=True)}
    high = {m: max(b) / 100 for m, b in zip(MODELS, data["bounds"], strict=True)}
    capacity = dict(zip(MODELS, data["capacity"], strict=True))

    mix = optimal_mix(
        volume=100,
        prices=prices,
        capacity=capacity,
        min_share=low,
        max_share=high,
        models=MODELS,
    )
    expected = _brute_force(prices, low, high, capacity, 100)

    assert mix.feasible == (expected is not None), mix.reason
    if expected is not None:
        assert float(mix.unit_price({m: p or 0 for m, p in prices.items()})) == pytest.approx(
            expected, abs=1e-3
        )
        assert sum(mix.shares.values()) == 1
        for model, share in mix.shares.items():
            assert low[model] - 1e-6 <= float(share) <= high[model] + 1e-6
