"""Personal API tokens: created and revoked on the profile page, hashed at rest, shown once."""

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import MAX_ACTIVE_TOKENS, token_create
from tests.factories import AnalystFactory

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_it_creates_a_token_shows_its_secret_once_and_stores_only_its_hash(analyst_client, analyst):
    response = analyst_client.post(reverse("account:tokens"), {"name": "ERP sync"})

    secret = response.context["secret"]
    token = ApiToken.objects.get(user=analyst)
    assert token.name == "ERP sync"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(secret) > 40
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    listing = analyst_client.get(reverse("account:tokens")).content.decode()
    assert secret not in listing
    assert f"{token.prefix}…" in listing and "Never" in listing


def test_it_refuses_a_nameless_token_naming_the_field(analyst_client, analyst):
    response = analyst_client.post(reverse("account:tokens"), {"name": "  "})

    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.filter(user=analyst).exists()


def test_it_caps_the_active_tokens_per_person(analyst):
    for n in range(MAX_ACTIVE_TOKENS):
        token_create(user=analyst, name=f"t{n}")

    from api.tokens import TokenError

    with pytest.raises(TokenError, match="revoke one"):
        token_create(user=analyst, name="one too many")
    assert ApiToken.objects.filter(user=analyst).count() == MAX_ACTIVE_TOKENS


def test_a_token_authenticates_and_records_its_last_use(analyst):
    token, secret = token_create(user=analyst, name="cli")

    response = bearer(secret).get(reverse("api:processes"))

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_token_keyword_works_as_well_as_bearer(analyst):
    _token, secret = token_create(user=analyst, name="cli")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    assert client.get(reverse("api:processes")).status_code == 200


def test_a_revoked_token_no_longer_works(analyst_client, analyst):
    token, secret = token_create(user=analyst, name="old")

    response = analyst_client.post(reverse("account:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = bearer(secret).get(reverse("api:processes"))
    assert refused.status_code == 401
    assert "revoked" in refused.json()["detail"]


def test_nobody_revokes_someone_elses_token(analyst_client):
    token, secret = token_create(user=AnalystFactory(), name="theirs")

    response = analyst_client.post(reverse("account:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert bearer(secret).get(reverse("api:processes")).status_code == 200


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer bpo_wrong", "Bearer a b"])
def test_without_a_valid_token_the_api_answers_401_with_the_scheme(header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(reverse("api:vendors"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_browser_session_works_too(analyst_client):
    assert analyst_client.get(reverse("api:processes")).status_code == 200


def test_each_token_has_its_own_request_budget(analyst, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"api": "2/minute"}
    }
    _one, first = token_create(user=analyst, name="one")
    _two, second = token_create(user=analyst, name="two")
    url = reverse("api:processes")

    codes = [bearer(first).get(url).status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    assert bearer(second).get(url).status_code == 200


def test_the_page_and_the_docs_need_a_login(client):
    for name in ("account:tokens", "api:docs"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_token_name_is_shown_as_text_not_html(analyst_client):
    analyst_client.post(reverse("account:tokens"), {"name": "<script>alert(1)</script>"})

    page = analyst_client.get(reverse("account:tokens")).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
