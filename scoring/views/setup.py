"""Evaluation setup screens: create and edit the evaluation, its team, its weights (AHP: views/ahp.py)."""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone

from bpo_select.roles import Role, role_required
from scoring import services
from scoring.access import can_edit, evaluation_for_edit, evaluation_for_user
from scoring.forms import EvaluationEditForm, EvaluationForm, TeamForm, WeightsForm
from scoring.models import Criterion, Evaluation
from scoring.selectors_criteria import evaluation_criteria
from vendors.templatetags.formatting import day


def evaluation_for_page(request: HttpRequest, pk: int) -> tuple[Evaluation, bool]:
    """(evaluation, editable): POSTs need edit rights (403/404); GETs only visibility."""
    if request.method == "POST":
        return evaluation_for_edit(request, pk), True
    evaluation = evaluation_for_user(request, pk)
    return evaluation, can_edit(request.user, evaluation)


def disable(form: BaseForm) -> BaseForm:
    for field in form.fields.values():
        field.disabled = True
    return form


def add_service_error(form: BaseForm, exc: Exception) -> None:
    """Show a service's refusal on the field it names, else above the form."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc))


def _note_past_start(request: HttpRequest, start: dt.date | None) -> None:
    """A past contract start is allowed (a contract already running), but rarely meant."""
    if start is not None and start < timezone.localdate():
        messages.info(
            request,
            f"The expected contract start, {day(start)}, is in the past; certificates that "
            "lapse before today are flagged as lapsed.",
        )


@role_required(Role.ANALYST)
def evaluation_create(request):
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(owner=request.user, **form.cleaned_data)
        except services.SetupError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Evaluation created. Now pick the vendors that compete.")
            _note_past_start(request, form.cleaned_data.get("contract_start"))
            return redirect("scoring:candidates", evaluation.pk)
    return render(request, "scoring/evaluation_form.html", {"form": form, "nav": "evaluations"})


def evaluation_edit(request, pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    form = EvaluationEditForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version")
        try:
            services.evaluation_update(
                evaluation=evaluation, expected_version=version, user=request.user, **fields
            )
        except (services.SetupError, services.StaleEdit) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Evaluation saved.")
            _note_past_start(request, form.cleaned_data.get("contract_start"))
            return redirect("scoring:evaluation_detail", evaluation.pk)
    context = {
        "form": form if editable else disable(form),
        "evaluation": evaluation,
        "can_edit": editable,
        "nav": "evaluations",
    }
    return render(request, "scoring/evaluation_form.html", context)


def team(request, pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    is_owner = request.user.pk == evaluation.owner_id or request.user.is_superuser
    if request.method == "POST" and not is_owner:
        raise PermissionDenied("Only the evaluation's owner can change its team.")
    form = TeamForm(
        request.POST or None, evaluation=evaluation, initial={"members": evaluation.team.all()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_set(
                evaluation=evaluation, members=form.cleaned_data["members"], by=request.user
            )
        except services.SetupError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Team saved.")
            return redirect("scoring:team", evaluation.pk)
    context = {
        "form": form if editable and is_owner else disable(form),
        "evaluation": evaluation,
        "can_edit": editable and is_owner,
        "members": evaluation.team.order_by("username"),
        "nav": "evaluations",
    }
    return render(request, "scoring/team.html", context)


def _criteria(evaluation: Evaluation, *, weighted: bool = False) -> list[Criterion]:
    """The evaluation's criteria (with their labels here); ``weighted``: only those above 0 %."""
    criteria = evaluation_criteria(evaluation, weighted=weighted)
    for criterion in criteria:
        criterion.name = criterion.label  # type: ignore[attr-defined]  # shown, never saved
    return criteria


def _current_weights(evaluation: Evaluation) -> dict[str, Decimal]:
    return dict(evaluation.weights.values_list("criterion__key", "weight"))


def weights(request, pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    criteria = _criteria(evaluation)
    initial = {"version": evaluation.version, **_current_weights(evaluation)}
    form = WeightsForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.weights_save(
                evaluation=evaluation,
                weights=form.weights(),
                expected_version=form.cleaned_data["version"],
            )
        except (services.SetupError, services.StaleEdit) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Weights saved.")
            return redirect("scoring:weights", evaluation.pk)
    total = form.total()
    context = {
        "form": form if editable else disable(form),
        "evaluation": evaluation,
        "can_edit": editable,
        "total": total,
        "nav": "evaluations",
        "balanced": abs(total - 100) <= services.WEIGHT_TOLERANCE,
        "gap_text": gap_text(total),
    }
    return render(request, "scoring/weights.html", context)


def gap_text(total: Decimal) -> str:
    """How far the weights are from 100, the way static/js/weights.js says it live."""
    gap = total - 100
    if abs(gap) <= services.WEIGHT_TOLERANCE:
        return "exactly 100"
    return f"{abs(gap):.2f} {'short of' if gap < 0 else 'over'} 100"
