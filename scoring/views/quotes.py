"""Quotes and total cost of ownership: each candidate's quote costed in the base currency."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from scoring import services
from scoring.blend_forms import ModelPricesForm, ShareBoundsForm
from scoring.charts import as_data_uri
from scoring.forms import QuoteForm
from scoring.models import Candidate
from scoring.reports import cost_story
from scoring.reports.cost_parts import blend_part, risk_part
from scoring.reports.pdf import tco_chart
from scoring.selectors import evaluation_decision
from scoring.services import blend
from scoring.views.setup import add_service_error, disable, evaluation_for_page
from vendors.models import Quote


def _tco_rows(decision) -> list[tuple]:
    """Per competing candidate: its TCO line, quote, difference to the cheapest, knock-outs,
    the quote's terms and its savings against in-house, in words."""
    competing = set(decision.competing)
    lines = [line for line in decision.tco if line.vendor_id in competing]
    costed = [line.tco for line in lines if line.tco is not None]
    cheapest = costed[0] if costed else None
    knocked_out = {c.vendor_id: c.reasons for c in decision.knocked_out}
    currency = decision.evaluation.base_currency
    return [
        (
            line,
            decision.quotes.get(line.vendor_id),
            None if line.tco is None or cheapest is None else line.tco - cheapest,
            knocked_out.get(line.vendor_id, ()),
            cost_story.quote_terms(decision, line.vendor_id),
            line.savings and cost_story.savings_text(line.savings, currency),
        )
        for line in lines
    ]


def tco(request, pk: int):
    """Competing candidates' quotes and TCO, cheapest first, flagged against the budget cap, with
    the cost assumptions, the schedule by contract year and the savings against in-house."""
    evaluation, editable = evaluation_for_page(request, pk)
    decision = evaluation_decision(evaluation, viewer=request.user, sensitivity=False, risk=True)
    rows = _tco_rows(decision)
    chart = tco_chart(decision, title=f"TCO over {decision.tco_period}")
    schedule = cost_story.schedule_chart(decision)
    context = {
        "evaluation": evaluation,
        "decision": decision,
        "can_edit": editable,
        "rows": rows,
        "chart": as_data_uri(chart) if chart else None,
        "costed": [row[0] for row in rows if row[0].tco is not None],
        "assumptions": cost_story.assumptions(decision),
        "year_rows": cost_story.year_rows(decision),
        "years": range(1, cost_story.contract_years(decision) + 1),
        "schedule_chart": as_data_uri(schedule) if schedule else None,
        "schedule_description": cost_story.chart_description(decision) if schedule else "",
        "excluded": decision.excluded,
        "blend": blend_part(decision),
        "risk": risk_part(decision),
        "nav": "evaluations",
    }
    return render(request, "scoring/tco.html", context)


def _list_price(request, evaluation, vendor) -> dict:
    """Initial values from the vendor's market quote named by ?list_price=, if any."""
    quote_id = request.GET.get("list_price")
    if not quote_id or not (quote_id.isascii() and quote_id.isdigit()):  # not "²"
        return {}
    market = Quote.objects.filter(
        pk=quote_id, vendor=vendor, process=evaluation.process, evaluation__isnull=True
    ).first()
    if market is None:
        return {}
    return {name: getattr(market, name) for name in services.QUOTE_FIELDS if name != "notes"} | {
        "delivery_model": market.delivery_model_id
    }


def quote_edit(request, pk: int, vendor_pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    candidate = get_object_or_404(
        Candidate.objects.select_related("vendor"), evaluation=evaluation, vendor_id=vendor_pk
    )
    vendor = candidate.vendor
    quote = Quote.objects.filter(evaluation=evaluation, vendor=vendor).first()
    initial = _list_price(request, evaluation, vendor) if request.method == "GET" else {}
    if quote is None and not initial:
        initial = {"currency": evaluation.base_currency}
    form = QuoteForm(
        request.POST or None, instance=quote, initial=initial, evaluation=evaluation, vendor=vendor
    )
    prices = ModelPricesForm(
        request.POST or None, evaluation=evaluation, vendor=vendor, quote=quote
    )
    if request.method == "POST" and form.is_valid() and prices.is_valid():
        fields = dict(form.cleaned_data)
        try:
            blend.quote_with_prices_save(
                evaluation=evaluation,
                vendor=vendor,
                prices=prices.prices(),
                by=request.user,
                expected_version=fields.pop("version"),
                **fields,
            )
        except services.StaleEdit as exc:
            form.add_error(None, f"{exc} Reload the page to see it; your entries here are unsaved.")
        except services.SetupError as exc:
            add_service_error(prices if exc.field in prices.fields else form, exc)
        else:
            messages.success(request, f"Quote from {vendor.name} saved.")
            return redirect("scoring:tco", evaluation.pk)
    list_prices = Quote.objects.filter(
        vendor=vendor, process=evaluation.process, evaluation__isnull=True
    ).select_related("delivery_model")
    context = {
        "evaluation": evaluation,
        "vendor": vendor,
        "quote": quote,
        "can_edit": editable,
        "form": form if editable else disable(form),
        "prices_form": prices if editable else disable(prices),
        "list_prices": list_prices,
        "nav": "evaluations",
    }
    return render(request, "scoring/quote_form.html", context)


def delivery_mix(request, pk: int):
    """The evaluation's share bounds per delivery model, which every vendor's mix must meet."""
    evaluation, editable = evaluation_for_page(request, pk)
    form = ShareBoundsForm(request.POST or None, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            blend.share_bounds_save(evaluation=evaluation, bounds=form.bounds(), by=request.user)
        except services.SetupError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Delivery share bounds saved.")
            return redirect("scoring:tco", evaluation.pk)
    context = {
        "evaluation": evaluation,
        "can_edit": editable,
        "form": form if editable else disable(form),
        "models": [(m, form[f"{m.code}_min"], form[f"{m.code}_max"]) for m in form.models],
        "nav": "evaluations",
    }
    return render(request, "scoring/delivery_mix.html", context)
