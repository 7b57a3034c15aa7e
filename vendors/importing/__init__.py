"""Bulk import of vendors (with processes, certifications and centres), market quotes and exchange
rates from CSV or XLSX: read the file defensively, validate every row, diff it against the database
and commit all rows in one transaction. Pure of HTTP: the import page and `manage.py import_vendors`
both call `load`, `preview` and `commit`.

The package tells the story in order: `spec` (kinds and columns), `reading` (bytes to a frame),
`validation` (cell checks), one planner per kind, `apply` (preview and commit), `stash` (pending
uploads between preview and commit).
"""

from vendors.importing.apply import commit, preview
from vendors.importing.reading import Table, check_xlsx, column_key, load
from vendors.importing.report import Plan, Report, RowChange, RowDeletion, RowError
from vendors.importing.spec import (
    CLEAR,
    CURRENCIES,
    EMPTY_CELL_RULES,
    EXTENSIONS,
    KINDS,
    MAX_ROWS,
    Column,
    DeletionsUnconfirmed,
    ImportRefused,
    ImportRejected,
    Kind,
    kind_for,
    template_csv,
    template_xlsx,
)
from vendors.importing.stash import (
    discard,
    has_upload,
    stash,
    stash_report,
    unstash,
    unstash_report,
)

__all__ = [
    "CLEAR",
    "CURRENCIES",
    "EMPTY_CELL_RULES",
    "EXTENSIONS",
    "KINDS",
    "MAX_ROWS",
    "Column",
    "DeletionsUnconfirmed",
    "ImportRefused",
    "ImportRejected",
    "Kind",
    "Plan",
    "Report",
    "RowChange",
    "RowDeletion",
    "RowError",
    "Table",
    "check_xlsx",
    "column_key",
    "commit",
    "discard",
    "has_upload",
    "kind_for",
    "load",
    "preview",
    "stash",
    "stash_report",
    "template_csv",
    "template_xlsx",
    "unstash",
    "unstash_report",
]
