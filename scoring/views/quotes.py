"""Quotes and total cost of ownership: each candidate's quote costed in the base currency."""

import pandas as pd
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from scoring import services
from scoring.charts import as_data_uri, bar_chart
from scoring.forms import QuoteForm
from scoring.models import Candidate
from scoring.selectors import evaluation_tco
from scoring.views.setup import add_service_error, disable, evaluation_for_page
from vendors.models import Quote


def tco(request, pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    rows = evaluation_tco(evaluation)
    costed = [row for row in rows if row.tco is not None]
    cheapest = costed[0].tco if costed else None
    table = [(row, row.tco - cheapest if row.tco is not None else None) for row in rows]
    chart = None
    if costed:
        series = pd.Series([float(r.tco) for r in costed], index=[r.vendor.name for r in costed])
        chart = as_data_uri(
            bar_chart(
                series,
                title=f"TCO over {evaluation.term_months} months",
                xlabel=evaluation.base_currency,
            )
        )
    context = {
        "evaluation": evaluation,
        "can_edit": editable,
        "rows": table,
        "chart": chart,
        "costed": costed,
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
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_save(evaluation=evaluation, vendor=vendor, **form.cleaned_data)
        except services.SetupError as exc:
            add_service_error(form, exc)
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
        "list_prices": list_prices,
        "nav": "evaluations",
    }
    return render(request, "scoring/quote_form.html", context)
