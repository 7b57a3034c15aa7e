"""Benchmark the cost model's batch work against a plain-Python loop over the same problem.

Run:  .venv/bin/python bench/costs.py

Each case is (name, target ms, the app's function, the baseline) on the same seeded data; the
table prints median milliseconds, the baseline's, their ratio and PASS/FAIL against the target.
- optimal mix, 50 vendors x 3 delivery models: one block programme in one HiGHS call
  (scoring.delivery_mix.optimal_mixes) against one linprog call per vendor in a loop;
- cost risk, 50 vendors x 10,000 futures: scoring.cost_risk.simulate (one array operation)
  against scoring.cost_risk.loop_simulate (one future and one vendor at a time).
No assertions: timings depend on the machine.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import linprog

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring import cost_risk, delivery_mix

MODELS = ("onshore", "nearshore", "offshore")
VENDORS = 50


@dataclass(frozen=True)
class Case:
    name: str
    target_ms: float
    run: Callable[[], object]
    baseline: Callable[[], object]
    repeat: int = 7
    baseline_repeat: int = 3


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


CASES = [
    Case("optimal mix, 50 vendors x 3 models", 50, mixes_batched, mixes_one_by_one),
    Case(
        "cost risk, 50 vendors x 10,000 draws",
        100,
        risk_vectorised,
        risk_loop,
        baseline_repeat=1,
    ),
]


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm-up: imports, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    header = f"{'case':<40} {'app ms':>9} {'loop ms':>10} {'ratio':>8} {'target':>8}  verdict"
    print(header)
    print("-" * len(header))
    for case in CASES:
        fast = median_ms(case.run, case.repeat)
        slow = median_ms(case.baseline, case.baseline_repeat)
        verdict = "PASS" if fast < case.target_ms else "FAIL"
        print(
            f"{case.name:<40} {fast:>9.1f} {slow:>10.1f} {slow / fast:>7.1f}x "
            f"{'<' + str(int(case.target_ms)):>8}  {verdict}"
        )


if __name__ == "__main__":
    main()
