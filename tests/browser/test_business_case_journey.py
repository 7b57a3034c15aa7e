"""An analyst reads the demo draft's cost story (assumptions, a quote billed beyond the contract,
savings against in-house), lowers the in-house cost and sees which vendors now cost more."""

import re

from playwright.sync_api import expect

from scoring.models import Evaluation, InHouseBaseline


def test_analyst_changes_the_in_house_baseline_and_sees_the_savings_follow(page, demo_data, log_in):
    evaluation = Evaluation.objects.get(title="Customer service outsourcing 2027")
    log_in("analyst")
    page.goto(f"/evaluations/{evaluation.pk}/")
    page.locator(".nav-tabs").get_by_role("link", name="Quotes & TCO", exact=True).click()

    assumptions = page.get_by_role("list", name="Cost assumptions")
    expect(assumptions).to_contain_text("Hours convert at 160 hours per FTE-month.")
    expect(assumptions).to_contain_text("In-house: 40 FTEs at $4,200 per FTE-month")
    expect(
        page.get_by_text(re.compile(r"Billed 48 months: the vendor's minimum term"))
    ).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Saves $")
    expect(
        page.get_by_role("img", name=re.compile("cumulative cost by contract year"))
    ).to_be_visible()

    page.get_by_role("link", name="Edit the in-house baseline").click()
    page.get_by_label("Loaded cost per FTE-month (USD)").fill("2000")
    page.get_by_label("Other overheads per month (USD)").fill("0")
    page.get_by_role("button", name="Save baseline").click()

    expect(page.get_by_text("In-house baseline saved.")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("more than in-house")
    assert InHouseBaseline.objects.get(evaluation=evaluation).loaded_cost_per_fte_month == 2000

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px wide)"
