"""Tasks run by a real Celery worker over the real Redis broker and result store: the directory
export, an import validated then committed, the approved PDF archived once, and a worker killed mid-render then replaced (a worker
process, tests/background/kill_worker.py, sharing the test's database).

Skipped (with the reason) when Redis is not running; .ci/run starts it. Each test process uses a
Redis database and a queue of its own, so parallel runs (xdist, other checkouts) never share work.
"""

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from kombu import Exchange, Queue
from kombu import pools as kombu_pools

from background.models import TaskRun
from bpo_select.celery import app
from tests.background.redis_server import private_db_number, redis_reachable, redis_url
from tests.factories import VendorFactory, ensure_reference_data

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not redis_reachable(), reason="Redis is not running on 127.0.0.1:6379"),
]


def forget_backend() -> None:
    """Drop what Celery cached for the old settings: the result backend (globally or per thread)
    and the queues and routes (so tasks go to this test's queue)."""
    import threading

    app._backend_cache = None
    app._local = threading.local()
    app.__dict__.pop("amqp", None)


@pytest.fixture
def broker(settings):
    """Tasks sent to a private queue on a private Redis database; yields (redis url, queue)."""
    import redis

    db = private_db_number()
    redis.Redis.from_url(redis_url(db)).flushdb()
    queue = f"bpo-test-{uuid.uuid4().hex[:12]}"
    saved = {
        k: app.conf[k]
        for k in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }
    app.conf.update(
        broker_url=redis_url(db),
        result_backend=redis_url(db),
        task_always_eager=False,
        task_default_queue=queue,
    )
    settings.CELERY_BROKER_URL = redis_url(db)
    forget_backend()
    # Declare the queue and its binding before anything is published: on Redis a message sent to
    # an exchange with no binding yet (a worker not started, a producer that skips declaring) is
    # dropped, not kept.
    with app.connection_for_write() as connection:
        Queue(queue, Exchange(queue, type="direct"), routing_key=queue)(
            connection.default_channel
        ).declare()
    try:
        yield redis_url(db), queue
    finally:
        app.conf.update(saved)
        app.pool.force_close_all()
        # kombu keeps the closed pools in its registry; the next test needs fresh ones.
        kombu_pools.reset()
        app._pool = None
        forget_backend()
        redis.Redis.from_url(redis_url(db)).flushdb()


@pytest.fixture
def worker(broker):
    """A worker thread consuming the private queue."""
    with start_worker(
        app, pool="solo", queues=[broker[1]], perform_ping_check=False, shutdown_timeout=10
    ):
        yield


def wait_until_finished(run: TaskRun, timeout: float = 30) -> TaskRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_finished:
            return run
        time.sleep(0.1)
    raise AssertionError(f"task still {run.state} after {timeout} s")


