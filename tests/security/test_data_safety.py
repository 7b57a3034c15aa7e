"""Vendors with history cannot be deleted through the admin; the message offers deactivation."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.factories import CandidateFactory, QuoteFactory, VendorFactory
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def delete_url(vendor) -> str:
    return reverse("admin:vendors_vendor_delete", args=[vendor.pk])


def bulk_delete(client, vendors, confirmed=True):
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [v.pk for v in vendors]}
    if confirmed:
        data["post"] = "yes"
    return client.post(reverse("admin:vendors_vendor_changelist"), data, follow=True)


@pytest.mark.parametrize("history", ["quote", "candidacy"])
def test_deleting_a_vendor_with_history_is_refused_with_an_offer_to_deactivate(
    vendor_admin_client, history
):
    vendor = VendorFactory(name="Busy Vendor")
    if history == "quote":
        QuoteFactory(vendor=vendor)
    else:
        CandidateFactory(vendor=vendor)

    response = vendor_admin_client.post(delete_url(vendor), {"post": "yes"}, follow=True)

    assert Vendor.objects.filter(pk=vendor.pk).exists()
    shown = [str(m) for m in response.context["messages"]]
    assert any("Deactivate" in m and "Busy Vendor" in m for m in shown), shown


def test_a_vendor_without_history_can_be_deleted(vendor_admin_client):
    vendor = VendorFactory()

    response = vendor_admin_client.post(delete_url(vendor), {"post": "yes"})

    assert response.status_code == 302
    assert not Vendor.objects.filter(pk=vendor.pk).exists()


def test_bulk_delete_is_refused_whole_when_one_selected_vendor_has_history(vendor_admin_client):
    unused = VendorFactory(name="Unused Vendor")
    busy = VendorFactory(name="Quoted Vendor")
    QuoteFactory(vendor=busy)

    response = bulk_delete(vendor_admin_client, [unused, busy])

    assert Vendor.objects.filter(pk__in=[unused.pk, busy.pk]).count() == 2
    shown = [str(m) for m in response.context["messages"]]
    assert any(
        "Nothing was deleted" in m and "Quoted Vendor" in m and "Deactivate" in m for m in shown
    )


def test_bulk_delete_of_unused_vendors_still_works_after_confirmation(vendor_admin_client):
    vendors = VendorFactory.create_batch(2)

    confirmation = bulk_delete(vendor_admin_client, vendors, confirmed=False)
    bulk_delete(vendor_admin_client, vendors)

    assert "Are you sure" in confirmation.text
    assert not Vendor.objects.filter(pk__in=[v.pk for v in vendors]).exists()


def test_the_deactivate_action_keeps_the_vendor_and_its_quotes(vendor_admin_client):
    vendor = VendorFactory()
    QuoteFactory(vendor=vendor)

    vendor_admin_client.post(
        reverse("admin:vendors_vendor_changelist"),
        {"action": "deactivate", ACTION_CHECKBOX_NAME: [vendor.pk]},
    )

    vendor.refresh_from_db()
    assert vendor.is_active is False and vendor.quotes.count() == 1
