"""The quote form refuses what would leave a hole in the TCO: a currency with no exchange rate into
the base currency, a delivery model the vendor has no centre for or the evaluation forbids. The
service refuses the same, so every path does."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from scoring import services
from scoring.models import Evaluation
from tests.factories import (
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    ExchangeRateFactory,
    VendorFactory,
    delivery_model,
    quote_form_data,
)
from vendors.models import Quote

pytestmark = pytest.mark.django_db


def quote_data(**overrides):
    """An offshore quote in US dollars (the evaluations here are priced in USD)."""
    offshore_usd = {"delivery_model": delivery_model("offshore").pk, "currency": "USD", "notes": ""}
    return quote_form_data(**offshore_usd | overrides)


def quotable_candidate(evaluation, name="Newco", models=("offshore",)):
    """A candidate with one centre per delivery model in ``models``."""
    vendor = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name=name)).vendor
    for code in models:
        DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model(code))
    return vendor


def post_quote(client, evaluation, vendor, **overrides):
    return client.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]), quote_data(**overrides)
    )


def test_a_currency_without_an_exchange_rate_is_refused_naming_the_rate_and_where_to_add_it(
    analyst_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation)

    response = post_quote(analyst_client, evaluation, vendor, currency="INR")

    assert response.status_code == 200
    error = response.context["form"].errors["currency"][0]
    assert error.startswith("There is no exchange rate from INR to USD")
    assert "/admin/vendors/exchangerate/add/" in error and "/vendors/import/" in error
    assert "saved" not in response.text.lower().replace("save quote", "")
    assert not Quote.objects.exists()


def test_a_currency_with_a_rate_into_the_base_currency_is_saved(analyst_client, analyst):
    ExchangeRateFactory(currency="INR", base_currency="USD", rate=Decimal("0.012"))
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation)

    response = post_quote(analyst_client, evaluation, vendor, currency="INR")

    assert response.status_code == 302
    assert Quote.objects.get(vendor=vendor).currency == "INR"


def test_a_rate_into_another_base_currency_does_not_count(analyst_client, analyst):
    ExchangeRateFactory(currency="INR", base_currency="EUR", rate=Decimal("0.011"))
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation)

    response = post_quote(analyst_client, evaluation, vendor, currency="INR")

    assert (
        "There is no exchange rate from INR to USD"
        in response.context["form"].errors["currency"][0]
    )
    assert not Quote.objects.exists()


@pytest.mark.parametrize("code", ["XYZ", "DEM", "usd1", ""])
def test_a_code_that_is_not_a_current_iso_4217_currency_is_refused(analyst_client, analyst, code):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation)

    response = post_quote(analyst_client, evaluation, vendor, currency=code)

    assert "currency" in response.context["form"].errors
    assert not Quote.objects.exists()


def test_the_currency_is_picked_from_the_iso_list_with_rated_ones_first(analyst_client, analyst):
    ExchangeRateFactory(currency="EUR", base_currency="USD")
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation)

    response = analyst_client.get(reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]))

    (rated_label, rated), (others_label, others) = (
        response.context["form"].fields["currency"].choices
    )
    assert rated_label == "With an exchange rate to USD"
    assert others_label == "Others (add a rate first)"
    assert [code for code, _ in rated] == ["EUR", "USD"]
    assert ("INR", "INR · Indian Rupee") in others
    assert len(others) > 100
    assert '<option value="EUR">EUR · Euro</option>' in response.text


def test_only_delivery_models_with_a_centre_and_allowed_by_the_evaluation_are_offered(
    analyst_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst)
    evaluation.allowed_delivery_models.set([delivery_model("offshore"), delivery_model("onshore")])
    vendor = quotable_candidate(evaluation, models=("offshore", "nearshore"))

    response = analyst_client.get(reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]))

    offered = list(response.context["form"].fields["delivery_model"].queryset)
    assert offered == [delivery_model("offshore")]


def test_every_model_the_vendor_has_a_centre_for_is_offered_when_the_evaluation_allows_any(
    analyst_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation, models=("offshore", "nearshore", "offshore"))

    response = analyst_client.get(reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]))

    offered = list(response.context["form"].fields["delivery_model"].queryset)
    assert offered == [delivery_model("nearshore"), delivery_model("offshore")]


def test_a_delivery_model_the_vendor_has_no_centre_for_is_refused(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation, models=("offshore",))

    response = post_quote(
        analyst_client, evaluation, vendor, delivery_model=delivery_model("onshore").pk
    )

    assert response.status_code == 200
    assert response.context["form"].errors["delivery_model"] == [
        "Choose offshore: Newco has no centre in another model."
    ]
    assert not Quote.objects.exists()


def test_the_service_refuses_a_model_the_evaluation_forbids_naming_the_field():
    evaluation = EvaluationFactory()
    evaluation.allowed_delivery_models.set([delivery_model("offshore")])
    vendor = quotable_candidate(evaluation, models=("offshore", "nearshore"))

    with pytest.raises(services.SetupError) as caught:
        services.quote_save(
            evaluation=evaluation,
            vendor=vendor,
            delivery_model=delivery_model("nearshore"),
            pricing_model=Quote.PricingModel.PER_FTE_MONTH,
            unit_price=Decimal("3000"),
            currency="USD",
        )

    assert caught.value.field == "delivery_model"
    assert str(caught.value) == (
        "Delivery model: this evaluation allows only offshore delivery, not nearshore."
    )
    assert not Quote.objects.exists()


def test_the_service_refuses_a_model_the_vendor_has_no_centre_for():
    evaluation = EvaluationFactory()
    vendor = quotable_candidate(evaluation, models=("offshore",))

    with pytest.raises(services.SetupError) as caught:
        services.quote_save(
            evaluation=evaluation,
            vendor=vendor,
            delivery_model=delivery_model("onshore"),
            pricing_model=Quote.PricingModel.PER_FTE_MONTH,
            unit_price=Decimal("3000"),
            currency="USD",
        )

    assert caught.value.field == "delivery_model"
    assert (
        str(caught.value) == "Delivery model: Newco has no onshore delivery centre; quote offshore."
    )


def test_the_service_refuses_a_currency_without_a_rate_naming_the_field():
    evaluation = EvaluationFactory(base_currency="EUR")
    vendor = quotable_candidate(evaluation)

    with pytest.raises(services.SetupError) as caught:
        services.quote_save(
            evaluation=evaluation,
            vendor=vendor,
            delivery_model=delivery_model("offshore"),
            pricing_model=Quote.PricingModel.PER_FTE_MONTH,
            unit_price=Decimal("3000"),
            currency="gbp",
        )

    assert caught.value.field == "currency"
    assert str(caught.value).startswith("Currency: there is no exchange rate from GBP to EUR")
    assert not Quote.objects.exists()


def test_a_vendor_without_any_allowed_centre_is_told_what_to_do(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    evaluation.allowed_delivery_models.set([delivery_model("onshore")])
    vendor = quotable_candidate(evaluation, models=("offshore",))

    response = post_quote(
        analyst_client, evaluation, vendor, delivery_model=delivery_model("onshore").pk
    )

    error = response.context["form"].errors["delivery_model"][0]
    assert error == (
        "Newco has no delivery centre in a model this evaluation allows; "
        "add its centres to the vendor in the admin first."
    )
    assert not Quote.objects.exists()
    assert Evaluation.objects.get().version == 1


@pytest.mark.parametrize("models", [("offshore",), ()])
def test_a_vendor_name_with_markup_and_percent_signs_is_escaped_in_help_and_errors(
    analyst_client, analyst, models
):
    name = '<b>100% "Sure"</b> BPO'
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation, name=name, models=models)

    response = post_quote(
        analyst_client, evaluation, vendor, delivery_model=delivery_model("onshore").pk
    )

    assert response.status_code == 200
    assert name not in response.text
    assert escape(name) in response.text
    assert name in response.context["form"].errors["delivery_model"][0]
    assert not Quote.objects.exists()


def test_the_form_carries_the_quote_version_and_refuses_a_save_after_someone_elses(
    analyst_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation)
    url = reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk])
    post_quote(analyst_client, evaluation, vendor, unit_price="3000", version="0")
    opened = analyst_client.get(url).content.decode()
    post_quote(analyst_client, evaluation, vendor, unit_price="3100", version="1")  # a colleague

    response = post_quote(analyst_client, evaluation, vendor, unit_price="3200", version="1")

    assert 'type="hidden" name="version" value="1"' in opened
    assert response.status_code == 200
    assert (
        escape(
            "Newco's quote was changed by someone else since you read version 1 (now version 2)."
        )
        in response.content.decode()
    )
    assert "your entries here are unsaved" in response.content.decode()
    assert Quote.objects.get(vendor=vendor).unit_price == Decimal("3100")
