"""The demo contract's owner enters this month, imports a quarter with one bad row (nothing written,
the row named) and downloads the quarterly business review."""

import re

from playwright.sync_api import expect

from contracts import credits
from contracts.models import Contract, KpiMeasurement


def test_the_owner_enters_a_month_imports_a_quarter_and_downloads_the_review(
    page, demo_data, log_in, tmp_path
):
    contract = Contract.objects.get()
    month = credits.add_months(contract.start_date, 12)  # the first month not yet measured
    log_in("analyst")

    page.get_by_role("link", name="Contracts", exact=True).click()
    page.get_by_role("link", name=contract.title).click()
    page.get_by_role("link", name="Enter a month").click()
    page.get_by_label("Month").fill(f"{month:%Y-%m}")
    page.get_by_label("Service level (%)").fill("99")
    page.get_by_role("button", name="Save month").click()
    expect(page.get_by_role("alert")).to_contain_text(f"{month:%B %Y}: 1 value saved")
    assert KpiMeasurement.objects.get(kpi__name="Service level", month=month).value == 99

    before = KpiMeasurement.objects.count()
    quarter = [credits.add_months(contract.start_date, i) for i in range(3)]
    lines = ["month,kpi,value"] + [f"{m:%Y-%m},Quality,99" for m in quarter]
    lines[2] = f"{quarter[1]:%Y-%m},Quality,ninety-nine"
    file = tmp_path / "quarter.csv"
    file.write_text("\n".join(lines) + "\n")
    page.get_by_role("link", name="Import values").click()  # back on the contract's page
    page.get_by_label("Measurements file (.csv or .xlsx)").set_input_files(str(file))
    page.get_by_role("button", name="Check the file").click()
    errors = page.get_by_role("alert").filter(has_text="nothing was imported")
    expect(errors).to_contain_text("Row 3, column value: “ninety-nine” is not a number.")
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    assert KpiMeasurement.objects.count() == before

    page.get_by_role("link", name=contract.title).click()
    start = contract.start_date
    label = f"Q{(start.month - 1) // 3 + 1} {start.year}"
    with page.expect_download() as download:
        page.get_by_role("link", name=label, exact=True).click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"
