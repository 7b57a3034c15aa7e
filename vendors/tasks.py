"""Background tasks of the vendor market: thin shells over the services that do the work."""

from django.urls import reverse

from background.services import TaskFailed, TaskResult, tracked_task
from vendors import importing
from vendors.exporting import ExportRefused, export_directory_csv


@tracked_task(name="vendors.export_directory")
def export_directory(*, run, progress, params: dict) -> TaskResult:
    file_name = f"exports/vendors-{run.created_at:%Y%m%d-%H%M%S}-{run.pk.hex[:8]}.csv"
    try:
        stored, count = export_directory_csv(params=params, file_name=file_name, progress=progress)
    except ExportRefused as refused:
        raise TaskFailed(str(refused)) from refused
    noun = "vendor" if count == 1 else "vendors"
    return TaskResult(label=f"Download the CSV ({count:,} {noun})", file_name=stored)


class RowProgress:
    """The importer's progress hook (it wraps the rows it checks) reporting "rows validated"."""

    MIN_STEP = 250  # rows between updates: a small file costs two updates, not one per row

    def __init__(self, progress):
        self.progress = progress

    def __call__(self, iterable, *, total: int, **_kwargs):
        step = max(self.MIN_STEP, total // 50)  # at most about fifty updates for a big file
        self.progress(0, total)
        done = 0
        for done, item in enumerate(iterable, start=1):
            if done % step == 0:
                self.progress(done, total)
            yield item
        self.progress(done, total)


def _rejected(report) -> str:
    noun = "row has" if report.counts["error"] == 1 else "rows have"
    first = "; ".join(str(error) for error in report.errors[:3])
    return (
        f"Nothing was imported: {report.counts['error']:,} {noun} errors against the current data "
        f"(it changed since your preview). {first}. Upload the file again to see every error."
    )


def _unconfirmed(unconfirmed) -> str:
    if not unconfirmed.stale:
        return (
            "Nothing was imported: the file deletes stored values. Go back to the preview, "
            "tick the box to confirm the deletions and import again."
        )
    report = unconfirmed.report
    first = "; ".join(str(deletion) for deletion in report.deletions[:3])
    more = report.deletion_count - min(3, len(report.deletions))
    return (
        "Nothing was imported: the deletions changed since your preview. It would now delete: "
        f"{first}{f' and {more:,} more' if more > 0 else ''}. Upload the file again to review "
        "and confirm them."
    )


@tracked_task(name="vendors.import_preview", progress_unit="rows validated")
def import_preview(*, run, progress, token: str, filename: str, kind: str) -> TaskResult:
    """Validate an uploaded file and diff it against the database; writes nothing but the
    preview, which the preview page shows (the file stays stashed for the commit)."""
    data = importing.unstash(token)
    if data is None:
        raise TaskFailed("The uploaded file is gone (it expired or was replaced). Upload it again.")
    try:
        table = importing.load(data, filename, kind)
        report, _plan = importing.preview(table, progress=RowProgress(progress))
    except importing.ImportRefused as refused:
        importing.discard(token)
        raise TaskFailed(str(refused)) from refused
    importing.stash_report(token, report)
    if not (report.ok and report.has_changes):
        importing.discard(token, keep_preview=True)  # nothing to commit: only the preview is kept
    return TaskResult(
        label=f"See the preview of {filename}"[:200],
        url=reverse("vendors:import_preview", args=[run.pk]),
    )


@tracked_task(name="vendors.import_commit", progress_unit="rows validated")
def import_commit(
    *, run, progress, token: str, filename: str, kind: str, confirm_deletions: str
) -> TaskResult:
    """Write a previewed file, all of it or nothing, after validating it again."""
    data = importing.unstash(token)
    if data is None:
        raise TaskFailed(
            "The previewed file is gone (it expired or was imported). Upload it again."
        )
    try:
        table = importing.load(data, filename, kind)
        report = importing.commit(
            table,
            user=run.owner,
            progress=RowProgress(progress),
            confirm_deletions=confirm_deletions,
        )
    except importing.ImportRefused as refused:
        raise TaskFailed(str(refused)) from refused
    except importing.DeletionsUnconfirmed as unconfirmed:
        raise TaskFailed(_unconfirmed(unconfirmed)) from unconfirmed
    except importing.ImportRejected as rejected:
        raise TaskFailed(_rejected(rejected.report)) from rejected
    importing.discard(token)
    counts = report.counts
    where = "vendors:directory" if kind == "vendors" else "vendors:import"
    return TaskResult(
        label=(
            f"Imported {filename}: {counts['new']:,} new, {counts['changed']:,} changed, "
            f"{counts['unchanged']:,} unchanged."
        )[:200],
        url=reverse(where),
    )
