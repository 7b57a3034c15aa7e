"""The cost story seen by people: the TCO page, the ranking and the PDF state the assumptions,
each quote's terms, the savings against in-house and the cost by contract year."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import Evaluation, InHouseBaseline
from scoring.reports.snapshot import build_snapshot
from tests.factories import rankable_evaluation
from tests.scoring.test_report_truth import flat, page, pdf_text
from vendors.models import Quote, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(analyst):
    """Three vendors at 2,000 / 2,250 / 2,500 USD per FTE-month, 20 FTEs, 36 months; Alpha's
    quote rises 5 % a year and is billed for 48 months."""
    evaluation = rankable_evaluation(owner=analyst)
    alpha = Quote.objects.get(evaluation=evaluation, vendor__name="Alpha BPO")
    alpha.minimum_term_months, alpha.annual_escalation = 48, Decimal(5)
    alpha.save()
    return evaluation


def with_baseline(evaluation, loaded="3000"):
    InHouseBaseline.objects.create(
        evaluation=evaluation, ftes=20, loaded_cost_per_fte_month=Decimal(loaded)
    )
    return evaluation


def test_the_tco_page_states_the_assumptions_and_the_quote_terms(analyst_client, evaluation):
    text = page(analyst_client, "scoring:tco", evaluation)

    assert "Hours convert at 160 hours per FTE-month." in text
    assert "Payments are added up as invoiced (no discounting)." in text
    assert (
        "Billed 48 months: the vendor&#x27;s minimum term is longer than the 36-month contract."
        in text
    )
    assert "Prices rise 5 % at the start of each contract year." in text
    assert "No in-house baseline is recorded" in text and "Record the in-house baseline" in text
    assert "Against in-house" not in text
    assert "Year 4" in text  # Alpha's 48 billed months


def test_the_ranking_says_a_tco_may_cover_more_than_the_term(analyst_client, evaluation):
    longer = page(analyst_client, "scoring:ranking", evaluation)
    Quote.objects.filter(evaluation=evaluation).update(minimum_term_months=None)
    term_only = page(analyst_client, "scoring:ranking", evaluation)

    assert "TCO over 36 months (longer where a vendor&#x27;s minimum term is) in USD" in longer
    assert "TCO over 36 months in USD" in term_only


def test_with_a_baseline_every_vendor_shows_its_savings(analyst_client, evaluation):
    with_baseline(evaluation)

    text = flat(page(analyst_client, "scoring:tco", evaluation))

    # In-house 20 x 3,000 x 36 = 2,160,000; Beta 20 x 2,250 x 36 + 10,000 = 1,630,000
    assert "In-house: 20 FTEs at $3,000 per FTE-month: $2,160,000 over the 36-month term." in text
    assert "Saves $530,000 (24.5 %); breaks even in month 1" in text
    assert "Cumulative cost by contract year" not in text  # the chart is an image
    assert "Line chart of the cumulative cost by contract year" in text
    ranking = flat(page(analyst_client, "scoring:ranking", evaluation))
    assert "against $2,160,000 in-house" in ranking and "saves $530,000 (24.5 %)" in ranking


def test_a_vendor_dearer_than_in_house_is_shown_as_costing_more(analyst_client, evaluation):
    with_baseline(evaluation, loaded="1500")

    text = flat(page(analyst_client, "scoring:tco", evaluation))

    # In-house 1,080,000; Gamma 20 x 2,500 x 36 + 10,000 = 1,810,000
    assert "Costs $730,000 (67.6 %) more than in-house; never breaks even within the term" in text


def test_the_pdf_states_the_savings_and_carries_the_schedule_by_year(analyst_client, evaluation):
    with_baseline(evaluation)

    text = flat(pdf_text(analyst_client, evaluation))

    assert "Running the process in-house would cost $2,160,000 over the 36-month term:" in text
    assert "Hours convert at 160 hours per FTE-month." in text
    assert "Cost by contract year (USD)" in text and "Year 4" in text
    assert "Billed 48 months" in text


def test_vendor_names_are_escaped_in_the_cost_story(analyst_client, evaluation):
    with_baseline(evaluation)
    Vendor.objects.filter(name="Beta BPO").update(name="<b>Beta</b>")

    text = page(analyst_client, "scoring:tco", evaluation)

    assert "<b>Beta</b>" not in text and "&lt;b&gt;Beta&lt;/b&gt;" in text


def test_the_baseline_adds_no_query_to_the_tco_page(analyst_client, evaluation):
    url = reverse("scoring:tco", args=[evaluation.pk])
    analyst_client.get(url)
    with CaptureQueriesContext(connection) as without:
        analyst_client.get(url)
    with_baseline(evaluation)
    with CaptureQueriesContext(connection) as with_it:
        analyst_client.get(url)

    assert len(with_it) == len(without)


def test_the_tco_export_carries_the_terms_and_savings(analyst_client, evaluation):
    with_baseline(evaluation, loaded="2400")
    url = reverse("scoring:export", kwargs={"pk": evaluation.pk, "kind": "tco", "fmt": "csv"})

    rows = list(csv.reader(io.StringIO(analyst_client.get(url).content.decode("utf-8-sig"))))

    header = rows[0]
    table = rows[1 : rows.index([])]  # the "About" part follows a blank row
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in table}
    alpha, gamma = by_name["Alpha BPO"], by_name["Gamma BPO"]
    assert (alpha["Minimum term (months)"], alpha["Billed months"]) == ("48", "48")
    assert alpha["Annual escalation %"] == "5.00"
    # In-house 20 x 2,400 x 36 = 1,728,000; Gamma 1,810,000: 82,000 more
    assert gamma["Saving vs in-house (USD)"] == "-82000.00"
    assert gamma["Saving %"] == "-4.7" and gamma["Break-even month"] == ""


def test_an_evaluation_approved_with_a_schema_3_snapshot_still_renders(analyst_client, evaluation):
    data = build_snapshot(evaluation)
    data["schema"] = 3
    data.pop("in_house")
    for line in data["tco"]:
        line.pop("schedule"), line.pop("savings")
    for row in data["ranking"]:
        row.pop("savings")
    for key in ("hours_per_fte", "discount_rate", "baseline"):
        data["inputs"]["evaluation"].pop(key)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=Evaluation.Status.APPROVED, snapshot=data
    )
    evaluation.refresh_from_db()

    tco = flat(page(analyst_client, "scoring:tco", evaluation))
    ranking = page(analyst_client, "scoring:ranking", evaluation)

    assert "$1,630,000" in tco and "Hours convert at 160 hours per FTE-month." in tco
    assert "Against in-house" not in tco and "Cost by contract year" not in tco
    assert "Against in-house" not in ranking
    assert "Running the process in-house" not in flat(pdf_text(analyst_client, evaluation))


def test_the_cost_risk_table_prints_first_shares_as_its_sentence_does_to_a_tenth():
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    from scoring.decision_risk import RiskLine

    lines = tuple(
        RiskLine(pk, name, "USD", Decimal(1), Decimal(2), Decimal(3), first_share=share)
        for pk, name, share in ((1, "Fjord Contact", 0.9991), (2, "Fjord BPO", 0.0009))
    )
    said = "Fjord Contact ranks first in 99.9% of the futures"
    risk = SimpleNamespace(sentences=(said,), lines=lines, draws=10_000)
    evaluation = SimpleNamespace(base_currency="USD", pk=1)

    html = render_to_string(
        "scoring/partials/blend_and_risk.html", {"risk": risk, "evaluation": evaluation}
    )

    assert "99.9%" in html and "0.1%" in html and "100%" not in html
