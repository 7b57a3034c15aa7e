"""Candidates page: suggestions, knock-out failures, adding, removing and excluding vendors."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from scoring.models import Candidate, Evaluation
from scoring.selectors_candidates import candidate_eligibility, candidate_pool
from scoring.views.candidates import SUGGESTIONS_PER_PAGE
from tests.factories import (
    AnalystFactory,
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    QuoteFactory,
    VendorCertificationFactory,
    VendorFactory,
    VendorProcessFactory,
    certification,
    delivery_model,
)

pytestmark = pytest.mark.django_db


def offering(name, **kwargs):
    vendor = VendorFactory(name=name, **kwargs)
    VendorProcessFactory(vendor=vendor)
    return vendor


def names(evaluation):
    return sorted(evaluation.candidates.values_list("vendor__name", flat=True))


def strict_evaluation(owner):
    evaluation = EvaluationFactory(owner=owner)
    evaluation.required_certifications.set([certification("iso-27001")])
    evaluation.allowed_delivery_models.set([delivery_model("offshore")])
    return evaluation


def qualified(name):
    vendor = offering(name)
    VendorCertificationFactory(vendor=vendor)
    DeliveryCentreFactory(vendor=vendor)
    return vendor


def test_the_page_lists_suggestions_and_knock_out_reasons(analyst_client, analyst):
    evaluation = strict_evaluation(analyst)
    qualified("Good Co")
    lapsed = offering("Lapsed Co")
    VendorCertificationFactory(vendor=lapsed, valid_until=dt.date.today() - dt.timedelta(days=2))
    DeliveryCentreFactory(vendor=lapsed, delivery_model=delivery_model("onshore"))
    offering("Gone Co", is_active=False)

    response = analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk]))

    assert [vendor.name for vendor in response.context["suggested"]] == ["Good Co"]
    # Knocked-out vendors are counted by reason, not listed one by one.
    assert (
        "1 vendor offering this process fails a knock-out: ISO 27001 expired (1), "
        "no centre in an allowed delivery model (Offshore) (1)."
    ) in " ".join(response.text.split())
    assert "Lapsed Co" not in response.text
    assert "Gone Co" not in response.text


def test_add_all_suggested_adds_every_eligible_vendor(analyst_client, analyst):
    evaluation = strict_evaluation(analyst)
    qualified("A")
    qualified("B")
    offering("Uncertified")

    response = analyst_client.post(
        reverse("scoring:candidate_add", args=[evaluation.pk]), {"action": "all"}
    )

    assert response.status_code == 302
    assert names(evaluation) == ["A", "B"]


def test_add_selected_adds_only_the_ticked_vendors(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    picked, _ = offering("Picked"), offering("Skipped")

    analyst_client.post(
        reverse("scoring:candidate_add", args=[evaluation.pk]),
        {"action": "selected", "vendors": [picked.pk]},
    )

    assert names(evaluation) == ["Picked"]


def test_inactive_vendors_or_other_processes_cannot_be_added(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    retired = offering("Retired", is_active=False)
    elsewhere = VendorFactory(name="Elsewhere")

    response = analyst_client.post(
        reverse("scoring:candidate_add", args=[evaluation.pk]),
        {"action": "selected", "vendors": [retired.pk, elsewhere.pk]},
        follow=True,
    )

    assert "not Elsewhere, Retired" in response.text
    assert names(evaluation) == []


def test_candidates_failing_knock_outs_are_listed_apart_with_reasons(analyst_client, analyst):
    evaluation = strict_evaluation(analyst)
    CandidateFactory(evaluation=evaluation, vendor=qualified("Fine"))
    CandidateFactory(evaluation=evaluation, vendor=offering("Failing"))

    response = analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk]))

    assert [c.vendor.name for c, _ in response.context["competing"]] == ["Fine"]
    ((candidate, reasons),) = response.context["knocked_out"]
    assert candidate.vendor.name == "Failing"
    assert reasons == [
        "Missing certification: ISO 27001",
        "No centre in an allowed delivery model (Offshore)",
    ]


def test_remove_takes_the_vendor_off_the_list(analyst_client, analyst):
    candidate = CandidateFactory(evaluation__owner=analyst)

    response = analyst_client.post(
        reverse("scoring:candidate_remove", args=[candidate.evaluation_id, candidate.vendor_id])
    )

    assert response.status_code == 302
    assert not Candidate.objects.exists()


def test_remove_requires_post(analyst_client, analyst):
    candidate = CandidateFactory(evaluation__owner=analyst)
    url = reverse("scoring:candidate_remove", args=[candidate.evaluation_id, candidate.vendor_id])
    assert analyst_client.get(url).status_code == 405
    assert Candidate.objects.exists()


def test_excluding_by_hand_keeps_the_reason_and_reinstating_clears_it(analyst_client, analyst):
    candidate = CandidateFactory(evaluation__owner=analyst)
    url = reverse("scoring:candidate_exclude", args=[candidate.evaluation_id, candidate.vendor_id])

    analyst_client.post(url, {"reason": "Failed the reference calls"})
    candidate.refresh_from_db()
    assert candidate.excluded_reason == "Failed the reference calls"
    page = analyst_client.get(reverse("scoring:candidates", args=[candidate.evaluation_id]))
    assert "Excluded: Failed the reference calls" in page.text

    analyst_client.post(url, {"reason": ""})
    candidate.refresh_from_db()
    assert candidate.excluded_reason == ""


def test_excluding_with_a_too_long_reason_names_the_field(analyst_client, analyst):
    candidate = CandidateFactory(evaluation__owner=analyst)
    url = reverse("scoring:candidate_exclude", args=[candidate.evaluation_id, candidate.vendor_id])

    response = analyst_client.post(url, {"reason": "x" * 501}, follow=True)

    assert "Reason for excluding: Ensure this value has at most 500 characters" in response.text
    candidate.refresh_from_db()
    assert candidate.excluded_reason == ""


def test_user_text_is_escaped(analyst_client, analyst):
    candidate = CandidateFactory(
        evaluation__owner=analyst,
        vendor=VendorFactory(name="<b>Bold</b> BPO"),
        excluded_reason="<script>x</script>",
    )
    response = analyst_client.get(reverse("scoring:candidates", args=[candidate.evaluation_id]))
    assert "<b>Bold</b>" not in response.text and "<script>x</script>" not in response.text
    assert "&lt;script&gt;x&lt;/script&gt;" in response.text


def actions(evaluation, vendor):
    return [
        (reverse("scoring:candidate_add", args=[evaluation.pk]), {"action": "all"}),
        (reverse("scoring:candidate_remove", args=[evaluation.pk, vendor.pk]), {}),
        (reverse("scoring:candidate_exclude", args=[evaluation.pk, vendor.pk]), {"reason": "no"}),
    ]


def test_another_teams_analyst_gets_404_everywhere(client):
    candidate = CandidateFactory()
    offering("Suggested")
    client.force_login(AnalystFactory())

    assert (
        client.get(reverse("scoring:candidates", args=[candidate.evaluation_id])).status_code == 404
    )
    for url, data in actions(candidate.evaluation, candidate.vendor):
        assert client.post(url, data).status_code == 404
    assert Candidate.objects.get().excluded_reason == ""
    assert Candidate.objects.count() == 1


def test_a_manager_reads_but_cannot_change(manager_client):
    candidate = CandidateFactory()
    offering("Suggested")

    page = manager_client.get(reverse("scoring:candidates", args=[candidate.evaluation_id]))
    assert page.status_code == 200
    assert "Add all suggested" not in page.text
    for url, data in actions(candidate.evaluation, candidate.vendor):
        assert manager_client.post(url, data).status_code == 403
    assert list(Candidate.objects.values_list("excluded_reason", flat=True)) == [""]


def test_an_approved_evaluation_cannot_change(analyst_client, analyst):
    candidate = CandidateFactory(
        evaluation__owner=analyst, evaluation__status=Evaluation.Status.APPROVED
    )
    offering("Suggested")

    for url, data in actions(candidate.evaluation, candidate.vendor):
        assert analyst_client.post(url, data).status_code == 403
    assert Candidate.objects.count() == 1


def test_anonymous_users_are_sent_to_log_in(client):
    evaluation = EvaluationFactory()
    response = client.get(reverse("scoring:candidates", args=[evaluation.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("count", [5, 50])
def test_the_page_query_count_does_not_grow_with_vendors(
    count, analyst_client, analyst, django_assert_num_queries
):
    evaluation = strict_evaluation(analyst)
    for index in range(count):
        vendor = qualified(f"Q{index:03d}") if index % 3 else offering(f"U{index:03d}")
        if index % 2:
            CandidateFactory(evaluation=evaluation, vendor=vendor)
    url = reverse("scoring:candidates", args=[evaluation.pk])
    analyst_client.get(url)  # warm up session and caches
    with django_assert_num_queries(QUERIES):
        analyst_client.get(url)


# The candidates' SLA standing (contracts) is one of them, their certificates (the watch) another.
QUERIES = 18  # with the certificate watch (profile, RFP evidence)


# --------------------------------------------------------------------------------------------------
# A large market: suggestions paged and searched, knock-outs counted
# --------------------------------------------------------------------------------------------------


def page_text(response):
    return " ".join(response.text.split())


def test_suggestions_come_a_page_at_a_time_and_page_2_shows_the_next(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    for index in range(SUGGESTIONS_PER_PAGE + 2):
        offering(f"V{index:03d}")
    url = reverse("scoring:candidates", args=[evaluation.pk])

    first = analyst_client.get(url)
    second = analyst_client.get(url, {"page": 2})

    first_names = [vendor.name for vendor in first.context["suggested"]]
    assert first_names == [f"V{index:03d}" for index in range(SUGGESTIONS_PER_PAGE)]
    assert "V050" not in first.text and "Page 1 of 2" in first.text
    assert [vendor.name for vendor in second.context["suggested"]] == ["V050", "V051"]
    assert "V049" not in second.text
    assert f">{SUGGESTIONS_PER_PAGE + 2}<" in first.text  # the badge counts them all


def test_add_all_suggested_adds_every_page_not_just_the_first(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    for index in range(SUGGESTIONS_PER_PAGE + 1):
        offering(f"V{index:03d}")

    analyst_client.post(reverse("scoring:candidate_add", args=[evaluation.pk]), {"action": "all"})

    assert evaluation.candidates.count() == SUGGESTIONS_PER_PAGE + 1


def test_searching_narrows_the_suggestions_but_not_the_knock_out_counts(analyst_client, analyst):
    evaluation = strict_evaluation(analyst)
    qualified("Acme Payroll")
    qualified("Zeta Helpdesk")
    offering("Acme Uncertified")
    url = reverse("scoring:candidates", args=[evaluation.pk])

    response = analyst_client.get(url, {"q": "acme"})

    assert [vendor.name for vendor in response.context["suggested"]] == ["Acme Payroll"]
    assert "Zeta Helpdesk" not in response.text
    assert "1 suggested vendor match “acme”." in page_text(response)
    assert "1 vendor offering this process fails a knock-out" in page_text(response)
    nothing = analyst_client.get(url, {"q": "nobody"})
    assert list(nothing.context["suggested"]) == []
    assert "No suggested vendor matches “nobody”." in nothing.text


def test_an_htmx_search_returns_only_the_suggestions(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    offering("Acme Payroll")
    offering("Zeta Helpdesk")

    response = analyst_client.get(
        reverse("scoring:candidates", args=[evaluation.pk]), {"q": "zeta"}, HTTP_HX_REQUEST="true"
    )

    assert response.text.lstrip().startswith('<div id="suggestions">')
    assert "Zeta Helpdesk" in response.text and "Acme Payroll" not in response.text
    assert 'id="suggested-count" hx-swap-oob="true">1<' in response.text
    assert "<html" not in response.text


def test_add_all_under_a_search_adds_only_the_matching_vendors(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    offering("Acme Payroll")
    offering("Acme Helpdesk")
    offering("Zeta Helpdesk")

    page = analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk]), {"q": "acme"})
    assert "Add all 2 matching" in page.text
    analyst_client.post(
        reverse("scoring:candidate_add", args=[evaluation.pk]), {"action": "all", "q": "acme"}
    )

    assert names(evaluation) == ["Acme Helpdesk", "Acme Payroll"]


def test_the_search_text_is_escaped(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    offering("Acme")

    response = analyst_client.get(
        reverse("scoring:candidates", args=[evaluation.pk]), {"q": "<script>x</script>"}
    )

    assert "<script>x</script>" not in response.text
    assert "&lt;script&gt;x&lt;/script&gt;" in response.text


def test_knocked_out_vendors_are_counted_by_named_reason(analyst_client, analyst):
    evaluation = strict_evaluation(analyst)
    qualified("Fine")
    for name in ("No cert A", "No cert B"):
        DeliveryCentreFactory(vendor=offering(name))
    offering("No cert, no centre")
    lapsed = offering("Lapsed")
    VendorCertificationFactory(vendor=lapsed, valid_until=dt.date.today() - dt.timedelta(days=1))
    DeliveryCentreFactory(vendor=lapsed)
    CandidateFactory(evaluation=evaluation, vendor=offering("Already a candidate"))
    offering("Retired", is_active=False)

    response = analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk]))

    assert response.context["pool"].failing == 4
    assert response.context["pool"].by_reason == [
        ("missing ISO 27001", 3),
        ("ISO 27001 expired", 1),
        ("no centre in an allowed delivery model (Offshore)", 1),
    ]
    assert (
        "4 vendors offering this process fail a knock-out: missing ISO 27001 (3), "
        "ISO 27001 expired (1), no centre in an allowed delivery model (Offshore) (1)."
    ) in page_text(response)
    assert "No cert A" not in response.text


def test_no_knock_out_failures_says_so(analyst_client, analyst):
    evaluation = strict_evaluation(analyst)
    qualified("Fine")

    response = analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk]))

    assert "No vendor offering this process fails a requirement." in response.text
    assert "fails a knock-out" not in response.text


def test_the_database_check_agrees_with_the_per_vendor_reasons():
    evaluation = EvaluationFactory(
        budget_cap=Decimal("1000000"), volume=Decimal("20"), term_months=36
    )
    evaluation.required_certifications.set([certification("iso-27001")])
    evaluation.allowed_delivery_models.set([delivery_model("offshore")])
    qualified("Fine")
    dear = qualified("Dear")
    QuoteFactory(vendor=dear, evaluation=evaluation, unit_price=Decimal("2500"))  # over the cap
    cheap = qualified("Cheap")
    QuoteFactory(vendor=cheap, evaluation=evaluation, unit_price=Decimal("100"))
    offering("Bare")
    lapsed = offering("Lapsed")
    VendorCertificationFactory(vendor=lapsed, valid_until=dt.date.today() - dt.timedelta(days=1))

    pool = candidate_pool(evaluation)
    suggested, excluded = candidate_eligibility(evaluation)

    suggested_names = [vendor.name for vendor in pool.suggested]
    assert suggested_names == [e.vendor.name for e in suggested] == ["Cheap", "Fine"]
    assert pool.failing == len(excluded) == 3
    assert dict(pool.by_reason)["TCO over the budget cap"] == 1


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_query_count_does_not_grow_with_the_market(
    count, analyst_client, analyst, django_assert_num_queries
):
    evaluation = strict_evaluation(analyst)
    evaluation.budget_cap = Decimal("1000000")
    evaluation.save()
    for index in range(count):
        vendor = qualified(f"Q{index:03d}") if index % 3 else offering(f"U{index:03d}")
        if index % 5 == 0:
            QuoteFactory(vendor=vendor, evaluation=evaluation)
    CandidateFactory(evaluation=evaluation, vendor=qualified("Candidate"))
    url = reverse("scoring:candidates", args=[evaluation.pk])
    analyst_client.get(url)  # warm up session and caches
    # The search runs one query fewer on PostgreSQL (full text) than on SQLite (icontains).
    expected = MARKET_QUERIES - (connection.vendor == "postgresql")
    with django_assert_num_queries(expected):
        analyst_client.get(url, {"q": "Q0", "page": 1})


# The candidates' SLA standing (contracts) is one of them.
MARKET_QUERIES = 22  # with the certificate watch (profile, RFP evidence)


def test_add_all_beyond_the_shortlist_cap_adds_nothing_and_says_how_many_fit(
    analyst_client, analyst, monkeypatch
):
    from scoring import services
    from scoring.services import candidates as candidate_services

    monkeypatch.setattr(services, "MAX_CANDIDATES", 3)
    monkeypatch.setattr(candidate_services, "MAX_CANDIDATES", 3)
    evaluation = EvaluationFactory(owner=analyst)
    CandidateFactory(evaluation=evaluation, vendor=offering("Already In"))
    for index in range(4):
        offering(f"V{index}")
    url = reverse("scoring:candidates", args=[evaluation.pk])

    page = page_text(analyst_client.get(url))
    response = analyst_client.post(
        reverse("scoring:candidate_add", args=[evaluation.pk]), {"action": "all"}, follow=True
    )

    assert "Add all suggested" not in page
    assert "At most 3 vendors compete in one evaluation: 2 more can be added." in page
    assert names(evaluation) == ["Already In"]
    assert (
        "At most 3 vendors can compete in one evaluation; it has 1, so 2 more can be added, not 4."
        in page_text(response)
    )
    analyst_client.post(
        reverse("scoring:candidate_add", args=[evaluation.pk]), {"action": "all", "q": "V1"}
    )
    assert names(evaluation) == ["Already In", "V1"]
