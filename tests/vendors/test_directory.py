"""The vendor directory filters, searches, sorts and pages vendors with a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import (
    DeliveryCentreFactory,
    EvaluationFactory,
    QuoteFactory,
    VendorCertificationFactory,
    VendorFactory,
    VendorProcessFactory,
    certification,
    delivery_model,
    process,
)
from vendors.models import Process

pytestmark = pytest.mark.django_db
URL = reverse("vendors:directory")


def names(response) -> list[str]:
    return [vendor.name for vendor in response.context["page_obj"]]


def test_it_lists_active_vendors_by_name(analyst_client):
    VendorFactory(name="Zeta")
    VendorFactory(name="Alpha")
    VendorFactory(name="Gone", is_active=False)
    response = analyst_client.get(URL)
    assert names(response) == ["Alpha", "Zeta"]


def test_it_filters_by_process(analyst_client):
    payroll = VendorProcessFactory(process=process("payroll-benefits-administration")).vendor
    VendorProcessFactory(process=process("customer-service-support"))
    response = analyst_client.get(URL, {"process": payroll.offered_processes.get().process_id})
    assert names(response) == [payroll.name]


def test_it_filters_by_delivery_model_without_repeating_vendors(analyst_client):
    nearshore = VendorFactory(name="Near")
    DeliveryCentreFactory(vendor=nearshore, delivery_model=delivery_model("nearshore"))
    DeliveryCentreFactory(vendor=nearshore, delivery_model=delivery_model("nearshore"))
    DeliveryCentreFactory(delivery_model=delivery_model("offshore"))
    response = analyst_client.get(URL, {"delivery_model": delivery_model("nearshore").pk})
    assert names(response) == ["Near"]


def test_it_filters_by_a_certification_that_is_still_valid(analyst_client):
    iso = certification("iso-27001")
    VendorCertificationFactory(vendor=VendorFactory(name="Valid"), certification=iso)
    VendorCertificationFactory(
        vendor=VendorFactory(name="Expired"),
        certification=iso,
        valid_until=dt.date.today() - dt.timedelta(days=1),
    )
    response = analyst_client.get(URL, {"certification": iso.pk})
    assert names(response) == ["Valid"]


def test_it_filters_by_headquarters_country(analyst_client):
    VendorFactory(name="Manila Co", country="PH")
    VendorFactory(name="Pune Co", country="IN")
    response = analyst_client.get(URL, {"country": "PH"})
    assert names(response) == ["Manila Co"]


def test_the_country_filter_offers_only_headquarters_countries(analyst_client):
    VendorFactory(country="PH")
    VendorFactory(country="IN")
    VendorFactory(country="FR", is_active=False)
    response = analyst_client.get(URL)
    choices = [code for code, _ in response.context["filter"].form.fields["country"].choices]
    assert choices == ["", "IN", "PH"]


def test_the_country_filter_lists_each_country_once_however_many_vendors_it_has(analyst_client):
    VendorFactory.create_batch(3, country="IN")
    VendorFactory(country="PH")
    response = analyst_client.get(URL)
    choices = [label for _, label in response.context["filter"].form.fields["country"].choices]
    assert choices == ["Any country", "India", "Philippines"]


def test_sort_by_lists_each_order_once_with_name_first(analyst_client):
    response = analyst_client.get(URL)
    labels = [label for _, label in response.context["filter"].form.fields["ordering"].choices]
    assert labels == [
        "Name",
        "Name (descending)",
        "Country",
        "Country (descending)",
        "Headcount",
        "Headcount (descending)",
        "Founded",
        "Founded (descending)",
    ]


def test_a_vendor_with_many_centres_and_processes_is_listed_once_under_a_filter(analyst_client):
    vendor = VendorFactory(name="Busy")
    offshore = delivery_model("offshore")
    for city in ("Pune", "Chennai", "Manila"):
        DeliveryCentreFactory(vendor=vendor, city=city, delivery_model=offshore)
    response = analyst_client.get(URL, {"delivery_model": offshore.pk, "q": "busy"})
    assert names(response) == ["Busy"]
    assert response.context["page_obj"].paginator.count == 1


def test_search_finds_vendors_by_headquarters_country_name(analyst_client):
    VendorFactory(name="Pune Co", country="IN", description="")
    VendorFactory(name="Manila Co", country="PH", description="")
    assert names(analyst_client.get(URL, {"q": "india"})) == ["Pune Co"]
    assert names(analyst_client.get(URL, {"q": "Philippines"})) == ["Manila Co"]


def test_search_finds_vendors_by_certification(analyst_client):
    VendorCertificationFactory(
        vendor=VendorFactory(name="Certified", description=""),
        certification=certification("iso-27001"),
    )
    VendorFactory(name="Uncertified", description="")
    assert names(analyst_client.get(URL, {"q": "iso"})) == ["Certified"]


def test_search_finds_vendors_by_process_offered(analyst_client):
    VendorProcessFactory(
        vendor=VendorFactory(name="Payroller", description=""),
        process=process("payroll-benefits-administration"),
    )
    VendorProcessFactory(
        vendor=VendorFactory(name="Caller", description=""),
        process=process("customer-service-support"),
    )
    assert names(analyst_client.get(URL, {"q": "payroll"})) == ["Payroller"]


def test_each_word_of_a_search_may_match_a_different_field(analyst_client):
    both = VendorFactory(name="Both", country="IN", description="")
    VendorProcessFactory(vendor=both, process=process("payroll-benefits-administration"))
    VendorProcessFactory(vendor=both, process=process("technical-support-helpdesk"))
    VendorCertificationFactory(vendor=both, certification=certification("iso-27001"))
    only_payroll = VendorFactory(name="Only Payroll", country="IN", description="")
    VendorProcessFactory(vendor=only_payroll, process=process("payroll-benefits-administration"))
    VendorFactory(name="Uncertified Indian", country="IN", description="")

    assert names(analyst_client.get(URL, {"q": "payroll helpdesk"})) == ["Both"]
    assert names(analyst_client.get(URL, {"q": "india iso"})) == ["Both"]
    assert names(analyst_client.get(URL, {"q": "payroll  india"})) == ["Both", "Only Payroll"]
    assert names(analyst_client.get(URL, {"q": "payroll nowhere-land"})) == []


def test_a_search_that_matches_nothing_says_so(analyst_client):
    VendorFactory(name="Alpha", description="")
    response = analyst_client.get(URL, {"q": "zzzz-nothing"})
    assert names(response) == []
    assert "No vendor matches these filters." in response.content.decode()


def test_it_searches_names_descriptions_and_languages(analyst_client):
    VendorFactory(name="Polyglot", languages="English, Tagalog")
    VendorFactory(name="Helpful", description="Award-winning helpdesk")
    VendorFactory(name="Other")
    assert names(analyst_client.get(URL, {"q": "tagalog"})) == ["Polyglot"]
    assert names(analyst_client.get(URL, {"q": "HELPDESK"})) == ["Helpful"]


def test_search_follows_an_edit_at_once(analyst_client):
    # PostgreSQL searches a stored column that it recomputes on every write, bulk updates too.
    vendor = VendorFactory(name="Oldname", description="Payroll bureau")
    vendor.name, vendor.description = "Newname", "Helpdesk bureau"
    vendor.save()
    type(vendor).objects.filter(pk=vendor.pk).update(languages="Tagalog")
    assert names(analyst_client.get(URL, {"q": "newname helpdesk tagalog"})) == ["Newname"]
    assert names(analyst_client.get(URL, {"q": "oldname"})) == []
    assert names(analyst_client.get(URL, {"q": "payroll"})) == []


def test_postgresql_reads_the_stored_search_column_not_the_vendor_text(analyst_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the stored search column exists on PostgreSQL only")
    VendorFactory(name="Polyglot", languages="English, Tagalog")
    with CaptureQueriesContext(connection) as queries:
        assert names(analyst_client.get(URL, {"q": "tagalog"})) == ["Polyglot"]
    searched = [q["sql"] for q in queries.captured_queries if "websearch_to_tsquery" in q["sql"]]
    assert searched
    assert all("(search_document) @@" in sql for sql in searched)
    assert not any('COALESCE(U0."description"' in sql for sql in searched)


def test_it_sorts_by_headcount(analyst_client):
    VendorFactory(name="Small", headcount=10)
    VendorFactory(name="Big", headcount=9000)
    response = analyst_client.get(URL, {"ordering": "-headcount"})
    assert names(response) == ["Big", "Small"]


def test_it_pages_25_vendors_at_a_time(analyst_client):
    VendorFactory.create_batch(30)
    response = analyst_client.get(URL, {"page": 2})
    assert len(names(response)) == 5
    assert "Page 2 of 2" in response.content.decode()


def test_an_invalid_filter_value_shows_no_vendors_and_no_error(analyst_client):
    VendorFactory()
    response = analyst_client.get(URL, {"process": "not-a-number"})
    assert response.status_code == 200
    assert names(response) == []


def _vendor_with_everything():
    vendor = VendorFactory()
    DeliveryCentreFactory(vendor=vendor)
    VendorCertificationFactory(vendor=vendor)
    VendorProcessFactory(vendor=vendor)
    return vendor


@pytest.mark.parametrize("rows", [3, 25])
@pytest.mark.parametrize(
    "params",
    [{}, {"q": "india"}, {"q": "iso"}, {"country": "IN", "ordering": "-headcount"}],
    ids=["plain", "country search", "certification search", "filtered"],
)
def test_its_query_count_does_not_grow_with_vendors(
    analyst_client, django_assert_num_queries, rows, params
):
    for _ in range(rows):
        _vendor_with_everything()
    # session, user, roles, count, page, centres, certifications, processes, filter choices x4,
    # SLA standings (contracts)
    with django_assert_num_queries(13):
        response = analyst_client.get(URL, params)
    assert len(names(response)) == rows


def test_the_profile_query_count_does_not_grow_with_its_rows(
    analyst_client, django_assert_num_queries
):
    def profile_queries(vendor) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert (
                analyst_client.get(reverse("vendors:detail", args=[vendor.pk])).status_code == 200
            )
        return len(captured)

    small = _vendor_with_everything()
    big = _vendor_with_everything()
    for city in ("Pune", "Chennai", "Manila", "Cebu"):
        DeliveryCentreFactory(vendor=big, city=city)
    for other in Process.objects.exclude(offers__vendor=big)[:4]:
        VendorProcessFactory(vendor=big, process=other)
        QuoteFactory(vendor=big, process=other)
    assert profile_queries(big) == profile_queries(small)


def test_the_profile_shows_centres_certifications_processes_and_list_prices(analyst_client):
    vendor = _vendor_with_everything()
    QuoteFactory(vendor=vendor, unit_price="2345.50", currency="EUR")
    response = analyst_client.get(reverse("vendors:detail", args=[vendor.pk]))
    page = response.content.decode()
    assert vendor.centres.get().city in page
    assert "ISO 27001" in page
    assert "Customer service &amp; support" in page
    assert "€2,345.50" in page


def test_the_profile_hides_quotes_sent_for_an_evaluation(analyst_client):
    vendor = VendorFactory()
    QuoteFactory(vendor=vendor, unit_price="1111.00", evaluation=EvaluationFactory())
    response = analyst_client.get(reverse("vendors:detail", args=[vendor.pk]))
    assert "1,111.00" not in response.content.decode()


def test_an_unknown_vendor_is_a_404(analyst_client):
    assert analyst_client.get(reverse("vendors:detail", args=[999999])).status_code == 404


def test_a_row_shows_the_vendors_delivery_models_certifications_and_process_count(analyst_client):
    vendor = VendorFactory(name="Rowan")
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("offshore"))
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("nearshore"))
    DeliveryCentreFactory(vendor=vendor, delivery_model=delivery_model("offshore"))
    VendorCertificationFactory(vendor=vendor, certification=certification("iso-27001"))
    VendorCertificationFactory(
        vendor=vendor,
        certification=certification("pci-dss"),
        valid_until=dt.date.today() - dt.timedelta(days=1),
    )
    for slug in ("payroll-benefits-administration", "customer-service-support"):
        VendorProcessFactory(vendor=vendor, process=process(slug))
    VendorFactory(name="Solo")
    html = analyst_client.get(URL).content.decode()
    row = html[html.index(">Rowan</a>") : html.index(">Solo</a>")]
    assert row.count('class="badge badge-offshore') == 1  # two offshore centres, one badge
    assert row.count('class="badge badge-nearshore') == 1
    assert "<span>ISO 27001</span>" in row
    assert 'class="expired text-decoration-line-through"' in row and "PCI DSS" in row
    assert '<td class="num">2</td>' in row


@pytest.mark.parametrize(
    "words", ["india", "iso", "payroll", "tagalog", "payroll india", "helpdesk iso", "nothing"]
)
def test_a_search_finds_the_same_vendors_whether_many_or_few_are_expected(words):
    from vendors.models import Vendor
    from vendors.search import search_vendors

    both = VendorFactory(name="Both", country="IN", languages="Tagalog", description="")
    VendorProcessFactory(vendor=both, process=process("payroll-benefits-administration"))
    VendorCertificationFactory(vendor=both, certification=certification("iso-27001"))
    VendorFactory(name="Helpdesk Co", country="PH", description="Helpdesk and ISO audits")
    VendorFactory(name="Other", country="US", description="")
    vendors = Vendor.objects.order_by("name")

    few = list(search_vendors(vendors, words).values_list("name", flat=True))
    many = list(search_vendors(vendors, words, dense=True).values_list("name", flat=True))

    assert many == few
    assert search_vendors(vendors, words, dense=True).count() == len(few)


@pytest.mark.parametrize("expected, dense", [(2, True), (100, False)])
def test_a_broad_search_pages_in_name_order_a_narrow_one_sorts_its_matches(
    analyst_client, monkeypatch, expected, dense
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vendors import directory

    monkeypatch.setattr(directory, "DENSE_MATCHES", expected)
    for name in ("Gamma Payroll", "Alpha Payroll", "Beta Payroll"):
        VendorFactory(name=name, description="")
    with CaptureQueriesContext(connection) as queries:
        response = analyst_client.get(URL, {"q": "payroll"})

    assert names(response) == ["Alpha Payroll", "Beta Payroll", "Gamma Payroll"]
    page = [
        q["sql"] for q in queries.captured_queries if 'ORDER BY "vendors_vendor"."name"' in q["sql"]
    ]
    assert len(page) == 1
    union = "UNION" in page[0]
    assert union is (not dense or connection.vendor != "postgresql")