def test_a_worker_runs_the_export_and_the_status_page_shows_the_download(client, worker):
    ensure_reference_data()
    from tests.factories import AnalystFactory

    analyst = AnalystFactory(username="ana-worker")
    client.force_login(analyst)
    VendorFactory.create_batch(3, country="PH")
    response = client.post(
        reverse("vendors:directory_export") + "?country=PH", HTTP_X_REQUEST_ID="wrk-1"
    )
    run = TaskRun.objects.get()
    assert response.url == reverse("background:status", args=[run.pk])
    run = wait_until_finished(run)
    assert run.state == TaskRun.State.SUCCEEDED, run.error
    assert (run.done, run.total, run.attempts) == (3, 3, 1)
    assert run.request_id == "wrk-1"
    page = client.get(
        reverse("background:status", args=[run.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Download the CSV (3 vendors)" in page
    download = client.get(reverse("background:download", args=[run.pk]))
    assert b"".join(download.streaming_content).decode("utf-8-sig").count("Philippines") == 3
    # Celery's own result store has the outcome too (the worker wrote it to Redis).
    assert app.AsyncResult(str(run.pk)).get(timeout=10) == TaskRun.State.SUCCEEDED


# ------------------------------------------------------------------ the approved PDF on a worker


def in_review_evaluation():
    from scoring.models import Evaluation
    from tests.factories import AnalystFactory, rankable_evaluation

    ensure_reference_data()
    evaluation = rankable_evaluation(owner=AnalystFactory())
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
    evaluation.refresh_from_db()
    return evaluation


def stored_reports(media: Path) -> list[str]:
    folder = media / "reports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_worker_archives_the_approved_pdf_once_after_the_approval_commits(
    client, worker, settings
):
    from scoring.models import Evaluation
    from tests.factories import ManagerFactory

    evaluation = in_review_evaluation()
    manager = ManagerFactory()
    client.force_login(manager)

    response = client.post(reverse("scoring:approve", args=[evaluation.pk]), {"comment": "Go"})

    assert response.status_code == 302
    run = wait_until_finished(TaskRun.objects.get())
    assert (run.state, run.attempts, run.owner) == (TaskRun.State.SUCCEEDED, 1, manager), run.error
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.APPROVED
    pdf = (Path(settings.MEDIA_ROOT) / evaluation.report_file.name).read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == evaluation.report_sha256
    assert stored_reports(Path(settings.MEDIA_ROOT)) == [evaluation.report_file.name[8:]]
    download = client.get(reverse("scoring:report_pdf", args=[evaluation.pk]))
    assert download.content == pdf


class SharedDatabase:
    """The test's database as a separate worker process reaches it: PostgreSQL's test database as
    it is, SQLite's in-memory one copied to a file (after the test has arranged its rows)."""

    def __init__(self, tmp_path: Path):
        from django.db import connection

        conf = connection.settings_dict
        self.sqlite = conf["ENGINE"].endswith("sqlite3")
        if self.sqlite:
            self.path = tmp_path / "worker.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            auth = f"{quote(conf['USER'] or '')}:{quote(conf['PASSWORD'] or '')}@"
            port = f":{conf['PORT']}" if conf["PORT"] else ""
            host = quote(conf["HOST"] or "localhost", safe="")  # a socket path is %-encoded
            self.url = f"postgres://{auth}{host}{port}/{conf['NAME']}"

    def publish(self) -> None:
        """Copy what the test committed so far where the worker will read it (SQLite only)."""
        from django.db import connection

        if self.sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()

    def rows(self, sql: str, *params) -> list[tuple]:
        from django.db import connection

        if not self.sqlite:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        with closing(sqlite3.connect(self.path, timeout=20)) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()


# The dead worker's task comes back once it has been unacknowledged this long. A worker scans for
# such tasks as it starts, then only every ~100 s (kombu throttles the scan), so the second worker
# must start after the task is old enough, or the test waits past its deadline.
VISIBILITY_SECONDS = 2


def start_worker_process(broker, database, media: Path, started: Path | None = None):
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker[0],
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS),
        "WORKER_QUEUE": broker[1],
        "DATABASE_URL": database.url,
        "MEDIA_ROOT": str(media),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("RENDER_STARTED", None)
    if started is not None:
        env["RENDER_STARTED"] = str(started)
    log = media.parent / f"worker-{uuid.uuid4().hex[:6]}.log"  # read back when a wait fails
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests/background/kill_worker.py")],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def worker_logs(media: Path) -> str:
    return "\n".join(
        p.read_text(errors="replace")[-3000:] for p in media.parent.glob("worker-*.log")
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def test_a_worker_killed_mid_render_leaves_one_pdf_one_sha256_and_no_duplicate_rows(
    broker, settings, tmp_path
):
    from scoring.services import evaluation_approve
    from tests.factories import ManagerFactory

    media = Path(settings.MEDIA_ROOT)
    database = SharedDatabase(tmp_path)
    evaluation = in_review_evaluation()
    manager = ManagerFactory()
    # The approval commits and queues its archive task; no worker runs yet.
    evaluation_approve(evaluation=evaluation, manager=manager, comment="Go")
    database.publish()
    assert TaskRun.objects.count() == 1
    history = database.rows(
        "SELECT COUNT(*) FROM scoring_historicalevaluation WHERE id = %s", evaluation.pk
    )

    started = tmp_path / "render-started"
    first = start_worker_process(broker, database, media, started)
    try:
        deadline = time.monotonic() + 120  # a worker boots slowly on a loaded machine
        while not started.exists() and time.monotonic() < deadline:
            assert first.poll() is None, "the first worker exited:\n" + worker_logs(media)
            time.sleep(0.2)
        assert started.exists(), "the first worker never started rendering:\n" + worker_logs(media)
        first.send_signal(signal.SIGKILL)  # mid-render: nothing committed, message not acked
        first.wait(timeout=10)
    finally:
        stop(first)
    assert database.rows(
        "SELECT report_sha256 FROM scoring_evaluation WHERE id = %s", evaluation.pk
    ) == [("",)]

    time.sleep(VISIBILITY_SECONDS + 1)  # the unacknowledged task is visible to the next start
    second = start_worker_process(broker, database, media)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            states = database.rows("SELECT state, attempts FROM background_taskrun")
            if states and states[0][0] in TaskRun.FINISHED:
                break
            time.sleep(0.3)
    finally:
        stop(second)

    assert states == [(TaskRun.State.SUCCEEDED, 2)]  # one run, redelivered once
    [(sha, name)] = database.rows(
        "SELECT report_sha256, report_file FROM scoring_evaluation WHERE id = %s", evaluation.pk
    )
    assert stored_reports(media) == [name[len("reports/") :]]
    assert hashlib.sha256((media / name).read_bytes()).hexdigest() == sha
    assert (
        database.rows(
            "SELECT COUNT(*) FROM scoring_historicalevaluation WHERE id = %s", evaluation.pk
        )
        == history
    )


def test_a_worker_validates_then_commits_an_import_and_the_pages_show_rows_validated(
    client, worker
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import VendorAdminFactory
    from tests.vendors.importing_helpers import GOOD_QUOTE, QUOTE_HEADER, csv_bytes
    from vendors.models import Quote

    ensure_reference_data()
    VendorFactory(name="Acme")
    admin = VendorAdminFactory()
    client.force_login(admin)
    file = SimpleUploadedFile("quotes.csv", csv_bytes([QUOTE_HEADER, GOOD_QUOTE]))
    upload = client.post(reverse("vendors:import"), {"kind": "quotes", "file": file})

    validated = wait_until_finished(TaskRun.objects.get(task_name="vendors.import_preview"))
    assert upload.url == reverse("vendors:import_preview", args=[validated.pk])
    assert (validated.state, validated.done, validated.total) == (TaskRun.State.SUCCEEDED, 1, 1)
    assert not Quote.objects.filter(vendor__name="Acme").exists()  # validating wrote nothing
    preview = client.get(upload.url)
    assert preview.context["report"].counts["new"] == 1
    token = preview.context["token"]

    response = client.post(reverse("vendors:import_commit"), {"token": token})

    run = wait_until_finished(TaskRun.objects.get(task_name="vendors.import_commit"))
    # The task page, or the result when the worker was done before the view answered.
    assert response.url in (reverse("background:status", args=[run.pk]), reverse("vendors:import"))
    assert (run.state, run.done, run.total, run.attempts) == (TaskRun.State.SUCCEEDED, 1, 1, 1)
    assert Quote.objects.filter(vendor__name="Acme").count() == 1
    assert Quote.history.filter(history_user=admin).count() == 1
    page = client.get(reverse("background:status", args=[run.pk])).content.decode()
    assert "Imported quotes.csv: 1 new, 0 changed, 0 unchanged." in page
