"""Reading task runs: only the user who started one may see it."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from background.models import TaskRun


def task_run_for_user(request: HttpRequest, pk) -> TaskRun:
    """The run `pk` if the requesting user started it; anyone else gets a 404, as if it did not exist."""
    return get_object_or_404(TaskRun, pk=pk, owner=request.user)
