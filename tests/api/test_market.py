"""The market over the API: reads for every role, bulk upserts for vendor admins through the
importer (per-item errors, all or nothing), the directory's filters, cursor pages."""

import pytest
from django.urls import reverse

from tests.api.conftest import client_for
from tests.factories import (
    DeliveryCentreFactory,
    QuoteFactory,
    VendorCertificationFactory,
    VendorFactory,
    VendorProcessFactory,
    certification,
    process,
)
from vendors.models import ExchangeRate, Quote, Vendor

pytestmark = pytest.mark.django_db


def market(count: int) -> list[Vendor]:
    vendors = []
    for n in range(count):
        vendor = VendorFactory(name=f"Vendor {n:03d}")
        DeliveryCentreFactory(vendor=vendor)
        VendorCertificationFactory(vendor=vendor)
        VendorProcessFactory(vendor=vendor)
        vendors.append(vendor)
    return vendors


def test_every_role_reads_the_reference_lists(analyst, manager, vendor_admin):
    for user in (analyst, manager, vendor_admin):
        client = client_for(user)
        processes = client.get(reverse("api:processes")).json()
        models = client.get(reverse("api:delivery_models")).json()
        certifications = client.get(reverse("api:certifications")).json()
        assert "Payroll & benefits administration" in {p["name"] for p in processes}
        assert [m["code"] for m in models] == ["onshore", "nearshore", "offshore"]
        assert certifications and {"id", "name", "slug"} <= set(certifications[0])


def test_a_user_without_a_role_reads_nothing():
    from tests.factories import UserFactory

    response = client_for(UserFactory()).get(reverse("api:vendors"))

    assert response.status_code == 403
    assert "no role" in response.json()["detail"]


def test_the_vendor_list_carries_centres_certifications_and_processes(analyst):
    (vendor,) = market(1)
    VendorFactory(name="Dormant", is_active=False)

    body = client_for(analyst).get(reverse("api:vendors")).json()

    (row,) = body["results"]
    assert row["name"] == vendor.name and row["country"] == "IN"
    assert row["languages"] == ["English", "Spanish"]
    assert row["centres"][0]["delivery_model"] == "offshore"
    assert row["certifications"][0]["name"] == "ISO 27001"
    assert row["processes"][0]["process"] == process().pk
    assert body["next"] is None


def test_the_vendor_list_filters_like_the_directory(analyst):
    market(3)
    payroll = process("payroll-benefits-administration")
    VendorProcessFactory(vendor=VendorFactory(name="Payroll People"), process=payroll)
    client = client_for(analyst)

    by_process = client.get(reverse("api:vendors"), {"process": payroll.pk}).json()
    by_text = client.get(reverse("api:vendors"), {"q": "people"}).json()
    by_cert = client.get(reverse("api:vendors"), {"certification": certification().pk}).json()
    bad = client.get(reverse("api:vendors"), {"process": 999999})

    assert [v["name"] for v in by_process["results"]] == ["Payroll People"]
    assert [v["name"] for v in by_text["results"]] == ["Payroll People"]
    assert len(by_cert["results"]) == 3
    assert bad.status_code == 400 and "process" in bad.json()


def test_the_cursor_walks_every_vendor_once_by_name(analyst):
    names = [v.name for v in market(7)]
    client = client_for(analyst)

    seen, url = [], reverse("api:vendors") + "?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [v["name"] for v in body["results"]]
        url = body["next"]

    assert seen == sorted(names)


@pytest.mark.parametrize("count", [2, 30])
def test_a_vendor_page_costs_the_same_queries_whatever_the_market(
    analyst, count, django_assert_num_queries
):
    market(count)
    client = client_for(analyst)
    client.get(reverse("api:processes"))  # the token's last use is stamped now, not below

    # token + user, roles, headquarters countries, the page, centres, certifications, processes
    with django_assert_num_queries(7):
        response = client.get(reverse("api:vendors"))

    assert len(response.json()["results"]) == min(count, 25)


