"""Ranking: the ranked table and contributions chart, live what-if weights, sensitivity.

What-if weights travel as query parameters ``w_<criterion key>`` (any non-negative numbers, the
sliders send 0-100) and ``method``; they re-rank without saving until "Save these weights".
"""

from urllib.parse import urlencode

import pandas as pd
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from scoring import charts, services
from scoring.access import can_edit, evaluation_for_edit, evaluation_for_user
from scoring.engine import METHODS
from scoring.selectors import (
    EvaluationResult,
    evaluation_result,
    sensitivity_lines,
    sensitivity_report,
)

WEIGHT_PREFIX = "w_"
MAX_CHART_BARS = 12


class BadWhatIf(ValueError):
    pass


def _what_if(params: QueryDict) -> tuple[dict[str, float] | None, str | None]:
    """Weights and method overrides from query/form parameters (None: use the stored ones)."""
    weights = {}
    for name, raw in params.items():
        if name.startswith(WEIGHT_PREFIX):
            try:
                weights[name.removeprefix(WEIGHT_PREFIX)] = float(raw)
            except ValueError:
                raise BadWhatIf(f"Weight {name}: enter a number, not {raw!r}.") from None
    method = params.get("method") or None
    if method is not None and method not in METHODS:
        raise BadWhatIf(f"Unknown method {method!r}; use one of {', '.join(METHODS)}.")
    return weights or None, method


def _result(request, evaluation, params) -> tuple[EvaluationResult, dict | None, str | None]:
    weights, method = _what_if(params)
    try:
        return evaluation_result(evaluation, weights=weights, method=method), weights, method
    except ValueError as exc:
        raise BadWhatIf(str(exc)) from exc


def _query(weights: dict | None, method: str | None) -> str:
    pairs = [(WEIGHT_PREFIX + key, f"{value:g}") for key, value in (weights or {}).items()]
    if method:
        pairs.append(("method", method))
    return urlencode(pairs)


def _context(request, evaluation, result, weights, method) -> dict:
    raw = weights or {}
    share = result.weights
    sliders = [
        (c, raw.get(c.key, round(share[c.key] * 100, 2)), share[c.key]) for c in result.criteria
    ]
    query = _query(weights, method)
    return {
        "evaluation": evaluation,
        "result": result,
        "sliders": sliders,
        "methods": [(key, label) for key, label in evaluation.Method.choices],
        "what_if": bool(weights or (method and method != evaluation.method)),
        "query": query,
        "chart_url": reverse("scoring:ranking_chart", args=[evaluation.pk])
        + (f"?{query}" if query else ""),
        "editable": can_edit(request.user, evaluation),
        "nav": "evaluations",
    }


@require_GET
def ranking(request, pk: int):
    return _ranking_response(request, pk, "scoring/ranking.html")


@require_GET
def what_if(request, pk: int):
    """The ranking table and chart for the sliders' weights; nothing is saved."""
    return _ranking_response(request, pk, "scoring/partials/what_if.html")


def _ranking_response(request, pk: int, template: str):
    evaluation = evaluation_for_user(request, pk)
    try:
        result, weights, method = _result(request, evaluation, request.GET)
    except BadWhatIf as exc:
        return HttpResponseBadRequest(str(exc))
    return render(request, template, _context(request, evaluation, result, weights, method))


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


@require_GET
def chart(request, pk: int):
    """The contributions chart as SVG (WSM); TOPSIS has no additive split, so its scores."""
    evaluation = evaluation_for_user(request, pk)
    try:
        result, _, _ = _result(request, evaluation, request.GET)
    except BadWhatIf as exc:
        return HttpResponseBadRequest(str(exc))
    return HttpResponse(ranking_svg(result), content_type="image/svg+xml")


def ranking_svg(result: EvaluationResult) -> str:
    if result.ranking is None:
        return charts.contributions_chart(pd.DataFrame(), title="Contributions to the score")
    order = result.ranking.table.index
    names = [result.vendors[pk].name for pk in order]
    if result.method == "topsis":
        scores = pd.Series(result.ranking.table["score"].to_numpy(), index=names)
        return charts.bar_chart(
            scores,
            title="TOPSIS closeness to the ideal vendor",
            value_format="{:.3f}",
            xlabel="Score (0–1)",
        )
    contributions = result.ranking.contributions.loc[order]
    contributions.index = names
    return charts.contributions_chart(
        contributions,
        {c.key: c.name for c in result.criteria},
        title="Contributions to the score",
    )


@require_GET
def sensitivity(request, pk: int):
    evaluation = evaluation_for_user(request, pk)
    try:
        result, _, _ = _result(request, evaluation, request.GET)
    except BadWhatIf as exc:
        return HttpResponseBadRequest(str(exc))
    report = sensitivity_report(result)
    context = {"evaluation": evaluation, "result": result, "report": report}
    if report is not None:
        stability = report.stability
        context["lines"] = sensitivity_lines(result, report)
        context["stability"] = [
            (result.vendors[pk], row.first_share, row.mean_rank) for pk, row in stability.iterrows()
        ]
        top = stability.head(MAX_CHART_BARS)
        shares = pd.Series(
            top["first_share"].to_numpy() * 100, index=[result.vendors[pk].name for pk in top.index]
        )
        context["stability_chart"] = charts.as_data_uri(
            charts.bar_chart(shares, title="Share of draws ranked first", value_format="{:.0f} %")
        )
    return render(request, "scoring/partials/sensitivity.html", context)
