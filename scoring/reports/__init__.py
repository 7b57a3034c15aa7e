"""The recommendation report and exports of an evaluation, all rendered from one Decision.

``snapshot`` serialises the decision (what approval freezes), ``pdf`` renders the report,
``exports`` the CSV/XLSX files, ``summary`` the sentences they share.
"""

from scoring.reports.exports import EXPORT_FORMATS, EXPORT_KINDS, escape_formula, export_file
from scoring.reports.pdf import (
    PAPER_SIZES,
    REPORT_ORIGIN,
    RefusedURL,
    StaticOnlyFetcher,
    render_report_pdf,
    report_filename,
    report_html,
    static_file_for_url,
)
from scoring.reports.snapshot import (
    approval_decision,
    build_snapshot,
    decision_for,
    from_snapshot,
    frozen_decision,
    to_snapshot,
)

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_KINDS",
    "PAPER_SIZES",
    "REPORT_ORIGIN",
    "RefusedURL",
    "StaticOnlyFetcher",
    "approval_decision",
    "build_snapshot",
    "decision_for",
    "escape_formula",
    "export_file",
    "from_snapshot",
    "frozen_decision",
    "render_report_pdf",
    "report_filename",
    "report_html",
    "static_file_for_url",
    "to_snapshot",
]
