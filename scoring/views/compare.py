"""Side-by-side comparison of 2-4 competing vendors: profile, centres, certifications, quote, scores.

Everything comes from the evaluation's decision (frozen once approved), like the ranking.
"""

from itertools import groupby

import pandas as pd
from django.shortcuts import render
from django.views.decorators.http import require_GET

from scoring import charts
from scoring.access import evaluation_for_user
from scoring.decision import Decision
from scoring.reports.summary import cell_text
from scoring.selectors import evaluation_decision

MIN_VENDORS, MAX_VENDORS = 2, 4
MODEL_ORDER = {"onshore": 0, "nearshore": 1, "offshore": 2}


def _picked_ids(request, allowed: set[int]) -> list[int]:
    ids = []
    for raw in request.GET.getlist("vendor"):
        if raw.isascii() and raw.isdigit() and int(raw) in allowed and int(raw) not in ids:
            ids.append(int(raw))
    return ids


def _column(decision: Decision, vendor_id: int) -> dict:
    vendor = decision.vendors[vendor_id]
    today = decision.inputs.today
    status = decision.status_of[vendor_id]
    ranked = {row.vendor_id: row for row in decision.ranking}
    return {
        "vendor": vendor,
        "centres": [
            (model, list(group))
            for model, group in groupby(
                sorted(decision.centre_places[vendor_id], key=lambda p: MODEL_ORDER.get(p.code, 9)),
                key=lambda p: (p.name, p.code),
            )
        ],
        "certifications": [(c, not c.is_valid_on(today)) for c in vendor.certifications],
        "quote": decision.quotes.get(vendor_id),
        "tco": decision.tco_by_vendor.get(vendor_id),
        "rank": ranked[vendor_id].rank if vendor_id in ranked else None,
        "status": status,
    }


@require_GET
def compare(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    decision = evaluation_decision(evaluation, viewer=request.user, sensitivity=False)
    competing = set(decision.competing)
    choices = sorted(
        (decision.vendors[vendor_id] for vendor_id in competing), key=lambda v: v.name.casefold()
    )
    ids = _picked_ids(request, competing)
    context = {"evaluation": evaluation, "choices": choices, "picked": ids, "nav": "evaluations"}
    if "vendor" in request.GET and not MIN_VENDORS <= len(ids) <= MAX_VENDORS:
        context["problem"] = (
            f"Pick {MIN_VENDORS} to {MAX_VENDORS} vendors to compare; you picked {len(ids)}."
        )
    elif ids:
        manual = decision.manual_criteria
        stats = decision.score_stats
        context["columns"] = [_column(decision, vendor_id) for vendor_id in ids]
        context["score_rows"] = [
            (c, [(stats[v, c.key], cell_text(stats[v, c.key])) for v in ids]) for c in manual
        ]
        means = pd.DataFrame(
            {decision.name_of(v): [stats[v, c.key].value for c in manual] for v in ids},
            index=[c.name for c in manual],
            dtype=float,
        )
        context["chart"] = charts.as_data_uri(
            charts.grouped_bar_chart(means, title="Mean score per criterion", xlabel="Score (0–10)")
        )
    return render(request, "scoring/compare.html", context)
