"""The AHP page: sliders that start from the current weights, judgements kept and reopened, and a
consistency ratio above 0.10 that needs a confirmation and a reason before the weights change."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from scoring import ahp
from scoring.models import AhpJudgement, Criterion, Evaluation, EvaluationWeight
from scoring.services import ahp_start, rounded_percentages
from tests.factories import WEIGHT_PERCENTS, EvaluationFactory

pytestmark = pytest.mark.django_db


def ahp_url(evaluation) -> str:
    return reverse("scoring:weights_ahp", args=[evaluation.pk])


def with_weights(evaluation, percents) -> Evaluation:
    for key, weight in percents.items():
        EvaluationWeight.objects.filter(evaluation=evaluation, criterion__key=key).update(
            weight=Decimal(weight)
        )
    return evaluation


@pytest.fixture
def evaluation(analyst):
    return with_weights(EvaluationFactory(owner=analyst), WEIGHT_PERCENTS)


def weights_of(evaluation) -> dict[str, Decimal]:
    return dict(evaluation.weights.values_list("criterion__key", "weight"))


def sliders(evaluation) -> dict[str, int]:
    """What the page's sliders open with: negative leans to the left-hand criterion."""
    start = ahp_start(evaluation)
    return {f"{a}__vs__{b}": -p for (a, b), p in start.positions.items()}


def post(client, evaluation, action="save", changes=None, **extra):
    data = {"version": evaluation.version, "action": action, **sliders(evaluation)}
    return client.post(ahp_url(evaluation), data | (changes or {}) | extra)


# Cost (25 %) against data security (10 %): the current weights say cost counts 2.5 times as much.
COST_VS_SECURITY = "cost__vs__data_security"
# Three answers that cannot agree: expertise >> cost >> risk >> expertise.
CYCLE = {"expertise__vs__cost": -8, "cost__vs__risk": -8, "expertise__vs__risk": 8}


def test_the_sliders_start_from_the_ratios_of_the_current_weights(analyst_client, evaluation):
    response = analyst_client.get(ahp_url(evaluation))

    form = response.context["form"]
    assert len(response.context["rows"]) == 45
    assert form[COST_VS_SECURITY].value() == -2  # cost: 3 times (2.5 snapped on a log scale)
    assert form["cost__vs__scalability"].value() == -4  # 25 / 5: cost 5 times
    assert form["expertise__vs__data_security"].value() == -1  # 15 / 10: expertise 2 times
    assert "Cost (TCO): moderately more important (3)" in response.text
    assert 'type="range"' in response.text and 'min="-8" max="8"' in response.text
    assert "start from the ratios the current weights imply" in response.text
    assert response.context["check"].result.consistent
    proposal = {c.key: (now, ahp_pct) for c, now, ahp_pct in response.context["proposal"]}
    assert proposal["cost"][0] == Decimal("25.00")
    assert sum(ahp_pct for _, ahp_pct in proposal.values()) == Decimal("100.00")


def test_criteria_weighted_zero_take_no_part(analyst_client, analyst):
    evaluation = with_weights(
        EvaluationFactory(owner=analyst), WEIGHT_PERCENTS | {"risk": "0", "global_coverage": "10"}
    )

    response = analyst_client.get(ahp_url(evaluation))

    assert len(response.context["rows"]) == 36  # 9 criteria: 9 x 8 / 2 pairs
    assert not any("risk" in name for name in response.context["form"].fields)
    assert "Not compared (weighted 0&nbsp;%): Risk &amp; financial stability." in response.text


def test_with_fewer_than_two_criteria_above_zero_there_is_nothing_to_compare(
    analyst_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst)
    EvaluationWeight.objects.filter(evaluation=evaluation).update(weight=0)
    EvaluationWeight.objects.filter(evaluation=evaluation, criterion__key="cost").update(weight=100)

    response = analyst_client.get(ahp_url(evaluation))
    assert "AHP needs at least two criteria weighted above 0" in response.text
    assert 'type="range"' not in response.text

    refused = post(analyst_client, evaluation)
    assert refused.status_code == 200
    assert "AHP needs at least two criteria weighted above 0" in refused.text
    assert weights_of(evaluation)["cost"] == Decimal("100.00")


def test_more_criteria_than_saatys_table_covers_are_refused_with_a_message(analyst_client, analyst):
    for i in range(6):
        Criterion.objects.create(key=f"extra_{i}", name=f"Extra {i}", order=50 + i)
    evaluation = EvaluationFactory(owner=analyst)  # 16 criteria at 6.25 % each

    response = analyst_client.get(ahp_url(evaluation))
    refused = post(analyst_client, evaluation)

    assert "AHP compares at most 15 criteria; 16 are weighted above 0" in response.text
    assert 'type="range"' not in response.text
    assert "AHP compares at most 15 criteria" in refused.text
    assert not AhpJudgement.objects.filter(evaluation=evaluation).exists()


