"""WeasyPrint must only ever read the app's static files and data: URLs, whatever users type."""

import io

import pytest
from pypdf import PdfReader

from scoring.reports import StaticOnlyFetcher, build_snapshot, render_report_pdf
from tests.factories import rankable_evaluation
from vendors.models import Vendor

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<a rel="attachment" href="file:///etc/passwd">x</a>',
    '<img src="http://169.254.169.254/latest/meta-data/">',
    "<style>body { background: url(file:///dev/urandom) }</style>",
    '<div style="background:url(file:///etc/passwd)">y</div>',
]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://169.254.169.254/latest/meta-data",
        "https://example.com/static/css/report.css",
        "/static/../../etc/passwd",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/css/../../../etc/passwd",
        "https://report.bpo-select.invalid/etc/passwd",
        "https://report.bpo-select.invalid/static/..%2f..%2fetc/passwd",
        "/etc/passwd",
        "/static//etc/passwd",
        "ftp://example.com/x",
    ],
)
def test_the_fetcher_refuses_anything_but_static_files_and_data(url):
    fetcher = StaticOnlyFetcher()

    with pytest.raises(ValueError):
        fetcher(url)

    assert fetcher.requested == [url]


@pytest.mark.parametrize(
    "url", ["/static/css/report.css", "https://report.bpo-select.invalid/static/css/report.css"]
)
def test_the_fetcher_serves_the_report_stylesheet(url):
    response = StaticOnlyFetcher()(url)

    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_the_fetcher_serves_data_urls():
    response = StaticOnlyFetcher()("data:text/plain;base64,aGVsbG8=")

    assert response.read() == b"hello"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_vendor_text_stays_text_and_fetches_nothing(analyst, payload):
    evaluation = rankable_evaluation(owner=analyst, vendor_names=(f"Evil {payload}", "Plain BPO"))
    evaluation.quotes.update(notes=payload)
    evaluation.scores.update(comment=payload)
    Vendor.objects.filter(candidacies__evaluation=evaluation).update(
        description=payload, website="http://169.254.169.254/latest/meta-data"
    )
    fetcher = StaticOnlyFetcher()

    pdf = render_report_pdf(build_snapshot(evaluation), fetcher=fetcher)

    assert all(
        url.startswith("data:") or url.endswith("/static/css/report.css")
        for url in fetcher.requested
    ), fetcher.requested
    assert fetcher.refused == []
    assert b"root:x:0:0" not in pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            assert annot.get_object().get("/Subtype") != "/FileAttachment"
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Evil <" in text  # shown as the characters the user typed


def test_even_raw_hostile_markup_gets_nothing_past_the_fetcher():
    """Defence in depth: were escaping ever bypassed, WeasyPrint would still be refused."""
    from weasyprint import HTML

    from scoring.reports import REPORT_ORIGIN

    fetcher = StaticOnlyFetcher()
    markup = "<p>x</p>" + "".join(HOSTILE) + '<img src="/static/../../etc/passwd">'

    pdf = HTML(string=markup, base_url=REPORT_ORIGIN + "/", url_fetcher=fetcher).write_pdf()

    assert "file:///etc/passwd" in fetcher.refused
    assert any("169.254.169.254" in url for url in fetcher.refused)
    assert fetcher.refused == fetcher.requested
    assert b"root:x:0:0" not in pdf
    reader = PdfReader(io.BytesIO(pdf))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    annots = [a.get_object().get("/Subtype") for p in reader.pages for a in p.get("/Annots") or []]
    assert "/FileAttachment" not in annots
