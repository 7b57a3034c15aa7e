"""Side-by-side comparison of 2-4 competing vendors: profile, centres, certifications, quote, scores."""

from itertools import groupby

import pandas as pd
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from scoring import charts
from scoring.access import evaluation_for_user
from scoring.selectors import evaluation_result
from vendors.models import DeliveryCentre, Vendor, VendorCertification

MIN_VENDORS, MAX_VENDORS = 2, 4


def _picked_ids(request, allowed: set[int]) -> list[int]:
    ids = []
    for raw in request.GET.getlist("vendor"):
        if raw.isascii() and raw.isdigit() and int(raw) in allowed and int(raw) not in ids:
            ids.append(int(raw))
    return ids


def _profiles(ids: list[int]) -> dict[int, Vendor]:
    """The picked vendors with centres and certifications. 3 queries."""
    vendors = Vendor.objects.filter(pk__in=ids).prefetch_related(
        Prefetch(
            "centres",
            queryset=DeliveryCentre.objects.select_related("delivery_model").order_by(
                "delivery_model_id", "country", "city"
            ),
        ),
        Prefetch(
            "vendor_certifications",
            queryset=VendorCertification.objects.select_related("certification"),
        ),
    )
    return {vendor.pk: vendor for vendor in vendors}


def _column(vendor: Vendor, result, today) -> dict:
    centres = [
        (model, list(group))
        for model, group in groupby(vendor.centres.all(), key=lambda c: c.delivery_model)
    ]
    rank = None
    if result.ranking is not None and vendor.pk in result.ranking.table.index:
        rank = int(result.ranking.table.loc[vendor.pk, "rank"])
    return {
        "vendor": vendor,
        "centres": centres,
        "certifications": [
            (vc, not vc.is_valid_on(today)) for vc in vendor.vendor_certifications.all()
        ],
        "tco": result.tco.get(vendor.pk),
        "rank": rank,
        "reasons": result.unranked.get(vendor.pk) or result.excluded.get(vendor.pk) or [],
    }


@require_GET
def compare(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    result = evaluation_result(evaluation)
    competing = set(result.competing)
    choices = sorted(
        (v for vendor_id, v in result.vendors.items() if vendor_id in competing),
        key=lambda v: v.name.casefold(),
    )
    ids = _picked_ids(request, competing)
    context = {"evaluation": evaluation, "choices": choices, "picked": ids, "nav": "evaluations"}
    if "vendor" in request.GET and not MIN_VENDORS <= len(ids) <= MAX_VENDORS:
        context["problem"] = (
            f"Pick {MIN_VENDORS} to {MAX_VENDORS} vendors to compare; you picked {len(ids)}."
        )
    elif ids:
        profiles = _profiles(ids)
        today = timezone.localdate()
        columns = [_column(profiles[vendor_id], result, today) for vendor_id in ids]
        manual = result.manual_criteria
        context["columns"] = columns
        context["score_rows"] = [
            (c, [result.score_stats[vendor_id, c.key] for vendor_id in ids]) for c in manual
        ]
        means = pd.DataFrame(
            {
                profiles[vendor_id].name: [
                    result.score_stats[vendor_id, c.key].mean for c in manual
                ]
                for vendor_id in ids
            },
            index=[c.name for c in manual],
            dtype=float,
        )
        context["chart"] = charts.as_data_uri(
            charts.grouped_bar_chart(means, title="Mean score per criterion", xlabel="Score (0–10)")
        )
    return render(request, "scoring/compare.html", context)
