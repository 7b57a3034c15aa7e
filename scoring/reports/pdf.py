"""The recommendation PDF of a decision (WeasyPrint), fetching only static files and data: URLs.

Drafts render a fresh decision on each download; an approved evaluation renders the decision it
was approved with (scoring.reports.snapshot), so later edits never change what was signed off.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from scoring import charts
from scoring.decision import STABILITY_DRAWS, Decision
from scoring.leave_one_out import leave_one_out
from scoring.open_points import DISAGREEMENT_SPREAD
from scoring.reports import cost_parts, cost_story, evidence, summary
from scoring.reports.certificates import certificate_part
from scoring.reports.snapshot import from_snapshot
from vendors.templatetags.formatting import money0

# Relative URLs in the report resolve against this origin; it never reaches the network because
# the fetcher below only maps its /static/ paths to files on disk.
REPORT_ORIGIN = "https://report.bpo-select.invalid"
# Charts show at most this many vendors (best ranked, cheapest): more bars would not be legible
# on a page. The tables always list everyone.
CHART_ROWS = 25
PAPER_SIZES = {"a4": "A4", "letter": "letter"}


# --------------------------------------------------------------------------- safe fetching


class RefusedURL(ValueError):
    """The report asked for something outside the app's static files and data: URLs."""


def _static_roots() -> list[Path]:
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_file_for_url(url: str) -> Path | None:
    """The file behind a ``/static/...`` URL of this app, or None for anything else.

    Accepts a bare path or the report origin; refuses other schemes and hosts, dot segments,
    backslashes and any path that resolves (through symlinks too) outside the static roots.
    """
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) not in {("", ""), tuple(urlsplit(REPORT_ORIGIN)[:2])}:
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(prefix) or "\\" in path or "\x00" in path:
        return None
    relative = path[len(prefix) :]
    segments = relative.split("/")
    if not relative or any(s in {"", ".", ".."} for s in segments):
        return None
    if posixpath.normpath(relative) != relative:
        return None
    found = finders.find(relative)
    candidates = [Path(found)] if found else []
    if settings.STATIC_ROOT:  # hashed names of collectstatic (manifest storage)
        candidates.append(Path(settings.STATIC_ROOT) / relative)
    roots = _static_roots()
    for candidate in candidates:
        real = candidate.resolve()
        if real.is_file() and any(real.is_relative_to(root) for root in roots):
            return real
    return None


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves ``data:`` URLs and this app's static files only.

    Every URL asked for is recorded in ``requested`` and every refusal in ``refused``, so tests
    can prove what the renderer tried to load.
    """

    def __init__(self):
        super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path = static_file_for_url(url)
        if path is None:
            self.refused.append(url)
            raise RefusedURL(f"The report may only load the app's static files, not {url[:80]!r}.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )


# --------------------------------------------------------------------------- report context


def tco_chart(decision: Decision, *, title: str, rows: int = CHART_ROWS) -> str | None:
    """SVG bars of the competing vendors' TCO, cheapest first, with the budget cap as a line."""
    competing = set(decision.competing)
    costed = [
        (t.name, float(t.tco))
        for t in decision.tco
        if t.tco is not None and t.vendor_id in competing
    ][:rows]
    if not costed:
        return None
    ev = decision.evaluation
    series = pd.Series([total for _, total in costed], index=[name for name, _ in costed])
    cap = float(ev.budget_cap) if ev.budget_cap is not None else None
    return charts.bar_chart(
        series,
        title=title,
        value_format="{:,.0f}",
        xlabel=f"{ev.base_currency} over {ev.term_months} months",
        line_at=cap,
        line_label="Budget cap" if cap is not None else "",
        line_value=money0(ev.budget_cap, ev.base_currency) if cap is not None else None,
    )


def _charts(decision: Decision) -> dict[str, str]:
    found = {}
    ranked = decision.ranking[:CHART_ROWS]
    if ranked and decision.additive:
        keys = [c.key for c in decision.used_criteria]
        frame = pd.DataFrame(
            [row.contributions for row in ranked], index=[row.name for row in ranked]
        ).reindex(columns=keys)
        found["contributions"] = charts.contributions_chart(
            frame, {c.key: c.name for c in decision.criteria}, title="Score by criterion"
        )
    elif ranked:
        scores = pd.Series([row.score for row in ranked], index=[row.name for row in ranked])
        found["scores"] = charts.bar_chart(scores, title="TOPSIS score", value_format="{:.3f}")
    currency = decision.evaluation.base_currency
    tco = tco_chart(decision, title=f"Total cost of ownership ({currency})")
    if tco:
        found["tco"] = tco
    schedule = cost_story.schedule_chart(decision)
    if schedule:
        found["schedule"] = schedule
    return {key: charts.as_data_uri(svg) for key, svg in found.items()}


