"""A Celery worker process for the killed-worker test (tests/background/test_worker.py).

Configured by the environment the test passes (CELERY_BROKER_URL, DATABASE_URL of the test's
database, MEDIA_ROOT, WORKER_QUEUE). With RENDER_STARTED set to a path, the PDF render writes that
file and then hangs, so the test can SIGKILL the worker while the archive task is mid-render.
"""

import os
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpo_select.settings")
django.setup()

from scoring import archive  # noqa: E402

started = os.environ.get("RENDER_STARTED")
if started:

    def hanging_render(snapshot):
        Path(started).write_text(str(os.getpid()))
        time.sleep(300)
        raise AssertionError("the test should have killed this worker")

    archive.render_report_pdf = hanging_render

from bpo_select.celery import app  # noqa: E402

app.worker_main(
    [
        "worker",
        "--pool=solo",
        "--queues",
        os.environ["WORKER_QUEUE"],
        "--without-mingle",
        "--without-gossip",
        "--loglevel=INFO",
    ]
)
