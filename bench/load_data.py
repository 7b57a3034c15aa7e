"""bench/load.py's data: the bench users and evaluations it adds to a run's copy of the market, the
approval-to-archive poller, and the row checks after the run. Needs django.setup() first."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import threading
import time
from collections import Counter
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.db.models import Count
from load_users import PASSWORD, Stats

from background.models import TaskRun
from bpo_select.middleware import LAST_SEEN_KEY
from bpo_select.roles import Role
from scoring.models import Candidate, Criterion, Evaluation, EvaluationWeight, Score
from scoring.tasks import ARCHIVE_TASK, draw_for_review
from vendors import importing
from vendors.models import Quote, Vendor, VendorProcess

PREFIX = "bench-"
# Each manager approves, and each PDF user takes a draft PDF, about every 12 s: at 40 users, one
# approval and one PDF every 4 s. BENCH_SLOW_EVERY=100000 leaves them out (pages only, a diagnosis).
APPROVE_EVERY_S = PDF_EVERY_S = float(os.environ.get("BENCH_SLOW_EVERY", 12.0))
IMPORT_ROWS = {False: 2_000, True: 200}  # quick
FORM_LOGIN_EVERY = 10


def roles_for(users: int) -> list[str]:
    """At 40 users: 33 analysts, 3 of them also taking PDFs, 3 managers, 1 vendor admin."""
    managers = pdf = max(1, round(users * 0.075))
    admins = 1
    analysts = max(1, users - managers - pdf - admins)
    return ["manager"] * managers + ["pdf"] * pdf + ["admin"] * admins + ["analyst"] * analysts


def bench_users(users: int, draft: Evaluation) -> list[tuple[str, str, str]]:
    groups = {
        "analyst": Group.objects.get(name=Role.ANALYST),
        "pdf": Group.objects.get(name=Role.ANALYST),
        "manager": Group.objects.get(name=Role.MANAGER),
        "admin": Group.objects.get(name=Role.VENDOR_ADMIN),
    }
    password = make_password(PASSWORD)  # hashed once for all of them
    seen: Counter[str] = Counter()
    result = []
    for role in roles_for(users):
        seen[role] += 1
        name = f"{PREFIX}{role}-{seen[role]:02d}"
        user = User.objects.create(username=name, password=password, is_staff=role == "admin")
        user.groups.add(groups[role])
        if role in ("analyst", "pdf"):
            draft.team.add(user)
        # Every FORM_LOGIN_EVERY-th user logs in through the form; the others get the session
        # a login would make: 40 password hashes at once take minutes on a loaded 2-core box.
        session = "" if len(result) % FORM_LOGIN_EVERY == 0 else logged_in_session(user)
        result.append((name, role, session))
    return result


def logged_in_session(user: User) -> str:
    """The key of a session like the one django.contrib.auth.login() stores for `user`."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LAST_SEEN_KEY] = int(time.time())
    store.create()
    return store.session_key


@transaction.atomic
def copy_in_review(source: Evaluation, count: int) -> list[int]:
    """`count` copies of the demo's in-review evaluation, each with its own quotes and scores,
    made as drafts (a frozen evaluation's quotes cannot be written) and then put in review, with
    the draws that submitting them would have had a worker make (scoring.tasks.draw_for_review):
    they were sent to review before the window, as evaluations are before managers approve them.
    In the scaled stack those land in the shared Redis cache; the embedded stack's cache is each
    server process's memory, so its approvals draw for themselves."""
    ids = []
    for n in range(1, count + 1):
        copy = Evaluation.objects.get(pk=source.pk)
        copy.pk = None
        copy.title = f"{source.title} (bench copy {n:03d})"
        copy.status = Evaluation.Status.DRAFT
        copy.save()
        copy.team.set(source.team.all())
        copy.required_certifications.set(source.required_certifications.all())
        copy.allowed_delivery_models.set(source.allowed_delivery_models.all())
        for model in (EvaluationWeight, Candidate, Score, Quote):
            rows = list(model.objects.filter(evaluation=source))
            for row in rows:
                row.pk = None
                row.evaluation_id = copy.pk
            model.objects.bulk_create(rows)
        ids.append(copy.pk)
    Evaluation.objects.filter(pk__in=ids).update(status=Evaluation.Status.IN_REVIEW)
    for pk in ids:
        draw_for_review(pk)
    return ids


