"""The admin vendor list stays short and flat at any market size: its filters and counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import DeliveryCentreFactory, VendorFactory

pytestmark = pytest.mark.django_db
URL = reverse("admin:vendors_vendor_changelist")


def country_filter_choices(response) -> list[str]:
    spec = next(s for s in response.context["cl"].filter_specs if s.title == "headquarters country")
    return [choice["display"] for choice in spec.choices(response.context["cl"])]


def test_the_country_filter_offers_only_countries_vendors_have_each_once(vendor_admin_client):
    VendorFactory.create_batch(3, country="IN")
    VendorFactory(country="PH", is_active=False)
    response = vendor_admin_client.get(URL)
    assert country_filter_choices(response) == ["All", "India", "Philippines"]


def test_the_country_filter_narrows_the_list(vendor_admin_client):
    VendorFactory(name="Pune Co", country="IN")
    VendorFactory(name="Manila Co", country="PH")
    response = vendor_admin_client.get(URL, {"country": "PH"})
    assert [v.name for v in response.context["cl"].result_list] == ["Manila Co"]


def test_the_centre_count_is_each_vendors_own(vendor_admin_client):
    busy = VendorFactory(name="Busy")
    for city in ("Pune", "Chennai", "Manila"):
        DeliveryCentreFactory(vendor=busy, city=city)
    VendorFactory(name="Quiet")
    response = vendor_admin_client.get(URL)
    counts = {v.name: v.centre_count for v in response.context["cl"].result_list}
    assert counts == {"Busy": 3, "Quiet": 0}


def test_the_headcount_is_grouped_and_still_sorts_as_a_number(vendor_admin_client):
    VendorFactory(name="Big", headcount=12500)
    VendorFactory(name="Small", headcount=900)
    response = vendor_admin_client.get(URL, {"o": "3"})  # the third column: headcount
    assert [v.name for v in response.context["cl"].result_list] == ["Small", "Big"]
    assert '<td class="field-headcount_people">12,500</td>' in response.text


@pytest.mark.parametrize("params", [{}, {"country": "IN"}, {"q": "vendor"}], ids=str)
def test_the_list_query_count_does_not_grow_with_vendors(vendor_admin_client, params):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert vendor_admin_client.get(URL, params).status_code == 200
        return len(captured)

    for _ in range(2):
        DeliveryCentreFactory(vendor=VendorFactory(country="IN"))
    few = queries()
    for index in range(30):
        DeliveryCentreFactory(vendor=VendorFactory(country=["IN", "PH", "FR"][index % 3]))
    assert queries() == few


def test_the_admin_search_is_the_directorys_search(vendor_admin_client):
    VendorFactory(name="Pune Co", country="IN", description="")
    VendorFactory(name="Manila Co", country="PH", description="Award-winning helpdesk")

    def found(q: str) -> list[str]:
        cl = vendor_admin_client.get(URL, {"q": q}).context["cl"]
        return [vendor.name for vendor in cl.result_list]

    assert found("india") == ["Pune Co"]
    assert found("helpdesk") == ["Manila Co"]
    assert found("manila") == ["Manila Co"]
