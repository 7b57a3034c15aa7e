import pytest

from tests.factories import (
    DEFAULT_PASSWORD,
    AnalystFactory,
    ManagerFactory,
    UserFactory,
    VendorAdminFactory,
)


@pytest.fixture
def analyst(db):
    return AnalystFactory(username="ana")


@pytest.fixture
def manager(db):
    return ManagerFactory(username="max")


@pytest.fixture
def vendor_admin(db):
    return VendorAdminFactory(username="val")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def vendor_admin_client(client, vendor_admin):
    client.force_login(vendor_admin)
    return client
