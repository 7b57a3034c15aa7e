"""A demo analyst logs in, filters the vendor directory by a process and opens a vendor profile."""

import re

from playwright.sync_api import expect


def test_demo_analyst_filters_directory_and_opens_a_profile(page, demo_data, log_in):
    log_in("analyst")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()

    page.get_by_role("link", name="Vendors", exact=True).click()
    page.get_by_label("Process").select_option(label="Payroll & benefits administration")
    page.get_by_role("button", name="Filter").click()

    rows = page.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    first_vendor = rows.first.get_by_role("link").inner_text()
    rows.first.get_by_role("link").click()

    expect(page.get_by_role("heading", name=first_vendor, level=1)).to_be_visible()
    processes = page.get_by_role("region", name="Processes offered")
    expect(processes).to_contain_text("Payroll & benefits administration")
