"""Log-in hardening: brute-force lockout, password rules, session rotation and timeouts, cookies."""

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bpo_select.middleware import LAST_SEEN_KEY

# Log-in checks passwords: with Django's real hashers, not the suite's fast MD5.
pytestmark = [pytest.mark.django_db, pytest.mark.real_password_hashers]
ROOT = Path(__file__).resolve().parents[2]


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_fifth_failure_locks_the_account_even_for_the_right_password(client, analyst, password):
    codes = [
        log_in(client, analyst.username, "wrong-password-123").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert codes == [200, 200, 200, 200, 429]  # the form with its error, then the lockout page

    response = log_in(client, analyst.username, password)

    assert response.status_code == 429
    assert "Too many failed log-ins" in response.text
    assert not is_logged_in(client)
    # The refused right password counts as a sixth failure: a lock cannot be probed for the password.
    assert AccessAttempt.objects.get(username=analyst.username).failures_since_start == 6


def test_the_lock_is_per_username_and_address_so_others_still_log_in(
    client, analyst, manager, password
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, analyst.username, "wrong-password-123")

    response = log_in(client, manager.username, password)

    assert response.status_code == 302 and is_logged_in(client)


def test_the_lock_lifts_after_the_cool_off(client, analyst, password):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, analyst.username, "wrong-password-123")
    assert dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))

    response = log_in(client, analyst.username, password)

    assert response.status_code == 302 and is_logged_in(client)


def test_a_successful_log_in_resets_the_failure_count(client, analyst, password):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, analyst.username, "wrong-password-123")
    assert log_in(client, analyst.username, password).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, analyst.username, "wrong-password-123")

    response = log_in(client, analyst.username, password)

    assert response.status_code == 302 and is_logged_in(client)


def test_failed_log_ins_are_logged_without_the_password(client, analyst, caplog):
    caplog.set_level("INFO")

    log_in(client, analyst.username, "my-secret-typo-999")

    assert "my-secret-typo-999" not in caplog.text
    assert AccessAttempt.objects.filter(username=analyst.username).exists()


@pytest.mark.parametrize(
    ("candidate", "message"),
    [
        ("Sh0rt-pass!", "at least 12 characters"),
        ("password1234", "too common"),
        ("482937561029", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(candidate, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(candidate)

    assert any(message in text for text in refused.value.messages)


def test_a_long_uncommon_passphrase_is_accepted():
    assert validate_password("harbour-lantern-violet-77") is None


def test_passwords_are_stored_as_salted_pbkdf2_hashes(analyst, password):
    algorithm, iterations, salt, digest = analyst.password.split("$")

    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 1_000_000
    assert salt and digest and password not in analyst.password
    assert analyst.check_password(password)


def test_the_session_key_changes_at_log_in(client, analyst, password):
    session = client.session
    session["visited"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    log_in(client, analyst.username, password)

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before and is_logged_in(client)


def test_the_old_cookie_is_refused_after_log_out(client, analyst, password):
    log_in(client, analyst.username, password)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen

    response = replay.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_idle_session_is_signed_out(analyst_client):
    session = analyst_client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()

    response = analyst_client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not is_logged_in(analyst_client)


def test_an_active_session_stays_and_its_clock_restarts(analyst_client):
    session = analyst_client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS + 60
    session.save()

    response = analyst_client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert analyst_client.session[LAST_SEEN_KEY] >= int(time.time()) - 2


def test_sessions_expire_after_twelve_hours_whatever_the_activity(client, analyst, password):
    log_in(client, analyst.username, password)

    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert client.session.get_expiry_age() == 12 * 3600
    assert settings.SESSION_IDLE_SECONDS == 30 * 60


def production_settings(**extra_env) -> dict:
    test_only = {
        "PYTEST_VERSION",
        "DEBUG",
        "HTTPS",
        "ALLOW_INSECURE_SECRET_KEY",
        "STATIC_MANIFEST",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    }
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env |= {
        "SECRET_KEY": "k" * 30 + "-production-like-secret-0123456789",
        "DJANGO_SETTINGS_MODULE": "bpo_select.settings",
        "ALLOWED_HOSTS": "bpo.example.com",
        **extra_env,
    }
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SAMESITE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
    ]
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_http_only_and_same_site():
    values = production_settings()

    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
    }


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(subprocess.CalledProcessError) as failed:
        production_settings(SECRET_KEY="")

    assert "Set SECRET_KEY" in failed.value.stderr
