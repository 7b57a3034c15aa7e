"""Response headers, the deploy checklist, error pages and the CSP (including in a real browser)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

import bpo_select.urls

ROOT = Path(__file__).resolve().parents[2]


def boom(request):
    raise RuntimeError("kaboom: a bug in a view")


def fine(request):
    return HttpResponse("ok")


# This module doubles as a URLconf: the project's URLs plus a view that raises.
urlpatterns = [path("boom/", boom), *bpo_select.urls.urlpatterns]


def csp_directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))

    assert csp_directives(response) == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "object-src": "'none'",
    }


@pytest.mark.django_db
def test_only_the_admin_may_use_inline_style_and_never_inline_script(vendor_admin_client):
    response = vendor_admin_client.get(reverse("admin:index"))

    directives = csp_directives(response)
    assert response.status_code == 200
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["script-src"] == "'self'"


@pytest.mark.django_db
def test_pages_forbid_framing_sniffing_and_cross_site_referrers(analyst_client):
    response = analyst_client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_foreign_host_header_gets_400(caplog):
    response = Client(raise_request_exception=False).get(reverse("login"), HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "Bad request" in response.text
    assert "Invalid HTTP_HOST header" in caplog.text


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_crash_shows_the_plain_500_page_and_is_logged(analyst, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(analyst)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "kaboom" not in response.text and "Traceback" not in response.text
    assert "Internal Server Error: /boom/" in caplog.text
    assert "kaboom: a bug in a view" in caplog.text


@pytest.mark.parametrize("code", ["400", "403", "404", "500"])
def test_error_pages_are_plain_html_without_template_logic(code):
    text = (ROOT / "templates" / f"{code}.html").read_text()

    assert "{%" not in text and "{{" not in text
    assert "<script" not in text and "style=" not in text


def test_the_deploy_checklist_passes_with_production_settings():
    unset = {"PYTEST_VERSION", "DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= {"SECRET_KEY": "deploy-check-" + "x7Qp2" * 10, "ALLOWED_HOSTS": "bpo.example.com"}

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style|\sstyle\s*=", re.IGNORECASE)
JSON_DATA = re.compile(r'type="application/(ld\+)?json"')


def our_templates():
    return sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", our_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_handlers_or_style(template):
    text = template.read_text()
    scripts = [m.group(0) for m in INLINE_SCRIPT.finditer(text) if not JSON_DATA.search(m.group(0))]

    assert scripts == []
    assert INLINE_HANDLER.findall(text) == []
    if "templates/reports/" not in str(template):  # the PDF is rendered by WeasyPrint, no CSP
        assert INLINE_STYLE.findall(text) == []


# The same policy in a real browser: tests/browser/test_csp.py (it needs the browser fixtures).
