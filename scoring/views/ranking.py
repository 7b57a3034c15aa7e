"""Ranking: the ranked table and contributions chart, live what-if weights, sensitivity.

What-if weights travel as query parameters ``w_<criterion key>`` (any non-negative numbers, the
sliders send 0-100) and ``method``; they re-rank without saving until "Save these weights".
"""

from decimal import ROUND_HALF_EVEN, Decimal
from functools import wraps
from typing import cast
from urllib.parse import urlencode

import pandas as pd
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from background.models import TaskRun
from background.services import task_start
from background.views import POLL_SECONDS
from scoring import charts, services, stability
from scoring.access import can_edit, evaluation_for_edit, evaluation_for_user
from scoring.decision import STABILITY_DRAWS, Decision
from scoring.engine import METHODS
from scoring.leave_one_out import LeaveOneOut, leave_one_out
from scoring.reports import summary
from scoring.reports.cost_parts import risk_part
from scoring.selectors import evaluation_decision
from scoring.tasks import rank_stability

WEIGHT_PREFIX = "w_"
MAX_CHART_BARS = 12
TENTH = Decimal("0.1")


class BadWhatIf(ValueError):
    pass


def _what_if(params: QueryDict) -> tuple[dict[str, float] | None, str | None]:
    """Weights and method overrides from query/form parameters (None: use the stored ones)."""
    weights = {}
    for name, raw in params.items():
        if name.startswith(WEIGHT_PREFIX):
            try:
                # A request's QueryDict holds no empty lists, so items() gives strings.
                weights[name.removeprefix(WEIGHT_PREFIX)] = float(cast(str, raw))
            except ValueError:
                raise BadWhatIf(f"Weight {name}: enter a number, not {raw!r}.") from None
    method = params.get("method") or None
    if method is not None and method not in METHODS:
        raise BadWhatIf(f"Unknown method {method!r}; use one of {', '.join(METHODS)}.")
    return weights or None, method


def with_what_if(view):
    """A GET view of the decision for the what-if parameters; bad parameters answer 400.

    The wrapped view receives ``(request, evaluation, decision, weights, method, key)``; the
    decision has its sensitivity when it is small or cached (scoring.stability), else none; `key`
    is its stability cache key (its content id), under which derived results are cached too.
    """

    @wraps(view)
    def wrapper(request, pk: int):
        evaluation = evaluation_for_user(request, pk)
        try:
            weights, method = _what_if(request.GET)
            decision = evaluation_decision(
                evaluation, viewer=request.user, weights=weights, method=method, sensitivity=False
            )
        except ValueError as exc:  # BadWhatIf, or an unknown criterion or a negative weight
            return HttpResponseBadRequest(str(exc))
        if decision.stability or len(decision.ranking) < 2:  # frozen, or nothing to draw
            key = ""
        else:
            key = stability.cache_key(decision)
        decision, _needs_task = stability.page_decision(
            decision, weights=weights, method=method, key=key
        )
        return view(request, evaluation, decision, weights, method, key)

    return require_GET(wrapper)


def _query(weights: dict | None, method: str | None) -> str:
    pairs = [(WEIGHT_PREFIX + key, f"{value:g}") for key, value in (weights or {}).items()]
    if method:
        pairs.append(("method", method))
    return urlencode(pairs)


def _leave_one_out(decision: Decision, key: str) -> LeaveOneOut:
    """One re-decision per evaluator: cached under the decision's content id, as its draws are."""
    if not key:
        return leave_one_out(decision)
    key = f"{key}:leave-one-out"
    found = cache.get(key)
    if found is None:
        found = leave_one_out(decision)
        cache.set(key, found, stability.CACHE_SECONDS)
    return found


def _context(request, evaluation, decision: Decision, weights, method, key: str) -> dict:
    raw = weights or {}
    share = decision.weights
    sliders = [
        (c, raw.get(c.key, round(share[c.key] * 100, 2)), share[c.key]) for c in decision.criteria
    ]
    query = _query(weights, method)
    return {
        "evaluation": evaluation,
        "decision": decision,
        "summary": summary.executive_summary(decision),
        "distances": summary.distance_rows(decision),
        "leave_one_out": _leave_one_out(decision, key),
        "risk": risk_part(decision),
        "sliders": sliders,
        "methods": [(key, label) for key, label in evaluation.Method.choices],
        "what_if": decision.what_if,
        "query": query,
        "chart_url": reverse("scoring:ranking_chart", args=[evaluation.pk])
        + (f"?{query}" if query else ""),
        "editable": can_edit(request.user, evaluation),
        "nav": "evaluations",
    }


@with_what_if
def ranking(request, evaluation, decision, weights, method, key):
    context = _context(request, evaluation, decision, weights, method, key)
    return render(request, "scoring/ranking.html", context)


@with_what_if
def what_if(request, evaluation, decision, weights, method, key):
    """The ranking table and chart for the sliders' weights; nothing is saved."""
    context = _context(request, evaluation, decision, weights, method, key)
    return render(request, "scoring/partials/what_if.html", context)


