"""Load test: 40 users on gunicorn + 2 Celery workers + PostgreSQL + Redis, then the embedded default.

Run:  .venv/bin/python bench/load.py [--users 40] [--seconds 60] [--quick] [--skip-embedded]

Two stacks, the same mix, one table ("named baselines in one run"):
- scaled: gunicorn (-w 3 --threads 4) + two Celery workers (`nice -n 10 celery -A bpo_select worker
  --concurrency 1`, twice: PDFs and imports yield the CPU to page requests, as `make serve` runs them) on PostgreSQL (127.0.0.1:5432, user postgres, trust) and Redis
  (127.0.0.1:6379, database 11 of its own, emptied before and after);
- embedded: the same gunicorn on SQLite with no CELERY_BROKER_URL, so tasks run in the request.

Data: the 100,000-vendor market (`seed_demo` + `seed_demo --vendors`, as bench/pages.py --market
seeds it) is built once and cached: PostgreSQL database `bench_load` (`bench_load_quick` for
--quick), SQLite /tmp/bench_load_market*.sqlite3. A rerun only migrates the cache. Every run works on
a fresh copy (`bench_load_run`, /tmp/bench_load_run.sqlite3, dropped at the next run), where it adds
the bench users and copies of the demo's in-review evaluation for the managers to approve.

The mix (bench/load_users.py): analysts browse the directory and search the market, open vendor
profiles, the draft's ranking and what-if, and save scores; three of them also take a draft PDF
(prepare: a task; poll its status; download); managers approve in-review evaluations; a vendor
admin runs one quote import (upload + preview, commit: a task, poll it). Think time is uniform in
[0.5, 1.5] x --think seconds, and each user starts within one think time (not all 40 at once).

BENCH_GUNICORN replaces the gunicorn layout ("-w 3 --threads 4") to compare others, e.g.
BENCH_GUNICORN="-w 5 -k sync". --web-servers N runs the scaled stack's web tier as N gunicorn
servers (each with that layout) on ports 8021, 8031, ...; every user sends each request to the next
server in turn, so a login, a task and its download seldom meet the same server (no sticky
sessions, as behind a round-robin load balancer).

Prints count, errors, p50, p95 and max (ms) per page kind for both stacks, the p95 of the app's
own time (its Server-Timing header: the rest is waiting in front of the app or in the client),
then the checks: 0 errors, every page p95 < 300 ms while PDFs render and the import runs, approval p95 < 200 ms, time from
approval to archived PDF (report_sha256 set, polled in the database) and no lost or duplicated rows
(Score, TaskRun, Quote against the successful writes; one archived PDF file per approval). Targets
apply to the scaled stack; the embedded column is the baseline. Timings depend on the machine (2
cores, shared): the load average is printed with the table. Only 127.0.0.1 is contacted; every
server and worker started here is stopped on exit.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_report import LABELS, UNTARGETED, report  # noqa: E402
from load_users import Plan, Stats, user_loop  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/11"
TMP = Path(tempfile.gettempdir())
PORTS = {"scaled": 8021, "embedded": 8022}


def market_names(quick: bool) -> tuple[str, Path]:
    suffix = "_quick" if quick else ""
    return f"bench_load{suffix}", TMP / f"bench_load_market{suffix}.sqlite3"


def psql(sql: str, db: str = "postgres") -> str:
    done = subprocess.run(
        ["psql", f"{PG}/{db}", "-qAtc", sql], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def base_env(database_url: str, media: Path) -> dict:
    env = dict(os.environ)
    for key in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "PYTEST_VERSION"):
        env.pop(key, None)
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        ALLOW_INSECURE_SECRET_KEY="1",
        HTTPS="0",
        STATIC_MANIFEST="0",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="bpo_select.settings",
        LOG_LEVEL="WARNING",
    )
    return env


def synthetic_count(backend: str, cache: str | Path) -> int:
    sql = "SELECT count(*) FROM vendors_vendor WHERE name LIKE 'Synthetic Vendor %'"
    try:
        if backend == "scaled":
            return int(psql(sql, str(cache)))
        with sqlite3.connect(cache) as db:
            return db.execute(sql).fetchone()[0]
    except (subprocess.CalledProcessError, sqlite3.Error):
        return -1


def prepare_market(backend: str, vendors: int, quick: bool) -> None:
    """The cached market, seeded once (a rerun only migrates it)."""
    pg_name, sqlite_path = market_names(quick)
    if backend == "scaled":
        if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{pg_name}'"):  # noqa: S608 (our own constant)
            psql(f"CREATE DATABASE {pg_name}")
        env, cache = base_env(f"{PG}/{pg_name}", TMP / "bench_load_seed_media"), pg_name
    else:
        env = base_env(f"sqlite:///{sqlite_path}", TMP / "bench_load_seed_media")
        cache = sqlite_path
    manage(env, "migrate", "-v0", "--no-input")
    have = synthetic_count(backend, cache)
    if have < vendors:
        print(f"[{backend}] seeding the market: {vendors:,} synthetic vendors (once)", flush=True)
        manage(env, "seed_demo", "-v0")  # the demo market, users and three evaluations
        manage(env, "seed_demo", "-v0", "--vendors", str(vendors))  # names 1..N: idempotent
    if backend == "embedded":
        with sqlite3.connect(sqlite_path) as db:  # one file to copy: fold the WAL in
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def fresh_copy(backend: str, quick: bool) -> str:
    """A copy of the cached market for this run; its DATABASE_URL."""
    pg_name, sqlite_path = market_names(quick)
    if backend == "scaled":
        psql("DROP DATABASE IF EXISTS bench_load_run WITH (FORCE)")
        psql(f"CREATE DATABASE bench_load_run TEMPLATE {pg_name}")
        return f"{PG}/bench_load_run"
    run = TMP / "bench_load_run.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{run}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(sqlite_path, run)
    return f"sqlite:///{run}"


def redis_flush() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# --- the child: one stack -------------------------------------------------------------------


class Servers:
    """gunicorn (and the Celery workers): started here, stopped on exit whatever happens."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs, self.processes = env, logs, []

    def start(self, name: str, argv: list[str]) -> Path:
        log = self.logs / f"{name}.log"
        with open(log, "w") as out:
            process = subprocess.Popen(
                argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.processes.append(process)
        return log

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []


def wait_until(check, what: str, log: Path, seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise RuntimeError(f"{what} did not start; see {log}")


def answers(port: int) -> bool:
    import http.client

    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/login/", headers={"Host": f"127.0.0.1:{port}"})
        return conn.getresponse().status == 200
    except OSError:
        return False


def start_stack(backend: str, servers: Servers, ports: list[int]) -> None:
    venv = ROOT / ".venv/bin"
    if backend == "scaled":
        for n in (1, 2):
            log = servers.start(
                f"celery-{n}",
                ["nice", "-n", "10", str(venv / "celery"), "-A", "bpo_select", "worker",
                 "--concurrency", "1",
                 "-n", f"bench-load-{n}@%h", "--loglevel", "INFO", "--without-gossip",
                 "--without-mingle"],
            )  # fmt: skip
            wait_until(lambda log=log: " ready." in log.read_text(), f"celery worker {n}", log)
    for n, port in enumerate(ports, 1):
        log = servers.start(
            f"gunicorn-{n}",
            [str(venv / "gunicorn"), "bpo_select.wsgi", "-b", f"127.0.0.1:{port}",
             *os.environ.get("BENCH_GUNICORN", "-w 3 --threads 4").split(), "--timeout", "120"],
        )  # fmt: skip
        wait_until(lambda port=port: answers(port), f"gunicorn {n}", log)


def interrupted(*_args) -> None:
    raise KeyboardInterrupt  # SIGTERM from the parent: the finally blocks stop the servers


def child(backend: str, args) -> dict:
    """Runs in a process of its own whose DATABASE_URL (and broker) are this stack's."""
    import django

    django.setup()
    from load_data import checks, setup_data

    # Several web servers (scaled only): separate gunicorn masters sharing nothing but the
    # database, Redis and the file store, each request to the next one.
    servers_count = args.web_servers if backend == "scaled" else 1
    ports = [PORTS[backend] + 10 * n for n in range(servers_count)]
    users, plan_kwargs, meta = setup_data(args)
    servers = Servers(dict(os.environ), Path(os.environ["BENCH_LOGS"]))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, interrupted)
    stats = Stats()
    poller = None
    try:
        start_stack(backend, servers, ports)
        plan = Plan(ports=ports, deadline=0.0, think=args.think, import_at=0.0, **plan_kwargs)

        def clock() -> None:  # every user has logged in: the measured window starts
            now = time.perf_counter()
            plan.deadline, plan.import_at = now + args.seconds, now + args.seconds / 4
            window.append(now)
            load.append(os.getloadavg())

        window: list[float] = []
        load: list[tuple[float, float, float]] = []
        ready = threading.Barrier(len(users), action=clock)
        from load_data import archive_poller

        archived: dict[int, float] = {}
        poller = threading.Thread(target=archive_poller, args=(stats, archived, stop), daemon=True)
        poller.start()
        threads = [
            threading.Thread(target=user_loop, args=(role, name, session, plan, stats, i, ready))
            for i, (name, role, session) in enumerate(users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if not window:
            raise RuntimeError(f"not every user could log in: {dict(stats.errors)}")
        elapsed = time.perf_counter() - window[0]
        load.append(os.getloadavg())
        drain = time.perf_counter() + 240  # the PDFs approved last are still rendering
        while time.perf_counter() < drain and len(archived) < len(stats.approvals):
            time.sleep(0.5)
    finally:
        stop.set()
        if poller:
            poller.join(timeout=5)
        servers.stop()
    return {
        "backend": backend,
        "label": label(backend, args),
        "elapsed": elapsed,
        "load": load,
        "times": {k: v for k, v in stats.times.items()},
        "server": {k: v for k, v in stats.server.items()},
        "slowest": [
            (start - window[0], kind, seconds, server)
            for start, kind, seconds, server in sorted(stats.trace, key=lambda t: -t[2])
            if kind not in UNTARGETED
        ][:5],
        "errors": {k: v[:5] for k, v in stats.errors.items()},
        "error_counts": {k: len(v) for k, v in stats.errors.items()},
        "archive_s": [archived[e] - stats.approvals[e] for e in archived],
        "approved": len(stats.approvals),
        "checks": checks(stats, meta, Path(os.environ["MEDIA_ROOT"])),
        "users": {role: sum(r == role for _n, r, _s in users) for _n, role, _s in users},
        "vendors": meta["vendors"],
    }


def label(backend: str, args) -> str:
    if backend == "scaled" and args.web_servers > 1:
        return f"{args.web_servers} x {LABELS[backend]}"
    return LABELS[backend]


def run_child(backend: str, args) -> dict:
    prepare_market(backend, args.vendors, args.quick)
    media = TMP / f"bench_load_media_{backend}"
    shutil.rmtree(media, ignore_errors=True)
    env = base_env(fresh_copy(backend, args.quick), media)
    logs = TMP / f"bench_load_logs_{backend}"
    logs.mkdir(exist_ok=True)
    env["BENCH_LOGS"] = str(logs)
    if backend == "scaled":
        env["CELERY_BROKER_URL"] = REDIS_URL
        redis_flush()
    manage(env, "migrate", "-v0", "--no-input")
    manage(env, "collectstatic", "-v0", "--no-input")
    out = logs / "result.json"
    argv = [sys.executable, __file__, "--child", backend, "--out", str(out), *args.passthrough]
    print(
        f"[{backend}] {label(backend, args)}: {args.users} users for {args.seconds:g} s", flush=True
    )
    try:
        subprocess.run(argv, cwd=ROOT, env=env, check=True)
    finally:
        if backend == "scaled":
            redis_flush()
    return json.loads(out.read_text())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time, seconds")
    parser.add_argument("--quick", action="store_true", help="2,000 vendors, 8 users, 15 s")
    parser.add_argument("--skip-embedded", action="store_true")
    parser.add_argument(
        "--web-servers", type=int, default=1, choices=range(1, 5), metavar="N",
        help="scaled stack: N gunicorn servers (ports 8021, 8031, ...), no sticky sessions",
    )  # fmt: skip
    parser.add_argument("--child", choices=list(PORTS), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        given = sys.argv[1:]
        args.users = args.users if "--users" in given else 8
        args.seconds = args.seconds if "--seconds" in given else 15.0
    args.vendors = 2_000 if args.quick else 100_000
    args.passthrough = [
        "--users", str(args.users), "--seconds", str(args.seconds), "--think", str(args.think),
        "--web-servers", str(args.web_servers),
    ] + (["--quick"] if args.quick else [])  # fmt: skip
    if args.child:
        result = child(args.child, args)
        Path(args.out).write_text(json.dumps(result))
        return 0
    backends = ["scaled"] + ([] if args.skip_embedded else ["embedded"])
    results = {backend: run_child(backend, args) for backend in backends}
    return 0 if report(results, args) else 1


if __name__ == "__main__":
    sys.exit(main())
