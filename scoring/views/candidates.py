"""Candidates: the vendors competing in an evaluation, knock-out failures and suggestions."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from scoring import services
from scoring.access import evaluation_for_edit
from scoring.forms import CandidateAddForm, CandidateExcludeForm
from scoring.models import Candidate
from scoring.selectors_candidates import candidate_pool, candidate_review
from scoring.selectors_watch import evaluation_watch
from scoring.views.setup import evaluation_for_page
from vendors.models import Vendor

SUGGESTIONS_PER_PAGE = 50


def candidates(request, pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    review = candidate_review(evaluation)
    watch = evaluation_watch(evaluation)
    competing, knocked_out, excluded_by_hand = [], [], []
    for candidate in Candidate.objects.filter(evaluation=evaluation).select_related("vendor"):
        reasons = review.reasons.get(candidate.vendor_id, [])
        candidate.places = review.places.get(candidate.vendor_id, ())  # type: ignore[attr-defined]
        candidate.certificate_flags = watch.for_vendor(candidate.vendor_id)  # type: ignore[attr-defined]
        if candidate.excluded_reason:
            excluded_by_hand.append((candidate, reasons))
        elif reasons:
            knocked_out.append((candidate, reasons))
        else:
            competing.append((candidate, reasons))
    search = request.GET.get("q", "")
    pool = candidate_pool(evaluation, search)
    suggested = Paginator(pool.suggested, SUGGESTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "evaluation": evaluation,
        "can_edit": editable,
        "competing": competing,
        "knocked_out": knocked_out,
        "excluded_by_hand": excluded_by_hand,
        "suggested": suggested,
        "page_obj": suggested,
        "pool": pool,
        "room": services.MAX_CANDIDATES - len(competing) - len(knocked_out) - len(excluded_by_hand),
        "max_candidates": services.MAX_CANDIDATES,
        "search": search,
        "buyer": review.where,
        "watch": watch,
        "nav": "evaluations",
    }
    if request.htmx and not request.htmx.history_restore_request:
        # The search box and the page links swap only the suggestions, not the whole page.
        return render(request, "scoring/partials/candidate_suggestions.html", context)
    return render(request, "scoring/candidates.html", context)


@require_POST
def candidate_add(request, pk: int):
    evaluation = evaluation_for_edit(request, pk)
    form = CandidateAddForm(request.POST)
    if request.POST.get("action") == "all":
        # Every eligible vendor, not just the page shown; narrowed by the search if there was one.
        # Sliced one past the cap: the service refuses more than that, so fetch no further.
        pool = candidate_pool(evaluation, request.POST.get("q", "")).suggested
        vendors = list(pool[: services.MAX_CANDIDATES + 1])
    elif form.is_valid():
        vendors = list(form.cleaned_data["vendors"])
    else:
        vendors = []
        messages.error(
            request,
            "Suggested vendors: " + " ".join(str(m) for m in form.errors.get("vendors", [])),
        )
    if vendors:
        try:
            added = services.candidates_add(evaluation=evaluation, vendors=vendors)
        except services.SetupError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Added {added} candidate{'s' if added != 1 else ''}.")
    elif form.is_valid():
        messages.warning(request, "Tick at least one suggested vendor to add.")
    return redirect("scoring:candidates", evaluation.pk)


@require_POST
def candidate_remove(request, pk: int, vendor_pk: int):
    evaluation = evaluation_for_edit(request, pk)
    candidate = get_object_or_404(
        Candidate.objects.select_related("vendor"), evaluation=evaluation, vendor_id=vendor_pk
    )
    services.candidate_remove(evaluation=evaluation, vendor=candidate.vendor)
    messages.success(request, f"Removed {candidate.vendor.name} from the candidates.")
    return redirect("scoring:candidates", evaluation.pk)


@require_POST
def candidate_exclude(request, pk: int, vendor_pk: int):
    evaluation = evaluation_for_edit(request, pk)
    vendor = get_object_or_404(Vendor, pk=vendor_pk, candidacies__evaluation=evaluation)
    form = CandidateExcludeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Reason for excluding: " + " ".join(str(m) for m in form.errors["reason"])
        )
        return redirect("scoring:candidates", evaluation.pk)
    reason = form.cleaned_data["reason"]
    services.candidate_exclude(evaluation=evaluation, vendor=vendor, reason=reason)
    done = f"Excluded {vendor.name}." if reason else f"Reinstated {vendor.name}."
    messages.success(request, done)
    return redirect("scoring:candidates", evaluation.pk)
