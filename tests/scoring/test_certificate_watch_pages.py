"""The expiry watch on the dashboard, the candidates page, the vendor profile and the setup form."""

import datetime as dt
import html as html_lib

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import Evaluation
from scoring.selectors_watch import certificates_to_watch
from tests.factories import (
    AnalystFactory,
    CandidateFactory,
    EvaluationFactory,
    VendorCertificationFactory,
    VendorFactory,
    certification,
)
from vendors.templatetags.formatting import day

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def _today():
    return timezone.localdate()


def text_of(response) -> str:
    return html_lib.unescape(response.content.decode())


def watched(owner, *, title="Payroll 2027", start_in=60, lapses_in=30, slug="iso-27001", **kw):
    """An evaluation of ``owner`` starting in ``start_in`` days, with one candidate whose
    certificate lapses in ``lapses_in`` days."""
    evaluation = EvaluationFactory(
        owner=owner, title=title, contract_start=_today() + dt.timedelta(days=start_in), **kw
    )
    vendor = VendorFactory()
    VendorCertificationFactory(
        vendor=vendor,
        certification=certification(slug),
        valid_until=_today() + dt.timedelta(days=lapses_in),
    )
    CandidateFactory(evaluation=evaluation, vendor=vendor)
    return evaluation, vendor


# --------------------------------------------------------------------------- dashboard


def test_the_dashboard_lists_certificates_lapsing_before_the_contract_starts(
    analyst, analyst_client
):
    evaluation, vendor = watched(analyst)
    until, start = day(_today() + dt.timedelta(days=30)), day(evaluation.contract_start)
    page = text_of(analyst_client.get(DASHBOARD))
    assert "Certificates to watch" in page
    assert (
        f"{vendor.name}’s ISO 27001 lapses on {until}, before the contract starts on {start}."
        in page
    )
    assert f'href="{reverse("scoring:candidates", args=[evaluation.pk])}"' in page


def test_the_dashboard_leaves_out_frozen_others_and_excluded_candidates(analyst, analyst_client):
    watched(analyst, title="In review", status=Evaluation.Status.IN_REVIEW)
    watched(AnalystFactory(), title="Someone else's")
    excluded, _ = watched(analyst, title="Excluded one")
    excluded.candidates.update(excluded_reason="Too small")
    watched(analyst, title="All valid", lapses_in=5000)
    page = text_of(analyst_client.get(DASHBOARD))
    assert "Certificates to watch" not in page


def test_a_team_members_dashboard_shows_the_teams_evaluation(analyst, analyst_client):
    evaluation, _ = watched(AnalystFactory(), title="Shared")
    evaluation.team.add(analyst)
    assert "Shared</a>:" in analyst_client.get(DASHBOARD).content.decode()


def test_a_manager_sees_no_watch(manager_client, manager):
    watched(AnalystFactory())
    assert "Certificates to watch" not in manager_client.get(DASHBOARD).content.decode()


def test_user_text_on_the_dashboard_is_escaped(analyst, analyst_client):
    watched(analyst, title="<b>bold</b>")
    body = analyst_client.get(DASHBOARD).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in body and "<b>bold</b>" not in body


@pytest.mark.parametrize("count", [1, 8])
def test_the_dashboard_query_count_does_not_grow_with_evaluations_or_candidates(
    count, analyst, analyst_client, django_assert_num_queries
):
    for index in range(count):
        evaluation, _ = watched(analyst, title=f"E{index}")
        for _ in range(count):
            vendor = VendorFactory()
            VendorCertificationFactory(vendor=vendor, valid_until=_today())
            CandidateFactory(evaluation=evaluation, vendor=vendor)
    analyst_client.get(DASHBOARD)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = analyst_client.get(DASHBOARD)
    assert response.context["watch"].total == count + count * count


DASHBOARD_QUERIES = 9  # the watch: its evaluations, their certificates (profile, RFP evidence)


# --------------------------------------------------------------------------- candidates page


def test_the_candidates_page_flags_each_candidate_in_words_and_a_badge(analyst, analyst_client):
    evaluation, _ = watched(analyst, lapses_in=-3)
    fine = VendorFactory(name="Fine BPO")
    VendorCertificationFactory(vendor=fine, valid_until=_today() + dt.timedelta(days=5000))
    CandidateFactory(evaluation=evaluation, vendor=fine)
    page = text_of(analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk])))
    lapsed = day(_today() - dt.timedelta(days=3))
    assert f'<span class="badge text-bg-danger">Lapsed</span> ISO 27001 lapsed on {lapsed}' in page
    assert page.count("certificate-flags") == 1
    start = day(evaluation.contract_start)
    assert f"checked against the contract expected from {start}" in page
    assert "1 certificate of the candidates is flagged below." in page


