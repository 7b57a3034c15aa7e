"""The cost terms on every path: the evaluation's hours per FTE-month and discount rate, the
quote's escalation, exit fee and minimum term (form, import, constraints), and the in-house
baseline page. Totals are unchanged for evaluations and quotes that set none of them."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from scoring.models import Evaluation, InHouseBaseline
from scoring.selectors import evaluation_decision
from tests.factories import (
    AnalystFactory,
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    QuoteFactory,
    VendorFactory,
    delivery_model,
    process,
    quote_form_data,
)
from tests.scoring.test_setup_views import edit_data
from tests.vendors.importing_helpers import GOOD_QUOTE, QUOTE_HEADER, csv_bytes
from vendors import importing
from vendors.models import Quote

pytestmark = pytest.mark.django_db


def quoted(evaluation, **quote):
    vendor = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name="Nova")).vendor
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("offshore"))
    terms = {"unit_price": Decimal("1000"), "transition_fee": Decimal(0)} | quote
    return vendor, QuoteFactory(evaluation=evaluation, vendor=vendor, **terms)


def tco_of(evaluation):
    (line,) = evaluation_decision(evaluation).tco
    return line


def test_a_quote_without_the_new_terms_costs_what_it_did(analyst):
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(10), term_months=24)
    quoted(evaluation, minimum_term_months=None)

    assert tco_of(evaluation).tco == Decimal("240000.00")


def test_the_minimum_term_escalation_and_exit_fee_of_a_quote_count(analyst):
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(10), term_months=24)
    quoted(
        evaluation,
        minimum_term_months=36,
        annual_escalation=Decimal("5"),
        exit_fee=Decimal("2000"),
    )

    # 120,000 + 126,000 + 132,300 over the 36 billed months + 2,000
    line = tco_of(evaluation)
    assert line.tco == Decimal("380300.00")
    assert line.schedule.billed_months == 36


def test_hours_per_fte_and_the_discount_rate_come_from_the_evaluation(analyst):
    evaluation = EvaluationFactory(
        owner=analyst,
        volume=Decimal(1500),
        volume_unit="hours",
        term_months=12,
        hours_per_fte=Decimal(150),
    )
    quoted(evaluation, minimum_term_months=None)
    # 1,500 hours / 150 = 10 FTEs x 1,000 x 12
    assert tco_of(evaluation).tco == Decimal("120000.00")

    Evaluation.objects.filter(pk=evaluation.pk).update(discount_rate=Decimal(10))
    evaluation.refresh_from_db()
    assert tco_of(evaluation).tco == Decimal("114913.97")  # see test_cost_schedule


def test_the_edit_form_sets_hours_per_fte_and_the_discount_rate_and_blank_keeps_them(
    analyst_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst)
    url = reverse("scoring:evaluation_edit", args=[evaluation.pk])

    analyst_client.post(url, edit_data(evaluation, hours_per_fte="152", discount_rate="8"))
    evaluation.refresh_from_db()
    assert (evaluation.hours_per_fte, evaluation.discount_rate) == (152, 8)

    analyst_client.post(url, edit_data(evaluation, hours_per_fte="", discount_rate=""))
    evaluation.refresh_from_db()
    assert (evaluation.hours_per_fte, evaluation.discount_rate) == (152, 8)
    history = evaluation.history.order_by("history_id").values_list("hours_per_fte", flat=True)
    assert list(history) == [160, 152, 152]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours_per_fte", "0", "Ensure this value is greater than or equal to 0.01."),
        ("discount_rate", "-1", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_bad_cost_terms_on_the_evaluation_are_refused_on_their_field(
    analyst_client, analyst, field, value, message
):
    evaluation = EvaluationFactory(owner=analyst)

    response = analyst_client.post(
        reverse("scoring:evaluation_edit", args=[evaluation.pk]),
        edit_data(evaluation, **{field: value}),
    )

    assert response.context["form"].errors[field] == [message]
    evaluation.refresh_from_db()
    assert evaluation.version == 1


def test_the_quote_form_saves_escalation_and_exit_fee_and_states_the_hours_per_fte(
    analyst_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst, hours_per_fte=Decimal("152.5"))
    vendor = CandidateFactory(evaluation=evaluation).vendor
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("offshore"))
    url = reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk])

    page = analyst_client.get(url)
    assert "Hours convert at 152.5 hours per FTE-month" in page.text
    data = quote_form_data(
        delivery_model=delivery_model("offshore").pk,
        currency="USD",
        annual_escalation="4.5",
        exit_fee="15000",
    )
    assert analyst_client.post(url, data).status_code == 302
    quote = Quote.objects.get(evaluation=evaluation)
    assert (quote.annual_escalation, quote.exit_fee) == (Decimal("4.5"), Decimal(15000))

    analyst_client.post(url, data | {"annual_escalation": "", "exit_fee": ""})
    quote.refresh_from_db()
    assert (quote.annual_escalation, quote.exit_fee) == (0, 0)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("annual_escalation", "-100", "greater than or equal to -99.99"),
        ("exit_fee", "-5", "greater than or equal to 0"),
    ],
)
def test_bad_quote_terms_are_refused_on_their_field(analyst_client, analyst, field, value, message):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = CandidateFactory(evaluation=evaluation).vendor
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("offshore"))
    data = quote_form_data(delivery_model=delivery_model("offshore").pk, currency="USD")

    response = analyst_client.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]), data | {field: value}
    )

    assert message in response.context["form"].errors[field][0]
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    "terms",
    [
        {"exit_fee": Decimal("-1")},
        {"annual_escalation": Decimal("-100")},
    ],
)
def test_the_database_refuses_impossible_quote_terms(terms):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuoteFactory(**terms)


def test_the_database_refuses_zero_hours_per_fte_and_a_negative_discount_rate():
    for terms in ({"hours_per_fte": Decimal(0)}, {"discount_rate": Decimal("-0.5")}):
        with pytest.raises(IntegrityError), transaction.atomic():
            EvaluationFactory(**terms)


def test_the_quotes_import_reads_escalation_and_exit_fee_and_a_blank_keeps_them():
    admin = AnalystFactory()
    acme = VendorFactory(name="Acme")
    header = [*QUOTE_HEADER, "annual_escalation", "exit_fee"]
    importing.commit(
        importing.load(csv_bytes([header, [*GOOD_QUOTE, "3.5", "12000"]]), "q.csv", "quotes"),
        user=admin,
    )
    quote = Quote.objects.get(vendor=acme)
    assert (quote.annual_escalation, quote.exit_fee) == (Decimal("3.5"), Decimal(12000))

    importing.commit(
        importing.load(csv_bytes([header, [*GOOD_QUOTE, "", ""]]), "q.csv", "quotes"), user=admin
    )
    quote.refresh_from_db()
    assert (quote.annual_escalation, quote.exit_fee) == (Decimal("3.5"), Decimal(12000))
    assert quote.process == process("payroll-benefits-administration")


def test_an_impossible_escalation_in_an_import_is_named_by_row_and_column():
    VendorFactory(name="Acme")
    header = [*QUOTE_HEADER, "annual_escalation"]
    table = importing.load(csv_bytes([header, [*GOOD_QUOTE, "-120"]]), "q.csv", "quotes")

    report, _ = importing.preview(table)

    assert report.counts["error"] == 1
    (error,) = report.errors
    assert (error.row, error.column) == (2, "annual_escalation")
    assert "-99.99" in error.message
    assert not Quote.objects.exists()


# ------------------------------------------------------------------------ the in-house baseline


def baseline_url(evaluation):
    return reverse("scoring:baseline", args=[evaluation.pk])


BASELINE = {
    "ftes": "10",
    "loaded_cost_per_fte_month": "5000",
    "monthly_overheads": "2000",
    "annual_wage_inflation": "3",
    "exit_costs": "50000",
}


def test_the_owner_records_changes_and_clears_the_baseline_with_history(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(20))
    page = analyst_client.get(baseline_url(evaluation))
    assert page.context["form"]["ftes"].value() == Decimal(20)  # the evaluation's volume

    response = analyst_client.post(baseline_url(evaluation), BASELINE | {"version": 1})
    assert response.status_code == 302
    baseline = InHouseBaseline.objects.get(evaluation=evaluation)
    assert (baseline.ftes, baseline.exit_costs) == (10, 50000)
    evaluation.refresh_from_db()
    assert evaluation.version == 2

    analyst_client.post(baseline_url(evaluation), BASELINE | {"ftes": "12", "version": 2})
    baseline.refresh_from_db()
    assert baseline.ftes == 12

    analyst_client.post(baseline_url(evaluation), {"clear": "1", "version": 3})
    assert not InHouseBaseline.objects.exists()
    history = analyst_client.get(reverse("scoring:history", args=[evaluation.pk])).text
    assert "In-house cost" in history and "FTEs in-house" in history


def test_a_bad_baseline_is_refused_naming_the_field_and_nothing_is_saved(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)

    response = analyst_client.post(
        baseline_url(evaluation), BASELINE | {"loaded_cost_per_fte_month": "-1", "version": 1}
    )

    assert response.status_code == 200
    assert "loaded_cost_per_fte_month" in response.context["form"].errors
    assert not InHouseBaseline.objects.exists()


def test_a_stale_baseline_edit_is_refused(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    Evaluation.objects.filter(pk=evaluation.pk).update(version=4)

    response = analyst_client.post(baseline_url(evaluation), BASELINE | {"version": 1})

    assert "changed by someone else" in response.text
    assert not InHouseBaseline.objects.exists()


def test_a_manager_reads_the_baseline_but_cannot_change_it(manager_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)

    page = manager_client.get(baseline_url(evaluation))
    posted = manager_client.post(baseline_url(evaluation), BASELINE | {"version": 1})

    assert page.status_code == 200 and page.context["form"].fields["ftes"].disabled
    assert posted.status_code == 403
    assert not InHouseBaseline.objects.exists()


def test_a_frozen_evaluation_keeps_its_baseline(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst, status=Evaluation.Status.IN_REVIEW)

    response = analyst_client.post(baseline_url(evaluation), BASELINE | {"version": 1})

    assert response.status_code == 403
    assert not InHouseBaseline.objects.exists()


def test_savings_against_the_baseline_join_the_decision(analyst):
    evaluation = EvaluationFactory(owner=analyst, volume=Decimal(10), term_months=12)
    quoted(evaluation, minimum_term_months=None, transition_fee=Decimal(20000))
    InHouseBaseline.objects.create(evaluation=evaluation, ftes=10, loaded_cost_per_fte_month=3000)

    line = tco_of(evaluation)

    # in-house 360,000; vendor 120,000 + 20,000: saves 220,000 = 61.1 %; month 1 saves
    # 30,000 - 10,000 = 20,000, the transition fee, so it breaks even at the end of month 1
    assert (line.savings.amount, line.savings.percent) == (Decimal("220000.00"), Decimal("61.1"))
    assert line.savings.break_even_month == 1
    assert evaluation_decision(evaluation).in_house.total == Decimal("360000.00")
