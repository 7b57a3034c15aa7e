"""The vendor directory and profiles, read by every role."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from background.models import TaskRun
from background.selectors import task_run_for_user
from background.services import task_start
from background.views import POLL_SECONDS
from bpo_select.audit import Source, history_page
from bpo_select.roles import Role, role_required
from vendors import importing
from vendors.certificate_status import standing
from vendors.directory import DirectoryListing
from vendors.forms import ImportForm
from vendors.models import DeliveryCentre, Quote, Vendor, VendorCertification
from vendors.tasks import export_directory
from vendors.tasks import import_commit as import_commit_task
from vendors.tasks import import_preview as import_preview_task

PAGE_SIZE = 25


@role_required(*Role.ALL)
def directory(request):
    """The directory page; its filters, count and rows come from the market cache when they can
    (vendors.market_cache), so a page seen before costs no query of its own."""
    listing = DirectoryListing(request)
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))  # type: ignore[arg-type,var-annotated]  # a count() and slices
    return render(
        request,
        "vendors/directory.html",
        {
            "filter": SimpleLazyObject(listing.filter),
            "page_obj": page,
            "filters_html": listing.filters_html(),
            "rows_html": listing.rows_html(page),
            "nav": "vendors",
        },
    )


@require_POST
@role_required(*Role.ALL)
def directory_export(request):
    """Start the CSV export of the vendors the current filters match; the task page shows progress."""
    params = {key: request.GET[key] for key in request.GET if key != "page"}
    run = task_start(
        task=export_directory,
        owner=request.user,
        label="Vendor directory export",
        kwargs={"params": params},
    )
    return redirect("background:status", run.pk)


@role_required(*Role.ALL)
def detail(request, pk: int):
    vendor = get_object_or_404(
        Vendor.objects.prefetch_related(
            Prefetch("centres", queryset=DeliveryCentre.objects.select_related("delivery_model")),
            Prefetch(
                "vendor_certifications",
                queryset=VendorCertification.objects.select_related("certification"),
            ),
            "offered_processes__process",
        ),
        pk=pk,
    )
    quotes = (
        Quote.objects.filter(vendor=vendor, evaluation__isnull=True)
        .select_related("process", "delivery_model")
        .order_by("-updated_at")[:20]
    )
    today = timezone.localdate()
    certifications = [
        (vc, standing(vc.valid_until, today=today)) for vc in vendor.vendor_certifications.all()
    ]
    return render(
        request,
        "vendors/detail.html",
        {
            "vendor": vendor,
            "certifications": certifications,
            "quotes": quotes,
            "today": today,
            "nav": "vendors",
        },
    )


# History


# Records are simple_history's generated models, which the type stubs cannot see: hence Any.
def _vendor_label(record: Any) -> str:
    return record.name


def _list_price_label(record: Any) -> str:
    return f"{record.process} · {record.delivery_model} · {record.get_pricing_model_display()}"


@require_GET
@role_required(*Role.ALL)
def history(request, pk: int):
    """The vendor's audit trail: master data and market list prices (not evaluation quotes)."""
    vendor = get_object_or_404(Vendor, pk=pk)
    sources = [
        Source("Vendor", Vendor.history.filter(id=vendor.pk), _vendor_label),
        Source(
            "List price",
            Quote.history.filter(vendor_id=vendor.pk, evaluation_id__isnull=True),
            _list_price_label,
            related=("process", "delivery_model"),
        ),
    ]
    page = history_page(sources, request.GET.get("page"))
    return render(
        request, "vendors/history.html", {"vendor": vendor, "page_obj": page, "nav": "vendors"}
    )


# Import

IMPORT_SESSION_KEY = "vendor_import"
TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _import_page(request, form, *, status: int = 200, refusal: str = ""):
    context = {
        "form": form,
        "refusal": refusal,
        "kinds": importing.KINDS.values(),
        "rules": importing.EMPTY_CELL_RULES,
        "nav": "import",
    }
    return render(request, "vendors/import.html", context, status=status)


def _too_big(size: int) -> str:
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size <= limit:
        return ""
    return f"The file is larger than the {limit / 1024 / 1024:.0f} MB limit; split it into smaller files."


@csrf_exempt  # CSRF is checked by import_upload, after the size check: reading the token parses the body
@role_required(Role.VENDOR_ADMIN)
def import_start(request):
    """The import page; a POST is refused with 413 by its Content-Length before the body is read."""
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if refusal := _too_big(length):
            return _import_page(request, ImportForm(), status=413, refusal=refusal)
    return _import_upload(request)


