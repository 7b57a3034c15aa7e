"""The suite's speed-ups (fast password hashing, no machine-wide PDF lock, static files looked up
on request) stay inside pytest."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def production_values(*names: str) -> dict:
    """The named settings as a production process sees them (no pytest in its environment);
    None for a setting it leaves unset."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DEBUG"}}
    env |= {"SECRET_KEY": "p" * 50, "DJANGO_SETTINGS_MODULE": "bpo_select.settings"}
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_hashes_passwords_with_pbkdf2_queues_pdf_renders_and_indexes_static_files():
    values = production_values("PASSWORD_HASHERS", "PDF_RENDER_LOCK", "WHITENOISE_AUTOREFRESH")

    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in values["PASSWORD_HASHERS"]
    assert values["PDF_RENDER_LOCK"] is True
    assert values["WHITENOISE_AUTOREFRESH"] is None  # WhiteNoise's default: off unless DEBUG


def test_the_suite_hashes_with_md5_and_renders_pdfs_without_the_machine_lock():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.PDF_RENDER_LOCK is False
    assert settings.WHITENOISE_AUTOREFRESH is True


def test_static_files_are_still_served_with_their_cache_headers_under_tests(client):
    response = client.get("/static/js/weights.js")

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"
    assert response["Content-Type"].startswith("text/javascript")
