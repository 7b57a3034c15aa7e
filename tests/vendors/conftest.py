"""Fixtures shared by the import tests: the vendor their quote rows name and the admin who imports."""

import pytest

# Pending uploads go through the storage API: each test keeps its files under its own tmp dir.
from tests.factories import VendorAdminFactory, VendorFactory


@pytest.fixture
def acme(db):
    return VendorFactory(name="Acme")


@pytest.fixture
def admin(db):
    return VendorAdminFactory(username="importer")