def report_context(decision: Decision, *, paper: str = "a4") -> dict:
    """Everything the report template shows, computed from the decision alone."""
    competing = set(decision.competing)
    manual = decision.manual_criteria
    stats = decision.score_stats
    ranked_ids = [row.vendor_id for row in decision.ranking]
    with_cells = {cell.vendor_id for cell in decision.cells}
    unranked = sorted(with_cells - set(ranked_ids), key=decision.name_of)
    scored_vendors = [v for v in ranked_ids if v in with_cells] + unranked
    quoted = {q.currency for q in decision.inputs.quotes}
    return {
        "decision": decision,
        "ev": decision.evaluation,
        "snapshot_id": decision.id,
        "taken_at": decision.inputs.taken_at,
        "approved": decision.approved,
        "currency": decision.evaluation.base_currency,
        "summary": summary.executive_summary(decision),
        "shortlist": [
            (
                row,
                getattr(decision.vendors.get(row.vendor_id), "country_name", ""),
                decision.tco_by_vendor.get(row.vendor_id),
            )
            for row in decision.ranking
        ],
        "charts": _charts(decision),
        "chart_rows": CHART_ROWS,
        "charted_all": len(decision.ranking) <= CHART_ROWS,
        "tco_rows": [
            (
                line,
                decision.quotes.get(line.vendor_id),
                cost_story.quote_terms(decision, line.vendor_id),
                line.savings
                and cost_story.savings_text(line.savings, decision.evaluation.base_currency),
            )
            for line in decision.tco
            if line.vendor_id in competing
        ],
        "cost_assumptions": cost_story.assumptions(decision),
        "year_rows": cost_story.year_rows(decision),
        "years": range(1, cost_story.contract_years(decision) + 1),
        # Every vendor with score cells (the ranked ones first), so the agreement sentence below
        # the table counts exactly the cells the table shows.
        "score_rows": [
            {
                "name": decision.name_of(vendor_id),
                "ranked": vendor_id in ranked_ids,
                "cells": [
                    (
                        stats.get((vendor_id, c.key)),
                        summary.cell_parts(stats.get((vendor_id, c.key))),
                    )
                    for c in manual
                ],
            }
            for vendor_id in scored_vendors
        ],
        "manual_criteria": manual,
        "distance_rows": summary.distance_rows(decision),
        "distance_tables": [("To the ideal vendor", 0), ("To the anti-ideal vendor", 1)],
        "disagreements": [
            (decision.name_of(cell.vendor_id), _criterion(decision, cell.criterion), cell)
            for cell in sorted(
                decision.disagreements,
                key=lambda c: (decision.name_of(c.vendor_id), c.criterion),
            )
        ],
        "agreement": summary.agreement_sentence(decision),
        "evidence": evidence.evidence_paragraphs(decision),
        "consensus_cells": [
            (decision.name_of(cell.vendor_id), _criterion(decision, cell.criterion), cell)
            for cell in decision.cells
            if cell.consensus is not None
        ],
        "leave_one_out": leave_one_out(decision).sentence,
        "disagreement_spread": f"{DISAGREEMENT_SPREAD:g}",
        "stability_draws": STABILITY_DRAWS,
        "sensitivity": summary.sensitivity_rows(decision),
        "exclusions": decision.not_ranked,
        "exclusions_sentence": summary.exclusions_sentence(decision),
        "certificates": certificate_part(decision),
        "weight_rows": [(c, decision.weights.get(c.key, 0.0)) for c in decision.criteria],
        "rates": [r for r in decision.inputs.rates if r.currency in quoted],
        "blend": cost_parts.blend_part(decision),
        "risk": cost_parts.risk_part(decision),
        "paper": PAPER_SIZES.get(paper, "A4"),
        "stylesheet_url": f"/{settings.STATIC_URL.strip('/')}/css/report.css",
    }


def _criterion(decision: Decision, key: str) -> str:
    return next((c.name for c in decision.criteria if c.key == key), key)


def report_html(decision: Decision, *, paper: str = "a4") -> str:
    return render_to_string("reports/recommendation.html", report_context(decision, paper=paper))


def render_report_pdf(
    decision: Decision | dict, *, paper: str = "a4", fetcher: StaticOnlyFetcher | None = None
) -> bytes:
    """The recommendation PDF of a decision (or of its snapshot); a DRAFT watermark unless it
    was approved."""
    if isinstance(decision, dict):
        decision = from_snapshot(decision)
    document = HTML(
        string=report_html(decision, paper=paper),
        base_url=REPORT_ORIGIN + "/",
        url_fetcher=fetcher or StaticOnlyFetcher(),
    )
    return document.write_pdf(uncompressed_pdf=False)


def report_filename(decision: Decision, kind: str, fmt: str) -> str:
    """``bpo-select_<title>_<kind>_<date>.<fmt>``; the date is when the data was taken."""
    taken = decision.inputs.taken_at or timezone.now()
    title = slugify(decision.evaluation.title)[:60] or "evaluation"
    return f"bpo-select_{title}_{kind}_{taken.date().isoformat()}.{fmt}"
