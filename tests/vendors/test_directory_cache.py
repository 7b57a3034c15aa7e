"""The directory serves a page seen before from the cache, and never a stale or another role's one."""

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.factories import (
    AnalystFactory,
    DeliveryCentreFactory,
    VendorAdminFactory,
    VendorCertificationFactory,
    VendorFactory,
    certification,
)
from tests.vendors.test_directory import names
from vendors import market_cache
from vendors.admin import VendorAdmin
from vendors.models import Vendor, VendorCertification

pytestmark = pytest.mark.django_db
URL = reverse("vendors:directory")


@pytest.fixture
def seen(analyst_client):
    """Two vendors, their directory page already seen (so cached)."""
    VendorFactory(name="Alpha BPO", country="IN")
    VendorFactory(name="Beta Services", country="PH")
    assert names(analyst_client.get(URL)) == ["Alpha BPO", "Beta Services"]
    return analyst_client


def test_a_page_seen_before_reads_no_vendor(seen, django_assert_num_queries):
    with django_assert_num_queries(3):  # session, user, roles
        response = seen.get(URL)

    content = response.content.decode()
    assert "Alpha BPO" in content and "Beta Services" in content
    assert '<select name="process"' in content  # markup, not escaped again
    assert "<tr>" in content and '<a href="/vendors/' in content


def test_a_renamed_vendor_shows_at_once(seen):
    vendor = Vendor.objects.get(name="Alpha BPO")
    vendor.name = "Aardvark BPO"
    vendor.save()

    content = seen.get(URL).content.decode()

    assert "Aardvark BPO" in content and "Alpha BPO" not in content


def test_a_bulk_deactivation_in_the_admin_shows_at_once(seen, rf):
    VendorAdmin(Vendor, site).deactivate(
        _admin_request(rf), Vendor.objects.filter(name="Alpha BPO")
    )

    response = seen.get(URL)

    assert names(response) == ["Beta Services"]
    assert "1 vendor ·" in response.content.decode()


def _admin_request(rf):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/admin/")
    request.user = VendorAdminFactory()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_new_certificate_and_centre_show_at_once(seen):
    vendor = Vendor.objects.get(name="Beta Services")
    VendorCertificationFactory(vendor=vendor, certification=certification("iso-27001"))
    DeliveryCentreFactory(vendor=vendor)

    content = seen.get(URL).content.decode()

    assert "ISO 27001" in content or "ISO/IEC 27001" in content
    assert "badge-" in content


def test_an_expired_certificate_is_struck_out_once_removed_and_re_added(seen):
    vendor = Vendor.objects.get(name="Beta Services")
    held = VendorCertificationFactory(
        vendor=vendor, certification=certification(), valid_until=dt.date(2020, 1, 31)
    )
    assert "(expired)" in seen.get(URL).content.decode()

    VendorCertification.objects.filter(pk=held.pk).delete()

    assert "(expired)" not in seen.get(URL).content.decode()


def test_an_imported_vendor_shows_at_once(seen):
    from tests.vendors.test_import_blank_cells import vendor_row, vendors_file
    from vendors import importing

    importing.commit(
        vendors_file(vendor_row(name="Gamma Group", country="IN")), confirm_deletions=True
    )

    assert names(seen.get(URL)) == ["Alpha BPO", "Beta Services", "Gamma Group"]


def test_the_version_changes_again_when_the_write_commits(db, django_capture_on_commit_callbacks):
    # The test's own transaction is the one that "commits" here: its first write is in the block.
    with django_capture_on_commit_callbacks(execute=True):
        vendor = VendorFactory(name="Alpha BPO")
        with transaction.atomic():
            vendor.name = "Aardvark BPO"
            vendor.save()
            # What another request would cache now (before the commit) lives under this one.
            during = market_cache.market_version()

    assert market_cache.market_version() != during


def test_two_roles_never_share_the_rows(seen, django_assert_num_queries):
    admin = Client()
    admin.force_login(VendorAdminFactory())

    # Its own rows: read (count, page, centres, certifications, processes, standings)...
    with django_assert_num_queries(3 + 5):
        admin.get(URL)
    # ...while the analyst's page was kept for analysts.
    with django_assert_num_queries(3):
        seen.get(URL)


def test_another_analyst_shares_the_analysts_rows(seen, django_assert_num_queries):
    other = Client()
    other.force_login(AnalystFactory(username="other"))

    with django_assert_num_queries(3):
        response = other.get(URL)

    assert "Alpha BPO" in response.content.decode()


def test_searches_differing_in_spaces_and_case_share_the_rows_but_show_what_was_typed(
    seen, django_assert_num_queries
):
    assert names(seen.get(URL, {"q": "india"})) == ["Alpha BPO"]

    with django_assert_num_queries(3 + 3):  # the filter form as typed: its three lists
        response = seen.get(URL, {"q": "  INDIA "})

    content = response.content.decode()
    assert "Alpha BPO" in content and "Beta Services" not in content
    assert 'value="  INDIA "' in content


def test_a_cached_search_is_escaped(analyst_client):
    VendorFactory(name="Alpha BPO")
    query = '<script>alert("x")</script>'

    for _ in range(2):  # rendered, then from the cache
        content = analyst_client.get(URL, {"q": query}).content.decode()
        assert "<script>alert" not in content
        assert "&lt;script&gt;" in content
