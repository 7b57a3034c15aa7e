"""The task-status endpoint the pages poll, its retry action, and the download of a task's file."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from background import services
from background.models import TaskRun
from background.selectors import task_run_for_user

POLL_SECONDS = 1


def _follow(request) -> str:
    """A page of this site to open once the run has finished (`?follow=`), or ""."""
    url = request.GET.get("follow", "")
    safe = url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


def _status(request, run: TaskRun, *, status: int = 200, refusal: str = ""):
    follow = _follow(request)
    if follow and request.htmx and run.is_finished:
        return HttpResponseClientRedirect(follow)
    context = {"run": run, "poll_seconds": POLL_SECONDS, "refusal": refusal, "follow": follow}
    template = "background/partials/task_status.html" if request.htmx else "background/task.html"
    return render(request, template, context, status=status)


@require_GET
def task_status(request, pk):
    """An htmx partial (or, opened directly, a page) with the run's progress or its outcome;
    polled with `?follow=<page>`, a finished run sends the browser to that page instead."""
    return _status(request, task_run_for_user(request, pk))


@require_POST
def task_retry(request, pk):
    run = task_run_for_user(request, pk)
    try:
        retried = services.task_retry(run=run, user=request.user)
    except services.TaskError as refused:
        return _status(request, run, status=400, refusal=str(refused))
    if request.htmx:
        return _status(request, retried)
    messages.info(request, f"{retried.label}: started again.")
    return redirect("background:status", retried.pk)


@require_GET
def download(request, pk):
    run = task_run_for_user(request, pk)
    if run.state != TaskRun.State.SUCCEEDED or not run.result_file:
        raise Http404("This task has no file to download.")
    try:
        handle = default_storage.open(run.result_file, "rb")
    except FileNotFoundError:
        raise Http404("The file has expired; run the task again.") from None
    filename = run.result_file.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=filename)
