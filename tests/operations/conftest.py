import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Task results are written through the storage API; keep each test's files apart."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
