"""Benchmark the ranking page and the what-if re-rank through Django's test client.

Run:  .venv/bin/python bench/pages.py [--runs 15]
      DATABASE_URL=postgres://... .venv/bin/python bench/pages.py --market [--runs 15]

--market measures the 100,000-vendor pages instead (directory, searches, a filtered page, a deep
page, a vendor profile, the admin vendor list, a draft's candidates page) on the database DATABASE_URL names, seeding it with
`seed_demo --vendors` up to 100,000 vendors first; target < 300 ms each, queries constant.

Builds its own data in a throwaway SQLite file (/tmp/bench_pages.sqlite3): one evaluation per
size with 10, 50 and 200 candidates x 10 criteria (9 scored, cost from the quote) x 5 evaluators.
Prints the median server time and the query count per page, and PASS/FAIL against the targets:
ranking page < 150 ms and what-if < 50 ms at 50 candidates; queries constant in candidates.
No assertions: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

DB_PATH = Path(tempfile.gettempdir()) / "bench_pages.sqlite3"
MARKET = "--market" in sys.argv
if MARKET and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise SystemExit("--market needs DATABASE_URL=postgres://... (a database of its own).")
if not MARKET:
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_PATH}"
os.environ.setdefault("ALLOW_INSECURE_SECRET_KEY", "1")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpo_select.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bpo_select.roles import Role  # noqa: E402
from scoring.models import Candidate, Criterion, Evaluation, EvaluationWeight, Score  # noqa: E402
from vendors.models import DeliveryModel, Process, Quote, Vendor  # noqa: E402

SIZES = (10, 50, 200)
EVALUATORS = 5
TARGET_SIZE = 50
TARGETS_MS = {"ranking page": 150.0, "what-if": 50.0}


def build(size: int, people: list[User]) -> Evaluation:
    """An evaluation with ``size`` quoted candidates, every cell scored by every evaluator."""
    process = Process.objects.get(slug="customer-service-support")
    offshore = DeliveryModel.objects.get(code="offshore")
    evaluation = Evaluation.objects.create(
        title=f"Bench {size}",
        process=process,
        owner=people[0],
        volume=Decimal(40),
        term_months=36,
        base_currency="USD",
    )
    evaluation.team.add(*people[1:])
    criteria = list(Criterion.objects.all())
    EvaluationWeight.objects.bulk_create(
        EvaluationWeight(evaluation=evaluation, criterion=c, weight=Decimal(10)) for c in criteria
    )
    vendors = Vendor.objects.bulk_create(
        Vendor(name=f"Bench {size} vendor {i:03d}", country="IN", languages="English")
        for i in range(size)
    )
    Candidate.objects.bulk_create(Candidate(evaluation=evaluation, vendor=v) for v in vendors)
    Quote.objects.bulk_create(
        Quote(
            vendor=v,
            process=process,
            delivery_model=offshore,
            pricing_model="per_fte_month",
            unit_price=Decimal(1800 + (i * 37) % 900),
            currency="USD",
            evaluation=evaluation,
        )
        for i, v in enumerate(vendors)
    )
    manual = [c for c in criteria if c.source == Criterion.Source.MANUAL]
    Score.objects.bulk_create(
        Score(
            evaluation=evaluation,
            vendor=v,
            criterion=c,
            evaluator=person,
            value=Decimal((i * 7 + j * 3 + k) % 11),
        )
        for i, v in enumerate(vendors)
        for j, c in enumerate(manual)
        for k, person in enumerate(people)
    )
    return evaluation


def measure(client: Client, url: str, params: dict, runs: int) -> tuple[float, int]:
    """Median milliseconds and the query count of GET ``url``."""
    response = client.get(url, params)  # warm-up: sessions, template and URL caches
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url, params)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return statistics.median(timings), len(queries)


MARKET_VENDORS = 100_000
MARKET_TARGET_MS = 300.0


def market_pages() -> dict[str, tuple[str, dict, str]]:
    """Page label -> (url, params, who): the pages issue 13 asks to stay fast at 100,000 vendors."""
    from vendors.models import Certification, DeliveryModel

    vendor = Vendor.objects.filter(is_active=True).order_by("-pk").first()
    payroll = Process.objects.get(slug="payroll-benefits-administration")
    offshore = DeliveryModel.objects.get(code="offshore")
    iso = Certification.objects.get(slug="iso-27001")
    directory = reverse("vendors:directory")
    admin_list = reverse("admin:vendors_vendor_changelist")
    return {
        "directory": (directory, {}, "analyst"),
        "directory page 2000": (directory, {"page": 2000}, "analyst"),
        "search 'india'": (directory, {"q": "india"}, "analyst"),
        "search 'iso'": (directory, {"q": "iso"}, "analyst"),
        "search 'payroll helpdesk'": (directory, {"q": "payroll helpdesk"}, "analyst"),
        "filtered + sorted": (
            directory,
            {
                "process": payroll.pk,
                "delivery_model": offshore.pk,
                "certification": iso.pk,
                "country": "IN",
                "ordering": "-headcount",
            },
            "analyst",
        ),
        "vendor profile": (reverse("vendors:detail", args=[vendor.pk]), {}, "analyst"),
        "admin vendor list": (admin_list, {}, "vendor_admin"),
        "admin list, country filter": (admin_list, {"country": "IN"}, "vendor_admin"),
        "admin list, search": (admin_list, {"q": "bluewave"}, "vendor_admin"),
    }


def market_draft(owner: User) -> Evaluation:
    """A payroll draft allowing only offshore delivery: its candidates page suggests about a third
    of the vendors offering payroll (some 2,000 at 100,000 vendors, 40 pages) and counts the rest
    as knocked out."""
    payroll = Process.objects.get(slug="payroll-benefits-administration")
    evaluation, created = Evaluation.objects.get_or_create(
        title="Bench market candidates (offshore)",
        owner=owner,
        defaults={
            "process": payroll,
            "volume": Decimal(40),
            "term_months": 36,
            "base_currency": "USD",
        },
    )
    if created:
        evaluation.allowed_delivery_models.add(DeliveryModel.objects.get(code="offshore"))
    return evaluation


def candidates_pages(evaluation: Evaluation) -> dict[str, tuple[str, dict, str]]:
    url = reverse("scoring:candidates", args=[evaluation.pk])
    return {
        "candidates of a draft": (url, {}, "analyst"),
        "candidates page 20": (url, {"page": 20}, "analyst"),
        "candidates search 'bluewave'": (url, {"q": "bluewave"}, "analyst"),
    }


def market_main(runs: int) -> None:
    call_command("migrate", verbosity=0)
    if not Vendor.objects.exists():
        call_command("seed_demo", verbosity=0)
    missing = MARKET_VENDORS - Vendor.objects.count()
    if missing > 0:
        call_command("seed_demo", vendors=missing)
    users = {}
    for who, role in (("analyst", Role.ANALYST), ("vendor_admin", Role.VENDOR_ADMIN)):
        user, _ = User.objects.get_or_create(
            username=f"bench-{who}", defaults={"is_staff": who == "vendor_admin"}
        )
        user.groups.add(Group.objects.get(name=role))
        client = Client()
        client.force_login(user)
        users[who] = client
    print(f"{Vendor.objects.count():,} vendors on {connection.vendor}; {runs} runs per page")
    print(f"{'page':<28} {'median ms':>10} {'queries':>8}  target")
    failed = False
    pages = market_pages() | candidates_pages(
        market_draft(User.objects.get(username="bench-analyst"))
    )
    for label, (url, params, who) in pages.items():
        ms, count = measure(users[who], url, params, runs)
        ok = ms < MARKET_TARGET_MS
        failed |= not ok
        print(
            f"{label:<28} {ms:>10.1f} {count:>8}  < {MARKET_TARGET_MS:.0f} ms  {'PASS' if ok else 'FAIL'}"
        )
    sys.exit(1 if failed else 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--market", action="store_true", help="the 100,000-vendor pages")
    args = parser.parse_args()
    if args.market:
        market_main(args.runs)
        return

    DB_PATH.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    analysts = Group.objects.get(name=Role.ANALYST)
    people = [User.objects.create_user(f"bench{k}", password=None) for k in range(EVALUATORS)]
    for person in people:
        person.groups.add(analysts)
    evaluations = {size: build(size, people) for size in SIZES}

    client = Client()
    client.force_login(people[0])
    what_if = {f"w_{c.key}": 10 for c in Criterion.objects.all()} | {"w_cost": 40}
    pages = {
        "ranking page": ("scoring:ranking", {}),
        "what-if": ("scoring:what_if", what_if),
    }
    rows, queries = [], {}
    for page, (name, params) in pages.items():
        for size, evaluation in evaluations.items():
            ms, count = measure(client, reverse(name, args=[evaluation.pk]), params, args.runs)
            queries.setdefault(page, set()).add(count)
            rows.append((page, size, ms, count))

    print(f"{'page':<14} {'candidates':>10} {'median ms':>10} {'queries':>8}  target")
    failed = False
    for page, size, ms, count in rows:
        verdict = ""
        if size == TARGET_SIZE:
            ok = ms < TARGETS_MS[page]
            failed |= not ok
            verdict = f"< {TARGETS_MS[page]:.0f} ms  {'PASS' if ok else 'FAIL'}"
        print(f"{page:<14} {size:>10} {ms:>10.1f} {count:>8}  {verdict}")
    for page, counts in queries.items():
        ok = len(counts) == 1
        failed |= not ok
        print(
            f"{page}: queries constant in candidates ({sorted(counts)})  {'PASS' if ok else 'FAIL'}"
        )
    print(f"{EVALUATORS} evaluators, {Criterion.objects.count()} criteria, {args.runs} runs each.")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
