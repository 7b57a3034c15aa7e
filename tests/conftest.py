import pytest
from django.conf import global_settings

from tests.factories import (
    DEFAULT_PASSWORD,
    AnalystFactory,
    ManagerFactory,
    UserFactory,
    VendorAdminFactory,
)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, request, tmp_path_factory
):
    """A session with real-worker or browser tests keeps SQLite's test database in a file.

    Worker threads and the live server's threads share the in-memory database through SQLite's
    shared cache, where a write that meets another thread's read fails at once ("database table
    is locked") instead of waiting; in a file, WAL and the busy timeout (settings) let both proceed.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and any(
        item.get_closest_marker("real_worker") or "live_server" in getattr(item, "fixturenames", ())
        for item in request.session.items
    ):
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)
        # A test database need not survive a power cut: no fsync on commit (the flushes between
        # transactional tests would otherwise cost seconds).
        options = database.setdefault("OPTIONS", {})
        options["init_command"] = options.get("init_command", "") + "PRAGMA synchronous=OFF;"


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path):
    """Files saved through the storage API (reports, evidence, task results) go to this test's
    own folder, which it returns: none land in the checkout, none are shared between tests."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        }
    }
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the directory's pieces are cached under a market
    version, and a rolled-back test's rows leave no delete signal to bump it."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _real_password_hashers(request):
    """Django's real hashers for tests marked `real_password_hashers`; the rest use MD5 (settings).

    Autouse, so it runs before the fixtures that create users: their passwords get real hashes.
    """
    if request.node.get_closest_marker("real_password_hashers") is None:
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    yield


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
