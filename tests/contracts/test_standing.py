"""A vendor's SLA standing: on its profile and in the directory, and below the admin's band a warning
or a knock-out in new evaluations of the same process (scoring's decision and candidates page)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import credits
from contracts.models import StandingPolicy
from contracts.selectors import standing_notes, vendor_standings
from scoring.decision import Status, decide
from scoring.models import Candidate
from scoring.selectors import decision_inputs
from scoring.selectors_candidates import candidate_knockouts
from tests.contracts.conftest import measure
from tests.factories import CandidateFactory, EvaluationFactory, process

pytestmark = pytest.mark.django_db


@pytest.fixture
def poor(contract):
    """12 measured months, 7 of them below the service-level target: 5/12 = 41.7 % -> Poor."""
    for i in range(12):
        measure(
            contract, credits.add_months(contract.start_date, i), service_level=94 if i < 7 else 97
        )
    return contract


@pytest.fixture
def new_evaluation(poor, analyst):
    """A new evaluation of the same process with the incumbent and a newcomer as candidates."""
    evaluation = EvaluationFactory(owner=analyst, process=poor.process)
    Candidate.objects.create(evaluation=evaluation, vendor=poor.vendor)
    return evaluation


REASON = "SLA standing Poor: 7 of the last 12 months below target"


def test_the_standing_counts_every_month_of_the_vendors_contracts(poor):
    standing = vendor_standings([poor.vendor_id])[poor.vendor_id]

    assert (standing.counted, standing.met, standing.band) == (12, 5, "Poor")
    assert standing.sentence == REASON


def test_excluding_below_average_knocks_the_vendor_out_with_the_reason(new_evaluation, poor):
    StandingPolicy.objects.create(band="Average", action="exclude")

    decision = decide(decision_inputs(new_evaluation))

    (status,) = [c for c in decision.candidates if c.vendor_id == poor.vendor_id]
    assert status.status == Status.KNOCKED_OUT and status.reasons == (REASON,)
    assert candidate_knockouts(new_evaluation)[poor.vendor_id] == [REASON]


def test_warning_keeps_the_vendor_and_says_why(new_evaluation, poor):
    StandingPolicy.objects.create(band="Average", action="warn")

    decision = decide(decision_inputs(new_evaluation))

    (status,) = [c for c in decision.candidates if c.vendor_id == poor.vendor_id]
    assert status.status != Status.KNOCKED_OUT
    assert f"Alpha BPO: {REASON}." in decision.warnings
    assert candidate_knockouts(new_evaluation)[poor.vendor_id] == []


def test_a_band_at_or_below_the_standing_says_nothing(new_evaluation):
    StandingPolicy.objects.create(band="Poor", action="exclude")

    assert (
        standing_notes(
            new_evaluation, list(new_evaluation.candidates.values_list("vendor_id", flat=True))
        )
        == []
    )


def test_without_a_saved_policy_the_default_warns_below_average(new_evaluation, poor):
    notes = standing_notes(new_evaluation, [poor.vendor_id])

    assert [(n.reason, n.exclude) for n in notes] == [(REASON, False)]


def test_another_process_is_not_affected_by_the_standing(poor, analyst):
    StandingPolicy.objects.create(band="Average", action="exclude")
    other = EvaluationFactory(owner=analyst, process=process("payroll-benefits-administration"))

    assert standing_notes(other, [poor.vendor_id]) == []


def test_the_standing_costs_the_decision_one_query(new_evaluation, poor, django_assert_num_queries):
    StandingPolicy.objects.create(band="Average", action="exclude")
    with django_assert_num_queries(1):
        standing_notes(new_evaluation, [poor.vendor_id])


def test_profile_and_directory_show_the_band_with_its_inputs(client, poor, analyst):
    client.force_login(analyst)

    profile = client.get(reverse("vendors:detail", args=[poor.vendor_id])).content.decode()
    directory = client.get(reverse("vendors:directory")).content.decode()

    assert (
        "<strong>Poor</strong>: 5 of 12 measured contract-months met every KPI target (41.7%"
        in profile
    )
    assert 'title="5 of 12 measured contract-months' in directory and ">Poor</span>" in directory


def test_a_vendor_without_measured_months_has_no_standing(client, contract, analyst):
    client.force_login(analyst)

    profile = client.get(reverse("vendors:detail", args=[contract.vendor_id])).content.decode()

    assert vendor_standings([contract.vendor_id]) == {}
    assert "No contract with measured months yet." in profile
    assert Decimal(0) == credits.standing([(contract.start_date, False)]).share_met_pct


def test_delivered_performance_is_filled_from_the_standing_and_typed_values_stay(
    client, new_evaluation, poor, analyst
):
    from scoring.models import Criterion, Measurement

    newcomer = CandidateFactory(evaluation=new_evaluation).vendor
    client.force_login(analyst)
    url = reverse("contracts:delivered_performance", args=[new_evaluation.pk])

    page = client.post(url, follow=True)

    criterion = Criterion.objects.get(evaluation=new_evaluation, name="Delivered performance")
    assert (criterion.source, criterion.unit, criterion.low, criterion.high) == (
        "measured",
        "%",
        0,
        100,
    )
    values = dict(Measurement.objects.filter(criterion=criterion).values_list("vendor_id", "value"))
    assert values == {poor.vendor_id: Decimal("41.7")}  # the newcomer has no contract: no value
    assert newcomer.pk not in values
    assert (
        "Delivered performance: 1 vendor filled from their SLA standing." in page.content.decode()
    )
    Measurement.objects.filter(criterion=criterion).update(value=Decimal(60))

    again = client.post(url, follow=True)

    assert Measurement.objects.get(criterion=criterion).value == Decimal(60)
    assert "none was filled" in again.content.decode()
    assert (
        Criterion.objects.filter(evaluation=new_evaluation, name="Delivered performance").count()
        == 1
    )


def test_only_the_evaluation_team_fills_delivered_performance(
    client, new_evaluation, boss, outsider
):
    url = reverse("contracts:delivered_performance", args=[new_evaluation.pk])
    client.force_login(boss)
    assert client.post(url).status_code == 403
    client.force_login(outsider)
    assert client.post(url).status_code == 404


def test_the_ranking_page_shows_the_warning_and_the_candidates_page_the_knock_out(
    client, new_evaluation, analyst
):
    policy = StandingPolicy.objects.create(band="Average", action="warn")
    client.force_login(analyst)

    ranking = client.get(reverse("scoring:ranking", args=[new_evaluation.pk])).content.decode()
    assert f"Alpha BPO: {REASON}." in ranking

    policy.action = "exclude"
    policy.save()
    candidates = client.get(reverse("scoring:candidates", args=[new_evaluation.pk]))
    assert REASON in candidates.content.decode()


def test_a_new_measurement_shows_in_a_directory_page_seen_before(client, contract, analyst):
    client.force_login(analyst)
    before = client.get(reverse("vendors:directory")).content.decode()
    for i in range(12):
        measure(contract, credits.add_months(contract.start_date, i), service_level=94)

    after = client.get(reverse("vendors:directory")).content.decode()

    assert "measured contract-months" not in before
    assert 'title="0 of 12 measured contract-months' in after and ">Very Poor</span>" in after
