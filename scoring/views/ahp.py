"""The AHP screen: one slider per pair of the criteria weighted above 0, starting from the current
weights or the judgements saved last time, the consistency ratio live (static/js/ahp.js repeats
scoring/ahp.py in the browser; the server re-checks on save)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from scoring import ahp, services
from scoring.ahp_forms import SAATY_WORDS, AhpForm, judgement_text
from scoring.services.ahp import CR_LIMIT, MAX_CRITERIA
from scoring.views.setup import add_service_error, disable, evaluation_for_page


def weights_ahp(request, pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    start = services.ahp_start(evaluation, from_weights=request.GET.get("start") == "weights")
    criteria = [criterion for criterion, _ in start.criteria]
    initial = {"version": evaluation.version} | {
        f"{a}__vs__{b}": -position for (a, b), position in start.positions.items()
    }
    form = AhpForm(request.POST or None, criteria=criteria, initial=initial)
    valid = request.method == "POST" and form.is_valid()
    if valid and request.POST.get("action") == "save":
        try:
            services.ahp_save(
                evaluation=evaluation,
                user=request.user,
                judgements=form.judgements(),
                expected_version=form.cleaned_data["version"],
                confirmed=form.cleaned_data["confirm_inconsistent"],
                reason=form.cleaned_data["reason"],
            )
        except (services.SetupError, services.StaleEdit) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Weights derived from your pairwise comparisons saved.")
            return redirect("scoring:weights", evaluation.pk)
    context = {
        "form": form if editable else disable(form),
        "evaluation": evaluation,
        "can_edit": editable,
        "start": start,
        "nav": "evaluations",
        "ahp_config": script_config(),
        "max_criteria": MAX_CRITERIA,
        **page_context(form, start, form.judgements() if valid else start.positions),
    }
    return render(request, "scoring/weights_ahp.html", context)


def page_context(form: AhpForm, start: services.AhpStart, positions: dict) -> dict:
    """The pairs as rows, the weights they give, the consistency and the pair to revise first."""
    if not 2 <= len(start.criteria) <= MAX_CRITERIA:
        return {"rows": [], "check": None, "revision": None, "proposal": []}
    keys = [criterion.key for criterion, _ in start.criteria]
    check = ahp.check_judgements(keys, positions)
    worst = check.revision.pair if check.revision else None
    rows = [
        {
            "left": a,
            "right": b,
            "field": field,
            "text": judgement_text(a.name, b.name, -positions[(a.key, b.key)]),
            "worst": (a.key, b.key) == worst,
        }
        for a, b, field in form.rows()
    ]
    percents = services.rounded_percentages(check.result.weights.to_dict())
    proposal = [(c, weight, percents[c.key]) for c, weight in start.criteria]
    revision = None
    if check.revision:
        row = next(row for row in rows if row["worst"])
        left, right = row["left"].name, row["right"].name
        revision = {
            "row": row,
            "given": judgement_text(left, right, -check.revision.given),
            "suggested": judgement_text(left, right, -check.revision.suggested),
            "slider": -check.revision.suggested,
        }
    return {"rows": rows, "check": check, "revision": revision, "proposal": proposal}


def script_config() -> dict:
    """What static/js/ahp.js needs to repeat the computation: kept here so there is one source."""
    return {"randomIndex": list(ahp.RANDOM_INDEX), "limit": CR_LIMIT} | {
        "words": {str(times): words for times, words in SAATY_WORDS.items()}
    }
