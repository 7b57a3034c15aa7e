"""Load test: 20 virtual users against gunicorn + PostgreSQL serving the demo data.

Run:  .venv/bin/python bench/load.py [--users 20] [--pdf-users 2] [--duration 60] [--think 1.0]

1. (Re)creates the database bpo_bench_load on 127.0.0.1:5432 (user postgres, trust auth), migrates,
   runs seed_demo and adds bench analysts bench01..NN to the team of every demo evaluation.
2. Starts gunicorn (-w 3 --threads 4, DEBUG off, plain HTTP) on 127.0.0.1 only.
3. Every virtual user logs in through the form (CSRF cookie + token), then loops until the time is up:
   page users mix the vendor directory, the ranking page, a what-if re-rank and score saves (htmx
   POST with X-CSRFToken); PDF users download the in-review evaluation's PDF, rendered each time.
4. Prints throughput, p50/p95/p99 per endpoint and errors, then checks the database: every cell a
   user saved holds that user's last saved value, exactly once.

Targets: 0 errors, page p95 < 300 ms while PDFs render, no lost or duplicated score rows.
Only 127.0.0.1 is ever contacted. Think time is uniform in [0.5, 1.5] x --think seconds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PG = "postgresql://postgres@127.0.0.1:5432"
DB_NAME = "bpo_bench_load"
HOST = "127.0.0.1"
PASSWORD = "demo-only-bpo-2026"
PAGE_TARGET_P95_MS = 300.0
LOG_PATH = Path(tempfile.gettempdir()) / "bench_load_gunicorn.log"
PAGE_MIX = [("directory", 30), ("ranking", 25), ("what-if", 25), ("score save", 20)]

SERVER_ENV = {
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "ALLOW_INSECURE_SECRET_KEY": "1",
    "HTTPS": "0",
    "STATIC_MANIFEST": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SETTINGS_MODULE": "bpo_select.settings",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)
sys.path.insert(0, str(ROOT))


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, env=os.environ)


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qAtc", sql], check=True, capture_output=True)


def prepare_database(users: int) -> None:
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB_NAME}")
    manage("migrate", "-v0", "--no-input")
    manage("seed_demo")


def django_setup():
    import django

    django.setup()


def bench_users(count: int) -> list[str]:
    """bench01..NN: analysts on every demo evaluation's team (created if missing)."""
    from django.contrib.auth.models import Group, User

    from bpo_select.roles import Role
    from scoring.models import Evaluation

    analysts = Group.objects.get(name=Role.ANALYST)
    names = [f"bench{n:02d}" for n in range(1, count + 1)]
    for name in names:
        user, created = User.objects.get_or_create(username=name)
        if created:
            user.set_password(PASSWORD)
            user.save()
        user.groups.add(analysts)
        for evaluation in Evaluation.objects.all():
            evaluation.team.add(user)
    return names


@dataclass
class Targets:
    draft: int
    in_review: int
    cells: list[tuple[int, int]]  # (vendor id, criterion id) of the draft
    criteria: list[str]  # criterion keys for what-if weights


def targets() -> Targets:
    from scoring.models import Criterion, Evaluation

    draft = Evaluation.objects.get(status=Evaluation.Status.DRAFT)
    in_review = Evaluation.objects.get(status=Evaluation.Status.IN_REVIEW)
    manual = list(
        Criterion.objects.filter(source=Criterion.Source.MANUAL).values_list("pk", flat=True)
    )
    vendors = list(draft.candidates.values_list("vendor_id", flat=True))
    return Targets(
        draft=draft.pk,
        in_review=in_review.pk,
        cells=[(v, c) for v in vendors for c in manual],
        criteria=list(Criterion.objects.values_list("key", flat=True)),
    )


# --- HTTP -----------------------------------------------------------------------------------------


