"""An analyst names the buyer's country on an evaluation: the Polish centre that was recorded
offshore becomes nearshore for a German buyer, on the candidates page at desktop and phone width."""

from playwright.sync_api import expect

from scoring.models import Evaluation
from tests.factories import (
    DEFAULT_PASSWORD,
    AnalystFactory,
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    VendorFactory,
    delivery_model,
    ensure_reference_data,
)


def test_analyst_names_the_buyer_and_sees_each_centres_derived_model(
    page, transactional_db, log_in
):
    ensure_reference_data()
    analyst = AnalystFactory(username="where")
    evaluation = EvaluationFactory(owner=analyst, title="Payroll DACH")
    evaluation.allowed_delivery_models.set([delivery_model("nearshore")])
    vendor = VendorFactory(name="Vistula Services")
    DeliveryCentreFactory(
        vendor=vendor,
        country="PL",
        city="Warsaw",
        delivery_model=delivery_model("offshore"),
        languages="pl, de",
    )
    CandidateFactory(evaluation=evaluation, vendor=vendor)
    log_in("where", DEFAULT_PASSWORD)

    page.goto(f"/evaluations/{evaluation.pk}/candidates/")
    expect(
        page.get_by_text("Warsaw, Poland — offshore (as recorded), speaks pl, de")
    ).to_be_visible()
    expect(page.get_by_text("No centre in an allowed delivery model (Nearshore)")).to_be_visible()

    page.goto(f"/evaluations/{evaluation.pk}/edit/")
    page.get_by_label("Buyer's country").select_option(label="Germany")
    page.get_by_label("Required languages").fill("DE")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"**/evaluations/{evaluation.pk}/")
    expect(page.locator("#buyer")).to_contain_text("Germany (Europe/Berlin), working 09:00–17:00")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/evaluations/{evaluation.pk}/candidates/")
    place = page.get_by_text(
        "Warsaw, Poland — nearshore for a buyer in Germany (same time), speaks pl, de"
    )
    expect(place).to_be_visible()
    expect(page.locator("#where-work-is-done")).to_contain_text("works in German")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Evaluation.objects.get(pk=evaluation.pk).required_languages == "de"
