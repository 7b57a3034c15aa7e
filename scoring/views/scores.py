"""Scoring: each evaluator's own grid (saved cell by cell with htmx), their sheet, and the team
view (every evaluator's score and comment once blind scoring allows, consensus per cell)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from scoring import services
from scoring.access import (
    can_edit,
    consensus_refusal,
    evaluation_for_edit,
    evaluation_for_user,
    is_member,
)
from scoring.models import Criterion, Measurement
from scoring.open_points import DISAGREEMENT_SPREAD
from scoring.selectors import evaluation_decision
from scoring.selectors_criteria import measured_criteria
from scoring.selectors_scores import evaluator_progress, score_grid
from scoring.services.team import RATIONALE_MAX
from scoring.team_scores import sheet_state, team_rows
from sourcing.models import RfpRound
from vendors.models import Vendor


class ScoreCellForm(forms.Form):
    vendor = forms.IntegerField()
    criterion = forms.IntegerField()
    value = forms.CharField(required=False, max_length=20)
    comment = forms.CharField(required=False, max_length=2000)


class ConsensusForm(forms.Form):
    vendor = forms.IntegerField()
    criterion = forms.IntegerField()
    value = forms.CharField(required=False, max_length=20)
    rationale = forms.CharField(required=False, max_length=RATIONALE_MAX)


def _grid_rows(grid, decision) -> list:
    """(vendor, its context: TCO line, quote, certifications; its cells) per row of the grid."""
    rows = []
    for vendor, cells in grid.rows:
        info = decision.vendors.get(vendor.pk)
        certificates = info.certifications if info else ()
        line, quote = decision.tco_by_vendor.get(vendor.pk), decision.quotes.get(vendor.pk)
        rows.append((vendor, (line, quote, certificates), cells))
    return rows


@require_GET
def grid(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    decision = evaluation_decision(evaluation, viewer=request.user, sensitivity=False)
    state = sheet_state(evaluation, request.user)
    own = score_grid(evaluation, request.user)
    return render(
        request,
        "scoring/score_grid.html",
        {
            "evaluation": evaluation,
            "grid": own,
            "rows": _grid_rows(own, decision),
            "measured": _measured_rows(evaluation, own.vendors),
            "editable": can_edit(request.user, evaluation) and not state.submitted,
            "evaluation_editable": can_edit(request.user, evaluation),
            "member": state.member,
            "sheet": state,
            "today": decision.inputs.today,
            "rfp_open": RfpRound.objects.filter(
                evaluation=evaluation, opened_at__isnull=False
            ).exists(),
            "nav": "evaluations",
        },
    )


@require_POST
def score_save(request, pk: int):
    evaluation = evaluation_for_edit(request, pk)
    form = ScoreCellForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Send vendor and criterion ids with the score.")
    vendor = get_object_or_404(Vendor, pk=form.cleaned_data["vendor"])
    criterion = get_object_or_404(Criterion, pk=form.cleaned_data["criterion"])
    value, comment = form.cleaned_data["value"], form.cleaned_data["comment"]
    try:
        score = services.score_save(
            evaluation=evaluation,
            evaluator=request.user,
            vendor=vendor,
            criterion=criterion,
            value=value,
            comment=comment,
        )
    except services.ScoreError as exc:
        context = {"value": value, "comment": comment, "error": str(exc)}
    else:
        context = {
            "score": score,
            "value": score.value if score else "",
            "comment": score.comment if score else "",
            "saved": "Saved" if score else "Cleared",
        }
    context |= {
        "evaluation": evaluation,
        "vendor": vendor,
        "criterion": criterion,
        "editable": True,
        "grid": score_grid(evaluation, request.user),
        "oob_progress": True,
    }
    return render(request, "scoring/partials/score_cell.html", context)


def _back(request, evaluation, default: str = "scoring:score_team"):
    target = request.POST.get("next")
    names = {"grid": "scoring:score_grid", "team": "scoring:score_team"}
    return redirect(reverse(names.get(target or "", default), args=[evaluation.pk]))


@require_POST
def sheet(request, pk: int, action: str):
    """Submit or reopen the user's own sheet."""
    evaluation = evaluation_for_edit(request, pk)
    act = services.sheet_submit if action == "submit" else services.sheet_reopen
    try:
        act(evaluation=evaluation, evaluator=request.user)
    except services.TeamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Sheet submitted: your scores are locked and you see the team's."
            if action == "submit"
            else "Sheet reopened: change your scores, then submit it again.",
        )
    return _back(request, evaluation, "scoring:score_grid")


