"""evaluation_decision: aggregated scores, TCO, unranked and excluded vendors, what-if overrides."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.decision import Status
from scoring.leave_one_out import leave_one_out
from scoring.models import Candidate, Criterion, EvaluationWeight, Score
from scoring.reports.summary import flip_text
from scoring.selectors import evaluation_decision as evaluation_result
from scoring.selectors_scores import score_grid
from tests.factories import (
    AnalystFactory,
    ScoreFactory,
    certification,
    scored_evaluation,
)

pytestmark = pytest.mark.django_db


def _criterion(key):
    return Criterion.objects.get(key=key)


def _vendors(evaluation):
    return [
        c.vendor for c in Candidate.objects.filter(evaluation=evaluation).order_by("vendor__name")
    ]


def test_it_aggregates_each_cell_as_mean_and_spread_and_flags_disagreement():
    evaluation = scored_evaluation(2, evaluators=2)
    first, _ = _vendors(evaluation)
    colleague = evaluation.team.get()
    Score.objects.filter(vendor=first, criterion__key="expertise", evaluator=colleague).update(
        value=Decimal("4")
    )  # owner gave 8: spread 4

    result = evaluation_result(evaluation)

    disputed = result.score_stats[first.pk, "expertise"]
    assert (disputed.mean, disputed.spread, disputed.count) == (6.0, 4.0, 2)
    assert disputed.disagreement is True
    calm = result.score_stats[first.pk, "track_record"]
    assert (calm.mean, calm.spread, calm.disagreement) == (7.5, 1.0, False)
    assert result.cells[0].evaluators == tuple(
        sorted((*result.evaluation.team, result.evaluation.owner))
    )
    assert any("disagree" in warning for warning in result.warnings)


def test_it_does_not_rank_a_vendor_nobody_scored_on_a_criterion():
    evaluation = scored_evaluation(3)
    gap = _vendors(evaluation)[1]
    Score.objects.filter(vendor=gap, criterion__key="data_security").delete()

    result = evaluation_result(evaluation)

    assert result.unranked == {gap.pk: ("Data security: nobody has scored it",)}
    assert gap.pk not in result.ranked_ids
    assert len(result.ranking) == 2
    assert result.blocking is True
    assert "1 vendor is not ranked: missing scores or quotes." in result.warnings
    assert result.score_stats[gap.pk, "data_security"].count == 0


def test_it_does_not_rank_a_vendor_without_a_quote():
    evaluation = scored_evaluation(3)
    unquoted = _vendors(evaluation)[0]
    unquoted.quotes.all().delete()

    result = evaluation_result(evaluation)

    assert result.unranked == {unquoted.pk: ("No quote yet",)}
    assert result.tco_by_vendor[unquoted.pk].tco is None
    assert result.blocking is True


def test_it_ranks_everyone_when_data_is_complete_and_takes_cost_from_the_tco():
    evaluation = scored_evaluation(3)

    result = evaluation_result(evaluation)

    tco = {line.vendor_id: line.tco for line in result.tco}
    assert {row.vendor_id: row.tco for row in result.ranking} == tco
    # 2,000 per FTE-month x 20 FTEs x 36 months + 10,000 transition
    assert min(tco.values()) == Decimal("1450000.00")
    assert result.unranked == {} and result.not_ranked == []
    assert result.blocking is False
    assert result.ranked_ids == [v.pk for v in _vendors(evaluation)]
    assert sum(result.weights.values()) == pytest.approx(1.0)
    assert result.used_criteria == list(result.criteria)
    for row in result.ranking:  # WSM: the parts add up to the score
        assert sum(row.contributions.values()) == pytest.approx(row.score)


def test_what_if_weights_and_method_override_without_saving():
    evaluation = scored_evaluation(3)
    best_on_scores, _, cheapest_last = _vendors(evaluation)
    # Make the last vendor the cheapest by far.
    cheapest_last.quotes.update(unit_price=Decimal("100"))
    saved = list(
        EvaluationWeight.objects.filter(evaluation=evaluation).values_list("weight", flat=True)
    )
    only_cost = {c.key: 0 for c in Criterion.objects.exclude(key="hours_overlap")} | {"cost": 100}

    stored = evaluation_result(evaluation)
    what_if = evaluation_result(evaluation, weights=only_cost, method="topsis")

    assert stored.leader.vendor_id == best_on_scores.pk
    assert what_if.leader.vendor_id == cheapest_last.pk
    assert what_if.method == "topsis" and what_if.what_if is True
    assert what_if.weights["cost"] == 1.0
    assert [c.key for c in what_if.used_criteria] == ["cost"]  # zero weights drop out
    assert list(what_if.leader.ideal_distance) == ["cost"]
    assert what_if.leader.contributions is None  # TOPSIS has no additive parts
    assert saved == list(
        EvaluationWeight.objects.filter(evaluation=evaluation).values_list("weight", flat=True)
    )


def test_it_rejects_an_unknown_criterion_in_the_overrides():
    evaluation = scored_evaluation(2)

    with pytest.raises(ValueError, match="Unknown criterion 'charm'"):
        evaluation_result(evaluation, weights={"charm": 10})


def test_it_lists_knocked_out_and_excluded_candidates_with_reasons_and_does_not_rank_them():
    evaluation = scored_evaluation(4)
    evaluation.required_certifications.add(certification("iso-27001"))
    certified = _vendors(evaluation)[:2]
    for vendor in certified:
        vendor.vendor_certifications.create(certification=certification("iso-27001"))
    excluded_by_hand = certified[1]
    Candidate.objects.filter(vendor=excluded_by_hand).update(
        excluded_reason="Failed the site visit"
    )
    uncertified = _vendors(evaluation)[2:]

    result = evaluation_result(evaluation)

    status = result.status_of
    assert status[excluded_by_hand.pk].status == Status.EXCLUDED
    assert status[excluded_by_hand.pk].reasons == ("Failed the site visit",)
    for vendor in uncertified:
        assert status[vendor.pk].status == Status.KNOCKED_OUT
        assert status[vendor.pk].reasons == ("Missing certification: ISO 27001",)
    assert result.ranked_ids == [certified[0].pk]
    assert len(result.candidates) == 4  # each vendor exactly once
    assert result.unranked == {}
    assert result.blocking is False
    assert excluded_by_hand.pk not in result.competing
    assert any("knock-out" in warning for warning in result.warnings)


def test_its_query_count_does_not_depend_on_candidates_criteria_or_evaluators():
    small = scored_evaluation(5, evaluators=1)
    large = scored_evaluation(50, evaluators=3)

    with CaptureQueriesContext(connection) as few:
        evaluation_result(small)
    with CaptureQueriesContext(connection) as many:
        evaluation_result(large)

    assert len(few) == len(many) <= 17  # SLA standing, then RFP-evidenced certificates: +1 each


def test_sensitivity_report_names_the_vendor_that_would_lead():
    evaluation = scored_evaluation(3)
    cheapest = _vendors(evaluation)[-1]
    cheapest.quotes.update(unit_price=Decimal("100"))
    result = evaluation_result(evaluation)

    lines = {line.criterion: line for line in result.sensitivity}

    assert list(lines) == [c.key for c in result.used_criteria]
    assert sum(s.first_share for s in result.stability) == pytest.approx(1.0)
    assert result.stability[0].vendor_id == result.leader.vendor_id
    cost = flip_text(result, "+", lines["cost"].increase, lines["cost"].increase_leader)
    assert cost.endswith(f"→ {cheapest.name} leads")
    assert cost.startswith("+")
    expertise = lines["expertise"]
    assert flip_text(result, "+", expertise.increase, expertise.increase_leader) == (
        "none within 0–100 %"
    )


def test_sensitivity_needs_two_ranked_vendors():
    result = evaluation_result(scored_evaluation(1))

    assert len(result.ranking) == 1
    assert result.sensitivity == () and result.stability == ()


def test_score_grid_shows_only_the_evaluators_own_scores_of_competing_vendors():
    evaluation = scored_evaluation(2, evaluators=2)
    colleague = evaluation.team.get()
    shown, hidden = _vendors(evaluation)
    Candidate.objects.filter(vendor=hidden).update(excluded_reason="Too small")
    other = AnalystFactory()
    ScoreFactory(evaluation=evaluation, vendor=shown, evaluator=other, criterion=_criterion("risk"))

    grid = score_grid(evaluation, colleague)

    assert grid.vendors == [shown]
    assert [c.key for c in grid.criteria] == [
        c.key for c in Criterion.objects.filter(source="manual")
    ]
    assert {s.evaluator_id for s in grid.scores.values()} == {colleague.pk}
    assert grid.scores[shown.pk, _criterion("expertise").pk].value == Decimal("7")


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("Ana", "Silva", "Ana Silva"), ("", "", "ana-s"), ("Ana", "", "Ana")],
)
def test_scores_name_their_evaluator_as_the_rest_of_the_decision_does(first, last, expected):
    from scoring.selectors import _person, decision_inputs

    evaluation = scored_evaluation(1, evaluators=1)
    evaluator = Score.objects.filter(evaluation=evaluation).first().evaluator
    type(evaluator).objects.filter(pk=evaluator.pk).update(
        first_name=first, last_name=last, username="ana-s"
    )
    evaluator.refresh_from_db()

    names = {s.evaluator for s in decision_inputs(evaluation).scores}

    assert names == {expected} == {_person(evaluator)}


def test_evaluators_who_share_a_full_name_count_and_leave_out_apart():
    evaluation = scored_evaluation(2, evaluators=2)
    owner, colleague = evaluation.owner, evaluation.team.get()
    for user in (owner, colleague):
        user.first_name, user.last_name = "Sam", "Lee"
        user.save()

    result = evaluation_result(evaluation)

    names = {score.evaluator for score in result.inputs.scores}
    assert names == {f"Sam Lee ({owner.username})", f"Sam Lee ({colleague.username})"}
    assert leave_one_out(result).evaluators == tuple(sorted(names, key=str.casefold))
    assert result.cells[0].evaluators == tuple(sorted(names))
