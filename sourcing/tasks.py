"""Celery beat's minute tick: open the RFP rounds whose deadline has passed."""

from celery import shared_task

from sourcing.opening import open_due_rounds


@shared_task(name="sourcing.open_due_rounds", ignore_result=True)
def open_due_rounds_task() -> int:
    return open_due_rounds()