def test_saving_sets_the_weights_keeps_the_judgements_and_leaves_a_history_entry(
    analyst_client, analyst, evaluation
):
    response = post(analyst_client, evaluation, changes={COST_VS_SECURITY: -4})  # cost 5 times

    assert response.status_code == 302
    assert response["Location"] == reverse("scoring:weights", args=[evaluation.pk])
    positions = {pair: -value for pair, value in sliders(evaluation).items()}
    saved = weights_of(evaluation)
    assert sum(saved.values()) == Decimal("100.00")
    assert saved["cost"] > Decimal("25.00")  # cost gained against data security
    judgements = {
        (j.left.key, j.right.key): j.position
        for j in AhpJudgement.objects.filter(evaluation=evaluation).select_related("left", "right")
    }
    assert len(judgements) == 45 and judgements[("cost", "data_security")] == 4
    keys = list(WEIGHT_PERCENTS)
    expected = ahp.check_judgements(
        keys, {tuple(k.split("__vs__")): v for k, v in positions.items()}
    )
    assert saved == rounded_percentages(expected.result.weights.to_dict())  # the same rounding
    evaluation.refresh_from_db()
    assert evaluation.version == 2
    record = evaluation.history.latest()
    assert record.history_user == analyst
    assert record.history_change_reason.startswith("Weights derived by AHP (consistency ratio 0.0")

    history = analyst_client.get(reverse("scoring:history", args=[evaluation.pk]))
    assert "Weights derived by AHP (consistency ratio" in history.text
    assert "Cost (TCO) vs Data security" in history.text  # the judgement's own row


def test_reopening_shows_the_saved_judgements(analyst_client, evaluation):
    post(analyst_client, evaluation, changes={COST_VS_SECURITY: 3})  # data security 4 times
    evaluation.refresh_from_db()

    response = analyst_client.get(ahp_url(evaluation))

    assert response.context["form"][COST_VS_SECURITY].value() == 3
    assert response.context["start"].saved
    assert "These are the judgements saved last time." in response.text
    assert "no longer give today" not in response.text


def test_a_criterion_back_above_zero_joins_with_pairs_from_the_weights(analyst_client, analyst):
    evaluation = with_weights(
        EvaluationFactory(owner=analyst), WEIGHT_PERCENTS | {"risk": "0", "global_coverage": "10"}
    )
    post(analyst_client, evaluation, changes={COST_VS_SECURITY: 3})
    evaluation.refresh_from_db()
    with_weights(evaluation, {"risk": "5"})

    response = analyst_client.get(ahp_url(evaluation))

    start = response.context["start"]
    assert start.saved and start.new_pairs == 9
    assert response.context["form"][COST_VS_SECURITY].value() == 3  # as saved
    from_weights = -ahp.snap_position(float(weights_of(evaluation)["cost"]) / 5)
    assert response.context["form"]["cost__vs__risk"].value() == from_weights
    assert "the 9 pairs not judged then start from the current weights" in response.text


def test_after_a_direct_weight_change_the_page_offers_to_start_from_the_weights(
    analyst_client, evaluation
):
    post(analyst_client, evaluation, changes={COST_VS_SECURITY: 3})
    evaluation.refresh_from_db()
    with_weights(evaluation, WEIGHT_PERCENTS)

    reopened = analyst_client.get(ahp_url(evaluation))
    fresh = analyst_client.get(ahp_url(evaluation) + "?start=weights")

    assert "they no longer give today's weights" in reopened.text.replace("&#x27;", "'")
    assert reopened.context["form"][COST_VS_SECURITY].value() == 3
    assert fresh.context["form"][COST_VS_SECURITY].value() == -2
    assert not fresh.context["start"].saved


def test_an_inconsistent_set_shows_the_cr_and_the_pair_to_revise_with_its_suggestion(
    analyst_client, evaluation
):
    response = post(analyst_client, evaluation, action="check", changes=CYCLE)

    check = response.context["check"]
    assert check.result.cr > 0.10
    assert "Inconsistent" in response.text
    assert f"Consistency ratio {check.result.cr:.3f}, above 0.10" in response.text
    revision = response.context["revision"]
    pair = f"{revision['row']['left'].name} vs {revision['row']['right'].name}"
    assert f"Revise first: <span data-revision-pair>{escape(pair)}</span>" in response.text
    assert set(check.revision.pair) <= {"expertise", "cost", "risk"}
    assert check.revision.suggested != check.revision.given
    assert escape(revision["suggested"]) in response.text
    assert weights_of(evaluation)["cost"] == Decimal("25.00")  # checking saves nothing


