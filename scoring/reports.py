"""The recommendation report (PDF) and the CSV/XLSX exports of an evaluation.

Everything here renders from one JSON-safe *snapshot*: :func:`build_snapshot` gathers every input
and result of an evaluation; an approved evaluation keeps the snapshot it was approved with, so
later edits to vendors or quotes never change what was signed off. Drafts get a fresh snapshot on
each download. WeasyPrint only ever sees this app's static files and ``data:`` URLs.
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import mimetypes
import posixpath
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
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
from scoring.models import Evaluation, Score
from scoring.selectors import (
    DISAGREEMENT_SPREAD,
    STABILITY_DRAWS,
    evaluation_result,
    exchange_rates,
    sensitivity_report,
)
from vendors.models import ExchangeRate, Quote, Vendor

SNAPSHOT_SCHEMA = 1
# Relative URLs in the report resolve against this origin; it never reaches the network because
# the fetcher below only maps its /static/ paths to files on disk.
REPORT_ORIGIN = "https://report.bpo-select.invalid"
VOLUME_IN_SENTENCE = {
    "fte": "FTEs",
    "hours": "hours per month",
    "transactions": "transactions per month",
}
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


# --------------------------------------------------------------------------- the snapshot


def _dec(value) -> str | None:
    return None if value is None else str(value)


def _float(value) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if number != number else number  # NaN -> None (JSON has no NaN)


def _day(value) -> str | None:
    return value.isoformat() if value else None


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _vendors_snapshot(evaluation: Evaluation) -> list[dict]:
    vendors = (
        Vendor.objects.filter(candidacies__evaluation=evaluation)
        .prefetch_related("vendor_certifications__certification", "centres__delivery_model")
        .order_by("name")
    )
    excluded = dict(evaluation.candidates.values_list("vendor_id", "excluded_reason"))
    return [
        {
            "id": v.pk,
            "name": v.name,
            "country": str(v.country.code),
            "country_name": str(v.country.name),
            "website": v.website,
            "description": v.description,
            "founded_year": v.founded_year,
            "headcount": v.headcount,
            "languages": v.languages,
            "active": v.is_active,
            "excluded_reason": excluded.get(v.pk, ""),
            "certifications": [
                {"name": c.certification.name, "valid_until": _day(c.valid_until)}
                for c in v.vendor_certifications.all()
            ],
            "centres": [
                {
                    "country": str(c.country.code),
                    "city": c.city,
                    "seats": c.seats,
                    "delivery_model": c.delivery_model.name,
                }
                for c in v.centres.all()
            ],
        }
        for v in vendors
    ]


def _quotes_snapshot(evaluation: Evaluation) -> list[dict]:
    quotes = Quote.objects.filter(evaluation=evaluation).select_related("delivery_model")
    return [
        {
            "vendor_id": q.vendor_id,
            "delivery_model": q.delivery_model.name,
            "pricing_model": q.pricing_model,
            "pricing_model_label": q.get_pricing_model_display(),
            "unit_price": _dec(q.unit_price),
            "currency": q.currency,
            "transition_fee": _dec(q.transition_fee),
            "minimum_term_months": q.minimum_term_months,
            "valid_until": _day(q.valid_until),
            "service_level_pct": _dec(q.service_level_pct),
            "quality_pct": _dec(q.quality_pct),
            "response_time_hours": _dec(q.response_time_hours),
            "notes": q.notes,
        }
        for q in quotes
    ]


def _scores_snapshot(evaluation: Evaluation) -> list[dict]:
    scores = Score.objects.filter(evaluation=evaluation).select_related("criterion", "evaluator")
    return [
        {
            "vendor_id": s.vendor_id,
            "criterion": s.criterion.key,
            "evaluator": _person(s.evaluator),
            "value": _dec(s.value),
            "comment": s.comment,
        }
        for s in scores
    ]


def _rates_snapshot(evaluation: Evaluation, currencies: set[str]) -> list[dict]:
    """The rates into the base currency that the TCO used, one per quote currency."""
    rates = exchange_rates(evaluation.base_currency)
    as_of = dict(
        ExchangeRate.objects.filter(
            base_currency=evaluation.base_currency,
            currency__in=currencies,
            as_of__lte=timezone.localdate(),
        )
        .order_by("currency", "as_of")
        .values_list("currency", "as_of")
    )
    return [
        {
            "currency": code,
            "base_currency": evaluation.base_currency,
            "rate": _dec(rates[code]),
            "as_of": _day(as_of.get(code)),
        }
        for code in sorted(currencies & set(rates))
    ]


def _sensitivity_snapshot(result) -> dict:
    """Weight change that flips the winner, per criterion, and the rank-1 shares."""
    report = sensitivity_report(result, draws=STABILITY_DRAWS)
    if report is None:
        return {"weights": [], "stability": []}
    return {
        "weights": [
            {
                "criterion": key,
                "weight": _float(row["weight"]),
                "increase": _float(row["increase"]),
                "increase_leader": _vendor_id(row["increase_leader"]),
                "decrease": _float(row["decrease"]),
                "decrease_leader": _vendor_id(row["decrease_leader"]),
            }
            for key, row in report.weights.iterrows()
        ],
        "stability": [
            {
                "vendor_id": int(vid),
                "first_share": _float(row["first_share"]),
                "mean_rank": _float(row["mean_rank"]),
            }
            for vid, row in report.stability.iterrows()
        ],
    }


def _ranking_snapshot(result) -> list[dict] | None:
    ranking = result.ranking
    if ranking is None:
        return None
    contributions = ranking.contributions
    return [
        {
            "vendor_id": int(vid),
            "rank": int(row["rank"]),
            "score": _float(row["score"]),
            "contributions": {k: _float(v) for k, v in contributions.loc[vid].items()},
        }
        for vid, row in ranking.table.iterrows()
    ]


def build_snapshot(evaluation: Evaluation) -> dict:
    """Every input and result of ``evaluation`` as plain JSON data, as of now."""
    result = evaluation_result(evaluation)
    vendors = _vendors_snapshot(evaluation)
    quotes = _quotes_snapshot(evaluation)
    now = timezone.now()
    return {
        "schema": SNAPSHOT_SCHEMA,
        "id": uuid.uuid4().hex[:12],
        "taken_at": now.isoformat(),
        "evaluation": {
            "id": evaluation.pk,
            "title": evaluation.title,
            "process": evaluation.process.name,
            "owner": _person(evaluation.owner),
            "team": sorted(_person(u) for u in evaluation.team.all()),
            "base_currency": evaluation.base_currency,
            "volume": _dec(evaluation.volume),
            "volume_unit": VOLUME_IN_SENTENCE.get(evaluation.volume_unit, evaluation.volume_unit),
            "term_months": evaluation.term_months,
            "budget_cap": _dec(evaluation.budget_cap),
            "method": result.method,
            "method_label": Evaluation.Method(result.method).label,
            "status": evaluation.status,
            "status_label": evaluation.get_status_display(),
            "version": evaluation.version,
            "approver": _person(evaluation.approver),
            "decided_at": evaluation.decided_at.isoformat() if evaluation.decided_at else None,
            "decision_comment": evaluation.decision_comment,
            "required_certifications": sorted(
                c.name for c in evaluation.required_certifications.all()
            ),
            "allowed_delivery_models": sorted(
                m.name for m in evaluation.allowed_delivery_models.all()
            ),
        },
        "criteria": [
            {
                "key": c.key,
                "name": c.name,
                "description": c.description,
                "direction": c.direction,
                "source": c.source,
                "weight": _float(result.weights.get(c.key, 0.0)),
            }
            for c in result.criteria
        ],
        "vendors": vendors,
        "quotes": quotes,
        "scores": _scores_snapshot(evaluation),
        "exchange_rates": _rates_snapshot(evaluation, {q["currency"] for q in quotes}),
        "values": {
            str(vid): {k: _float(v) for k, v in row.items()}
            for vid, row in result.values.iterrows()
        },
        "ranking": _ranking_snapshot(result),
        "tco": [
            {
                "vendor_id": int(vid),
                "tco": _dec(row.tco),
                "problem": row.problem or "",
                "expired": bool(row.expired),
            }
            for vid, row in result.tco.items()
        ],
        "score_stats": [
            {
                "vendor_id": int(vid),
                "criterion": key,
                "mean": _float(stat.mean),
                "spread": _float(stat.spread),
                "count": int(stat.count),
                "disagreement": bool(stat.disagreement),
            }
            for (vid, key), stat in result.score_stats.items()
        ],
        "warnings": [str(w) for w in result.warnings],
        "blocking": bool(result.blocking),
        "unranked": [
            {"vendor_id": int(vid), "reasons": [str(r) for r in reasons]}
            for vid, reasons in result.unranked.items()
        ],
        "excluded": [
            {"vendor_id": int(vid), "reasons": [str(r) for r in _as_list(reasons)]}
            for vid, reasons in result.excluded.items()
        ],
        "sensitivity": _sensitivity_snapshot(result),
    }


def _as_list(reasons) -> list:
    return [reasons] if isinstance(reasons, str) else list(reasons)


def snapshot_for(evaluation: Evaluation) -> dict:
    """The frozen snapshot of an approved evaluation, a fresh one otherwise."""
    if evaluation.status == Evaluation.Status.APPROVED and evaluation.snapshot:
        return evaluation.snapshot
    return build_snapshot(evaluation)


# --------------------------------------------------------------------------- report context


@dataclass(frozen=True)
class Decider:
    name: str
    gap: float  # winner's contribution minus runner-up's, in score points (0..1)


def _parse_time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _money_text(amount: Decimal, currency: str) -> str:
    from babel.numbers import format_currency

    return format_currency(amount, currency, locale="en_US", format="¤#,##0", currency_digits=False)


def _deciders(snapshot: dict, winner: dict, runner: dict) -> list[Decider]:
    """Criteria on which the winner gained most over the runner-up, largest first.

    WSM contributions add up to the score, so their difference is the share of the score gap;
    for TOPSIS the weighted normalised values are compared with the criterion's direction.
    """
    criteria = {c["key"]: c for c in snapshot["criteria"]}
    gaps = []
    for key, value in winner["contributions"].items():
        other = runner["contributions"].get(key)
        if value is None or other is None or key not in criteria:
            continue
        gap = value - other
        if snapshot["evaluation"]["method"] == "topsis" and criteria[key]["direction"] == "cost":
            gap = -gap
        if gap > 1e-9:
            gaps.append(Decider(criteria[key]["name"], gap))
    return sorted(gaps, key=lambda d: d.gap, reverse=True)[:3]


def _summary(snapshot, shortlist, tco_by_vendor) -> dict:
    """Plain-words executive summary: winner, runners-up, deciding criteria, cost difference."""
    ev = snapshot["evaluation"]
    if not shortlist:
        return {"winner": None}
    winner = shortlist[0]
    runners = shortlist[1:3]
    summary = {"winner": winner, "runners": runners, "deciders": [], "cost_sentence": ""}
    if runners:
        runner = runners[0]
        summary["deciders"] = _deciders(snapshot, winner["ranking"], runner["ranking"])
        summary["score_gap"] = winner["score"] - runner["score"]
        mine, theirs = tco_by_vendor.get(winner["id"]), tco_by_vendor.get(runner["id"])
        if mine and theirs and mine["tco"] is not None and theirs["tco"] is not None:
            diff = Decimal(mine["tco"]) - Decimal(theirs["tco"])
            months = ev["term_months"]
            if diff == 0:
                text = f"costs the same as {runner['name']} over {months} months"
            else:
                word = "less" if diff < 0 else "more"
                text = (
                    f"costs {_money_text(abs(diff), ev['base_currency'])} {word} than "
                    f"{runner['name']} over the {months}-month term"
                )
            summary["cost_sentence"] = text
    return summary


def report_context_from_snapshot(snapshot: dict, *, paper: str = "a4") -> dict:
    """Everything the report template shows, computed from the snapshot alone."""
    ev = snapshot["evaluation"]
    currency = ev["base_currency"]
    vendors = {v["id"]: v for v in snapshot["vendors"]}
    criteria = snapshot["criteria"]
    names = {c["key"]: c["name"] for c in criteria}
    tco_by_vendor = {t["vendor_id"]: t for t in snapshot["tco"]}
    quotes = {q["vendor_id"]: q for q in snapshot["quotes"]}
    stability = {s["vendor_id"]: s for s in snapshot["sensitivity"]["stability"]}

    shortlist = []
    for row in snapshot["ranking"] or []:
        vendor = vendors.get(row["vendor_id"], {"name": f"Vendor {row['vendor_id']}"})
        tco = tco_by_vendor.get(row["vendor_id"], {})
        shortlist.append(
            {
                "id": row["vendor_id"],
                "name": vendor["name"],
                "rank": row["rank"],
                "score": row["score"],
                "country": vendor.get("country_name", ""),
                "tco": tco.get("tco"),
                "expired": tco.get("expired", False),
                "first_share": stability.get(row["vendor_id"], {}).get("first_share"),
                "ranking": row,
            }
        )

    charts_ = {}
    if shortlist:
        charted = shortlist[:CHART_ROWS]
        frame = pd.DataFrame(
            [r["ranking"]["contributions"] for r in charted],
            index=[r["name"] for r in charted],
        ).reindex(
            columns=[
                c["key"] for c in criteria if c["key"] in shortlist[0]["ranking"]["contributions"]
            ]
        )
        if ev["method"] == "wsm":
            charts_["contributions"] = charts.as_data_uri(
                charts.contributions_chart(frame, names, title="Score by criterion")
            )
        else:
            scores = pd.Series([r["score"] for r in charted], index=frame.index, dtype=float)
            charts_["scores"] = charts.as_data_uri(
                charts.bar_chart(scores, title="TOPSIS score", value_format="{:.3f}")
            )
    tco_rows = []
    for vendor in snapshot["vendors"]:
        tco = tco_by_vendor.get(vendor["id"])
        if tco is None:
            continue
        tco_rows.append({"name": vendor["name"], "quote": quotes.get(vendor["id"]), **tco})
    tco_rows.sort(key=lambda r: (r["tco"] is None, Decimal(r["tco"] or 0), r["name"]))
    costed = [r for r in tco_rows if r["tco"] is not None][:CHART_ROWS]
    if costed:
        series = pd.Series(
            [float(r["tco"]) for r in costed], index=[r["name"] for r in costed], dtype=float
        )
        charts_["tco"] = charts.as_data_uri(
            charts.bar_chart(
                series,
                title=f"Total cost of ownership ({currency})",
                value_format="{:,.0f}",
                xlabel=f"{currency} over {ev['term_months']} months",
            )
        )

    stats = {(s["vendor_id"], s["criterion"]): s for s in snapshot["score_stats"]}
    manual = [c for c in criteria if c["source"] == "manual"]
    score_rows = [
        {"name": r["name"], "cells": [stats.get((r["id"], c["key"])) for c in manual]}
        for r in shortlist
    ]
    disagreements = [
        {
            "vendor": vendors.get(s["vendor_id"], {}).get("name", ""),
            "criterion": names.get(s["criterion"], s["criterion"]),
            **s,
        }
        for s in snapshot["score_stats"]
        if s["disagreement"]
    ]
    disagreements.sort(key=lambda d: (d["vendor"], d["criterion"]))

    sensitivity = []
    for s in snapshot["sensitivity"]["weights"]:
        options = []
        if s["increase"] is not None:
            options.append((s["increase"], "+", s["increase_leader"]))
        if s["decrease"] is not None:
            options.append((s["decrease"], "−", s["decrease_leader"]))
        change = min(options, default=None)
        sensitivity.append(
            {
                "criterion": names.get(s["criterion"], s["criterion"]),
                "weight": s["weight"],
                "change": change[0] if change else None,
                "sign": change[1] if change else "",
                "leader": vendors.get(change[2], {}).get("name", "") if change else "",
            }
        )
    sensitivity.sort(key=lambda s: (s["change"] is None, s["change"] or 0))
    fragile = sensitivity[0] if sensitivity and sensitivity[0]["change"] is not None else None

    exclusions = (
        [
            {
                "name": vendors.get(e["vendor_id"], {}).get("name", ""),
                "reasons": e["reasons"],
                "kind": "Fails a knock-out",
            }
            for e in snapshot["excluded"]
        ]
        + [
            {
                "name": vendors.get(u["vendor_id"], {}).get("name", ""),
                "reasons": u["reasons"],
                "kind": "Not ranked",
            }
            for u in snapshot["unranked"]
        ]
        + [
            {
                "name": v["name"],
                "reasons": [v["excluded_reason"]],
                "kind": "Excluded by the analysts",
            }
            for v in snapshot["vendors"]
            if v["excluded_reason"]
        ]
    )
    exclusions.sort(key=lambda e: (e["kind"], e["name"]))

    return {
        "snapshot_id": snapshot["id"],
        "taken_at": _parse_time(snapshot["taken_at"]),
        "ev": ev,
        "decided_at": _parse_time(ev["decided_at"]),
        "approved": ev["status"] == Evaluation.Status.APPROVED,
        "currency": currency,
        "criteria": criteria,
        "manual_criteria": manual,
        "shortlist": shortlist,
        "summary": _summary(snapshot, shortlist, tco_by_vendor),
        "charts": charts_,
        "chart_rows": CHART_ROWS,
        "charted_all": len(shortlist) <= CHART_ROWS,
        "tco_rows": tco_rows,
        "score_rows": score_rows,
        "disagreements": disagreements,
        "disagreement_spread": DISAGREEMENT_SPREAD,
        "stability_draws": STABILITY_DRAWS,
        "sensitivity": sensitivity,
        "fragile": fragile,
        "exclusions": exclusions,
        "warnings": snapshot["warnings"],
        "rates": snapshot["exchange_rates"],
        "paper": PAPER_SIZES.get(paper, "A4"),
        "stylesheet_url": f"/{settings.STATIC_URL.strip('/')}/css/report.css",
    }


def _vendor_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def render_report_pdf(
    snapshot: dict, *, paper: str = "a4", fetcher: StaticOnlyFetcher | None = None
) -> bytes:
    """The recommendation PDF of a snapshot; a DRAFT watermark unless it was approved."""
    html = render_to_string(
        "reports/recommendation.html", report_context_from_snapshot(snapshot, paper=paper)
    )
    document = HTML(
        string=html, base_url=REPORT_ORIGIN + "/", url_fetcher=fetcher or StaticOnlyFetcher()
    )
    with _render_slot():
        return document.write_pdf(uncompressed_pdf=False)


@contextmanager
def _render_slot():
    """One PDF render at a time on this machine, across gunicorn workers.

    WeasyPrint is CPU-bound: three renders at once on two cores starve every page (bench/load.py).
    Queueing reports keeps a core free for pages; a report waits instead.
    """
    with open(Path(tempfile.gettempdir()) / "bpo_select_pdf_render.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def report_filename(snapshot: dict, kind: str, fmt: str) -> str:
    """``bpo-select_<title>_<kind>_<date>.<fmt>``; the date is when the data was taken."""
    taken = _parse_time(snapshot["taken_at"]) or timezone.now()
    title = slugify(snapshot["evaluation"]["title"])[:60] or "evaluation"
    return f"bpo-select_{title}_{kind}_{taken.date().isoformat()}.{fmt}"


# --------------------------------------------------------------------------- exports

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


def _export_table(snapshot: dict, kind: str) -> tuple[list[Column], list[list]]:
    """Headers and typed rows (numbers as Decimal/float/int, dates as date, text as str)."""
    vendors = {v["id"]: v for v in snapshot["vendors"]}
    currency = snapshot["evaluation"]["base_currency"]
    tco = {t["vendor_id"]: t for t in snapshot["tco"]}

    def money(value):
        return None if value is None else Decimal(value)

    if kind == "ranking":
        criteria = snapshot["criteria"]
        columns = [
            Column("Rank", "0"),
            Column("Vendor"),
            Column("Country"),
            Column("Score", "0.0000"),
            Column(f"TCO ({currency})", "#,##0.00"),
            *(Column(f"Contribution: {c['name']}", "0.0000") for c in criteria),
        ]
        rows = []
        for r in snapshot["ranking"] or []:
            vendor = vendors.get(r["vendor_id"], {})
            rows.append(
                [
                    r["rank"],
                    vendor.get("name", ""),
                    vendor.get("country_name", ""),
                    r["score"],
                    money(tco.get(r["vendor_id"], {}).get("tco")),
                    *(r["contributions"].get(c["key"]) for c in criteria),
                ]
            )
        return columns, rows
    if kind == "scores":
        names = {c["key"]: c["name"] for c in snapshot["criteria"]}
        columns = [
            Column("Vendor"),
            Column("Criterion"),
            Column("Evaluator"),
            Column("Score", "0.00"),
            Column("Comment"),
        ]
        rows = [
            [
                vendors.get(s["vendor_id"], {}).get("name", ""),
                names.get(s["criterion"], s["criterion"]),
                s["evaluator"],
                Decimal(s["value"]),
                s["comment"],
            ]
            for s in snapshot["scores"]
        ]
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        return columns, rows
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
        Column("Problem"),
    ]
    quotes = {q["vendor_id"]: q for q in snapshot["quotes"]}
    rows = []
    for vendor in snapshot["vendors"]:
        q = quotes.get(vendor["id"])
        t = tco.get(vendor["id"])
        if q is None and t is None:
            continue
        q = q or {}
        t = t or {}
        rows.append(
            [
                vendor["name"],
                q.get("delivery_model", ""),
                q.get("pricing_model_label", ""),
                money(q.get("unit_price")),
                q.get("currency", ""),
                money(q.get("transition_fee")),
                dt.date.fromisoformat(q["valid_until"]) if q.get("valid_until") else None,
                money(t.get("tco")),
                "yes" if t.get("expired") else "no",
                t.get("problem", ""),
            ]
        )
    return columns, rows


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_formula(value)
    if isinstance(value, float):
        return repr(round(value, 6))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def export_csv(snapshot: dict, kind: str) -> bytes:
    """UTF-8 with a BOM (Excel then reads accents right), dot decimals, escaped text."""
    columns, rows = _export_table(snapshot, kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_formula(c.title) for c in columns])
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(snapshot: dict, kind: str) -> bytes:
    """A one-sheet workbook: numbers as numeric cells with formats, text escaped."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns, rows = _export_table(snapshot, kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.capitalize()
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_file(snapshot: dict, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """Bytes, content type and file name of one export."""
    if kind not in EXPORT_KINDS or fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export {kind}.{fmt}.")
    if fmt == "csv":
        return (
            export_csv(snapshot, kind),
            "text/csv; charset=utf-8",
            report_filename(snapshot, kind, fmt),
        )
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return export_xlsx(snapshot, kind), content_type, report_filename(snapshot, kind, fmt)