def test_a_vendor_admin_upserts_market_quotes_in_one_batch(vendor_admin):
    vendor = VendorFactory(name="Acme")
    DeliveryCentreFactory(vendor=vendor)
    QuoteFactory(vendor=vendor, unit_price="1000")
    item = {
        "vendor": "Acme",
        "process": process().name,
        "delivery_model": "offshore",
        "pricing_model": "per FTE-month",
        "currency": "USD",
    }
    items = [
        item | {"unit_price": "1850.50"},
        item | {"pricing_model": "per hour", "unit_price": 22},
    ]

    response = client_for(vendor_admin).post(reverse("api:quotes"), {"items": items}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json() == {"new": 1, "changed": 1, "unchanged": 0}
    prices = dict(Quote.objects.filter(vendor=vendor).values_list("pricing_model", "unit_price"))
    assert prices == {"per_fte_month": 1850.5, "per_hour": 22}


def test_a_batch_with_one_bad_item_writes_nothing_and_names_the_item(vendor_admin):
    items = [
        {"currency": "EUR", "base_currency": "USD", "rate": "1.08", "as_of": "2026-01-31"},
        {"currency": "GBP", "base_currency": "USD", "rate": "-2", "as_of": "2026-01-31"},
    ]

    response = client_for(vendor_admin).post(
        reverse("api:exchange_rates"), {"items": items}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["error_count"] == 1
    assert body["errors"][0]["item"] == 1 and body["errors"][0]["column"] == "rate"
    assert not ExchangeRate.objects.exists()


def test_vendors_upsert_with_their_lists_and_clearing_needs_confirmation(vendor_admin):
    client = client_for(vendor_admin)
    item = {
        "name": "Nova BPO",
        "country": "PH",
        "processes": [f"{process().name}: 8y/12 refs"],
        "centres": "Manila, PH, offshore, 300 seats",
    }
    created = client.post(reverse("api:vendors"), {"items": [item]}, format="json")
    cleared = client.post(
        reverse("api:vendors"),
        {"items": [{"name": "Nova BPO", "country": "PH", "centres": "-"}]},
        format="json",
    )

    assert created.json() == {"new": 1, "changed": 0, "unchanged": 0}
    vendor = Vendor.objects.get(name="Nova BPO")
    assert vendor.offered_processes.get().years_experience == 8
    assert cleared.status_code == 400 and "confirm_deletions" in cleared.json()["detail"]
    assert vendor.centres.count() == 1


def test_a_batch_is_at_most_a_thousand_items(vendor_admin):
    items = [{"name": f"V{n}", "country": "PH"} for n in range(1001)]

    response = client_for(vendor_admin).post(
        reverse("api:vendors"), {"items": items}, format="json"
    )

    assert response.status_code == 400
    assert "items" in response.json()
    assert not Vendor.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "manager"])
def test_only_vendor_admins_change_the_market(role, request):
    user = request.getfixturevalue(role)
    items = [{"currency": "EUR", "base_currency": "USD", "rate": "1.08", "as_of": "2026-01-31"}]

    response = client_for(user).post(reverse("api:exchange_rates"), {"items": items}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == "Only vendor admins change the vendor market."
    assert not ExchangeRate.objects.exists()


def test_unknown_columns_are_refused_by_name(vendor_admin):
    response = client_for(vendor_admin).post(
        reverse("api:vendors"),
        {"items": [{"name": "X", "country": "PH", "colour": "red"}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Items: unknown column(s): colour (expected: name,")


def test_text_that_is_not_unicode_is_refused_naming_the_item(vendor_admin):
    body = (
        '{"items": [{"name": "Fine", "country": "PH"}, {"name": "Bad \\ud800", "country": "PH"}]}'
    )

    response = client_for(vendor_admin).post(
        reverse("api:vendors"), body, content_type="application/json"
    )

    assert response.status_code == 400
    assert "item 1 holds text that is not valid Unicode" in response.json()["detail"]
    assert not Vendor.objects.exists()
