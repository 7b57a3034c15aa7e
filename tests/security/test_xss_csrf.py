"""User text is escaped on every page, export and the PDF; every POST needs a CSRF token; no code
marks text safe outside a reviewed allow-list."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from scoring.models import Criterion, Score
from sourcing.models import RfpRound
from tests.factories import CandidateFactory, QuoteFactory, VendorFactory
from tests.security.urlmap import ADMIN_SAMPLE, project_routes

ROOT = Path(__file__).resolve().parents[2]

NAME = "<script>alert(1)</script> BPO"
PAYLOADS = {
    "vendor name": NAME,
    "description": "<img src=x onerror=alert(2)>",
    "title": "<svg onload=alert(3)> sourcing",
    "score comment": "<iframe src=javascript:alert(4)></iframe>",
    "quote notes": '<a href="javascript:alert(5)">terms</a>',
}
ESCAPED_NAME = "&lt;script&gt;alert(1)&lt;/script&gt; BPO"


@pytest.fixture
def hostile(world):
    """The draft evaluation with a hostile vendor as a candidate, scored and quoted."""
    world.draft.title = PAYLOADS["title"]
    world.draft.save()
    vendor = VendorFactory(name=NAME, description=PAYLOADS["description"])
    CandidateFactory(evaluation=world.draft, vendor=vendor)
    QuoteFactory(evaluation=world.draft, vendor=vendor, notes=PAYLOADS["quote notes"])
    Score.objects.bulk_create(
        Score(
            evaluation=world.draft,
            vendor=vendor,
            criterion=c,
            evaluator=world.owner,
            value=Decimal("5"),
            comment=PAYLOADS["score comment"],
        )
        for c in Criterion.objects.filter(source=Criterion.Source.MANUAL)
    )
    other = world.draft.candidates.exclude(vendor=vendor).first().vendor
    return world, vendor, other


def pages(world, vendor, other):
    pk = world.draft.pk
    return [
        ("owner", reverse("vendors:directory") + "?q=alert"),
        ("owner", reverse("vendors:directory")),
        ("owner", reverse("vendors:detail", args=[vendor.pk])),
        ("owner", reverse("vendors:history", args=[vendor.pk])),
        ("owner", reverse("dashboard")),
        ("owner", reverse("scoring:evaluation_list")),
        ("owner", reverse("scoring:evaluation_detail", args=[pk])),
        ("owner", reverse("scoring:evaluation_edit", args=[pk])),
        ("owner", reverse("scoring:candidates", args=[pk])),
        ("owner", reverse("scoring:tco", args=[pk])),
        ("owner", reverse("scoring:quote_edit", args=[pk, vendor.pk])),
        ("owner", reverse("scoring:score_grid", args=[pk])),
        ("owner", reverse("scoring:score_team", args=[pk])),
        ("owner", reverse("scoring:ranking", args=[pk])),
        ("owner", reverse("scoring:what_if", args=[pk])),
        ("owner", reverse("scoring:sensitivity", args=[pk])),
        ("owner", reverse("scoring:compare", args=[pk]) + f"?vendor={vendor.pk}&vendor={other.pk}"),
        ("owner", reverse("scoring:history", args=[pk])),
        ("owner", reverse("scoring:ranking_chart", args=[pk])),
        ("manager", reverse("scoring:ranking", args=[pk])),
        ("vendor_admin", reverse("admin:vendors_vendor_changelist")),
        ("vendor_admin", reverse("admin:vendors_vendor_changelist") + "?q=script"),
        ("vendor_admin", reverse("admin:vendors_vendor_change", args=[vendor.pk])),
        ("vendor_admin", reverse("admin:vendors_quote_changelist")),
    ]


def test_user_text_is_escaped_on_every_page_that_shows_it(client, hostile):
    world, vendor, other = hostile
    shown_name = []
    for role, url in pages(world, vendor, other):
        client.force_login(world.users()[role])
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for what, payload in PAYLOADS.items():
            assert payload not in text, f"raw {what} on {url}"
        assert "<script>alert" not in text, url
        if ESCAPED_NAME in text:
            shown_name.append(url)

    # The name must really be on the pages that list vendors, escaped, or the check proves nothing.
    for must in (
        "/vendors/",
        f"/vendors/{vendor.pk}/",
        "/candidates/",
        "/ranking/",
        "/compare/",
        "/admin/vendors/vendor/",
    ):
        assert any(must in url for url in shown_name), f"name not found escaped on {must}"


def test_the_csv_export_holds_the_literal_text_not_html(client, hostile):
    world, _vendor, _other = hostile
    client.force_login(world.owner)

    response = client.get(reverse("scoring:export", args=[world.draft.pk, "scores", "csv"]))

    text = b"".join(response.streaming_content if response.streaming else [response.content])
    text = text.decode("utf-8-sig")
    assert response.status_code == 200
    assert NAME in text and "&lt;" not in text


def test_the_pdf_shows_the_literal_text(client, hostile):
    world, _vendor, _other = hostile
    client.force_login(world.owner)

    response = client.get(reverse("scoring:report_pdf", args=[world.draft.pk]))

    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = re.sub(r"\s+", "", text)
    assert "<script>alert(1)</script>" in flat
    assert "&lt;" not in flat


# --- CSRF ----------------------------------------------------------------------------------------


def csrf_cases(world):
    vendor = world.vendor
    values = {"pk": world.draft.pk, "vendor_pk": vendor.pk, "kind": "ranking", "fmt": "csv"}
    values |= {"year": 2026, "quarter": 1}  # a contract's quarterly review
    values |= {"evidence_pk": 1}
    rfp = RfpRound.objects.get(evaluation=world.draft)
    for route in project_routes():
        who = "vendor_admin" if route.name.startswith("vendors:import") else "owner"
        if route.name.startswith("sourcing:portal"):
            # The contact's own round: the evidence upload checks the token only once it knows
            # the body is within the size limit (reading the token reads the body).
            who, values_here = "vendor_contact", {**values, "pk": rfp.pk}
        elif route.name == "vendors:import_template":
            values_here = {**values, "kind": "vendors"}
        elif "<uuid:pk>" in route.template:  # task runs: the CSRF check answers before any lookup
            values_here = {**values, "pk": "00000000-0000-4000-8000-000000000001"}
        else:
            values_here = values
        yield route.name, who, route.path(**values_here)
    for name in ADMIN_SAMPLE:
        yield name, "vendor_admin", reverse(name)
    yield "login (anonymous)", "anonymous", reverse("login")


def test_every_post_without_a_csrf_token_is_refused_and_logged(world, caplog):
    refused = {}
    for name, who, url in csrf_cases(world):
        client = Client(enforce_csrf_checks=True)
        if world.users()[who] is not None:
            client.force_login(world.users()[who])
        caplog.clear()
        response = client.post(url, {"owner": world.outsider.pk, "value": "1"})
        refused[name] = (response.status_code, "CSRF" in caplog.text)

    wrong = {name: got for name, got in refused.items() if got != (403, True)}
    assert wrong == {}
    assert len(refused) >= 40


def test_a_post_with_the_token_passes_the_csrf_check(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    page = client.get(reverse("scoring:candidates", args=[world.draft.pk]))
    token = page.context["csrf_token"]

    response = client.post(
        reverse("scoring:candidate_exclude", args=[world.draft.pk, world.vendor.pk]),
        {"reason": "Too small", "csrfmiddlewaretoken": str(token)},
    )

    assert response.status_code in (200, 302)


# --- Nothing marked safe ----------------------------------------------------------------------

UNSAFE = re.compile(
    r"mark_safe\(|\|\s*safe\b|\{%\s*autoescape\s+off|\bSafeString\b|SafeData\b|format_html\(|"
    r"\|\s*safeseq\b|html_safe\b"
)
# Reviewed uses: "path:needle" -> why it is safe. Keep it short; every entry is a liability.
ALLOW_LIST: dict[str, str] = {}
SKIP_DIRS = {".venv", "tests", "migrations", "node_modules", "staticfiles", "static", "__pycache__"}


def own_files():
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP_DIRS or not path.is_file():
            continue
        if path.suffix == ".py" or (path.suffix == ".html" and "templates" in path.parts):
            yield path


def unsafe_uses(text: str) -> list[str]:
    return [m.group(0) for m in UNSAFE.finditer(text)]


def test_no_code_or_template_marks_text_safe_outside_the_allow_list():
    found = []
    for path in own_files():
        rel = str(path.relative_to(ROOT))
        for use in unsafe_uses(path.read_text(errors="replace")):
            if f"{rel}:{use}" not in ALLOW_LIST:
                found.append(f"{rel}: {use}")

    assert found == [], "Escape instead, or add a reviewed ALLOW_LIST entry with a reason"


@pytest.mark.parametrize(
    "snippet",
    [
        "{{ x|safe }}",
        "{{ x | safe }}",
        "{% autoescape off %}",
        "mark_safe(x)",
        "SafeString(x)",
        "format_html('<b>{}</b>', x)",
        "{{ xs|safeseq }}",
    ],
)
def test_the_scanner_catches_each_unsafe_form(snippet):
    assert unsafe_uses(snippet)


def test_the_scanner_walks_the_real_templates_and_views():
    names = {str(p.relative_to(ROOT)) for p in own_files()}

    assert "templates/base.html" in names and "scoring/views/ranking.py" in names
    assert not any(n.startswith(("tests/", ".venv/")) for n in names)
