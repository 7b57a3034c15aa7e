"""Benchmark the quote import: validate (read + check + diff) and commit 10,000 and 100,000 rows.

Run:  .venv/bin/python bench/import.py [--sizes 10000 100000] [--backends sqlite postgres]

Each (backend, size) runs in a fresh child process on a fresh database (SQLite: a temp file;
PostgreSQL: database `bpo_bench_import` on 127.0.0.1:5432, user postgres, created and dropped here)
with enough vendors for every row to be a distinct market quote. It times `importing.load` +
`importing.preview` ("validate"), `importing.commit` (which re-validates, as the page does) and a
second commit of the same file (all unchanged). Memory is the growth of the process's peak resident
set (resource.getrusage ru_maxrss) over the whole run, next to the size of the pandas frame.
Targets: validate + commit of 10,000 rows < 5 s and of 100,000 rows < 60 s; memory past the frame at
most the frame's own size per row (the parsed values and the write plan are per row, so memory is
linear, not flat: this bounds the factor). No assertions: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS_S = {10_000: 5.0, 100_000: 60.0}
PG_URL = "postgres://postgres@127.0.0.1:5432/bpo_bench_import"


def child(size: int) -> dict:
    """Runs inside a fresh process whose DATABASE_URL is already set."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpo_select.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from vendors import importing
    from vendors.models import DeliveryModel, Process, Quote, Vendor

    call_command("migrate", verbosity=0)
    user = User.objects.create(username="bench-admin")
    processes = list(Process.objects.values_list("name", flat=True))
    models = list(DeliveryModel.objects.values_list("code", flat=True))
    pricing = [label for _, label in Quote.PricingModel.choices]
    per_vendor = len(processes) * len(models) * len(pricing)
    vendor_count = -(-size // per_vendor)
    Vendor.objects.bulk_create(
        Vendor(name=f"Bench Vendor {i:05d}", country="PH") for i in range(vendor_count)
    )
    out = io.StringIO()
    # By column name: a column the quote kind gains later stays empty instead of shifting the rest.
    writer = csv.DictWriter(out, [c.name for c in importing.KINDS["quotes"].columns])
    writer.writeheader()
    n = 0
    for v in range(vendor_count):
        for p in processes:
            for d in models:
                for m in pricing:
                    if n == size:
                        break
                    writer.writerow(
                        {
                            "vendor": f"Bench Vendor {v:05d}",
                            "process": p,
                            "delivery_model": d,
                            "pricing_model": m,
                            "unit_price": f"{1000 + n % 997}.50",
                            "currency": "USD",
                            "transition_fee": str(n % 50_000),
                            "minimum_term_months": str(12 + n % 24),
                            "valid_until": "2027-06-30",
                            "service_level_pct": "95",
                            "quality_pct": "98.5",
                            "response_time_hours": "4",
                            "notes": "bench",
                        }
                    )
                    n += 1
    data = out.getvalue().encode()
    del out

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    table = importing.load(data, "bench.csv", "quotes")
    report, plan = importing.preview(table)
    validate_s = time.perf_counter() - started
    frame_bytes = int(table.frame.memory_usage(deep=True).sum())
    assert report.ok, report.lines()[:5]
    del plan
    started = time.perf_counter()
    committed = importing.commit(table, user=user)
    commit_s = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    again = importing.commit(importing.load(data, "bench.csv", "quotes"), user=user)
    reimport_s = time.perf_counter() - started
    return {
        "rows": size,
        "validate_s": validate_s,
        "commit_s": commit_s,
        "reimport_s": reimport_s,
        "new": committed.counts["new"],
        "unchanged_again": again.counts["unchanged"],
        "quotes": Quote.objects.count(),
        "history": Quote.history.count(),
        "rss_delta_mb": (rss_after - rss_before) / 1024,  # ru_maxrss is in KiB on Linux
        "frame_mb": frame_bytes / 1024 / 1024,
    }


def run_child(backend: str, size: int) -> dict:
    env = dict(os.environ, PYTEST_VERSION="bench", DEBUG="0", ALLOW_INSECURE_SECRET_KEY="1")
    env.pop("DATABASE_URL", None)
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            _pg("DROP DATABASE IF EXISTS bpo_bench_import")
            _pg("CREATE DATABASE bpo_bench_import")
            env["DATABASE_URL"] = PG_URL
        try:
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(size)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
            )
        finally:
            if backend == "postgres":
                _pg("DROP DATABASE IF EXISTS bpo_bench_import")
    if result.returncode:
        raise SystemExit(f"{backend} {size}: child failed\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
    ) as c:
        c.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return

    header = (
        f"{'backend':<9}{'rows':>9}{'validate s':>12}{'commit s':>10}{'total s':>9}{'target s':>10}"
        f"{'re-import s':>13}{'frame MB':>10}{'maxrss Δ MB':>13}{'KB/row past frame':>19}  result"
    )
    print(
        "Quote import benchmark (commit includes re-validation; re-import = same file again, all unchanged)"
    )
    print(
        "memory: ru_maxrss growth of a fresh process over validate + commit; target: past-frame KB/row <= frame KB/row"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for backend in args.backends:
        per_row: dict[int, float] = {}
        for size in args.sizes:
            r = run_child(backend, size)
            total = r["validate_s"] + r["commit_s"]
            target = TARGETS_S.get(size, 60.0 * size / 100_000)
            per_row[size] = max(r["rss_delta_mb"] - r["frame_mb"], 0) * 1024 / size
            correct = r["new"] == size and r["unchanged_again"] == size and r["history"] == size
            memory_ok = per_row[size] <= r["frame_mb"] * 1024 / size
            ok = total < target and correct and memory_ok
            failures += not ok
            print(
                f"{backend:<9}{size:>9,}{r['validate_s']:>12.2f}{r['commit_s']:>10.2f}{total:>9.2f}"
                f"{target:>10.0f}{r['reimport_s']:>13.2f}{r['frame_mb']:>10.1f}{r['rss_delta_mb']:>13.1f}"
                f"{per_row[size]:>19.2f}  {'PASS' if ok else 'FAIL'}"
                + ("" if correct else "  (wrong counts!)")
                + ("" if memory_ok else "  (memory past the frame > frame)")
            )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
