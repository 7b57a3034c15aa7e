"""Scores from answers, where the evaluator scores: each cell's proposal from the opened answers
with "Use 7.50", and the answers the evaluator's own score cites (added or removed by hand)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from scoring.access import can_edit, evaluation_for_edit, evaluation_for_user
from scoring.models import Criterion
from scoring.team_scores import sheet_state
from sourcing import answer_scores, selectors
from sourcing.models import Answer, ScoreCitation
from vendors.models import Vendor


class CellForm(forms.Form):
    vendor = forms.IntegerField()
    criterion = forms.IntegerField()
    answer = forms.IntegerField(required=False)


@require_GET
def page(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    rfp = selectors.round_of(evaluation)
    state = sheet_state(evaluation, request.user)
    rows = []
    if rfp is not None and rfp.is_open:
        rows = answer_scores.answer_scores_page(evaluation, rfp, request.user)
    context = {
        "evaluation": evaluation,
        "rfp": rfp,
        "rows": rows,
        "editable": can_edit(request.user, evaluation) and not state.submitted,
        "sheet": state,
        "tab": "scores",
    }
    return render(request, "sourcing/answer_scores.html", context)


def _cell(request):
    form = CellForm(request.POST)
    if not form.is_valid():
        return None
    data = form.cleaned_data
    vendor = get_object_or_404(Vendor, pk=data["vendor"])
    criterion = get_object_or_404(Criterion, pk=data["criterion"])
    return vendor, criterion, data["answer"]


def _back(evaluation, vendor=None):
    url = reverse("sourcing:answer_scores", args=[evaluation.pk])
    return redirect(f"{url}#vendor-{vendor.pk}" if vendor else url)


@require_POST
def use(request, pk: int):
    evaluation = evaluation_for_edit(request, pk)
    cell = _cell(request)
    if cell is None:
        return HttpResponseBadRequest("Send vendor and criterion ids.")
    vendor, criterion, _answer = cell
    try:
        score = answer_scores.proposal_use(
            evaluation=evaluation, evaluator=request.user, vendor=vendor, criterion=criterion
        )
    except answer_scores.CitationError as exc:
        messages.error(request, f"Not saved. {exc}")
    else:
        messages.success(
            request, f"Your score of {vendor.name} on {criterion.name} is {score.value}."
        )
    return _back(evaluation, vendor)


@require_POST
def cite(request, pk: int):
    evaluation = evaluation_for_edit(request, pk)
    cell = _cell(request)
    if cell is None:
        return HttpResponseBadRequest("Send vendor and criterion ids.")
    vendor, criterion, answer_id = cell
    if answer_id is None:
        messages.error(request, f"Answer: choose one of {vendor.name}'s answers to cite.")
        return _back(evaluation, vendor)
    answer = get_object_or_404(
        Answer.objects.select_related("response", "question"),
        pk=answer_id,
        response__round__evaluation=evaluation,
    )
    try:
        answer_scores.citation_add(
            evaluation=evaluation,
            evaluator=request.user,
            vendor=vendor,
            criterion=criterion,
            answer=answer,
        )
    except answer_scores.CitationError as exc:
        messages.error(request, f"Not cited. {exc}")
    else:
        messages.success(request, f"Your score of {vendor.name} on {criterion.name} cites it.")
    return _back(evaluation, vendor)


@require_POST
def uncite(request, pk: int):
    evaluation = evaluation_for_edit(request, pk)
    citation_pk = request.POST.get("citation", "")
    citation = (
        ScoreCitation.objects.select_related("score__vendor")
        .filter(score__evaluation=evaluation, score__evaluator=request.user, pk=int(citation_pk))
        .first()
        if citation_pk.isdigit() and len(citation_pk) < 19
        else None
    )
    if citation is None:
        messages.error(request, "Not removed: that citation is not one of your scores'.")
        return _back(evaluation)
    try:
        answer_scores.citation_remove(
            evaluation=evaluation, evaluator=request.user, citation=citation
        )
    except answer_scores.CitationError as exc:
        messages.error(request, f"Not removed. {exc}")
    else:
        messages.success(request, "Citation removed.")
    return _back(evaluation, citation.score.vendor)