def import_file(rows: int) -> bytes:
    """New market quotes ("per transaction", which the synthetic vendors have none of) for the
    first `rows` synthetic vendors, on the process each offers."""
    offers = (
        VendorProcess.objects.filter(vendor__name__startswith="Synthetic Vendor ")
        .order_by("vendor_id")
        .values_list("vendor__name", "process__name", "vendor__centres__delivery_model__code")[
            :rows
        ]
    )
    values = {
        "pricing_model": "per transaction",
        "currency": "USD",
        "transition_fee": "0",
        "minimum_term_months": "12",
        "valid_until": "2028-06-30",
        "service_level_pct": "95",
        "quality_pct": "98",
        "response_time_hours": "4",
        "notes": "bench load import",
    }
    columns = [column.name for column in importing.KINDS["quotes"].columns]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for n, (vendor, process, model) in enumerate(offers):
        row = values | {
            "vendor": vendor,
            "process": process,
            "delivery_model": model,
            "unit_price": f"{0.5 + n % 50 / 100:.2f}",
        }
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue().encode()


def setup_data(args):
    """(users as (name, role)), the Plan's fields, and what the checks compare against."""
    draft = Evaluation.objects.get(title="Customer service outsourcing 2027")
    in_review = Evaluation.objects.get(title="Payroll administration EMEA")
    users = bench_users(args.users, draft)
    managers = sum(role == "manager" for _n, role, _s in users)
    to_approve = copy_in_review(in_review, managers * (int(args.seconds / APPROVE_EVERY_S) + 3))
    manual = list(
        Criterion.objects.filter(
            source=Criterion.Source.MANUAL, evaluationweight__evaluation=draft
        ).values_list("pk", flat=True)
    )
    competing = draft.candidates.filter(excluded_reason="").values_list("vendor_id", flat=True)
    vendors = Vendor.objects.filter(is_active=True).count()
    rows = IMPORT_ROWS[bool(args.quick)]
    plan = {
        "draft": draft.pk,
        "cells": [(v, c) for v in competing for c in manual],
        # The draft's criteria: a what-if names only those (another key is a 400).
        "criteria": list(draft.weights.values_list("criterion__key", flat=True)),
        "vendor_ids": list(Vendor.objects.order_by("?").values_list("pk", flat=True)[:500]),
        "directory_pages": max(1, vendors // 25),
        "to_approve": list(to_approve),
        "import_csv": import_file(rows),
        "approve_every": APPROVE_EVERY_S,
        "pdf_every": PDF_EVERY_S,
        "session_cookie": settings.SESSION_COOKIE_NAME,
    }
    meta = {
        "draft": draft.pk,
        "vendors": vendors,
        "quotes_before": Quote.objects.count(),
        "import_rows": rows,
        "to_approve": list(to_approve),
    }
    connection.close()  # the child forks nothing, but do not hold a connection through the run
    return users, plan, meta


def archive_poller(stats: Stats, archived: dict[int, float], stop: threading.Event) -> None:
    """Seconds from each approval's request to its report_sha256 being recorded (polled)."""
    try:
        while not stop.is_set():
            with stats.lock:
                pending = {e: t for e, t in stats.approvals.items() if e not in archived}
            if pending:
                done = Evaluation.objects.filter(pk__in=list(pending)).exclude(report_sha256="")
                seen = time.perf_counter()
                for pk in done.values_list("pk", flat=True):
                    archived[pk] = seen
            stop.wait(0.2)
    finally:
        connection.close()


def checks(stats: Stats, meta: dict, media: Path) -> list[tuple[str, bool, str]]:
    """No lost or duplicated rows: each table against the writes the users saw succeed."""
    result = []
    mine = Score.objects.filter(evaluation_id=meta["draft"], evaluator__username__startswith=PREFIX)
    stored = {
        (u, v, c): f"{value:.1f}"
        for u, v, c, value in mine.values_list(
            "evaluator__username", "vendor_id", "criterion_id", "value"
        )
    }
    duplicated = (
        mine.values("vendor_id", "criterion_id", "evaluator_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    lost = sum(key not in stored for key in stats.saved)
    wrong = sum(stored.get(key) not in (None, value) for key, value in stats.saved.items())
    extra = len(stored) - len(set(stats.saved) & set(stored))
    result.append((
        "Score rows = cells saved (each holds its last saved value)",
        not (lost or wrong or duplicated or extra),
        f"{len(stats.saved)} cells saved, {len(stored)} rows; {lost} lost, {duplicated} duplicated, "
        f"{wrong} with another value, {extra} not saved by anyone",
    ))  # fmt: skip

    runs = TaskRun.objects.filter(owner__username__startswith=PREFIX)
    states = dict(runs.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    expected = len(stats.task_runs) + len(stats.approvals)
    result.append((
        "TaskRun rows = tasks started, all succeeded",
        runs.count() == expected and set(states) <= {TaskRun.State.SUCCEEDED},
        f"{expected} started (incl. {len(stats.approvals)} approvals), {runs.count()} rows: {states}",
    ))  # fmt: skip

    approved = list(stats.approvals)
    archive_runs = runs.filter(task_name=ARCHIVE_TASK)
    per_evaluation = Counter(run.kwargs.get("evaluation_id") for run in archive_runs)
    files = Counter()
    for path in (media / "reports").glob("evaluation-*.pdf"):
        files[int(path.name.split("-")[1])] += 1
    hashes_ok = 0
    for evaluation in Evaluation.objects.filter(pk__in=approved):
        path = media / evaluation.report_file.name if evaluation.report_file else None
        if (
            path
            and path.exists()
            and hashlib.sha256(path.read_bytes()).hexdigest() == evaluation.report_sha256
        ):
            hashes_ok += 1
    now_approved = Evaluation.objects.filter(
        pk__in=meta["to_approve"], status=Evaluation.Status.APPROVED
    ).count()
    one_each = all(per_evaluation[e] == 1 and files[e] == 1 for e in approved)
    result.append((
        "one archive run, one PDF file and its SHA-256 per approval",
        one_each and hashes_ok == len(approved) == now_approved and sum(files.values()) == len(approved),
        f"{len(approved)} approvals answered, {now_approved} approved rows, "
        f"{sum(per_evaluation.values())} archive runs, {sum(files.values())} archived files, "
        f"{hashes_ok} hashes matching their file",
    ))  # fmt: skip

    imported = "import total" in stats.times and not stats.errors.get("import commit")
    added = Quote.objects.count() - meta["quotes_before"]
    want = meta["import_rows"] if imported else 0
    per_transaction = Quote.objects.filter(notes="bench load import").count()
    result.append((
        "Quote rows added = rows imported, once",
        added == want == per_transaction,
        f"import {'committed' if imported else 'not committed'}: {meta['import_rows']} rows in the "
        f"file, {added} quotes added, {per_transaction} with the file's note",
    ))  # fmt: skip
    copies = len(list((media / "reports" / "copies").glob("*/*.pdf")))
    prepared = runs.filter(task_name="scoring.render_report", state=TaskRun.State.SUCCEEDED).count()
    result.append((
        "one stored draft PDF per prepared copy",
        copies == prepared,
        f"{prepared} render runs succeeded, {copies} files",
    ))  # fmt: skip
    return result
