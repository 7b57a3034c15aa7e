"""Service credits and standing, worked by hand (contracts/credits.py, pure)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from contracts import credits
from contracts.credits import KpiRule

JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))
SERVICE = KpiRule("sl", "Service level", "higher", D(95), D(2), D(10))
RESPONSE = KpiRule("rt", "Response time", "lower", D(4), D(1), D(5))


def card(values, rules=(SERVICE, RESPONSE), months=(JAN, FEB, MAR, APR), fee=D(100000), cap=D(10)):
    return credits.scorecard(
        rules=list(rules), months=list(months), values=values, monthly_fee=fee, monthly_cap_pct=cap
    )


def test_a_met_target_earns_no_credit_in_either_direction():
    (month,) = card({("sl", JAN): D(95), ("rt", JAN): D(4)}, months=[JAN])

    assert month.met and month.credit == D("0.00")
    assert [c.points_missed for c in month.cells] == [0, 0]


def test_points_missed_times_the_rate_of_the_fee_is_the_credit():
    # Service level 93.5: 1.5 points x 2 % = 3 % of 100,000 = 3,000.00
    (month,) = card({("sl", JAN): D("93.5"), ("rt", JAN): D(3)}, months=[JAN])

    assert month.cells[0].points_missed == D("1.5")
    assert month.cells[0].credit_pct == D("3.0")
    assert month.credit == D("3000.00")
    assert not month.met and [c.kpi.name for c in month.missed] == ["Service level"]


def test_each_kpi_is_capped_and_then_the_month_is_capped():
    # Service level 80: 15 x 2 = 30 % -> KPI cap 10 %; response 12 h: 8 x 1 = 8 % -> cap 5 %.
    # 10 + 5 = 15 % -> monthly cap 10 % = 10,000.00
    (month,) = card({("sl", JAN): D(80), ("rt", JAN): D(12)}, months=[JAN])

    assert [c.credit_pct for c in month.cells] == [D(10), D(5)]
    assert month.credit_pct == D(10) and month.capped
    assert month.credit == D("10000.00")


def test_credits_add_up_over_months_and_round_to_cents_once_a_month():
    # Jan: 0.333 points x 2 % = 0.666 % of 1,000.01 = 6.66006... -> 6.66; Feb: met; Mar: rt 5 h -> 1 %.
    values = {("sl", JAN): D("94.667"), ("sl", FEB): D(99), ("rt", MAR): D(5)}
    months = card(values, fee=D("1000.01"))

    assert [m.credit for m in months] == [D("6.66"), D("0.00"), D("10.00"), D("0.00")]
    assert credits.total_credits(months) == D("16.66")
    assert [m.measured for m in months] == [True, True, True, False]


def test_earn_back_forgives_a_credit_once_the_next_months_all_meet_the_target():
    rule = KpiRule("sl", "Service level", "higher", D(95), D(2), D(10), earn_back_months=2)
    values = {("sl", JAN): D(94), ("sl", FEB): D(96), ("sl", MAR): D(95), ("sl", APR): D(90)}

    months = card(values, rules=[rule])

    assert months[0].earned_back_pct == D(2) and months[0].credit == D("0.00")
    # April missed and nothing follows it yet: the credit stands (10 % cap = 10,000).
    assert months[3].credit == D("10000.00") and not months[3].cells[0].earned_back


def test_earn_back_waits_for_every_following_month_to_be_measured():
    rule = KpiRule("sl", "Service level", "higher", D(95), D(2), D(10), earn_back_months=3)

    months = card({("sl", JAN): D(94), ("sl", FEB): D(96)}, rules=[rule])

    assert months[0].credit == D("2000.00")


def test_bad_fee_or_cap_is_refused_by_name():
    with pytest.raises(ValueError, match="monthly_cap_pct"):
        card({}, cap=D(101))
    with pytest.raises(ValueError, match="monthly_fee"):
        card({}, fee=D(-1))


@pytest.mark.parametrize(
    ("met", "band"),
    [
        (12, "Excellent"),
        (10, "Excellent"),
        (6, "Average"),
        (5, "Poor"),
        (4, "Poor"),
        (3, "Very Poor"),
    ],
)
def test_standing_bands_the_share_of_months_met(met, band):
    # 10/12 = 83.3 %, 6/12 = 50 %, 5/12 = 41.7 %, 4/12 = 33.3 %, 3/12 = 25 %
    results = [(dt.date(2025, m, 1), m <= met) for m in range(1, 13)]

    assert credits.standing(results).band == band


def test_standing_counts_only_the_last_window_months_and_says_so():
    results = [(dt.date(2024, m, 1), True) for m in range(1, 13)]
    results += [(dt.date(2025, m, 1), m > 7) for m in range(1, 13)]  # 7 misses, 5 met

    standing = credits.standing(results, window=12)

    assert (standing.counted, standing.met, standing.missed) == (12, 5, 7)
    assert standing.share_met_pct == D("41.7")
    assert standing.sentence == "SLA standing Poor: 7 of the last 12 months below target"


def test_no_measured_month_means_no_standing_and_one_month_reads_true():
    assert credits.standing([]) is None
    one = credits.standing([(JAN, True)])
    assert one.sentence == "SLA standing Excellent: the only measured month on target"


def test_band_order_compares_bands():
    assert credits.band_below("Poor", "Average")
    assert not credits.band_below("Average", "Average")
    assert credits.band_below("Very Poor", "Poor")


def test_term_months_run_across_year_ends():
    assert credits.term_months(dt.date(2025, 11, 1), 3) == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
    ]