@require_POST
def what_if_save(request, pk: int):
    """Make the sliders' weights the evaluation's weights (normalised to 100 %)."""
    evaluation = evaluation_for_edit(request, pk)
    try:
        weights, method = _what_if(request.POST)
    except BadWhatIf as exc:
        return HttpResponseBadRequest(str(exc))
    url = reverse("scoring:ranking", args=[evaluation.pk])
    version = request.POST.get("version", "")
    if not version.isdigit():
        return HttpResponseBadRequest("Send the evaluation version you started from.")
    try:
        services.what_if_save(
            evaluation=evaluation,
            user=request.user,
            weights=weights or {},
            method=method,
            expected_version=int(version),
        )
    except services.StaleEdit as exc:
        messages.error(request, f"Your weights were not saved. {exc}")
        url += f"?{_query(weights, method)}"
    except (services.SetupError, ValueError) as exc:
        messages.error(request, f"Your weights were not saved: {exc}")
        url += f"?{_query(weights, method)}"
    else:
        messages.success(request, f"Weights saved (version {evaluation.version}).")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@with_what_if
def chart(request, evaluation, decision, weights, method, key):
    """The contributions chart as SVG (WSM); TOPSIS has no additive split, so its scores."""
    return HttpResponse(ranking_svg(decision), content_type="image/svg+xml")


def ranking_svg(decision: Decision) -> str:
    if not decision.ranking:
        return charts.contributions_chart(pd.DataFrame(), title="Contributions to the score")
    names = [row.name for row in decision.ranking]
    if not decision.additive:
        scores = pd.Series([row.score for row in decision.ranking], index=names)
        return charts.bar_chart(
            scores,
            title="TOPSIS closeness to the ideal vendor",
            value_format="{:.3f}",
            xlabel="Score (0–1)",
        )
    keys = [c.key for c in decision.used_criteria]
    contributions = pd.DataFrame(
        [row.contributions for row in decision.ranking], index=names
    ).reindex(columns=keys)
    return charts.contributions_chart(
        contributions,
        {c.key: c.name for c in decision.criteria},
        title="Contributions to the score",
    )


@require_GET
def sensitivity(request, pk: int):
    """The sensitivity panel; a large problem's draws run on a worker while it shows progress."""
    evaluation = evaluation_for_user(request, pk)
    try:
        weights, method = _what_if(request.GET)
        decision = evaluation_decision(
            evaluation, viewer=request.user, weights=weights, method=method, sensitivity=False
        )
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    decision, needs_task = stability.page_decision(decision, weights=weights, method=method)
    context = {
        "evaluation": evaluation,
        "decision": decision,
        "query": _query(weights, method),
        "draws": STABILITY_DRAWS,
    }
    if needs_task:
        run = _stability_run(request, evaluation, decision, weights, method)
        if run.state == TaskRun.State.SUCCEEDED:  # in-process, or the cache was just filled
            decision = stability.cached(decision) or decision
            context["decision"] = decision
        if not decision.stability:
            context |= {"run": run, "poll_seconds": POLL_SECONDS, "vendors": len(decision.ranking)}
            return render(request, "scoring/partials/sensitivity_running.html", context)
    if decision.stability:
        context["lines"] = [
            (
                line,
                summary.flip_text(decision, "+", line.increase, line.increase_leader),
                summary.flip_text(decision, "−", line.decrease, line.decrease_leader),
            )
            for line in decision.sensitivity
        ]
        top = decision.stability[:MAX_CHART_BARS]
        # Rounded as the table's percent filter rounds (Babel: half to even), so both say 99.8.
        percents = [
            float((Decimal(str(s.first_share)) * 100).quantize(TENTH, ROUND_HALF_EVEN)) for s in top
        ]
        shares = pd.Series(percents, index=[s.name for s in top])
        context["stability_chart"] = charts.as_data_uri(
            charts.bar_chart(shares, title="Share of draws ranked first", value_format="{:.1f} %")
        )
    return render(request, "scoring/partials/sensitivity.html", context)


def _stability_run(request, evaluation, decision, weights, method) -> TaskRun:
    """The user's run for this decision's draws: the one noted while it is unfinished or failed
    (a view polls it, or shows its failure and "Try again"), else a new one."""
    key = stability.run_cache_key(decision, request.user)
    run_id = cache.get(key)
    run = TaskRun.objects.filter(pk=run_id, owner=request.user).first() if run_id else None
    if run is not None and run.state == TaskRun.State.FAILED:  # retried since ("Try again")?
        retried = (
            TaskRun.objects.filter(
                owner=request.user,
                task_name=run.task_name,
                kwargs=run.kwargs,
                created_at__gt=run.created_at,
            )
            .order_by("-created_at")
            .first()
        )
        if retried is not None:
            run = retried
            cache.set(key, str(run.pk), stability.CACHE_SECONDS)
    if run is not None and run.state != TaskRun.State.SUCCEEDED:
        return run
    run = task_start(
        task=rank_stability,
        owner=request.user,
        label=f"Rank stability of {evaluation.title}"[:200],
        kwargs={"evaluation_id": evaluation.pk, "weights": weights, "method": method},
        at_once_in_process=True,
    )
    cache.set(key, str(run.pk), stability.CACHE_SECONDS)
    return run