def test_a_certificate_lapsing_during_the_term_gets_the_lower_badge(analyst, analyst_client):
    evaluation, _ = watched(analyst, start_in=0, lapses_in=100)
    page = text_of(analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk])))
    assert '<span class="badge text-bg-warning">Lapses during term</span>' in page
    assert "during the contract (ends" in page


def test_without_flags_the_candidates_page_says_so(analyst, analyst_client):
    evaluation = EvaluationFactory(owner=analyst)
    page = text_of(analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk])))
    assert (
        "No contract start is set: certificates are checked against a contract starting today"
        in page
    )
    assert "No candidate’s certificate lapses before the contract ends." in page


def test_certificates_to_watch_rows_are_the_candidates_dated_certificates(analyst):
    evaluation, vendor = watched(analyst)
    VendorCertificationFactory(
        vendor=vendor, certification=certification("pci-dss"), valid_until=None
    )
    VendorCertificationFactory(vendor=VendorFactory(), valid_until=_today())  # not a candidate
    rows = certificates_to_watch(evaluation)
    assert [(r.vendor_id, r.vendor, r.name, r.source) for r in rows] == [
        (vendor.pk, vendor.name, "ISO 27001", "Vendor profile")
    ]


# --------------------------------------------------------------------------- vendor profile


def test_the_profile_gives_each_certification_its_standing_today(analyst_client):
    vendor = VendorFactory()
    for slug, days in (("iso-27001", -2), ("pci-dss", 20), ("iso-9001", 400)):
        VendorCertificationFactory(
            vendor=vendor,
            certification=certification(slug),
            valid_until=_today() + dt.timedelta(days=days),
        )
    VendorCertificationFactory(vendor=vendor, certification=certification("copc"), valid_until=None)
    page = text_of(analyst_client.get(reverse("vendors:detail", args=[vendor.pk])))
    today = _today()
    assert (
        f'Lapsed</span> <span class="expired">Lapsed on {day(today - dt.timedelta(days=2))}' in page
    )
    assert f"Lapses soon</span> Lapses in 20 days ({day(today + dt.timedelta(days=20))})" in page
    assert f"Valid until {day(today + dt.timedelta(days=400))}" in page
    assert "Does not expire" in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_profile_query_count_does_not_grow_with_certifications(
    count, analyst_client, django_assert_num_queries
):
    vendor = VendorFactory()
    slugs = ["iso-27001", "pci-dss", "iso-9001", "copc", "hipaa", "soc-2-type-ii"][:count]
    for slug in slugs:
        VendorCertificationFactory(vendor=vendor, certification=certification(slug))
    url = reverse("vendors:detail", args=[vendor.pk])
    analyst_client.get(url)
    with django_assert_num_queries(PROFILE_QUERIES):
        analyst_client.get(url)


PROFILE_QUERIES = 9


# --------------------------------------------------------------------------- setup form


def test_the_contract_start_is_set_in_the_form_kept_in_the_history_and_shown(
    analyst, analyst_client
):
    evaluation = EvaluationFactory(owner=analyst)
    url = reverse("scoring:evaluation_edit", args=[evaluation.pk])
    form = analyst_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "id"}
    data.update(
        process=evaluation.process_id,
        version=evaluation.version,
        contract_start="2020-01-01",
        required_certifications=[],
        allowed_delivery_models=[],
    )
    response = analyst_client.post(url, data, follow=True)
    evaluation.refresh_from_db()
    assert evaluation.contract_start == dt.date(2020, 1, 1)
    page = text_of(response)
    assert "The expected contract start, Jan 1, 2020, is in the past" in page
    assert '<dd class="col-sm-9" id="contract-start">Jan 1, 2020</dd>' in page
    assert evaluation.history.first().contract_start == dt.date(2020, 1, 1)
    history = text_of(analyst_client.get(reverse("scoring:history", args=[evaluation.pk])))
    assert "Expected contract start" in history and "Jan 1, 2020" in history
