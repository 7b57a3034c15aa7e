"""An evaluation's criteria: add own or catalogue ones, rename, drop, save the set as a profile."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from scoring import services
from scoring.access import can_save_profile
from scoring.criteria_forms import (
    AddCriterionForm,
    OwnCriterionForm,
    ProfileForm,
    RenameCriterionForm,
)
from scoring.models import Criterion
from scoring.selectors_criteria import evaluation_criteria
from scoring.views.setup import add_service_error, disable, evaluation_for_page


def _own_criterion(evaluation, pk) -> Criterion:
    """A criterion of this evaluation (catalogue or own); another evaluation's own one is a 404."""
    return get_object_or_404(
        Criterion.objects.filter(evaluationweight__evaluation=evaluation), pk=pk
    )


def criteria(request, pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    own_form = OwnCriterionForm(post if action == "add_own" else None, prefix="own")
    add_form = AddCriterionForm(
        post if action == "add" else None, choices=services.addable_criteria(evaluation)
    )
    profile_form = ProfileForm(post if action == "profile" else None)
    rename_forms = {}
    rows = evaluation_criteria(evaluation)
    for criterion in rows:
        chosen = post.get("criterion") if post is not None and action == "rename" else None
        bound = post if chosen == str(criterion.pk) else None
        label = criterion.label  # type: ignore[attr-defined]  # set by evaluation_criteria
        rename_forms[criterion.pk] = RenameCriterionForm(
            bound, prefix=f"c{criterion.pk}", initial={"label": label}
        )
    if post is not None:
        done = _act(request, evaluation, action, own_form, add_form, profile_form, rename_forms)
        if done:
            messages.success(request, done)
            return redirect("scoring:criteria", evaluation.pk)
    forms = [own_form, add_form, *rename_forms.values()]
    if not editable:
        for form in forms:
            disable(form)
    context = {
        "evaluation": evaluation,
        "can_edit": editable,
        "rows": [(c, rename_forms[c.pk]) for c in rows],
        "own_form": own_form,
        "add_form": add_form,
        "profile_form": profile_form,
        "can_save_profile": can_save_profile(request.user),
        "nav": "evaluations",
    }
    return render(request, "scoring/criteria.html", context)


def _act(request, evaluation, action, own_form, add_form, profile_form, rename_forms) -> str:
    """Run the posted action; its success message, or "" (errors are on the forms)."""
    user = request.user
    try:
        if action == "add_own" and own_form.is_valid():
            criterion = services.criterion_add_own(
                evaluation=evaluation, user=user, **own_form.service_kwargs()
            )
            return f"{criterion.name} added at 0 %: give it a weight on the Weights tab."
        if action == "add" and add_form.is_valid():
            criterion = add_form.cleaned_data["criterion"]
            services.criterion_add(evaluation=evaluation, user=user, criterion=criterion)
            return f"{criterion.name} added at 0 %: give it a weight on the Weights tab."
        if action in ("rename", "drop"):
            criterion = _own_criterion(evaluation, request.POST.get("criterion"))
            if action == "drop":
                services.criterion_drop(evaluation=evaluation, user=user, criterion=criterion)
                return f"{criterion.name} dropped; the other weights were scaled back to 100 %."
            form = rename_forms[criterion.pk]
            if form.is_valid():
                row = services.criterion_rename(
                    evaluation=evaluation,
                    user=user,
                    criterion=criterion,
                    label=form.cleaned_data["label"],
                )
                return f"Renamed: {criterion.name} is “{row.name}” in this evaluation."
        if action == "profile":
            if not can_save_profile(user):
                raise PermissionDenied("Only administrators can save weight profiles.")
            if profile_form.is_valid():
                profile = services.profile_save(
                    evaluation=evaluation,
                    user=user,
                    name=profile_form.cleaned_data["profile_name"],
                    description=profile_form.cleaned_data["profile_description"],
                )
                return f"Saved as the weight profile “{profile.name}”."
    except (services.SetupError, services.StaleEdit) as exc:
        target = {
            "add_own": own_form,
            "add": add_form,
            "profile": profile_form,
        }.get(action)
        if action == "rename":
            target = rename_forms.get(int(request.POST.get("criterion", 0)))
            if getattr(exc, "field", None) == "label":
                exc.field = "label"  # type: ignore[union-attr]
        if action == "profile" and getattr(exc, "field", None) == "name":
            exc.field = "profile_name"  # type: ignore[union-attr]
        if target is None:
            messages.error(request, str(exc))
            return ""
        add_service_error(target, exc)
    return ""
