"""Benchmark the REST API in-process (Django's test client, a Bearer token per client).

Run:  .venv/bin/python bench/api.py [--quick] [--runs 20]

Builds its own SQLite file (/tmp/bench_api.sqlite3): the demo data plus synthetic vendors up to
100,000 (--quick: 10,000). Prints, against issue 18's targets:
- the vendor list: p95 per page (first page, a page 20 cursors deep, filtered, a search) and its
  query count, which must not grow with the market; target p95 < 150 ms;
- a 1,000-vendor bulk upsert (new, then every item changed): target < 2 s;
- score writes from 40 concurrent clients (--quick: 8), each a team member writing every cell of
  the demo draft several times, sending the version it read (a 409 is re-read and retried, counted
  apart): target 0 errors and no lost update (each cell holds its last value).
SQLite only (the brief of this round: no PostgreSQL runs); SQLite has one writer at a time, so
concurrent writers wait on its busy timeout (20 s). No assertions: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

DB_PATH = Path(tempfile.gettempdir()) / "bench_api.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("API_THROTTLE_RATE", "1000000/minute")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpo_select.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from api.tokens import token_create  # noqa: E402
from bpo_select.roles import Role  # noqa: E402
from scoring.models import Criterion, Evaluation, Score  # noqa: E402
from vendors.models import Certification, Process, Vendor  # noqa: E402

LIST_TARGET_MS = 150.0
BULK_TARGET_S = 2.0
BULK_ITEMS = 1_000
WRITES_PER_CELL = 3
RETRIES = 5  # 409s in a row for one cell before a write counts as an error


def client_for(user: User) -> APIClient:
    _token, secret = token_create(user=user, name="bench")
    client = APIClient(raise_request_exception=False)  # a 500 is counted, not raised
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def user(name: str, role: str) -> User:
    person, _ = User.objects.get_or_create(username=name)
    person.groups.add(Group.objects.get(name=role))
    return person


def prepare(vendors: int) -> None:
    call_command("migrate", verbosity=0)
    if not Vendor.objects.exists():
        call_command("seed_demo", verbosity=0)
    missing = vendors - Vendor.objects.count()
    if missing > 0:
        call_command("seed_demo", vendors=missing, verbosity=0)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def vendor_pages(client: APIClient, runs: int) -> None:
    url = reverse("api:vendors")
    deep = url
    for _ in range(20):
        deep = client.get(deep).json()["next"]
    payroll = Process.objects.get(slug="payroll-benefits-administration")
    iso = Certification.objects.get(slug="iso-27001")
    pages = {
        "first page": (url, {}),
        "page 21 (cursor)": (deep, {}),
        "filtered": (url, {"process": payroll.pk, "certification": iso.pk, "country": "IN"}),
        "search 'payroll'": (url, {"q": "payroll"}),
    }
    print(f"{Vendor.objects.count():,} vendors on {connection.vendor}; {runs} runs per page")
    print(f"{'vendor list':<20} {'p95 ms':>8} {'queries':>8}  target")
    for label, (page, params) in pages.items():
        client.get(page, params)  # warm-up
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(page, params)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (label, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(page, params)
        ms = p95(timings)
        verdict = "PASS" if ms < LIST_TARGET_MS else "FAIL"
        print(f"{label:<20} {ms:>8.1f} {len(queries):>8}  < {LIST_TARGET_MS:.0f} ms  {verdict}")


def bulk_upsert(client: APIClient) -> None:
    stamp = int(time.time())
    items = [
        {"name": f"Bench API vendor {stamp}-{n:04d}", "country": "PH", "headcount": 100 + n}
        for n in range(BULK_ITEMS)
    ]
    print(f"{'bulk upsert':<20} {'seconds':>8} {'result':>30}  target")
    for label, batch in (
        ("1,000 new", items),
        ("1,000 changed", [item | {"headcount": item["headcount"] + 1} for item in items]),
    ):
        start = time.perf_counter()
        response = client.post(reverse("api:vendors"), {"items": batch}, format="json")
        seconds = time.perf_counter() - start
        counts = response.json() if response.status_code == 200 else {}
        result = (
            ", ".join(
                f"{counts[k]:,} {k}" for k in ("created", "changed", "unchanged") if k in counts
            )
            or f"HTTP {response.status_code}"
        )
        verdict = "PASS" if seconds < BULK_TARGET_S and response.status_code == 200 else "FAIL"
        print(f"{label:<20} {seconds:>8.2f} {result:>30}  < {BULK_TARGET_S:.0f} s  {verdict}")


def concurrent_scores(clients: int) -> None:
    draft = Evaluation.objects.filter(status=Evaluation.Status.DRAFT).order_by("pk").first()
    team = [user(f"bench-api-{n}", Role.ANALYST) for n in range(clients)]
    draft.team.add(*team)
    vendors = list(draft.candidates.filter(excluded_reason="").values_list("vendor_id", flat=True))
    keys = list(
        draft.weights.filter(criterion__source=Criterion.Source.MANUAL).values_list(
            "criterion__key", flat=True
        )
    )
    cells = [(v, k) for v in vendors for k in keys]
    api = {person.pk: client_for(person) for person in team}
    errors: list[str] = []
    last: dict[tuple[int, int, str], str] = {}
    url = reverse("api:scores", args=[draft.pk])

    conflicts: list[int] = []

    def read_versions(person: User) -> dict[tuple[int, str], int]:
        rows = api[person.pk].get(url).json()
        mine = [row for row in rows if row["evaluator"] == person.username]
        return {(row["vendor"], row["criterion"]): row["version"] for row in mine}

    def work(person: User) -> None:
        # Optimistic locking as an integration does it: send the version read, and on a 409
        # read again and retry (a conflict is not an error).
        try:
            versions = read_versions(person)
            for round_ in range(WRITES_PER_CELL):
                for vendor, key in cells:
                    value = f"{(person.pk + round_ + vendor) % 10}.5"
                    for _attempt in range(RETRIES):
                        body = {
                            "vendor": vendor,
                            "criterion": key,
                            "value": value,
                            "version": versions.get((vendor, key), 0),
                        }
                        response = api[person.pk].post(url, body, format="json")
                        if response.status_code == 200:
                            versions[(vendor, key)] = response.json()["version"]
                            last[(person.pk, vendor, key)] = value
                        elif response.status_code == 409:
                            conflicts.append(1)
                            versions = read_versions(person)
                            continue
                        else:
                            errors.append(f"{response.status_code} {response.content[:120]!r}")
                        break
                    else:
                        errors.append(f"still 409 after {RETRIES} tries: {vendor} {key}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(person,)) for person in team]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    stored = {
        (s.evaluator_id, s.vendor_id, s.criterion.key): f"{s.value:.1f}"
        for s in Score.objects.filter(evaluation=draft, evaluator__in=team).select_related(
            "criterion"
        )
    }
    lost = sum(1 for cell, value in last.items() if stored.get(cell) != value)
    writes = clients * WRITES_PER_CELL * len(cells)
    verdict = "PASS" if not errors and not lost else "FAIL"
    print(
        f"score writes: {clients} clients x {WRITES_PER_CELL * len(cells)} = {writes} writes in "
        f"{seconds:.1f} s ({writes / seconds:.0f}/s); errors {len(errors)}, lost updates {lost}, "
        f"conflicts {len(conflicts)} (409, re-read and retried)  "
        f"target 0 and 0  {verdict}"
    )
    for line in errors[:5]:
        print("  ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 vendors, 8 clients")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    prepare(10_000 if args.quick else 100_000)
    analyst = user("bench-api-reader", Role.ANALYST)
    admin = user("bench-api-admin", Role.VENDOR_ADMIN)
    vendor_pages(client_for(analyst), args.runs)
    bulk_upsert(client_for(admin))
    concurrent_scores(8 if args.quick else 40)


if __name__ == "__main__":
    main()
