import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.tokens import token_create
from tests.security.conftest import World, world  # noqa: F401  (the access matrix's fixture world)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counts live in the cache; each test starts with a full budget."""
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> APIClient:
    """An API client authenticated as ``user`` by a personal token, as an integration is."""
    _token, secret = token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def as_role(world):  # noqa: F811
    def make(role: str) -> APIClient:
        return client_for(world.users()[role])

    return make
