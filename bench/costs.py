"""Benchmark the cost model: monthly schedules (scoring.costs) and savings against in-house
(scoring.business_case) for a shortlist of vendors.

Run:  .venv/bin/python bench/costs.py [--quick]

Prints the median milliseconds of each bench case on the same seeded quotes, a float numpy
reference of the same arithmetic (what exact Decimal money costs over floats) and PASS/FAIL
against the target. No assertions: timings depend on the machine.

Each case is one entry of ``CASES``; the optimal delivery mix and the cost-risk Monte-Carlo add
theirs there (name, target in ms, the function to time, an optional reference function).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.business_case import savings_against
from scoring.costs import baseline_schedule, cost_schedule, discount_factor

VENDORS = 50
MONTHS = 36
RATES = {"EUR": Decimal("1.08"), "INR": Decimal("0.012"), "PHP": Decimal("0.0175")}
BUDGET_S = 0.5  # wall time per measured case


def quotes(n: int = VENDORS, seed: int = 0) -> list[dict]:
    """``n`` quotes per FTE-month in four currencies, with escalation, minimum terms and fees."""
    rng = random.Random(seed)
    currencies = ["USD", *RATES]
    out = []
    for i in range(n):
        currency = currencies[i % len(currencies)]
        usd = Decimal(rng.randrange(1500, 7400))
        per_unit = RATES.get(currency, Decimal(1))
        out.append(
            {
                "pricing_model": "per_fte_month",
                "unit_price": (usd / per_unit).quantize(Decimal("0.01")),
                "currency": currency,
                "transition_fee": (usd * 6 / per_unit).quantize(Decimal("1")),
                "exit_fee": (usd * 2 / per_unit).quantize(Decimal("1")),
                "minimum_term_months": rng.choice([12, 24, 48]),
                "annual_escalation": Decimal(rng.randrange(0, 80)) / 1000,
            }
        )
    return out


EVALUATION = {
    "volume": Decimal(40),
    "volume_unit": "fte",
    "term_months": MONTHS,
    "base_currency": "USD",
    "rates": RATES,
    "discount_rate": Decimal("0.08"),
}


def schedules(batch: list[dict]) -> list:
    return [cost_schedule(**quote, **EVALUATION) for quote in batch]


def schedules_and_savings(batch: list[dict]) -> list:
    in_house = baseline_schedule(
        ftes=Decimal(40),
        loaded_cost_per_fte_month=Decimal(4200),
        monthly_overheads=Decimal(18000),
        annual_wage_inflation=Decimal("0.035"),
        exit_costs=Decimal(150000),
        term_months=MONTHS,
        base_currency="USD",
        discount_rate=Decimal("0.08"),
    )
    return [savings_against(in_house, schedule) for schedule in schedules(batch)]


def float_schedules(batch: list[dict]) -> np.ndarray:
    """The same present values in float64 with numpy (no rounding rule, no validation)."""
    rate = {c: float(r) for c, r in RATES.items()} | {"USD": 1.0}
    totals = []
    for quote in batch:
        months = np.arange(max(MONTHS, quote["minimum_term_months"]))
        fx = rate[quote["currency"]]
        monthly = float(quote["unit_price"]) * 40 * fx
        rise = (1 + float(quote["annual_escalation"])) ** (months // 12)
        discount = 1.08 ** (-months / 12)
        exit_fee = float(quote["exit_fee"]) * fx * 1.08 ** (-len(months) / 12)
        totals.append(
            (monthly * rise * discount).sum() + float(quote["transition_fee"]) * fx + exit_fee
        )
    return np.array(totals)


@dataclass(frozen=True)
class Case:
    name: str
    target_ms: float
    run: Callable[[], object]
    reference: Callable[[], object] | None = None  # the same work done the plain way


def median_ms(run: Callable[[], object], budget_s: float) -> float:
    run()  # warm up (imports, Decimal contexts)
    times = []
    deadline = time.perf_counter() + budget_s
    while time.perf_counter() < deadline or len(times) < 3:
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cases(batch: list[dict]) -> list[Case]:
    return [
        Case(
            f"schedule {len(batch)} vendors x {MONTHS} months",
            50,
            lambda: schedules(batch),
            lambda: float_schedules(batch),
        ),
        Case(
            f"schedule {len(batch)} x {MONTHS}, discount factors uncached",
            50,
            lambda: (discount_factor.cache_clear(), schedules(batch)),
        ),
        Case(
            f"schedule + savings vs in-house, {len(batch)} vendors",
            80,
            lambda: schedules_and_savings(batch),
        ),
        # Helper C adds here: the optimal delivery mix for 50 vendors x 3 models (< 50 ms) and
        # the cost-risk Monte-Carlo, 50 vendors x 10,000 draws (< 100 ms) beside a plain loop.
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter timing budget")
    args = parser.parse_args()
    budget = BUDGET_S / 5 if args.quick else BUDGET_S
    batch = quotes()
    exact = [s.total for s in schedules(batch)]
    drift = max(abs(float(e) - f) for e, f in zip(exact, float_schedules(batch), strict=True))
    print(f"{'case':<48} {'ms':>9} {'float ref ms':>13} {'ratio':>7} {'target':>8}  result")
    for case in cases(batch):
        ms = median_ms(case.run, budget)
        ref = median_ms(case.reference, budget) if case.reference else None
        ratio = f"{ms / ref:7.1f}" if ref else f"{'':>7}"
        ref_text = f"{ref:13.2f}" if ref is not None else f"{'':>13}"
        verdict = "PASS" if ms < case.target_ms else "FAIL"
        print(f"{case.name:<48} {ms:9.2f} {ref_text} {ratio} {case.target_ms:>6.0f}ms  {verdict}")
    print(f"largest Decimal vs float difference over {len(batch)} totals: {drift:.6f}")


if __name__ == "__main__":
    main()
