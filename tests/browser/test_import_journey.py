"""The demo vendor admin imports a small workbook: preview with new and changed rows and the one
deletion to confirm, then commit."""

import io
import re

from openpyxl import Workbook
from playwright.sync_api import expect

from vendors.models import Vendor


def workbook(path) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "country", "website", "headcount", "processes", "centres"])
    sheet.append(
        [
            "Zephyr Support Co",
            "Costa Rica",
            "https://zephyr.example",
            800,
            "Technical support & helpdesk: 6y/9 refs",
            "San José, CR, nearshore, 300 seats",
        ]
    )
    changed = Vendor.objects.exclude(website="").order_by("name").first()
    # Only headcount changes and the website is cleared ("-"); the empty list cells keep the lists.
    sheet.append([changed.name, changed.country.code, "-", (changed.headcount or 0) + 100])
    out = io.BytesIO()
    book.save(out)
    file = path / "vendors.xlsx"
    file.write_bytes(out.getvalue())
    return str(file)


def test_demo_vendor_admin_previews_and_commits_a_workbook(page, demo_data, log_in, tmp_path):
    file = workbook(tmp_path)
    log_in("vendoradmin")

    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Vendors with processes, certifications and centres").check()
    page.get_by_label("CSV or Excel file").set_input_files(file)
    page.get_by_role("button", name="Preview import").click()

    changes = page.get_by_role("region", name="New and changed rows")
    expect(changes.get_by_role("row", name=re.compile("new Zephyr Support Co"))).to_be_visible()
    expect(changes.get_by_text("changed", exact=True)).to_be_visible()
    expect(changes).to_contain_text("headcount")
    changed = Vendor.objects.exclude(website="").order_by("name").first()
    lists_before = (changed.offered_processes.count(), changed.centres.count())
    deletions = page.get_by_role("region", name="1 deletion to confirm")
    expect(deletions).to_contain_text(changed.website)
    page.get_by_label("I confirm the 1 deletion listed above").check()
    page.get_by_role("button", name=re.compile(r"Import 1 new and 1 changed row")).click()

    expect(page.get_by_role("alert")).to_contain_text("1 new, 1 changed")
    changed.refresh_from_db()
    assert changed.website == ""
    assert (changed.offered_processes.count(), changed.centres.count()) == lists_before
    page.get_by_label("Search").fill("Zephyr")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Zephyr Support Co")).to_be_visible()
    assert (
        Vendor.objects.get(name="Zephyr Support Co").history.get().history_user.username
        == "vendoradmin"
    )
