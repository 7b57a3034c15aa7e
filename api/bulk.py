"""Bulk upserts for integrations: JSON items become the import file they stand for, and the
importer (vendors.importing) validates and commits them, so the API, the import page and
`manage.py import_vendors` share one set of rules, messages and all-or-nothing commits."""

import csv
import io
from collections.abc import Mapping, Sequence

from rest_framework import status
from rest_framework.response import Response

from vendors import importing

FILENAME = "api-request.csv"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):  # a list column: the file's "a; b; c"
        return "; ".join(_cell(item) for item in value)
    return str(value)


def items_as_csv(kind: str, items: Sequence[Mapping]) -> bytes:
    """The CSV an admin would upload for ``items`` (columns: the union of the items' keys, in the
    kind's order; unknown keys become unknown columns, which the importer names and refuses)."""
    names = list(importing.kind_for(kind).names)
    extra = sorted({key for item in items for key in item} - set(names))
    try:
        "".join(extra).encode()
    except UnicodeEncodeError:
        raise importing.ImportRefused(
            "Items: a key is not valid Unicode; send UTF-8 text."
        ) from None
    used = [n for n in names if any(n in item for item in items)] + extra
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(used)
    for index, item in enumerate(items):
        row = [_cell(item.get(name)) for name in used]
        try:
            "".join(row).encode()
        except UnicodeEncodeError:
            # JSON can carry a lone surrogate (\ud800), which no text column can store.
            raise importing.ImportRefused(
                f"Items: item {index} holds text that is not valid Unicode; send UTF-8 text."
            ) from None
        writer.writerow(row)
    return out.getvalue().encode()


def _rejection(report, detail: str) -> Response:
    errors = [
        {"item": error.row - 2, "column": error.column, "message": error.message}
        for error in report.errors
    ]
    body = {"detail": detail, "error_count": report.error_count, "errors": errors}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def upsert(kind: str, items: Sequence[Mapping], *, user, confirm_deletions: bool) -> Response:
    try:
        table = importing.load(items_as_csv(kind, items), FILENAME, kind, max_rows=len(items))
    except importing.ImportRefused as exc:
        # The importer names the file; here there is none, only the request's items.
        raise importing.ImportRefused(str(exc).replace(f'"{FILENAME}":', "Items:")) from exc
    try:
        report = importing.commit(table, user=user, confirm_deletions=confirm_deletions)
    except importing.DeletionsUnconfirmed as exc:
        deletions = "; ".join(
            f"item {d.row - 2}, {d.column}: deletes {d.removed}" for d in exc.report.deletions[:20]
        )
        return Response(
            {
                "detail": f"These items would delete stored data ({deletions}); send "
                "confirm_deletions: true to go ahead. Nothing was written.",
                "error_count": 0,
                "errors": [],
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    except importing.ImportRejected as exc:
        return _rejection(
            exc.report, f"{exc.report.error_count} error(s) in the items; nothing was written."
        )
    counts = report.counts
    return Response(
        {"new": counts["new"], "changed": counts["changed"], "unchanged": counts["unchanged"]}
    )
