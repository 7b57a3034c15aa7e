"""bench/load.py's tables: per page kind and stack, then the checks against the targets."""

from __future__ import annotations

LABELS = {
    "scaled": "gunicorn + 2 Celery workers, PostgreSQL + Redis",
    "embedded": "embedded: gunicorn, SQLite, tasks in-process",
}
PAGE_P95_MS, APPROVAL_P95_MS = 300.0, 200.0
# Timed but not held to the page target: the login (once per user, all at the start, password
# hashing by design) and the import's wall time (a task, not a request).
UNTARGETED = {"login", "import total"}
KIND_ORDER = [
    "directory", "search", "vendor profile", "ranking", "what-if", "score save", "approval",
    "evaluation page", "pdf prepare", "task status", "pdf download", "import preview",
    "import commit", "import total", "login",
]  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def row(times: list[float], errors: int, server: list[float]) -> tuple[str, float | None]:
    """The six figures of one stack for one page kind, and its p95 in ms: count, errors, the
    client's p50, p95 and max, and the p95 of the app's own time (Server-Timing)."""
    if not times:
        return f"{'-':>6} {'':>4} {'':>6} {'':>6} {'':>6} {'':>6}", None
    p50, p95 = percentile(times, 0.5) * 1000, percentile(times, 0.95) * 1000
    app = f"{percentile(server, 0.95) * 1000:>6.0f}" if server else f"{'-':>6}"
    figures = f"{len(times):>6} {errors:>4} {p50:>6.0f} {p95:>6.0f} {max(times) * 1000:>6.0f}"
    return f"{figures} {app}", p95


def target_for(kind: str) -> float | None:
    if kind in UNTARGETED:
        return None
    return APPROVAL_P95_MS if kind == "approval" else PAGE_P95_MS


def report(results: dict[str, dict], args) -> bool:
    scaled = results["scaled"]
    embedded = results.get("embedded")
    users = ", ".join(f"{n} {role}" for role, n in scaled["users"].items())
    print(
        f"\nBPO Select load: {args.users} users ({users}), {args.seconds:g} s each, think "
        f"{args.think:g} s, {scaled['vendors']:,} active vendors"
    )
    for name, result in results.items():
        before, after = result["load"]
        print(
            f"  {name:<9} {result.get('label', LABELS[name])}: ran {result['elapsed']:.0f} s; load average "
            f"(1/5/15 min) {before[0]:.2f}/{before[1]:.2f}/{before[2]:.2f} at the start, "
            f"{after[0]:.2f}/{after[1]:.2f}/{after[2]:.2f} at the end (2 cores, shared)"
        )
    head = f"{'count':>6} {'err':>4} {'p50':>6} {'p95':>6} {'max':>6} {'app95':>6}"
    print(f"\n{'':<16} | {'scaled (ms)':^39} | {'embedded (ms)':^39} | target (scaled)")
    print(f"{'page kind':<16} | {head} | {head} |")
    print("-" * 124)
    ok = True
    kinds = [k for k in KIND_ORDER if k in scaled["times"] or (embedded and k in embedded["times"])]
    for kind in kinds:
        cells = []
        for result in (scaled, embedded):
            if result is None:
                cells.append(f"{'(skipped)':^39}")
                continue
            text, _p95 = row(
                result["times"].get(kind, []),
                result["error_counts"].get(kind, 0),
                result.get("server", {}).get(kind, []),
            )
            cells.append(text)
        _text, p95 = row(scaled["times"].get(kind, []), 0, [])
        errors = scaled["error_counts"].get(kind, 0)
        target = target_for(kind)
        if p95 is None:
            verdict = "no requests: FAIL"
        elif target is None:
            verdict = "0 errors: " + ("PASS" if errors == 0 else "FAIL")
        else:
            verdict = f"p95 < {target:.0f}, 0 errors: " + (
                "PASS" if errors == 0 and p95 < target else "FAIL"
            )
        ok &= verdict.endswith("PASS")
        print(f"{kind:<16} | {cells[0]} | {cells[1]} | {verdict}")
    print(
        "(p50, p95, max: as the client saw them; app95: the p95 of the app's own time, from its "
        "Server-Timing header, without the wait in front of it)"
    )
    total = {name: sum(len(t) for t in r["times"].values()) for name, r in results.items()}
    print(
        "requests        | "
        + " | ".join(
            f"{total[n]:>6} in {results[n]['elapsed']:.0f} s = {total[n] / results[n]['elapsed']:.1f}/s"
            for n in results
        )
    )

    print("\nSlowest requests (seconds into the window: client / app ms):")
    for name, result in results.items():
        slowest = ", ".join(
            f"{kind} at {at:.1f} s: {seconds * 1000:.0f} / "
            + (f"{server * 1000:.0f}" if server is not None else "-")
            for at, kind, seconds, server in result.get("slowest", [])
        )
        print(f"  {name:<9} {slowest}")

    print("\nApproval to archived PDF (request sent -> report_sha256 recorded):")
    for name, result in results.items():
        waits = result["archive_s"]
        if waits:
            print(
                f"  {name:<9} {len(waits)} of {result['approved']} approvals archived: "
                f"p50 {percentile(waits, 0.5):.1f} s, p95 {percentile(waits, 0.95):.1f} s, "
                f"max {max(waits):.1f} s"
            )
        else:
            print(f"  {name:<9} none of {result['approved']} approvals archived")
        ok &= len(waits) == result["approved"]

    print("\nRows (after the run, against the writes the users saw succeed):")
    for name, result in results.items():
        for label, passed, detail in result["checks"]:
            ok &= passed
            print(f"  {name:<9} {label}: {'PASS' if passed else 'FAIL'} ({detail})")
    for name, result in results.items():
        for kind, samples in result["errors"].items():
            for sample in samples[:3]:
                print(f"  {name} error on {kind}: {sample[:300]}")
    print(f"\nOverall: {'PASS' if ok else 'FAIL'}")
    return ok
