"""Start, track and retry slow tasks: the one way views and commands hand work to Celery.

A task is a thin shell over a service. `tracked_task` wraps a function `work(run, progress,
**kwargs)` into a Celery task that marks its TaskRun running, records progress, and ends it
succeeded (with a result link) or failed (with a message the user can act on). Idempotent: a
redelivered task whose run already finished does nothing, so `acks_late` costs a retry, never a
duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from celery import current_app, shared_task
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from background.models import TaskRun
from bpo_select.logs import current_request_id, request_id_context

log = logging.getLogger("bpo_select.tasks")


class TaskFailed(Exception):
    """A failure whose message is meant for the user (what went wrong and what to do)."""


class TaskError(Exception):
    """A refused action on a task run (retrying one that did not fail)."""


@dataclass(frozen=True)
class TaskResult:
    label: str
    file_name: str = ""  # in the default storage; served by background:download to the owner only
    url: str = ""


class Progress:
    """Records `done` of `total` on the run (what the status page polls) and in Celery's state."""

    def __init__(self, task, run_id):
        self.task, self.run_id = task, run_id

    def __call__(self, done: int, total: int) -> None:
        done = min(done, total) if total else done
        TaskRun.objects.filter(pk=self.run_id).update(done=done, total=total)
        if self.task is not None and not self.task.request.is_eager and self.task.request.id:
            self.task.update_state(state="PROGRESS", meta={"done": done, "total": total})


def in_process() -> bool:
    """Whether tasks run inside the request (no CELERY_BROKER_URL: the embedded default)."""
    return bool(current_app.conf.task_always_eager)


def task_start(
    *, task, owner, label: str, kwargs: dict | None = None, at_once_in_process: bool = False
) -> TaskRun:
    """Record the run, then queue the task once the caller's transaction commits.

    `at_once_in_process`: with no broker, run it before returning, even inside a transaction;
    only for a task that writes nothing but its own result (a preview), so it need not wait for
    the caller's commit and the caller can answer with the result.
    """
    run = TaskRun.objects.create(
        task_name=task.name,
        label=label,
        owner=owner,
        kwargs=kwargs or {},
        request_id=current_request_id(),
    )
    if at_once_in_process and in_process():
        task.apply(args=[str(run.pk)], task_id=str(run.pk))
        run.refresh_from_db()
        return run
    transaction.on_commit(lambda: task.apply_async(args=[str(run.pk)], task_id=str(run.pk)))
    return run


def task_retry(*, run: TaskRun, user) -> TaskRun:
    """A new run of the same task with the same arguments; only a failed run can be retried."""
    if run.state != TaskRun.State.FAILED:
        raise TaskError(
            f"Only a failed task can be retried; this one is {run.get_state_display().lower()}."
        )
    task = current_app.tasks[run.task_name]
    return task_start(task=task, owner=user, label=run.label, kwargs=run.kwargs)


def _finish(run_id, **fields) -> None:
    TaskRun.objects.filter(pk=run_id).update(**fields)


def run_tracked(task, run_id: str, work: Callable[..., TaskResult]) -> str:
    """Run `work` for the TaskRun `run_id` and record how it ended; returns the final state."""
    run = TaskRun.objects.filter(pk=run_id).first()
    if run is None:
        log.warning("task run %s not found; nothing to do", run_id)
        return "missing"
    if run.is_finished:
        return run.state
    with request_id_context(run.request_id):
        TaskRun.objects.filter(pk=run_id).update(
            state=TaskRun.State.RUNNING, attempts=F("attempts") + 1, error=""
        )
        log.info("task started name=%s run=%s", run.task_name, run_id)
        try:
            result = work(run=run, progress=Progress(task, run_id), **run.kwargs)
        except TaskFailed as failure:
            log.info("task failed name=%s run=%s reason=%s", run.task_name, run_id, failure)
            _finish(run_id, state=TaskRun.State.FAILED, error=str(failure))
            return TaskRun.State.FAILED
        except Exception:
            log.exception("task crashed name=%s run=%s", run.task_name, run_id)
            _finish(
                run_id,
                state=TaskRun.State.FAILED,
                error=(
                    "The task stopped on an unexpected error and wrote nothing. Try again; if it "
                    f"fails again, give your administrator this reference: {run_id}."
                ),
            )
            return TaskRun.State.FAILED
        url = result.url or (
            reverse("background:download", args=[run_id]) if result.file_name else ""
        )
        _finish(
            run_id,
            state=TaskRun.State.SUCCEEDED,
            result_label=result.label,
            result_url=url,
            result_file=result.file_name,
        )
        log.info("task succeeded name=%s run=%s", run.task_name, run_id)
        return TaskRun.State.SUCCEEDED


def tracked_task(name: str, *, progress_unit: str = "", **options):
    """Turn `work(run, progress, **kwargs) -> TaskResult` into a Celery task over a TaskRun;
    `progress_unit` names what its progress counts ("rows validated") on the status page."""
    if progress_unit:
        TaskRun.PROGRESS_UNITS[name] = progress_unit

    def decorator(work: Callable[..., TaskResult]):
        @shared_task(bind=True, name=name, acks_late=True, **options)
        def task(self, run_id: str) -> str:
            return run_tracked(self, run_id, work)

        task.work = work
        return task

    return decorator
