"""Benchmark scoring.engine against a bare-numpy WSM, pymcdm and scikit-criteria.

Run:  .venv/bin/python bench/engine.py [--quick]

Prints median milliseconds per call on the same seeded data for every implementation, the
ratio of ``rank`` to the bare-numpy baseline and PASS/FAIL against the targets:
``rank`` <= 3x baseline from 1,000 alternatives up and < 1 ms at 100 x 10; ``rank_stability``
50 x 10 x 10,000 draws (first shares + mean ranks) < 50 ms and 1,000 x 10 x 10,000 (first
shares only) < 150 ms. No assertions: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.engine import rank, rank_stability

# skcriteria warns about deprecated modules and cost criteria in TOPSIS on every call.
warnings.filterwarnings("ignore")

BUDGET_S = 0.4  # target wall time per measured cell
SKIP_AFTER_S = 2.0  # a library whose first call takes longer is skipped at that size


def problem(n: int, m: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    columns = [f"c{j}" for j in range(m)]
    values = pd.DataFrame(
        rng.uniform(1, 100, (n, m)), index=[f"v{i}" for i in range(n)], columns=columns
    )
    w = rng.uniform(0.1, 1, m)
    w /= w.sum()
    benefit = np.arange(m) % 3 != 2  # every third criterion is a cost
    weights = dict(zip(columns, w, strict=True))
    directions = {c: "benefit" if b else "cost" for c, b in zip(columns, benefit, strict=True)}
    return values, weights, directions, w, benefit


def numpy_wsm(values: pd.DataFrame, w: np.ndarray, benefit: np.ndarray):
    """The same answer as ``rank(method="wsm")`` in bare numpy, without validation or wrapping.

    From the DataFrame's numbers to the order, the sorted scores and the tie-sharing ranks: the
    floor any implementation of the contract has to pay.
    """
    x = values.to_numpy(dtype=np.float64)
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    scores = (np.where(benefit, x - lo, hi - x) / span) @ w
    order = np.argsort(-scores, kind="stable")
    ordered = scores[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    ranks = np.maximum.accumulate(np.where(starts, np.arange(len(ordered)), 0)) + 1
    return order, ordered, ranks


def timed(fn: Callable[[], object], budget: float = BUDGET_S) -> float | None:
    """Median ms over repeats fitted to the budget; None if one call exceeds SKIP_AFTER_S."""
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    if first > SKIP_AFTER_S:
        return None
    repeats = int(min(200, max(3, budget / max(first, 1e-6))))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e3


def library_calls(x, w, benefit):
    calls: dict[str, Callable[[], object]] = {}
    types = np.where(benefit, 1, -1)
    try:
        from pymcdm import normalizations
        from pymcdm.methods import TOPSIS, WSM

        wsm = WSM(normalizations.minmax_normalization)
        topsis = TOPSIS(normalizations.vector_normalization)
        calls["pymcdm wsm"] = lambda: wsm(x, w, types)
        calls["pymcdm topsis"] = lambda: topsis(x, w, types)
    except ImportError:
        pass
    try:
        import skcriteria as skc
        from skcriteria.agg.simple import WeightedSumModel
        from skcriteria.agg.topsis import TOPSIS as SkTopsis
        from skcriteria.pipelines import mkpipe
        from skcriteria.preprocessing.invert_objectives import NegateMinimize
        from skcriteria.preprocessing.scalers import MinMaxScaler, VectorScaler

        dm = skc.mkdm(x, np.where(benefit, max, min), weights=w)
        sk_wsm = mkpipe(NegateMinimize(), MinMaxScaler(target="matrix"), WeightedSumModel())
        sk_topsis = mkpipe(VectorScaler(target="matrix"), SkTopsis())
        calls["skcriteria wsm"] = lambda: sk_wsm.evaluate(dm)
        calls["skcriteria topsis"] = lambda: sk_topsis.evaluate(dm)
    except ImportError:
        pass
    return calls


def fmt(ms: float | None) -> str:
    return "skipped" if ms is None else f"{ms:.3f}"


def verdict(n: int, m: int, ms: float, base: float) -> str:
    if n >= 1000:
        return "PASS" if ms <= 3 * base else "FAIL"
    if n == 100 and m == 10:
        return "PASS" if ms < 1.0 else "FAIL"
    return "-"


def blas_line() -> str:
    parts = [f"numpy {np.__version__}", f"pandas {pd.__version__}"]
    try:
        from threadpoolctl import threadpool_info

        for info in threadpool_info():
            parts.append(
                f"{info.get('internal_api')} {info.get('version')} "
                f"({info.get('architecture')}, {info.get('num_threads')} threads, "
                f"{Path(info.get('filepath', '')).name})"
            )
    except ImportError:
        parts.append("threadpoolctl not installed")
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    if coretype:
        parts.append(f"OPENBLAS_CORETYPE={coretype}")
    return "; ".join(parts)


def rank_table(sizes: list[int], widths: list[int]) -> None:
    header = (
        f"{'N':>7} {'M':>3} | {'numpy':>8} | {'wsm':>8} {'x':>5} {'':4} | {'topsis':>8} {'x':>5}"
        f" {'':4} | {'pymcdm w':>9} {'pymcdm t':>9} | {'skc w':>9} {'skc t':>9}"
    )
    print("rank(): median ms per call (x = ratio to the bare-numpy WSM baseline)")
    print(header)
    print("-" * len(header))
    for n in sizes:
        for m in widths:
            values, weights, directions, w, benefit = problem(n, m)
            x = values.to_numpy()
            base = timed(lambda v=values, w=w, b=benefit: numpy_wsm(v, w, b))
            ours = {
                method: timed(
                    lambda v=values, wt=weights, d=directions, mt=method: rank(v, wt, d, mt)
                )
                for method in ("wsm", "topsis")
            }
            libs = {name: timed(call) for name, call in library_calls(x, w, benefit).items()}
            cells = []
            for method in ("wsm", "topsis"):
                ms = ours[method]
                cells.append(f"{ms:8.3f} {ms / base:5.2f} {verdict(n, m, ms, base):4}")
            print(
                f"{n:>7,} {m:>3} | {base:8.3f} | {cells[0]} | {cells[1]} | "
                f"{fmt(libs.get('pymcdm wsm')):>9} {fmt(libs.get('pymcdm topsis')):>9} | "
                f"{fmt(libs.get('skcriteria wsm')):>9} {fmt(libs.get('skcriteria topsis')):>9}"
            )


def stability_table() -> None:
    cases = [(50, 10, 10_000, True, 50.0), (1000, 10, 10_000, False, 150.0)]
    print()
    print("rank_stability(): median ms per call")
    header = f"{'N x M x draws':>20} {'mean ranks':>10} | {'wsm':>8} {'':4} | {'topsis':>8} {'':4}"
    print(header + " | target")
    print("-" * (len(header) + 12))
    for n, m, draws, mean_ranks, target in cases:
        values, weights, directions, *_ = problem(n, m, seed=1)
        cells = []
        for method in ("wsm", "topsis"):
            ms = timed(
                lambda mt=method, v=values, wt=weights, d=directions, k=draws, mr=mean_ranks: (
                    rank_stability(v, wt, d, draws=k, method=mt, mean_ranks=mr)
                ),
                budget=1.5,
            )
            cells.append(f"{ms:8.2f} {'PASS' if ms < target else 'FAIL':4}")
        label = f"{n:,} x {m} x {draws:,}"
        print(f"{label:>20} {mean_ranks!s:>10} | {cells[0]} | {cells[1]} | < {target:.0f} ms")


def agreement_check() -> str:
    values, weights, directions, w, benefit = problem(200, 10)
    from pymcdm import normalizations
    from pymcdm.methods import TOPSIS, WSM

    types = np.where(benefit, 1, -1)
    x = values.to_numpy()
    worst = 0.0
    for method, body in (
        ("wsm", WSM(normalizations.minmax_normalization)),
        ("topsis", TOPSIS(normalizations.vector_normalization)),
    ):
        ours = rank(values, weights, directions, method).table["score"].reindex(values.index)
        worst = max(worst, float(np.abs(ours.to_numpy() - body(x, w, types)).max()))
    return f"max |score - pymcdm score| at 200 x 10: {worst:.1e}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N up to 10,000 and M = 10 only")
    args = parser.parse_args()
    sizes = [100, 1_000, 10_000] if args.quick else [100, 1_000, 10_000, 100_000]
    widths = [10] if args.quick else [10, 40]
    print(blas_line())
    print(agreement_check())
    print()
    started = time.perf_counter()
    rank_table(sizes, widths)
    stability_table()
    print(f"\ntotal {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