@require_POST
def scores_open(request, pk: int):
    evaluation = evaluation_for_edit(request, pk)
    try:
        services.scores_open(evaluation=evaluation, user=request.user)
    except services.TeamError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "The scores are open: everyone on the evaluation sees them.")
    return _back(request, evaluation)


@require_POST
def consensus(request, pk: int):
    evaluation = evaluation_for_edit(request, pk)
    if request.user.pk != evaluation.owner_id and not request.user.is_superuser:
        raise PermissionDenied("Only the evaluation's owner records consensus scores.")
    form = ConsensusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Send vendor and criterion ids with the consensus.")
    vendor = get_object_or_404(Vendor, pk=form.cleaned_data["vendor"])
    criterion = get_object_or_404(Criterion, pk=form.cleaned_data["criterion"])
    try:
        agreed = services.consensus_save(
            evaluation=evaluation,
            user=request.user,
            vendor=vendor,
            criterion=criterion,
            value=form.cleaned_data["value"],
            rationale=form.cleaned_data["rationale"],
        )
    except services.TeamError as exc:
        messages.error(request, f"Not saved. {exc}")
    else:
        cell = f"{vendor.name} on {criterion.name}"
        messages.success(
            request,
            f"Consensus for {cell} saved." if agreed else f"{cell} uses the mean again.",
        )
    url = reverse("scoring:score_team", args=[evaluation.pk])
    return redirect(f"{url}#team-{vendor.pk}-{criterion.pk}")


@require_GET
def team_view(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    result = evaluation_decision(evaluation, viewer=request.user, sensitivity=False)
    state = sheet_state(evaluation, request.user)
    editable = can_edit(request.user, evaluation)
    return render(
        request,
        "scoring/score_team.html",
        {
            "evaluation": evaluation,
            "result": result,
            "rows": [] if state.hidden else team_rows(result),
            "progress": evaluator_progress(evaluation, result),
            "spread": f"{DISAGREEMENT_SPREAD:g}",
            "sheet": state,
            "editable": editable,
            "can_agree": editable and consensus_refusal(request.user, evaluation) is None,
            "member": is_member(request.user, evaluation),
            "nav": "evaluations",
        },
    )


def _measured_rows(evaluation, vendors):
    """(criteria, [(vendor, [(criterion, value)])]) of the weighted measured criteria. 2 queries."""
    criteria = measured_criteria(evaluation)
    if not criteria:
        return None
    values = {
        (m.vendor_id, m.criterion_id): m.value
        for m in Measurement.objects.filter(evaluation=evaluation)
    }
    rows = [(v, [(c, values.get((v.pk, c.pk))) for c in criteria]) for v in vendors]
    return {"criteria": criteria, "rows": rows}


class MeasurementCellForm(forms.Form):
    vendor = forms.IntegerField()
    criterion = forms.IntegerField()
    value = forms.CharField(required=False, max_length=30)


@require_POST
def measurement_save(request, pk: int):
    """One measured value typed by the team, saved as they leave the field (htmx)."""
    evaluation = evaluation_for_edit(request, pk)
    form = MeasurementCellForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Send vendor and criterion ids with the value.")
    vendor = get_object_or_404(Vendor, pk=form.cleaned_data["vendor"])
    criterion = get_object_or_404(Criterion, pk=form.cleaned_data["criterion"])
    value = form.cleaned_data["value"]
    context = {"evaluation": evaluation, "vendor": vendor, "criterion": criterion, "editable": True}
    try:
        saved = services.measurement_save(
            evaluation=evaluation,
            user=request.user,
            vendor=vendor,
            criterion=criterion,
            value=value,
        )
    except services.SetupError as exc:
        context |= {"value": value, "error": str(exc)}
    else:
        context |= {
            "value": saved.value if saved else None,
            "saved": "Saved" if saved else "Cleared",
        }
    return render(request, "scoring/partials/measurement_cell.html", context)