class Browser:
    """One user's keep-alive connection and cookies (no redirects followed)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def request(self, method: str, path: str, body: dict | None = None, headers=None):
        data = urlencode(body).encode() if body is not None else None
        head = {"Host": f"{HOST}:{self.port}", **(headers or {})}
        if data is not None:
            head["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=head)
                response = self.conn.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt == 2:
                    raise
        for raw in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(raw)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, response.headers, content

    def log_in(self, username: str) -> None:
        status, _h, body = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        status, headers, _b = self.request(
            "POST",
            "/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": ""},
        )
        if status != 302 or "/login/" in headers.get("Location", ""):
            raise RuntimeError(f"{username} could not log in (HTTP {status}).")


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    saved: dict[tuple[str, int, int], str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, endpoint: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.times[endpoint].append(seconds)
            if error:
                self.errors[endpoint].append(error)


def virtual_user(
    username: str,
    pdf: bool,
    port: int,
    t: Targets,
    deadline: float,
    think: float,
    stats: Stats,
    seed: int,
) -> None:
    rng = random.Random(seed)
    browser = Browser(port)
    try:
        browser.log_in(username)
    except Exception as exc:
        stats.record("login", 0.0, f"{username}: {exc}")
        return
    cells = rng.sample(t.cells, k=min(6, len(t.cells)))  # a few cells per user, saved repeatedly
    names, weights = zip(*PAGE_MIX, strict=True)
    while time.monotonic() < deadline:
        endpoint = "pdf" if pdf else rng.choices(names, weights)[0]
        headers, body, method, expect = {}, None, "GET", 200
        if endpoint == "directory":
            path = f"/vendors/?page={rng.randint(1, 2)}"
        elif endpoint == "ranking":
            path = f"/evaluations/{t.draft}/ranking/"
        elif endpoint == "what-if":
            params = {f"w_{key}": rng.randint(0, 30) for key in t.criteria}
            path = f"/evaluations/{t.draft}/ranking/what-if/?{urlencode(params)}"
            headers = {"HX-Request": "true"}
        elif endpoint == "score save":
            vendor, criterion = rng.choice(cells)
            value = f"{rng.randint(0, 100) / 10:.1f}"
            path, method = f"/evaluations/{t.draft}/scores/save/", "POST"
            body = {
                "vendor": vendor,
                "criterion": criterion,
                "value": value,
                "comment": "load test",
            }
            headers = {"HX-Request": "true", "X-CSRFToken": browser.cookies.get("csrftoken", "")}
        else:
            path = f"/evaluations/{t.in_review}/report.pdf"
        started = time.perf_counter()
        error = None
        try:
            status, _h, content = browser.request(method, path, body, headers)
            if status != expect:
                error = f"HTTP {status} {path}"
            elif endpoint == "score save":
                if b"Saved" not in content:
                    error = f"not saved: {content[:120]!r}"
                else:
                    with stats.lock:
                        stats.saved[(username, vendor, criterion)] = value
            elif endpoint == "pdf" and not content.startswith(b"%PDF"):
                error = "not a PDF"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        stats.record(endpoint, time.perf_counter() - started, error)
        if think:
            time.sleep(rng.uniform(0.5, 1.5) * think)


# --- Server -----------------------------------------------------------------------------------


def start_gunicorn(port: int) -> subprocess.Popen:
    log = open(LOG_PATH, "w")  # noqa: SIM115 (lives as long as the server)
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "bpo_select.wsgi",
            "-b",
            f"{HOST}:{port}",
            "-w",
            "3",
            "--threads",
            "4",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=os.environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/login/", headers={"Host": f"{HOST}:{port}"})
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"gunicorn did not answer on /login/; see {LOG_PATH}")


# --- Report -----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(stats: Stats, elapsed: float) -> bool:
    print(
        f"\n{'endpoint':<12} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7}  target"
    )
    ok = True
    total = 0
    for endpoint in [name for name, _ in PAGE_MIX] + ["pdf", "login"]:
        times = stats.times.get(endpoint)
        if not times:
            continue
        total += len(times)
        p50, p95, p99 = (percentile(times, s) * 1000 for s in (0.5, 0.95, 0.99))
        errors = len(stats.errors.get(endpoint, []))
        if endpoint == "pdf":
            verdict = "0 errors: " + ("PASS" if errors == 0 else "FAIL")
        else:
            passed = errors == 0 and p95 < PAGE_TARGET_P95_MS
            verdict = f"p95 < {PAGE_TARGET_P95_MS:.0f} ms, 0 errors: " + (
                "PASS" if passed else "FAIL"
            )
        ok &= "PASS" in verdict
        print(
            f"{endpoint:<12} {len(times):>9} {len(times) / elapsed:>7.1f} {p50:>8.0f} {p95:>8.0f} "
            f"{p99:>8.0f} {errors:>7}  {verdict}"
        )
    print(f"{'all':<12} {total:>9} {total / elapsed:>7.1f}")
    for endpoint, errors in stats.errors.items():
        for error in errors[:3]:
            print(f"  error on {endpoint}: {error}")
    return ok


def check_scores(stats: Stats, draft: int) -> bool:
    """Each user's last saved value per cell is in the database exactly once."""
    from django.db.models import Count

    from scoring.models import Score

    rows = Score.objects.filter(evaluation_id=draft, evaluator__username__startswith="bench")
    duplicates = (
        rows.values("vendor_id", "criterion_id", "evaluator_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    stored = {
        (user, vendor, criterion): value
        for user, vendor, criterion, value in rows.values_list(
            "evaluator__username", "vendor_id", "criterion_id", "value"
        )
    }
    lost = [key for key in stats.saved if key not in stored]
    wrong = [
        key for key, value in stats.saved.items() if key in stored and f"{stored[key]:.1f}" != value
    ]
    passed = not (duplicates.exists() or lost or wrong)
    print(
        f"\nscore rows: {len(stats.saved)} cells saved by the users, {len(lost)} lost, "
        f"{duplicates.count()} duplicated, {len(wrong)} with a value other than the last saved: "
        f"{'PASS' if passed else 'FAIL'}"
    )
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--pdf-users", type=int, default=2, help="of --users, download PDFs")
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, seconds")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--reuse-db", action="store_true", help="skip drop/migrate/seed_demo")
    args = parser.parse_args()

    if not args.reuse_db:
        prepare_database(args.users)
    django_setup()
    users = bench_users(args.users)
    t = targets()
    server = start_gunicorn(args.port)
    stats = Stats()
    try:
        deadline = time.monotonic() + args.duration
        threads = [
            threading.Thread(
                target=virtual_user,
                args=(name, i < args.pdf_users, args.port, t, deadline, args.think, stats, i),
            )
            for i, name in enumerate(users)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"BPO Select load: {args.users} users ({args.pdf_users} downloading PDFs), "
        f"{elapsed:.0f} s, think {args.think:g} s, gunicorn -w 3 --threads 4, PostgreSQL"
    )
    ok = report(stats, elapsed)
    ok &= check_scores(stats, t.draft)
    print(f"\nOverall: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
