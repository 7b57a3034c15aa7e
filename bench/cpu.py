"""CPU per request of the hot pages, in-process through Django's test client.

Run:  .venv/bin/python bench/cpu.py [--runs 15] [--profile "directory"] [--compare /path/to/tree]

Builds (once) a SQLite market at /tmp/bench_cpu.sqlite3: `seed_demo --vendors 10000`, plus copies
of the demo's in-review evaluation for the approval request. Prints, per page: the query count,
the median CPU milliseconds of this process (`time.process_time`, which is what a loaded 2-core box
runs short of) and the median wall milliseconds, over --runs requests after one warm-up.

The approval request is measured as bench/load.py sees it with a worker: the archive task is only
enqueued (its apply_async is a no-op here), so the table holds the request path, not the PDF.

--profile LABEL runs that page under cProfile and prints the top functions by cumulative time.
--compare TREE also measures the code in TREE (e.g. `git worktree add /tmp/base main`) on the same
database in a subprocess, right after this tree, and prints both tables side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DB_PATH = Path(tempfile.gettempdir()) / "bench_cpu.sqlite3"
VENDORS = 10_000
APPROVALS = 60


def _setup(root: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
    os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("CACHE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpo_select.settings")
    sys.path.insert(0, str(root))
    import django

    django.setup()


def _seed() -> None:
    from django.core.management import call_command

    from vendors.models import Vendor

    call_command("migrate", verbosity=0)
    if Vendor.objects.filter(name__startswith="Synthetic Vendor ").count() < VENDORS:
        call_command("seed_demo", vendors=VENDORS, verbosity=0)


def _in_review(count: int) -> list[int]:
    """`count` copies of the demo's in-review evaluation, for one approval each."""
    from load_data import copy_in_review  # bench/load.py's; it needs django.setup() first

    from scoring.models import Evaluation

    return copy_in_review(Evaluation.objects.get(title="Payroll administration EMEA"), count)


def _pages():
    """Label -> (user, method, url, data or params, headers); a callable url is called per run."""
    from django.urls import reverse

    from scoring.models import Criterion, Evaluation
    from vendors.models import Vendor

    draft = Evaluation.objects.get(title="Customer service outsourcing 2027")
    vendor = Vendor.objects.filter(name__startswith="Synthetic Vendor ").order_by("pk").first()
    assert vendor is not None
    criteria = list(draft.weights.values_list("criterion__key", flat=True))
    manual = Criterion.objects.filter(
        source=Criterion.Source.MANUAL, evaluationweight__evaluation=draft
    ).first()
    competing = draft.candidates.filter(excluded_reason="").values_list("vendor_id", flat=True)
    directory = reverse("vendors:directory")
    hx = {"HTTP_HX_REQUEST": "true"}
    approvals = iter(_in_review(APPROVALS))
    counter = iter(range(10**6))
    pages = iter(range(60, 400))

    def approval_url():
        return reverse("scoring:approve", args=[next(approvals)])

    def score_body():
        return {
            "vendor": competing[0],
            "criterion": manual.pk if manual else 0,
            "value": f"{next(counter) % 100 / 10:.1f}",
            "comment": "cpu bench",
        }

    return {
        "directory": ("analyst", "get", directory, {}, {}),
        "directory, a filter": ("analyst", "get", directory, {"country": "IN"}, {}),
        "directory, page 50": ("analyst", "get", directory, {"page": 50}, {}),
        # Another page each time, as bench/load.py's users ask: its rows are not cached yet.
        "directory, new page": ("analyst", "get", directory, lambda: {"page": next(pages)}, {}),
        "search india iso": ("analyst", "get", directory, {"q": "india iso"}, {}),
        "search payroll": ("analyst", "get", directory, {"q": "payroll"}, {}),
        "vendor profile": ("analyst", "get", vendor.get_absolute_url(), {}, {}),
        "ranking": ("analyst", "get", reverse("scoring:ranking", args=[draft.pk]), {}, {}),
        "what-if": (
            "analyst",
            "get",
            reverse("scoring:what_if", args=[draft.pk]),
            {f"w_{key}": 10 + n for n, key in enumerate(criteria)},
            hx,
        ),
        # Other weights each time, as bench/load.py's sliders send: nothing of it is cached yet.
        "what-if, new weights": (
            "analyst",
            "get",
            reverse("scoring:what_if", args=[draft.pk]),
            lambda: {f"w_{key}": 10 + n + next(counter) % 50 for n, key in enumerate(criteria)},
            hx,
        ),
        "score save": (
            "analyst",
            "post",
            reverse("scoring:score_save", args=[draft.pk]),
            score_body,
            hx,
        ),
        "approval": ("manager", "post", approval_url, {"comment": "cpu bench"}, {}),
    }


