"""The quarterly business review PDF (contracts/review.py): content, safe fetching, access."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from contracts import credits, review
from contracts.models import Kpi
from scoring.reports.pdf import StaticOnlyFetcher
from tests.contracts.conftest import make_contract, measure

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def contract(approved, analyst, boss):
    """Started on the first of a quarter, so the first quarter has three months."""
    start = dt.date(timezone.localdate().year - 1, 1, 1)
    return make_contract(approved, owner=analyst, created_by=boss, start=start, term=24)


@pytest.fixture
def quarter(contract):
    start = contract.start_date
    for i, value in enumerate([96, 93, 97]):
        measure(contract, credits.add_months(start, i), service_level=value, response_time=3)
    return start.year, (start.month - 1) // 3 + 1


def test_the_review_lists_kpis_and_credits_and_loads_only_data_urls_and_static(contract, quarter):
    fetcher = StaticOnlyFetcher()

    data = review.render_review_pdf(contract, *quarter, fetcher=fetcher)

    text = text_of(data)
    assert data.startswith(b"%PDF") and "Quarterly business review" in text
    assert "Service level" in text and "Alpha BPO" in text
    assert "3 of 3 months measured" in text
    assert "$1,600.00" in text  # February 93 %: 2 points x 2 % of 40,000
    assert fetcher.refused == []
    assert all(
        url.startswith(("data:", "https://report.bpo-select.invalid/static/"))
        for url in fetcher.requested
    )


def test_user_text_in_a_kpi_name_is_escaped_and_fetches_nothing(contract, quarter):
    Kpi.objects.filter(contract=contract, name="Service level").update(
        name='<img src="http://evil.test/x">SL'
    )
    fetcher = StaticOnlyFetcher()

    data = review.render_review_pdf(contract, *quarter, fetcher=fetcher)

    assert '<img src="http://evil.test/x">SL' in text_of(data)
    assert not any("evil.test" in url for url in fetcher.requested)


def test_the_download_is_a_pdf_for_readers_and_404_outside_the_term(
    client, contract, quarter, outsider, analyst
):
    year, q = quarter
    client.force_login(analyst)
    response = client.get(reverse("contracts:review_pdf", args=[contract.pk, year, q]))
    assert response["Content-Type"] == "application/pdf"
    assert f"review_{year}-Q{q}.pdf" in response["Content-Disposition"]
    assert (
        client.get(reverse("contracts:review_pdf", args=[contract.pk, year - 5, q])).status_code
        == 404
    )
    assert (
        client.get(reverse("contracts:review_pdf", args=[contract.pk, year, 5])).status_code == 404
    )
    client.force_login(outsider)
    assert (
        client.get(reverse("contracts:review_pdf", args=[contract.pk, year, q])).status_code == 404
    )
