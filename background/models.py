"""One row per slow task a user started: who started it, how far it got, and what came of it.

The row, not Celery's result backend, is the task's state the status page reads: it exists the
moment the task is queued, names its owner (the access rule), survives result expiry and works the
same whether the task ran on a worker or in-process (no CELERY_BROKER_URL).
"""

import uuid

from django.conf import settings
from django.db import models


class TaskRun(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"

    FINISHED = (State.SUCCEEDED, State.FAILED)
    # What `done` counts, by task name ("rows validated"); filled by background.services.tracked_task.
    PROGRESS_UNITS: dict[str, str] = {}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task_name = models.CharField(max_length=200)
    label = models.CharField(max_length=200, help_text="What the task does, in words.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_runs"
    )
    kwargs = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result_url = models.CharField(max_length=500, blank=True)
    result_label = models.CharField(max_length=200, blank=True)
    result_file = models.CharField(max_length=300, blank=True, help_text="In the default storage.")
    error = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total=0) | models.Q(done__lte=models.F("total")),
                name="task_run_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()}) for {self.owner}"

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def progress_unit(self) -> str:
        return self.PROGRESS_UNITS.get(self.task_name, "")

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def percent_step(self) -> int:
        """The percentage rounded down to 5, for the bar's CSS class (no inline style)."""
        return self.percent - self.percent % 5