@csrf_protect
def _import_upload(request):
    if request.method != "POST":
        return _import_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
    if refusal := _too_big(upload.size):
        return _import_page(request, form, status=413, refusal=refusal)
    # Validated by a task: the page shows rows validated, then the preview. In-process (no
    # broker) it has run when task_start returns, so this answer is the preview itself.
    _forget_pending(request)
    token = importing.stash(upload.read(), upload.name)
    run = task_start(
        task=import_preview_task,
        owner=request.user,
        label=f"Validate {upload.name}"[:200],
        kwargs={"token": token, "filename": upload.name, "kind": kind},
        at_once_in_process=True,
    )
    if run.is_finished:
        return _preview_of(request, run, form=form)
    return redirect("vendors:import_preview", run.pk)


@require_GET
@role_required(Role.VENDOR_ADMIN)
def import_preview(request, pk):
    """The validation's progress (polling the task status), then the preview of its file."""
    run = task_run_for_user(request, pk)
    if run.task_name != import_preview_task.name:
        raise Http404("No such import preview.")
    if not run.is_finished:
        context = {
            "run": run,
            "poll_seconds": POLL_SECONDS,
            "follow": request.path,
            "nav": "import",
        }
        return render(request, "vendors/import_validating.html", context)
    return _preview_of(request, run)


def _preview_of(request, run: TaskRun, *, form=None):
    """The finished validation `run`: its preview, or the import page with why the file was refused."""
    form = form or ImportForm()
    if run.state == TaskRun.State.FAILED:
        return _import_page(request, form, status=400, refusal=run.error)
    token = run.kwargs["token"]
    report = importing.unstash_report(token)
    if report is None:
        refusal = (
            "This preview is gone: its file was imported or replaced by another upload, or a day "
            "passed. Upload the file again to see a preview."
        )
        return _import_page(request, form, status=410, refusal=refusal)
    committable = report.ok and report.has_changes and importing.has_upload(token)
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    if committable:
        request.session[IMPORT_SESSION_KEY] = {
            "token": token,
            "kind": run.kwargs["kind"],
            "filename": run.kwargs["filename"],
        }
    elif pending.get("token") == token:
        request.session.pop(IMPORT_SESSION_KEY)
    gone = report.ok and report.has_changes and not committable
    return _preview_page(request, report, token=token if committable else "", gone=gone)


def _preview_page(
    request, report, *, token: str = "", gone: bool = False, status: int = 200, refusal: str = ""
):
    context = {
        "report": report,
        "kind": importing.KINDS[report.kind],
        "token": token,
        "gone": gone,
        "refusal": refusal,
        "nav": "import",
    }
    return render(request, "vendors/import_preview.html", context, status=status)


def _forget_pending(request) -> None:
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    if pending:
        importing.discard(pending["token"])


@require_POST
@role_required(Role.VENDOR_ADMIN)
def import_commit(request):
    """Hand the file kept since the preview to a task that re-validates it and writes all or nothing."""
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    token = request.POST.get("token", "")
    data = None
    if pending and secrets.compare_digest(pending["token"], token):
        data = importing.unstash(token)
    if data is None:
        refusal = (
            "There is no previewed file to import (it expired or was imported). Upload it again."
        )
        return _import_page(request, ImportForm(), status=400, refusal=refusal)
    # Validated again and written by a task; its page shows rows validated, then the result. The
    # preview stays pending: after a refusal (deletions not confirmed) it can be committed again;
    # once imported, its file is gone and a second commit is refused above.
    run = task_start(
        task=import_commit_task,
        owner=request.user,
        label=f"Import {pending['filename']}"[:200],
        kwargs={
            "token": token,
            "filename": pending["filename"],
            "kind": pending["kind"],
            "confirm_deletions": request.POST.get("confirm_deletions", ""),
        },
    )
    run.refresh_from_db()
    if run.state == run.State.SUCCEEDED:  # it ran in-process (no broker): straight to the result
        messages.success(request, run.result_label)
        return redirect(run.result_url)
    return redirect("background:status", run.pk)


@role_required(Role.VENDOR_ADMIN)
def import_template(request, kind: str, fmt: str):
    if kind not in importing.KINDS or fmt not in TEMPLATE_TYPES:
        raise Http404("No such template.")
    content = importing.template_csv(kind) if fmt == "csv" else importing.template_xlsx(kind)
    response = HttpResponse(content, content_type=TEMPLATE_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.{fmt}"'
    return response
