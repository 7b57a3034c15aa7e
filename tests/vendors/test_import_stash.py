"""A previewed upload waits for its commit in Django's file store (any web server can commit it),
under a random token, and is gone once committed or a day old."""

import os
import time

import pytest
from django.core.files.storage import default_storage

from tests.factories import VendorFactory
from tests.vendors.importing_helpers import GOOD_QUOTE
from tests.vendors.test_import_views import commit, token_of, upload
from vendors.importing.stash import PENDING_DIR, PENDING_MAX_AGE, discard, stash, unstash
from vendors.models import Quote

pytestmark = pytest.mark.django_db


def pending_files() -> list[str]:
    if not default_storage.exists(PENDING_DIR):
        return []
    return default_storage.listdir(PENDING_DIR)[1]


def test_a_previewed_upload_waits_in_the_file_store_and_the_commit_removes_it(
    vendor_admin_client, settings
):
    VendorFactory(name="Acme")

    preview = upload(vendor_admin_client, [GOOD_QUOTE])
    token = token_of(preview)
    waiting = pending_files()
    on_disk = (settings.MEDIA_ROOT / PENDING_DIR / f"{token}.upload").exists()
    committed, run = commit(vendor_admin_client, {"token": token})

    assert sorted(waiting) == [f"{token}.preview.json", f"{token}.upload"]
    assert on_disk  # in the configured store, not a server's temp dir
    assert committed.status_code == 302 and run.state == "succeeded"
    assert Quote.objects.count() == 1
    assert pending_files() == []


def test_uploads_left_for_more_than_a_day_are_dropped_when_the_next_one_is_stashed(settings):
    old = stash(b"old", "old.csv")
    path = settings.MEDIA_ROOT / PENDING_DIR / f"{old}.upload"
    day_ago = time.time() - PENDING_MAX_AGE.total_seconds() - 60
    os.utime(path, (day_ago, day_ago))

    new = stash(b"new", "new.csv")

    assert pending_files() == [f"{new}.upload"]
    assert unstash(old) is None and unstash(new) == b"new"


@pytest.mark.parametrize("token", ["", "../../etc/passwd", "x" * 31, "a/b" + "c" * 29])
def test_a_token_that_is_not_one_of_ours_reads_and_removes_nothing(token):
    kept = stash(b"kept", "kept.csv")

    assert unstash(token) is None
    discard(token)
    assert unstash(kept) == b"kept"
