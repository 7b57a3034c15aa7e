"""The same export, run by a real Celery worker over the real Redis broker and result store.

Skipped (with the reason) when Redis is not running; .ci/run starts it. Each test process uses a
Redis database and a queue of its own, so parallel runs (xdist, other checkouts) never share work.
"""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from background.models import TaskRun
from bpo_select.celery import app
from tests.background.redis_server import private_db_number, redis_reachable, redis_url
from tests.factories import VendorFactory, ensure_reference_data

pytestmark = [
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
def worker(settings):
    """A worker thread consuming a private queue on a private Redis database."""
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
    try:
        with start_worker(
            app, pool="solo", queues=[queue], perform_ping_check=False, shutdown_timeout=10
        ):
            yield
    finally:
        app.conf.update(saved)
        app.pool.force_close_all()
        forget_backend()
        redis.Redis.from_url(redis_url(db)).flushdb()


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
