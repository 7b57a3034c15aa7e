"""Creating a contract from an approval, its scorecard page, entering a month (contracts/views.py)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import credits
from contracts.models import Contract, KpiMeasurement
from tests.contracts.conftest import make_contract, measure, this_month
from tests.factories import AnalystFactory, rankable_evaluation

pytestmark = pytest.mark.django_db


def create_post(**overrides):
    data = {
        "title": "Alpha CS",
        "start_date": f"{this_month():%Y-%m}",
        "term_months": "24",
        "monthly_fee": "40000",
        "currency": "USD",
        "monthly_cap_pct": "10",
        "kpi-TOTAL_FORMS": "2",
        "kpi-INITIAL_FORMS": "1",  # the prefilled Service level row
        "kpi-MIN_NUM_FORMS": "0",
        "kpi-MAX_NUM_FORMS": "12",
        "kpi-0-name": "Service level",
        "kpi-0-unit": "%",
        "kpi-0-direction": "higher",
        "kpi-0-target": "95",
        "kpi-0-credit_pct_per_point": "2",
        "kpi-0-cap_pct": "10",
        "kpi-0-earn_back_months": "0",
        "kpi-1-name": "",
        "kpi-1-direction": "higher",
        "kpi-1-credit_pct_per_point": "2",
        "kpi-1-cap_pct": "10",
    }
    return data | overrides


def test_the_create_form_is_prefilled_from_the_signed_decision(client, approved, boss):
    client.force_login(boss)

    page = client.get(reverse("contracts:create", args=[approved.pk]))

    assert page.status_code == 200
    prefill = page.context["prefill"]
    assert prefill.vendor == "Alpha BPO"
    assert prefill.monthly_fee == Decimal("40000.00")  # 2,000 USD x 20 FTEs
    assert [(k.name, k.target) for k in prefill.kpis] == [("Service level", Decimal("95.00"))]
    assert "Alpha BPO was ranked first" in page.content.decode()


def test_a_manager_creates_the_contract_with_the_recommended_vendor(
    client, approved, boss, analyst
):
    client.force_login(boss)

    response = client.post(
        reverse("contracts:create", args=[approved.pk]), create_post(owner=analyst.pk)
    )

    contract = Contract.objects.get()
    assert response.url == contract.get_absolute_url()
    assert contract.vendor.name == "Alpha BPO" and contract.owner == analyst
    assert contract.process_id == approved.process_id
    assert [(k.name, k.direction, k.target) for k in contract.kpis.all()] == [
        ("Service level", "higher", Decimal(95))
    ]


def test_a_contract_without_a_kpi_is_refused_and_nothing_is_written(
    client, approved, boss, analyst
):
    client.force_login(boss)

    page = client.post(
        reverse("contracts:create", args=[approved.pk]),
        create_post(owner=analyst.pk, **{"kpi-0-name": "", "kpi-0-target": ""}),
    )

    assert "A contract needs at least one KPI" in page.content.decode()
    assert not Contract.objects.exists()


def test_a_kpi_without_target_is_named(client, approved, boss, analyst):
    client.force_login(boss)

    page = client.post(
        reverse("contracts:create", args=[approved.pk]),
        create_post(owner=analyst.pk, **{"kpi-0-target": ""}),
    )

    assert "Give the KPI a target." in page.content.decode()
    assert not Contract.objects.exists()


def test_analysts_cannot_create_and_a_draft_cannot_become_a_contract(
    client, approved, analyst, boss
):
    draft = rankable_evaluation(("Kappa BPO",), owner=analyst)
    client.force_login(analyst)
    assert client.get(reverse("contracts:create", args=[approved.pk])).status_code == 403
    client.force_login(boss)
    assert client.get(reverse("contracts:create", args=[draft.pk])).status_code == 403


def test_the_scorecard_shows_met_missed_and_credits_in_money(client, contract, analyst):
    start = contract.start_date
    measure(contract, start, service_level=96, response_time=3)
    # 93 %: 2 points x 2 % = 4 % of 40,000 = 1,600; 6 h: 2 x 1 % = 2 % = 800 -> 2,400.00
    measure(contract, credits.add_months(start, 1), service_level=93, response_time=6)
    client.force_login(analyst)

    page = client.get(contract.get_absolute_url())

    card = page.context["card"]
    assert [m.credit for m in card.months[:2]] == [Decimal("0.00"), Decimal("2400.00")]
    html = page.content.decode()
    assert "$2,400.00" in html and "missed" in html and "Total credits" in html
    assert card.standing.band == "Average"  # 1 of 2 months met: 50 %
    assert html.count("<img") >= 2  # a trend per KPI


@pytest.mark.parametrize("months", [2, 12])
def test_the_scorecard_takes_a_fixed_number_of_queries(
    client, contract, analyst, django_assert_num_queries, months
):
    for i in range(months):
        measure(
            contract,
            credits.add_months(contract.start_date, i),
            service_level=90 + i,
            response_time=i,
        )
    client.force_login(analyst)
    client.get(contract.get_absolute_url())  # warm the session

    # session, user, roles, contract, KPIs, values, policy, alerts (contract, KPIs, values,
    # certificates), the entry check's roles are cached
    with django_assert_num_queries(SCORECARD_QUERIES):
        client.get(contract.get_absolute_url())


SCORECARD_QUERIES = 11


def test_the_owner_enters_a_month_and_a_blank_leaves_a_value(client, contract, analyst):
    month = credits.add_months(contract.start_date, 2)
    measure(contract, month, response_time=3)
    sl, rt = contract.kpis.order_by("order")
    client.force_login(analyst)

    response = client.post(
        reverse("contracts:month", args=[contract.pk]),
        {"month": f"{month:%Y-%m}", f"kpi_{sl.pk}": "94.5", f"kpi_{rt.pk}": ""},
    )

    assert response.status_code == 302
    stored = dict(KpiMeasurement.objects.filter(month=month).values_list("kpi__name", "value"))
    assert stored == {"Service level": Decimal("94.5"), "Response time": Decimal(3)}
    assert KpiMeasurement.objects.get(kpi=sl).entered_by == analyst


def test_a_month_outside_the_term_is_named_and_nothing_is_written(client, contract, analyst):
    sl = contract.kpis.first()
    client.force_login(analyst)

    page = client.post(
        reverse("contracts:month", args=[contract.pk]),
        {"month": f"{credits.add_months(contract.start_date, -1):%Y-%m}", f"kpi_{sl.pk}": "99"},
    )

    assert "outside the contract&#x27;s term" in page.content.decode()
    assert not KpiMeasurement.objects.exists()


def test_only_the_owner_and_managers_enter_other_analysts_read_or_get_404(
    client, contract, approved, boss
):
    member = AnalystFactory()
    approved.team.add(member)
    stranger = AnalystFactory()
    url = reverse("contracts:month", args=[contract.pk])

    client.force_login(member)
    assert client.get(contract.get_absolute_url()).status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(stranger)
    assert client.get(contract.get_absolute_url()).status_code == 404
    client.force_login(boss)
    assert client.get(url).status_code == 200


def test_a_custom_kpi_is_added_and_a_duplicate_name_refused(client, contract, analyst):
    client.force_login(analyst)
    url = reverse("contracts:kpi_add", args=[contract.pk])
    base = {
        "new-unit": "%",
        "new-direction": "lower",
        "new-credit_pct_per_point": "1",
        "new-cap_pct": "5",
    }

    client.post(url, base | {"new-name": "Attrition", "new-target": "3"})
    page = client.post(url, base | {"new-name": "attrition", "new-target": "3"})

    assert list(contract.kpis.values_list("name", flat=True)) == [
        "Service level",
        "Response time",
        "Attrition",
    ]
    assert "already has a KPI named" in page.content.decode()


def test_the_contract_list_shows_visible_contracts_only(
    client, contract, outsider, analyst, approved, boss
):
    beta = approved.candidates.get(vendor__name="Beta BPO").vendor
    other = make_contract(approved, owner=boss, created_by=boss, vendor=beta)
    other.title = "Boss's own"
    other.save()
    client.force_login(outsider)
    assert list(client.get(reverse("contracts:list")).context["contracts"]) == []
    client.force_login(analyst)  # owns the evaluation: sees both
    assert len(client.get(reverse("contracts:list")).context["contracts"]) == 2


def test_a_contract_that_has_not_started_says_so(client, approved, analyst, boss):
    future = make_contract(
        approved, owner=analyst, created_by=boss, start=credits.add_months(this_month(), 2)
    )
    client.force_login(analyst)

    page = client.get(future.get_absolute_url())

    assert page.context["card"].months == ()
    html = page.content.decode()
    assert "The contract has not started yet." in html and "No month measured yet" in html


def test_user_text_on_the_contract_page_is_escaped(client, contract, analyst):
    contract.kpis.filter(name="Service level").update(name="<script>alert(1)</script>")
    measure(contract, contract.start_date, response_time=3)
    client.force_login(analyst)

    html = client.get(contract.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_second_running_contract_with_the_same_vendor_is_refused(
    client, contract, approved, boss
):
    client.force_login(boss)

    page = client.post(reverse("contracts:create", args=[approved.pk]), create_post(owner=boss.pk))

    assert "already has a running contract with Alpha BPO" in page.content.decode()
    assert Contract.objects.count() == 1
    overview = client.get(approved.get_absolute_url()).content.decode()
    assert "Alpha customer service</a> with Alpha BPO (running)" in overview
