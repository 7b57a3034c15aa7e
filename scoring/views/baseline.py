"""The in-house baseline: what running the process in-house costs, for the business case."""

from django.contrib import messages
from django.shortcuts import redirect, render

from scoring import services
from scoring.baseline_forms import BaselineForm
from scoring.models import InHouseBaseline
from scoring.views.setup import add_service_error, disable, evaluation_for_page


def _version(value: str | None) -> int:
    """The version the page was read at; not a number: one no evaluation has (a stale edit)."""
    try:
        return int(value or "")
    except ValueError:
        return -1


def baseline(request, pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    stored = InHouseBaseline.objects.filter(evaluation=evaluation).first()
    form = BaselineForm(request.POST or None, instance=stored, evaluation=evaluation)
    clearing = request.method == "POST" and "clear" in request.POST
    if request.method == "POST" and (clearing or form.is_valid()):
        try:
            if clearing:
                services.baseline_clear(
                    evaluation=evaluation,
                    user=request.user,
                    expected_version=_version(request.POST.get("version")),
                )
            else:
                fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                services.baseline_save(
                    evaluation=evaluation,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    **fields,
                )
        except (services.SetupError, services.StaleEdit) as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, "In-house baseline cleared." if clearing else "In-house baseline saved."
            )
            return redirect("scoring:tco", evaluation.pk)
    context = {
        "evaluation": evaluation,
        "form": form if editable else disable(form),
        "stored": stored,
        "can_edit": editable,
        "nav": "evaluations",
    }
    return render(request, "scoring/baseline.html", context)
