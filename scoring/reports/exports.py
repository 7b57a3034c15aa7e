"""CSV and XLSX exports of a decision: typed numbers, escaped text, and what they stand on.

Each export carries its context so that it can stand alone: the CSV after a blank line, the
workbook on an "About" sheet (evaluation, snapshot id, method, weights, every vendor not ranked
and why, open points).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from scoring.costs import CENT
from scoring.decision import Decision
from scoring.delivery_mix import percent
from scoring.facts import money_text
from scoring.reports.pdf import report_filename

EXPORT_KINDS = ("ranking", "scores", "tco")
EXPORT_FORMATS = ("csv", "xlsx")
_DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    title: str
    number_format: str = ""  # an Excel number format for numeric columns


def escape_formula(text: str) -> str:
    """Text a spreadsheet will not run: a leading = + - @ tab or CR gets a ' (OWASP)."""
    return "'" + text if text.startswith(_DANGEROUS_PREFIXES) else text


def _money(value: Decimal | None) -> Decimal | None:
    """Cents, as the pages and the PDF compute them (a TCO is rounded to cents once)."""
    return None if value is None else Decimal(value).quantize(CENT)


def _ranking_table(decision: Decision) -> tuple[list[Column], list[list]]:
    currency = decision.evaluation.base_currency
    used = decision.used_criteria
    columns = [
        Column("Rank", "0"),
        Column("Vendor"),
        Column("Country"),
        Column("Score", "0.0000"),
        Column(f"TCO ({currency})", "#,##0.00"),
    ]
    if decision.additive:
        columns += [Column(f"Contribution: {c.name}", "0.0000") for c in used]
    else:  # TOPSIS parts do not add up to the score: show what it is made of instead
        columns += [Column(f"Distance to ideal: {c.name}", "0.0000") for c in used]
        columns += [Column(f"Distance to anti-ideal: {c.name}", "0.0000") for c in used]
    rows = []
    for row in decision.ranking:
        vendor = decision.vendors.get(row.vendor_id)
        cells = [
            row.rank,
            row.name,
            vendor.country_name if vendor else "",
            row.score,
            _money(row.tco),
        ]
        if decision.additive:
            cells += [(row.contributions or {}).get(c.key) for c in used]
        else:
            cells += [(row.ideal_distance or {}).get(c.key) for c in used]
            cells += [(row.anti_distance or {}).get(c.key) for c in used]
        rows.append(cells)
    return columns, rows


def _scores_table(decision: Decision) -> tuple[list[Column], list[list]]:
    names = {c.key: c.name for c in decision.criteria}
    columns = [
        Column("Vendor"),
        Column("Criterion"),
        Column("Evaluator"),
        Column("Score", "0.00"),
        Column("Comment"),
    ]
    rows = [
        [
            decision.name_of(s.vendor_id),
            names.get(s.criterion, s.criterion),
            s.evaluator,
            s.value,
            s.comment,
        ]
        for s in decision.inputs.scores
    ]
    # The team's agreed score of a cell, which the decision uses instead of the mean.
    rows += [
        [
            decision.name_of(c.vendor_id),
            names.get(c.criterion, c.criterion),
            f"Consensus (recorded by {c.decided_by})",
            c.value,
            c.rationale,
        ]
        for c in decision.inputs.consensus
    ]
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return columns, rows


def _tco_table(decision: Decision) -> tuple[list[Column], list[list]]:
    currency = decision.evaluation.base_currency
    columns = [
        Column("Vendor"),
        Column("Delivery model"),
        Column("Pricing model"),
        Column("Unit price", "#,##0.00##"),
        Column("Currency"),
        Column("Transition fee", "#,##0.00"),
        Column("Valid until", "yyyy-mm-dd"),
        Column(f"TCO ({currency})", "#,##0.00"),
        Column("Expired"),
        Column("Over budget cap"),
        Column("Problem"),
        Column("Minimum term (months)", "0"),
        Column("Annual escalation %", "0.00"),
        Column("Exit fee", "#,##0.00"),
        Column("Billed months", "0"),
        Column(f"Saving vs in-house ({currency})", "#,##0.00"),
        Column("Saving %", "0.0"),
        Column("Break-even month", "0"),
    ]
    competing = set(decision.competing)
    rows = []
    for line in decision.tco:
        if line.vendor_id not in competing:
            continue
        q = decision.quotes.get(line.vendor_id)
        mix = line.mix
        blended = mix is not None and mix.unit_price is not None
        rows.append(
            [
                line.name,
                _mix_text(line) if blended else (q.delivery_model if q else ""),
                q.pricing_model_label if q else "",
                line.mix.unit_price if blended and line.mix else (q.unit_price if q else None),
                q.currency if q else "",
                q.transition_fee if q else None,
                q.valid_until if q else None,
                _money(line.tco),
                "yes" if line.expired else "no",
                "yes" if line.over_cap else "no",
                line.problem,
                q.minimum_term_months if q else None,
                q.annual_escalation if q else None,
                q.exit_fee if q else None,
                line.schedule.billed_months if line.schedule else None,
                line.savings.amount if line.savings else None,
                line.savings.percent if line.savings else None,
                line.savings.break_even_month if line.savings else None,
            ]
        )
    return columns, rows


