"""The Celery app: configured from Django's settings (CELERY_*), tasks found in each app's tasks.py.

Start a worker with `celery -A bpo_select worker` (see `make serve`); without CELERY_BROKER_URL
tasks run in-process and no worker is needed.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpo_select.settings")

app = Celery("bpo_select")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Run by the one process started with `celery ... worker -B` (or `celery beat`): never start beat
# on two machines, though a double tick would only find the rounds already open.
app.conf.beat_schedule = {
    "open-due-rfp-rounds": {"task": "sourcing.open_due_rounds", "schedule": 60.0},
}