def test_an_inconsistent_set_is_refused_without_a_confirmation(analyst_client, evaluation):
    response = post(analyst_client, evaluation, changes=CYCLE)

    assert response.status_code == 200
    assert "above 0.10: revise the judgements" in " ".join(
        response.context["form"].errors["confirm_inconsistent"]
    )
    assert weights_of(evaluation)["cost"] == Decimal("25.00")
    assert not AhpJudgement.objects.filter(evaluation=evaluation).exists()
    evaluation.refresh_from_db()
    assert evaluation.version == 1


def test_a_confirmation_without_a_reason_is_refused(analyst_client, evaluation):
    response = post(
        analyst_client, evaluation, changes=CYCLE, confirm_inconsistent="on", reason="   "
    )

    assert "Say why the inconsistent judgements stand" in " ".join(
        response.context["form"].errors["reason"]
    )
    assert weights_of(evaluation)["cost"] == Decimal("25.00")
    assert not AhpJudgement.objects.filter(evaluation=evaluation).exists()


def test_a_confirmed_inconsistent_set_saves_with_its_reason_in_the_history(
    analyst_client, evaluation
):
    reason = "Board mandate: <security> first"
    response = post(
        analyst_client, evaluation, changes=CYCLE, confirm_inconsistent="on", reason=reason
    )

    assert response.status_code == 302
    assert weights_of(evaluation) != {k: Decimal(v) for k, v in WEIGHT_PERCENTS.items()}
    evaluation.refresh_from_db()
    change = evaluation.history.latest().history_change_reason
    assert "above 0.10, saved with the reason: Board mandate: <security> first" in change
    weight_reasons = {
        r.history_change_reason
        for r in EvaluationWeight.history.filter(evaluation=evaluation, history_type="~")
    }
    assert weight_reasons == {"Derived by AHP"}

    history = analyst_client.get(reverse("scoring:history", args=[evaluation.pk]))
    assert escape(reason) in history.text
    assert reason not in history.text  # escaped


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({COST_VS_SECURITY: "11"}, COST_VS_SECURITY, "Saaty's scale, from -8 to 8"),
        ({COST_VS_SECURITY: "-9"}, COST_VS_SECURITY, "Saaty's scale, from -8 to 8"),
        ({COST_VS_SECURITY: "three"}, COST_VS_SECURITY, "Saaty's scale, from -8 to 8"),
        ({COST_VS_SECURITY: ""}, COST_VS_SECURITY, "Judge Cost (TCO) vs Data security."),
        ({"data_security__vs__cost": "2"}, "__all__", "not a pair of this evaluation"),
        ({"cost__vs__nonsense": "2"}, "__all__", "not a pair of this evaluation"),
    ],
)
def test_bad_input_is_a_field_error_and_writes_nothing(
    analyst_client, evaluation, changes, field, message
):
    response = post(analyst_client, evaluation, changes=changes)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert weights_of(evaluation)["cost"] == Decimal("25.00")
    assert not AhpJudgement.objects.filter(evaluation=evaluation).exists()


def test_a_stale_page_is_refused(analyst_client, evaluation):
    response = post(analyst_client, evaluation, changes={"version": 7})

    assert "changed by someone else" in response.text
    assert not AhpJudgement.objects.filter(evaluation=evaluation).exists()


def test_a_frozen_evaluation_refuses_and_shows_disabled_sliders(
    analyst_client, manager_client, analyst
):
    evaluation = EvaluationFactory(owner=analyst, status=Evaluation.Status.IN_REVIEW)

    assert post(analyst_client, evaluation).status_code == 403
    assert not AhpJudgement.objects.filter(evaluation=evaluation).exists()
    page = manager_client.get(ahp_url(evaluation))
    assert page.status_code == 200
    assert page.text.count('type="range"') == page.text.count(" disabled>") == 45
    assert "Save these weights" not in page.text


def test_the_page_costs_the_same_queries_with_or_without_saved_judgements(
    analyst_client, evaluation, django_assert_num_queries
):
    with django_assert_num_queries(6):
        analyst_client.get(ahp_url(evaluation))
    post(analyst_client, evaluation, changes={COST_VS_SECURITY: 3})
    evaluation.refresh_from_db()
    with django_assert_num_queries(6):
        response = analyst_client.get(ahp_url(evaluation))
    assert response.context["start"].saved
