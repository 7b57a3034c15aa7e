"""Contract alerts on the dashboard and by e-mail (contracts/alerts.py, manage.py contract_alerts)."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from contracts import credits
from contracts.alerts import CERTIFICATE, MISSES, RENEWAL, alerts_for
from contracts.models import Contract
from scoring.models import Evaluation
from tests.contracts.conftest import make_contract, measure, this_month
from tests.factories import VendorCertificationFactory, VendorProcessFactory, certification

pytestmark = pytest.mark.django_db


def kinds(contract):
    return [a.kind for a in alerts_for(Contract.objects.filter(pk=contract.pk))]


def test_a_contract_ending_within_90_days_asks_for_renewal(approved, analyst, boss):
    ending = make_contract(
        approved,
        owner=analyst,
        created_by=boss,
        start=credits.add_months(this_month(), -10),
        term=12,
    )

    (alert,) = alerts_for(Contract.objects.filter(pk=ending.pk))

    assert alert.kind == RENEWAL
    assert alert.text.startswith("Ends on ") and "time to start the renewal" in alert.text


def test_three_misses_running_alert_but_two_or_a_gap_do_not(contract):
    start = contract.start_date
    for i, value in enumerate([90, 96, 90, 90]):
        measure(contract, credits.add_months(start, i), service_level=value)
    assert MISSES not in kinds(contract)

    measure(contract, credits.add_months(start, 4), service_level=91)

    (alert,) = alerts_for(Contract.objects.filter(pk=contract.pk))
    assert alert.kind == MISSES and alert.text.startswith(
        "Service level missed its target 3 months running"
    )


def test_a_certificate_lapsing_before_the_end_is_named(contract):
    VendorCertificationFactory(
        vendor=contract.vendor,
        certification=certification("iso-27001"),
        valid_until=contract.end_date - dt.timedelta(days=30),
    )

    (alert,) = alerts_for(Contract.objects.filter(pk=contract.pk))

    assert alert.kind == CERTIFICATE and "ISO 27001 lapses on" in alert.text


def test_alerts_take_a_fixed_number_of_queries(approved, analyst, boss, django_assert_num_queries):
    for candidate in approved.candidates.select_related("vendor"):  # one contract with each
        c = make_contract(approved, owner=analyst, created_by=boss, vendor=candidate.vendor)
        measure(c, c.start_date, service_level=90)
    with django_assert_num_queries(4):
        alerts_for(Contract.objects.all())


def test_the_dashboard_shows_alerts_and_starts_the_renewal(client, approved, analyst, boss):
    ending = make_contract(
        approved,
        owner=analyst,
        created_by=boss,
        start=credits.add_months(this_month(), -10),
        term=12,
    )
    VendorProcessFactory(vendor=ending.vendor, process=approved.process)
    client.force_login(analyst)

    html = client.get(reverse("dashboard")).content.decode()
    assert "Running contracts" in html and "Start renewal evaluation" in html

    response = client.post(reverse("contracts:renew", args=[ending.pk]))

    draft = Evaluation.objects.get(title__startswith="Renewal:")
    assert response.url == draft.get_absolute_url()
    assert draft.status == Evaluation.Status.DRAFT and draft.owner == analyst
    assert list(draft.candidates.values_list("vendor__name", flat=True)) == ["Alpha BPO"]
    assert draft.process_id == approved.process_id


def test_the_command_mails_each_owner_their_alerts(approved, analyst, boss):
    analyst.email = "ana@example.com"
    analyst.save()
    make_contract(
        approved,
        owner=analyst,
        created_by=boss,
        start=credits.add_months(this_month(), -10),
        term=12,
    )
    out = StringIO()

    call_command("contract_alerts", stdout=out)

    (message,) = mail.outbox
    assert message.to == ["ana@example.com"] and message.subject == "BPO Select: 1 contract alert"
    assert "Alpha customer service: Ends on" in message.body
    assert out.getvalue().strip() == "1 alert(s); 1 owner(s) e-mailed."


def test_a_renewal_the_vendor_no_longer_qualifies_for_says_why(client, approved, analyst, boss):
    ending = make_contract(approved, owner=analyst, created_by=boss)
    client.force_login(analyst)

    page = client.post(reverse("contracts:renew", args=[ending.pk]), follow=True)

    assert "could not start: Only active vendors offering" in page.content.decode()
    assert not Evaluation.objects.filter(title__startswith="Renewal:").exists()


def test_the_command_marks_contracts_past_their_term_as_ended(approved, analyst, boss):
    over = make_contract(
        approved,
        owner=analyst,
        created_by=boss,
        start=credits.add_months(this_month(), -13),
        term=12,
    )
    out = StringIO()

    call_command("contract_alerts", stdout=out)

    over.refresh_from_db()
    assert over.status == Contract.Status.ENDED
    assert out.getvalue().startswith("1 contract(s) past their term marked ended; 0 alert(s)")
    assert mail.outbox == []