def _mix_text(line) -> str:
    """ "Blend: 70 % offshore, 30 % onshore" (the unit price beside it is the blend's)."""
    used = sorted(line.mix.used, key=lambda s: -s.share)
    return "Blend: " + ", ".join(f"{percent(s.share)} {s.name.lower()}" for s in used)


_TABLES = {"ranking": _ranking_table, "scores": _scores_table, "tco": _tco_table}


def about_rows(decision: Decision) -> list[list[str]]:
    """What the export stands on, as (label, value) rows."""
    ev = decision.evaluation
    rows = [
        ["Evaluation", ev.title],
        ["Process", ev.process],
        ["Status", ev.status_label + (" (what-if weights, not saved)" if decision.what_if else "")],
        ["Snapshot", f"{decision.id} (schema {decision.schema})"],
        ["Taken at", decision.inputs.taken_at.isoformat(timespec="seconds")],
        ["Method", ev.method_label if decision.method == ev.method else decision.method.upper()],
        ["Term", f"{ev.term_months} months"],
        ["Base currency", ev.base_currency],
        *([["Scale", decision.scale_sentence]] if decision.scale_sentence else []),
        ["Where the work is done", decision.where_sentence],
        *([["Working-hours overlap", decision.overlap_method]] if decision.uses_overlap else []),
    ]
    if ev.budget_cap is not None:
        rows.append(["Budget cap", money_text(ev.budget_cap, ev.base_currency)])
    rows += [
        [f"Weight: {c.name}", f"{decision.weights.get(c.key, 0.0) * 100:.1f} %"]
        for c in decision.criteria
    ]
    if not decision.candidates:
        rows.append(["Exclusions", "No candidates yet"])
    elif not decision.not_ranked:
        rows.append(["Exclusions", "None: every candidate was ranked"])
    rows += [[f"{c.label}: {c.name}", "; ".join(c.reasons)] for c in decision.not_ranked]
    rows += [["Open point", warning] for warning in decision.warnings]
    return rows


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_formula(value)
    if isinstance(value, float):
        return repr(round(value, 6) + 0.0)  # + 0.0: a rounded -0.0 is written 0.0
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def export_csv(decision: Decision, kind: str) -> bytes:
    """UTF-8 with a BOM (Excel then reads accents right), dot decimals, escaped text; the table,
    a blank line, then what it stands on."""
    columns, rows = _TABLES[kind](decision)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_formula(c.title) for c in columns])
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    writer.writerow([])
    writer.writerows([escape_formula(v) for v in row] for row in about_rows(decision))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet(workbook, title: str, columns: list[Column], rows: list[list]):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.append([escape_formula(c.title) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([escape_formula(v) if isinstance(v, str) else v for v in row])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = column.number_format
        sheet.column_dimensions[letter].width = min(max(len(column.title) + 2, 12), 40)
    sheet.freeze_panes = "A2"
    for cell in (c for r in sheet.iter_rows(min_row=2) for c in r):
        # openpyxl guesses "formula" for any string starting with "="; escaped text never does,
        # and this makes sure nothing else slipped through as a formula.
        if cell.data_type == "f":
            cell.data_type = "s"
    return sheet


def export_xlsx(decision: Decision, kind: str) -> bytes:
    """The table on the first sheet (numbers as numeric cells with formats), "About" second."""
    from openpyxl import Workbook

    columns, rows = _TABLES[kind](decision)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, kind.capitalize(), columns, rows)
    about = about_rows(decision)
    _sheet(workbook, "About", [Column("About this export"), Column("")], about)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_file(decision: Decision, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """Bytes, content type and file name of one export."""
    if kind not in EXPORT_KINDS or fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export {kind}.{fmt}.")
    name = report_filename(decision, kind, fmt)
    if fmt == "csv":
        return export_csv(decision, kind), "text/csv; charset=utf-8", name
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return export_xlsx(decision, kind), content_type, name
