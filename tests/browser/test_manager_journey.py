"""A demo manager approves the evaluation waiting for them and downloads the archived PDF."""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import ensure_reference_data


@pytest.fixture
def reference_data(transactional_db):
    """Re-run the idempotent data migrations when an earlier live-server test flushed them."""
    ensure_reference_data()


def test_demo_manager_approves_and_downloads_the_archived_pdf(
    page, reference_data, demo_data, log_in
):
    log_in("manager")
    waiting = page.get_by_role("region", name="Waiting for your approval")
    waiting.get_by_role("link", name="Payroll administration EMEA").click()
    expect(page.get_by_role("heading", name="Payroll administration EMEA", level=1)).to_be_visible()

    page.get_by_label("Decision comment").fill("Approved: best data security for the price.")
    # Without a broker (the embedded demo) the approved PDF renders in this request: allow for a
    # loaded machine.
    page.get_by_role("button", name="Approve").click(timeout=40_000)

    approval = page.get_by_role("region", name=re.compile("Approval"))
    expect(approval).to_contain_text("Approved by", timeout=40_000)
    expect(approval).to_contain_text("Approved: best data security for the price.")
    sha = page.get_by_test_id("report-sha256").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", sha)

    with page.expect_download() as info:
        approval.get_by_role("link", name="Approved PDF (A4)").click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == sha
    assert info.value.suggested_filename.startswith("bpo-select_payroll-administration-emea_")
