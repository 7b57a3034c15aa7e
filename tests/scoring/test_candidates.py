"""Candidates page: suggestions, knock-out failures, adding, removing and excluding vendors."""

import datetime as dt

import pytest
from django.urls import reverse

from scoring.models import Candidate, Evaluation
from tests.factories import (
    AnalystFactory,
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
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


QUERIES = 15
