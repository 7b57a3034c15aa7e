"""/healthz tells a load balancer whether this server can work: database and broker reachable."""

import pytest
from django.db import connections

pytestmark = pytest.mark.django_db
URL = "/healthz"


def test_it_answers_ok_without_login(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_checks_the_broker_when_one_is_configured(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    from tests.background.redis_server import redis_reachable

    if not redis_reachable():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    assert client.get(URL).json()["checks"] == {"database": "ok", "broker": "ok"}


def test_an_unreachable_broker_is_a_503_naming_it(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "ok", "broker": "unreachable"},
        "failing": ["broker"],
    }


def test_an_unreachable_database_is_a_503_naming_it(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


def test_it_answers_plain_http_probes_to_an_internal_host(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["bpo.example.com"]
    response = client.get(URL, HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200


def test_other_pages_keep_the_https_redirect_and_host_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["bpo.example.com"]
    assert client.get("/login/", HTTP_HOST="bpo.example.com").status_code == 301
    assert client.get("/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_it_refuses_writes(client):
    assert client.post(URL).status_code in (403, 405)
