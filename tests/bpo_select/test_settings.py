"""The suite's speed-ups (fast password hashing, static files looked up on request) stay inside
pytest; FILE_STORAGE=s3 puts every server's files in one S3-compatible store."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def production_run(code: str, **environ: str) -> dict:
    """The JSON that `code` prints in a production process (no pytest in its environment)."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DEBUG"}}
    env |= {"SECRET_KEY": "p" * 50, "DJANGO_SETTINGS_MODULE": "bpo_select.settings", **environ}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def production_values(*names: str) -> dict:
    """The named settings as a production process sees them; None for one it leaves unset."""
    return production_run(
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}))"
    )


def test_production_hashes_passwords_with_pbkdf2_and_indexes_static_files():
    values = production_values("PASSWORD_HASHERS", "PDF_RENDER_LOCK", "WHITENOISE_AUTOREFRESH")

    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert "django.contrib.auth.hashers.MD5PasswordHasher" not in values["PASSWORD_HASHERS"]
    assert values["PDF_RENDER_LOCK"] is None  # gone: PDF concurrency is the worker pool's size
    assert values["WHITENOISE_AUTOREFRESH"] is None  # WhiteNoise's default: off unless DEBUG


def test_the_suite_hashes_with_md5():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.WHITENOISE_AUTOREFRESH is True


S3_STORAGE = """
import json, django
django.setup()
from django.core.files.storage import default_storage, storages
store = storages["default"]
url = default_storage.url("reports/evaluation-1.pdf")
print(json.dumps({
    "class": f"{type(store).__module__}.{type(store).__qualname__}",
    "default_is_it": type(default_storage._wrapped) is type(store),
    "bucket": store.bucket_name, "acl": store.default_acl, "overwrite": store.file_overwrite,
    "url": url,
}))
"""


def test_file_storage_s3_resolves_the_default_storage_to_django_storages_s3():
    # Building the storage and signing a URL are local: no request reaches the endpoint.
    found = production_run(
        S3_STORAGE,
        FILE_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="bpo-files",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9",
        AWS_ACCESS_KEY_ID="test-key",
        AWS_SECRET_ACCESS_KEY="test-secret",  # a dummy: nothing is sent
        AWS_S3_REGION_NAME="us-east-1",
    )

    assert found["class"] == "storages.backends.s3.S3Storage"
    assert found["default_is_it"] is True
    assert (found["bucket"], found["acl"], found["overwrite"]) == ("bpo-files", "private", False)
    # Private objects: links are signed and expire, they are never public URLs.
    assert found["url"].startswith("http://127.0.0.1:9/bpo-files/reports/evaluation-1.pdf?")
    assert "Signature=" in found["url"] and "Expires=" in found["url"]


def test_without_file_storage_files_stay_on_the_file_system():
    found = production_run(
        "import json, django; django.setup(); from django.core.files.storage import storages; "
        "s = storages['default']; print(json.dumps([type(s).__module__, type(s).__qualname__]))"
    )

    assert found == ["django.core.files.storage.filesystem", "FileSystemStorage"]
