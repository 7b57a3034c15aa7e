"""Benchmark the cost model: monthly schedules (scoring.costs) and savings against in-house
(scoring.business_case) for a shortlist of vendors.

Run:  .venv/bin/python bench/costs.py [--quick]

Prints the median milliseconds of each bench case on the same seeded data, its reference (the
named baseline: a float numpy version of the schedules, to show what exact Decimal money costs;
a plain-Python loop for the batch work) with the ratio, and PASS/FAIL against the target:
- schedules and savings, 50 vendors x 36 months (scoring.costs, scoring.business_case);
- optimal mix, 50 vendors x 3 delivery models: one block programme in one HiGHS call
  (scoring.delivery_mix.optimal_mixes) against one linprog call per vendor in a loop;
- cost risk, 50 vendors x 10,000 futures: scoring.cost_risk.simulate (one array operation)
  against scoring.cost_risk.loop_simulate (one future and one vendor at a time).
No assertions: timings depend on the machine. Each case is one entry of ``cases()``.
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
from scipy.optimize import linprog

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring import cost_risk, delivery_mix
from scoring.business_case import savings_against
from scoring.costs import baseline_schedule, cost_schedule, discount_factor

VENDORS = 50
MODELS = ("onshore", "nearshore", "offshore")
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


def mix_problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    requests = [
        delivery_mix.MixRequest(
            prices={m: float(p) for m, p in zip(MODELS, rng.uniform(1500, 6000, 3), strict=True)},
            capacity={m: float(c) for m, c in zip(MODELS, rng.integers(20, 200, 3), strict=True)},
        )
        for _ in range(VENDORS)
    ]
    return requests, {"onshore": 0.3}, {"offshore": 0.6}


def mixes_batched():
    requests, low, high = mix_problem()
    return delivery_mix.optimal_mixes(
        volume=100, models=MODELS, requests=requests, min_share=low, max_share=high
    )


def mixes_one_by_one():
    requests, low, high = mix_problem()
    out = []
    for request in requests:
        bounds = []
        for model in MODELS:
            cap = request.capacity[model] / 100
            bounds.append((low.get(model, 0.0), min(high.get(model, 1.0), cap)))
        cost = [request.prices[m] for m in MODELS]
        out.append(linprog(cost, A_eq=[[1, 1, 1]], b_eq=[1], bounds=bounds, method="highs").x)
    return out


def risk_streams(seed: int = 0):
    rng = np.random.default_rng(seed)
    currencies = ["USD", "INR", "PHP", "EUR", "PLN"]
    return [
        cost_risk.CostStream(
            monthly=float(rng.uniform(20_000, 80_000)),
            months=36,
            one_off=float(rng.uniform(0, 50_000)),
            currency=currencies[i % len(currencies)],
            escalation=float(rng.uniform(0, 0.06)),
        )
        for i in range(VENDORS)
    ]


def risk_vectorised():
    return cost_risk.simulate(risk_streams(), base_currency="USD", draws=10_000)


def risk_loop():
    return cost_risk.loop_simulate(risk_streams(), base_currency="USD", draws=10_000)


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
        Case("optimal mix, 50 vendors x 3 models", 50, mixes_batched, mixes_one_by_one),
        Case("cost risk, 50 vendors x 10,000 draws", 100, risk_vectorised, risk_loop),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter timing budget")
    args = parser.parse_args()
    budget = BUDGET_S / 5 if args.quick else BUDGET_S
    batch = quotes()
    exact = [s.total for s in schedules(batch)]
    drift = max(abs(float(e) - f) for e, f in zip(exact, float_schedules(batch), strict=True))
    print(f"{'case':<48} {'ms':>9} {'reference ms':>13} {'ratio':>7} {'target':>8}  result")
    for case in cases(batch):
        ms = median_ms(case.run, budget)
        ref = median_ms(case.reference, budget) if case.reference else None
        ratio = f"{ms / ref:7.3g}" if ref else f"{'':>7}"  # app / reference
        ref_text = f"{ref:13.2f}" if ref is not None else f"{'':>13}"
        verdict = "PASS" if ms < case.target_ms else "FAIL"
        print(f"{case.name:<48} {ms:9.2f} {ref_text} {ratio} {case.target_ms:>6.0f}ms  {verdict}")
    print(f"largest Decimal vs float difference over {len(batch)} totals: {drift:.6f}")


if __name__ == "__main__":
    main()
