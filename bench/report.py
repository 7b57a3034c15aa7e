"""Benchmark the PDF recommendation: render time and memory, and its effect on page latency.

Run:  .venv/bin/python bench/report.py [--quick] [--skip-server]

Table 1 renders the report from *synthetic snapshots* (the same JSON structure an approval
freezes: vendors, quotes, two evaluators' scores on 9 criteria, ranking, contributions,
sensitivity) for 5, 20 and 100 candidates, so it times WeasyPrint + charts + template only, not the
database. Median wall time of several renders, peak Python allocations (tracemalloc, a separate
render) and the process's peak RSS. Targets: 20 candidates < 1.5 s, 100 < 4 s.

Table 2 starts gunicorn (3 workers x 2 threads) on 127.0.0.1 over a throwaway SQLite database
loaded with seed_demo and measures the median latency of a light page (the vendor directory)
alone and while 3 clients download draft reports in bounded loops. No assertions: timings
depend on the machine.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpo_select.settings")
os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")

TARGETS_S = {20: 1.5, 100: 4.0}
MANUAL = [
    ("expertise", "Expertise & know-how"),
    ("track_record", "Proven track record"),
    ("data_security", "Data security"),
    ("service_quality", "Service quality & SLAs"),
    ("scalability", "Scalability & flexibility"),
    ("technology", "Technology & automation"),
    ("communication", "Communication & cultural fit"),
    ("risk", "Risk & financial stability"),
    ("coverage", "Global delivery coverage"),
]


def synthetic_snapshot(n: int, seed: int = 0) -> dict:
    """A snapshot of an approved-looking evaluation with ``n`` ranked candidates."""
    from scoring import engine

    rng = np.random.default_rng(seed)
    keys = [k for k, _ in MANUAL] + ["cost"]
    weights = dict(zip(keys, rng.dirichlet(np.ones(len(keys)) * 5), strict=True))
    ids = list(range(1, n + 1))
    scores = pd.DataFrame(rng.uniform(3, 10, (n, len(MANUAL))), index=ids, columns=keys[:-1])
    tco = rng.uniform(800_000, 2_500_000, n).round(2)
    values = scores.assign(cost=tco)
    directions = {k: "benefit" for k in keys} | {"cost": "cost"}
    ranking = engine.rank(values, weights, directions, "wsm")
    sens = engine.weight_sensitivity(values, weights, directions)
    stab = engine.rank_stability(values, weights, directions, draws=2000)
    na = lambda x: None if pd.isna(x) else float(x)  # noqa: E731
    return {
        "schema": 1,
        "id": "bench000000",
        "taken_at": "2026-11-23T10:00:00+00:00",
        "evaluation": {
            "id": 1,
            "title": f"Benchmark evaluation with {n} candidates",
            "process": "Customer service & support",
            "owner": "Alex Analyst",
            "team": ["Priya Raman"],
            "base_currency": "USD",
            "volume": "40",
            "volume_unit": "FTEs",
            "term_months": 36,
            "budget_cap": None,
            "method": "wsm",
            "method_label": "Weighted sum",
            "status": "approved",
            "status_label": "Approved",
            "version": 3,
            "approver": "Morgan Manager",
            "decided_at": "2026-11-23T10:00:00+00:00",
            "decision_comment": "Benchmark.",
            "required_certifications": ["ISO 27001"],
            "allowed_delivery_models": ["Offshore"],
        },
        "criteria": [
            {
                "key": k,
                "name": name,
                "description": "",
                "direction": "benefit",
                "source": "manual",
                "weight": float(weights[k]),
            }
            for k, name in MANUAL
        ]
        + [
            {
                "key": "cost",
                "name": "Cost (TCO)",
                "description": "",
                "direction": "cost",
                "source": "cost",
                "weight": float(weights["cost"]),
            }
        ],
        "vendors": [
            {
                "id": i,
                "name": f"Vendor {i:03d} Business Process Services",
                "country": "IN",
                "country_name": "India",
                "website": "",
                "description": "",
                "founded_year": 2001,
                "headcount": 1000,
                "languages": "English",
                "active": True,
                "excluded_reason": "",
                "certifications": [{"name": "ISO 27001", "valid_until": "2027-12-31"}],
                "centres": [
                    {"country": "IN", "city": "Pune", "seats": 500, "delivery_model": "Offshore"}
                ],
            }
            for i in ids
        ],
        "quotes": [
            {
                "vendor_id": i,
                "delivery_model": "Offshore",
                "pricing_model": "per_fte_month",
                "pricing_model_label": "Per FTE-month",
                "unit_price": f"{t / 36 / 40:.2f}",
                "currency": "USD",
                "transition_fee": "10000.00",
                "minimum_term_months": 12,
                "valid_until": "2027-06-30",
                "service_level_pct": "95.00",
                "quality_pct": None,
                "response_time_hours": None,
                "notes": "",
            }
            for i, t in zip(ids, tco, strict=True)
        ],
        "scores": [
            {
                "vendor_id": i,
                "criterion": k,
                "evaluator": who,
                "value": f"{scores.at[i, k]:.0f}",
                "comment": "",
            }
            for i in ids
            for k in keys[:-1]
            for who in ("Alex Analyst", "Priya Raman")
        ],
        "exchange_rates": [],
        "values": {str(i): {k: float(values.at[i, k]) for k in keys} for i in ids},
        "ranking": [
            {
                "vendor_id": int(i),
                "rank": int(row["rank"]),
                "score": float(row["score"]),
                "contributions": {k: float(v) for k, v in ranking.contributions.loc[i].items()},
            }
            for i, row in ranking.table.iterrows()
        ],
        "tco": [
            {"vendor_id": i, "tco": f"{t:.2f}", "problem": "", "expired": False}
            for i, t in zip(ids, tco, strict=True)
        ],
        "score_stats": [
            {
                "vendor_id": i,
                "criterion": k,
                "mean": float(scores.at[i, k]),
                "spread": float(i % 4),
                "count": 2,
                "disagreement": i % 4 == 3,
            }
            for i in ids
            for k in keys[:-1]
        ],
        "warnings": [],
        "blocking": False,
        "unranked": [],
        "excluded": [],
        "sensitivity": {
            "weights": [
                {
                    "criterion": k,
                    "weight": na(r["weight"]),
                    "increase": na(r["increase"]),
                    "increase_leader": r["increase_leader"],
                    "decrease": na(r["decrease"]),
                    "decrease_leader": r["decrease_leader"],
                }
                for k, r in sens.iterrows()
            ],
            "stability": [
                {
                    "vendor_id": int(i),
                    "first_share": float(r["first_share"]),
                    "mean_rank": float(r["mean_rank"]),
                }
                for i, r in stab.iterrows()
            ],
        },
    }


def render_table(quick: bool) -> None:
    import django

    django.setup()
    from scoring.reports import render_report_pdf

    render_report_pdf(synthetic_snapshot(3))  # warm up fonts, templates, matplotlib
    print("Table 1 - PDF render from synthetic snapshots (WeasyPrint 70, A4)")
    print(
        f"{'candidates':>10} {'pages':>6} {'KiB':>6} {'median s':>9} {'runs':>5} "
        f"{'py peak MiB':>12} {'maxrss MiB':>11} {'target s':>9}  result"
    )
    for n in (5, 20, 100):
        snapshot = synthetic_snapshot(n)
        runs = 2 if quick else (3 if n == 100 else 5)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            pdf = render_report_pdf(snapshot)
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        render_report_pdf(snapshot)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        median = statistics.median(times)
        target = TARGETS_S.get(n)
        verdict = "-" if target is None else ("PASS" if median < target else "FAIL")
        print(
            f"{n:>10} {pages:>6} {len(pdf) / 1024:>6.0f} {median:>9.2f} {runs:>5} "
            f"{peak / 2**20:>12.1f} {maxrss:>11.0f} {target or '-':>9}  {verdict}"
        )


# --------------------------------------------------------------------------- page latency


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def logged_in_opener(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(f"{base}/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": "analyst",
            "password": "demo-only-bpo-2026",
        }
    ).encode()
    request = urllib.request.Request(f"{base}/login/", data=data, headers={"Referer": base})
    opener.open(request, timeout=30).read()
    return opener


def timed_get(opener, url: str) -> float:
    start = time.perf_counter()
    with opener.open(url, timeout=120) as response:
        response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - start


def server_table(quick: bool) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bpo-bench-report-"))
    env = {
        **os.environ,
        "ALLOW_INSECURE_SECRET_KEY": "1",
        "HTTPS": "0",
        "STATIC_MANIFEST": "0",
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
    }
    env.pop("PYTEST_VERSION", None)
    python = str(ROOT / ".venv/bin/python")
    quiet = {"cwd": ROOT, "env": env, "check": True, "capture_output": True}
    subprocess.run([python, "manage.py", "migrate", "-v0"], **quiet)
    subprocess.run([python, "manage.py", "seed_demo"], **quiet)
    draft_pk = (
        subprocess.run(
            [
                python,
                "manage.py",
                "shell",
                "-c",
                "from scoring.models import Evaluation as E; print(E.objects.get(status='draft').pk)",
            ],
            **quiet,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "bpo_select.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "3",
            "--threads",
            "2",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        page_opener = logged_in_opener(base)
        page_url = f"{base}/vendors/"
        pdf_url = f"{base}/evaluations/{draft_pk}/report.pdf"
        requests_n = 20 if quick else 40
        for _ in range(5):
            timed_get(page_opener, page_url)  # warm every worker
        alone = [timed_get(page_opener, page_url) for _ in range(requests_n)]

        pdf_times: list[float] = []
        stop = threading.Event()

        def render_loop():
            opener = logged_in_opener(base)
            for _ in range(4 if quick else 8):  # bounded
                if stop.is_set():
                    return
                pdf_times.append(timed_get(opener, pdf_url))

        clients = [threading.Thread(target=render_loop) for _ in range(3)]
        for client in clients:
            client.start()
        time.sleep(0.5)
        busy = []
        while any(c.is_alive() for c in clients) and len(busy) < requests_n:
            busy.append(timed_get(page_opener, page_url))
        stop.set()
        for client in clients:
            client.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    def ms(values, q):
        return (
            statistics.quantiles(values, n=20)[18] * 1000
            if q == 95
            else statistics.median(values) * 1000
        )

    print()
    print("Table 2 - vendor directory latency, gunicorn -w 3 --threads 2, SQLite, 127.0.0.1")
    print(f"{'condition':<38} {'requests':>8} {'median ms':>10} {'p95 ms':>8}")
    print(f"{'alone':<38} {len(alone):>8} {ms(alone, 50):>10.0f} {ms(alone, 95):>8.0f}")
    label = "while 3 clients download draft PDFs"
    print(f"{label:<38} {len(busy):>8} {ms(busy, 50):>10.0f} {ms(busy, 95):>8.0f}")
    print(
        f"{'(the draft PDFs themselves)':<38} {len(pdf_times):>8} {ms(pdf_times, 50):>10.0f} "
        f"{ms(pdf_times, 95):>8.0f}"
    )
    ratio = ms(busy, 50) / ms(alone, 50)
    verdict = "PASS" if ratio < 3 else "FAIL"
    print(f"Slow-down of the light page under report load: x{ratio:.1f} (target < x3)  {verdict}")
    if verdict == "FAIL":
        print(
            "Page latency suffers: render drafts off the request (a worker queue or a separate "
            "gunicorn pool for /report.pdf)."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--skip-server", action="store_true", help="only the render table")
    args = parser.parse_args()
    render_table(args.quick)
    if not args.skip_server:
        server_table(args.quick)


if __name__ == "__main__":
    main()
