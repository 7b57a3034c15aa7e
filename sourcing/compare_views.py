"""The team's side-by-side comparison of an opened round's responses, as a page and as CSV.
Access: the evaluation's read policy (scoring.access); the content: sealed until the opening."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from scoring.access import evaluation_for_user
from scoring.models import Candidate
from sourcing import compare, selectors


@require_GET
def compare_page(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    rfp = selectors.round_of(evaluation)
    context: dict[str, object] = {"evaluation": evaluation, "rfp": rfp, "tab": "rfp"}
    if rfp is not None and rfp.is_open:
        result = compare.comparison(rfp)
        excluded = dict(
            Candidate.objects.filter(evaluation=evaluation)
            .exclude(excluded_reason="")
            .values_list("vendor_id", "excluded_reason")
        )
        context["comparison"] = result
        context["summaries"] = [
            (summary, excluded.get(response.vendor_id, ""))
            for summary, response in zip(result.summaries, result.responses, strict=True)
        ]
    elif rfp is not None:
        context["statuses"] = selectors.vendor_statuses(rfp)
    return render(request, "sourcing/compare.html", context)


@require_GET
def compare_csv(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    rfp = selectors.round_of(evaluation)
    if rfp is None or not rfp.is_open:
        messages.error(request, "The responses are sealed until the round is opened.")
        return redirect("sourcing:compare", evaluation.pk)
    data = compare.comparison_csv(compare.comparison(rfp))
    title = slugify(evaluation.title)[:60] or "evaluation"
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    filename = f"bpo-select_{title}_responses_{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
