"""The admin is the vendor admins' curation tool: every page loads with constant queries; others get 403."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    DeliveryCentreFactory,
    QuoteFactory,
    VendorCertificationFactory,
    VendorFactory,
    VendorProcessFactory,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

VENDOR_MODELS = [model for model in admin.site._registry if model._meta.app_label == "vendors"]
ALL_MODELS = list(admin.site._registry)


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def add_page(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def make_rows(n: int) -> None:
    for _ in range(n):
        vendor = VendorFactory()
        DeliveryCentreFactory(vendor=vendor)
        VendorCertificationFactory(vendor=vendor)
        VendorProcessFactory(vendor=vendor)
        QuoteFactory(vendor=vendor)


@pytest.mark.parametrize("model", VENDOR_MODELS, ids=lambda m: m.__name__)
def test_every_vendor_changelist_and_add_page_loads_for_a_vendor_admin(vendor_admin_client, model):
    make_rows(2)
    assert vendor_admin_client.get(changelist(model)).status_code == 200
    assert vendor_admin_client.get(add_page(model)).status_code == 200


@pytest.mark.parametrize("model", VENDOR_MODELS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(vendor_admin_client, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert vendor_admin_client.get(changelist(model)).status_code == 200
        return len(captured)

    make_rows(2)
    few = queries()
    make_rows(20)
    assert queries() == few


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_every_changelist_loads_for_a_superuser(client, superuser, model):
    client.force_login(superuser)
    make_rows(1)
    assert client.get(changelist(model)).status_code == 200


def test_the_vendor_page_edits_centres_certifications_and_processes_inline(vendor_admin_client):
    vendor = VendorFactory()
    page = vendor_admin_client.get(reverse("admin:vendors_vendor_change", args=[vendor.pk]))
    prefixes = {formset.formset.prefix for formset in page.context["inline_admin_formsets"]}
    assert prefixes == {"centres", "vendor_certifications", "offered_processes"}


@pytest.mark.parametrize("model", VENDOR_MODELS, ids=lambda m: m.__name__)
def test_an_analyst_gets_403_in_the_vendor_admin(analyst_client, model):
    assert analyst_client.get(changelist(model)).status_code == 403
    assert analyst_client.post(add_page(model), {"name": "Sneaky"}).status_code == 403


def test_a_manager_gets_403_in_the_admin_index(manager_client):
    assert manager_client.get(reverse("admin:index")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(changelist(Vendor))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_admin_search_finds_vendors_by_name(vendor_admin_client):
    VendorFactory(name="Findable Partners")
    VendorFactory(name="Other")
    response = vendor_admin_client.get(changelist(Vendor), {"q": "findable"})
    assert [v.name for v in response.context["cl"].result_list] == ["Findable Partners"]


def test_deleting_a_quoted_vendor_is_refused_with_an_offer_to_deactivate(vendor_admin_client):
    vendor = QuoteFactory().vendor
    url = reverse("admin:vendors_vendor_delete", args=[vendor.pk])
    response = vendor_admin_client.post(url, {"post": "yes"}, follow=True)
    assert Vendor.objects.filter(pk=vendor.pk).exists()
    assert "Deactivate it instead" in response.content.decode()
