"""Scoring: each evaluator's own grid (saved cell by cell with htmx) and the team's aggregate view."""

from django import forms
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from scoring import services
from scoring.access import can_edit, evaluation_for_edit, evaluation_for_user, is_member
from scoring.models import Criterion, Measurement
from scoring.selectors import evaluation_result, evaluator_progress, score_grid
from scoring.selectors_criteria import measured_criteria
from vendors.models import Vendor


class ScoreCellForm(forms.Form):
    vendor = forms.IntegerField()
    criterion = forms.IntegerField()
    value = forms.CharField(required=False, max_length=20)
    comment = forms.CharField(required=False, max_length=2000)


@require_GET
def grid(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    grid = score_grid(evaluation, request.user)
    return render(
        request,
        "scoring/score_grid.html",
        {
            "evaluation": evaluation,
            "grid": grid,
            "measured": _measured_rows(evaluation, grid.vendors),
            "editable": can_edit(request.user, evaluation),
            "member": is_member(request.user, evaluation),
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
    }
    return render(request, "scoring/partials/score_cell.html", context)


@require_GET
def team_view(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    result = evaluation_result(evaluation)
    competing = [result.vendors[vendor_id] for vendor_id in result.competing]
    rows = [
        (vendor, [(c, result.score_stats[vendor.pk, c.key]) for c in result.manual_criteria])
        for vendor in sorted(competing, key=lambda v: v.name.casefold())
    ]
    return render(
        request,
        "scoring/score_team.html",
        {
            "evaluation": evaluation,
            "result": result,
            "rows": rows,
            "progress": evaluator_progress(evaluation, result),
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
