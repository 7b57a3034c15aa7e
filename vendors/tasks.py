"""Background tasks of the vendor market: thin shells over the services that do the work."""

from background.services import TaskFailed, TaskResult, tracked_task
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
