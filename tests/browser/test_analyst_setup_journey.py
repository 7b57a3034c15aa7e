"""A demo analyst creates an evaluation, adds the suggested vendors and compares two quotes by TCO."""

import re

from playwright.sync_api import expect


def test_analyst_creates_an_evaluation_adds_candidates_and_quotes(page, demo_data, log_in):
    log_in("analyst")
    page.get_by_role("link", name="Evaluations", exact=True).click()
    page.get_by_role("link", name="New evaluation").click()

    page.get_by_label("Title").fill("Helpdesk nearshore 2027")
    page.get_by_label("Process").select_option(label="Technical support & helpdesk")
    page.get_by_label("Volume per month").fill("12")
    page.get_by_label("Volume unit").select_option(label="FTEs")
    page.get_by_label("Contract term (months)").fill("24")
    page.get_by_label("Base currency").select_option("USD")
    page.get_by_label("Budget cap (whole term)").fill("5000000")
    page.get_by_label("Weighted sum").check()
    page.get_by_role("button", name="Create and pick candidates").click()

    expect(page.get_by_role("heading", name="Helpdesk nearshore 2027")).to_be_visible()
    suggested = page.get_by_role("region", name=re.compile("Suggested vendors"))
    count = suggested.get_by_role("checkbox").count()
    assert count >= 2
    page.get_by_role("button", name="Add all suggested").click()
    expect(page.get_by_text(f"Added {count} candidates.")).to_be_visible()

    page.get_by_role("link", name="Quotes & TCO").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(count)
    first, second = (rows.nth(i).get_by_role("rowheader").inner_text() for i in (0, 1))
    for vendor, price in ((first, "3100"), (second, "2900")):
        page.get_by_role("link", name=f"Enter quote for {vendor}").click()
        # Only models the vendor has a centre for are offered; the first one will do.
        page.get_by_label("Delivery model").select_option(index=1)
        page.get_by_label("Pricing model").select_option(label="Per FTE-month")
        page.get_by_label("Unit price").fill(price)
        page.get_by_label("Currency").select_option("USD")
        page.get_by_label("One-time transition fee").fill("10000")
        page.get_by_role("button", name="Save quote").click()
        expect(page.get_by_text(f"Quote from {vendor} saved.")).to_be_visible()

    expect(rows.nth(0).get_by_role("rowheader")).to_have_text(second)
    expect(rows.nth(0)).to_contain_text("$845,200")  # 2900 x 12 x 24 + 10,000
    expect(rows.nth(0)).to_contain_text("cheapest")
    expect(rows.nth(1).get_by_role("rowheader")).to_have_text(first)
    expect(rows.nth(1)).to_contain_text("+$57,600")
    expect(page.get_by_role("img", name=re.compile("Bar chart of the total cost"))).to_be_visible()