def _request(clients, spec):
    user, method, url, data, headers = spec
    url = url() if callable(url) else url
    data = data() if callable(data) else data
    response = getattr(clients[user], method)(url, data, **headers)
    if response.status_code not in (200, 302):
        raise SystemExit(f"{method.upper()} {url} answered {response.status_code}")
    return response


def measure(runs: int, only: str | None) -> dict[str, tuple[int, float, float]]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from scoring.tasks import archive_report

    archive_report.apply_async = lambda *args, **kwargs: None  # enqueued only, as with a broker
    clients = {}
    for name in ("analyst", "manager"):
        clients[name] = Client()
        clients[name].force_login(User.objects.get(username=name))
    results = {}
    for label, spec in _pages().items():
        if only and label != only:
            continue
        _request(clients, spec)  # warm-up: templates, URL resolvers, sessions
        cpu, wall = [], []
        for _ in range(runs):
            c0, w0 = time.process_time(), time.perf_counter()
            _request(clients, spec)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        with CaptureQueriesContext(connection) as queries:
            _request(clients, spec)
        results[label] = (len(queries), statistics.median(cpu), statistics.median(wall))
    return results


def profile(label: str) -> None:
    import cProfile
    import pstats

    from django.contrib.auth.models import User
    from django.test import Client

    from scoring.tasks import archive_report

    archive_report.apply_async = lambda *args, **kwargs: None
    spec = _pages()[label]
    clients = {spec[0]: Client()}
    clients[spec[0]].force_login(User.objects.get(username=spec[0]))
    _request(clients, spec)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        _request(clients, spec)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


def table(columns: dict[str, dict[str, tuple[int, float, float]]]) -> str:
    names = list(columns)
    head = f"{'page':<22}" + "".join(
        f" | {name[:24]:>24}: queries  CPU ms  wall ms" for name in names
    )
    lines = [head, "-" * len(head)]
    for label in next(iter(columns.values())):
        row = f"{label:<22}"
        for name in names:
            queries, cpu, wall = columns[name].get(label, (0, float("nan"), float("nan")))
            row += f" | {'':>24}  {queries:>7} {cpu:>7.1f} {wall:>8.1f}"
        lines.append(row)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", help="measure this page only")
    parser.add_argument("--profile", help="cProfile this page (a label of the table)")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--compare", help="another code tree to measure on the same database")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _setup(Path(args.root))
    _seed()
    if args.profile:
        profile(args.profile)
        return
    if args.compare:
        # The other tree first, so neither run gets the freshly seeded database's warm cache.
        command = [sys.executable, __file__, "--json", "--root", args.compare]
        command += ["--runs", str(args.runs)] + (["--only", args.only] if args.only else [])
        # From inside that tree: run elsewhere, some of its modules resolved to this tree's.
        done = subprocess.run(command, check=True, capture_output=True, cwd=args.compare)
        other = json.loads(done.stdout)
        other = {label: tuple(values) for label, values in other.items()}
    results = measure(args.runs, args.only)
    if args.json:
        print(json.dumps(results))
        return
    columns = {args.compare: other} if args.compare else {}
    columns[args.root] = results
    print(f"SQLite, {VENDORS:,} synthetic vendors + the demo; median of {args.runs} requests")
    print(table(columns))


if __name__ == "__main__":
    main()
