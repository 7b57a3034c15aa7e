"""Criterion weights: direct percentages (AHP: test_ahp_page.py), and who may change them."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from scoring.models import Criterion, Evaluation
from scoring.services import SetupError, rounded_percentages
from tests.factories import WEIGHT_PERCENTS, AnalystFactory, EvaluationFactory

pytestmark = pytest.mark.django_db

PERCENTS = WEIGHT_PERCENTS


def weights_of(evaluation):
    return dict(evaluation.weights.values_list("criterion__key", "weight"))


def post_weights(client, evaluation, version=None, **changes):
    data = {"version": evaluation.version if version is None else version, **PERCENTS, **changes}
    return client.post(reverse("scoring:weights", args=[evaluation.pk]), data)


def test_the_weights_page_shows_each_criterion_and_the_total(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    response = analyst_client.get(reverse("scoring:weights", args=[evaluation.pk]))
    for criterion in Criterion.objects.exclude(key="hours_overlap"):
        assert (
            f'<label for="id_{criterion.key}" class="fw-semibold">{escape(criterion.name)}</label>'
            in response.text
        )
    assert 'src="/static/js/weights.js"' in response.text
    assert response.context["total"] == Decimal("100.00")  # 10 x 10.00 from the factory


def test_an_analyst_saves_weights_summing_to_100(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)

    response = post_weights(analyst_client, evaluation)

    assert response.status_code == 302
    assert weights_of(evaluation)["cost"] == Decimal("25.00")
    assert sum(weights_of(evaluation).values()) == 100
    evaluation.refresh_from_db()
    assert evaluation.version == 2


def test_weights_not_summing_to_100_are_refused_naming_the_total(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)

    response = post_weights(analyst_client, evaluation, cost="22.5")

    assert response.status_code == 200
    assert "they add up to 97.50% (2.50 short)" in response.text
    assert response.context["gap_text"] == "2.50 short of 100"
    assert weights_of(evaluation)["cost"] == Decimal("10.00")
    evaluation.refresh_from_db()
    assert evaluation.version == 1


def test_a_negative_weight_is_refused_on_its_field(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)

    response = post_weights(analyst_client, evaluation, cost="-5", expertise="45")

    assert "cost" in response.context["form"].errors
    assert weights_of(evaluation)["cost"] == Decimal("10.00")


def test_a_stale_weights_save_is_refused(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    Evaluation.objects.filter(pk=evaluation.pk).update(version=2)

    response = post_weights(analyst_client, evaluation, version=1)

    assert "changed by someone else since you opened it (now version 2)" in response.text
    assert weights_of(evaluation)["cost"] == Decimal("10.00")


def test_weights_post_ignores_other_fields(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)

    post_weights(analyst_client, evaluation, status="approved", owner=AnalystFactory().pk)

    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.owner) == ("draft", analyst)


def ahp_data(evaluation, action="save"):
    """Every pair judged equal (sliders in the middle); the AHP page's own tests are in
    test_ahp_page.py."""
    keys = list(Criterion.objects.values_list("key", flat=True))
    data = {"version": evaluation.version, "action": action}
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            data[f"{a}__vs__{b}"] = "0"
    return data


def test_rounded_percentages_always_sum_to_exactly_100():
    shares = {"a": 1.0, "b": 1.0, "c": 1.0}
    assert rounded_percentages(shares) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }
    with pytest.raises(SetupError):
        rounded_percentages({"a": 0.0})


SCREENS = [
    ("scoring:weights", lambda e: {"version": e.version, **PERCENTS}),
    ("scoring:weights_ahp", ahp_data),
]


@pytest.mark.parametrize(("name", "data"), SCREENS)
def test_another_teams_analyst_gets_404(client, name, data):
    evaluation = EvaluationFactory()
    client.force_login(AnalystFactory())
    url = reverse(name, args=[evaluation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, data(evaluation)).status_code == 404


@pytest.mark.parametrize(("name", "data"), SCREENS)
def test_a_manager_reads_but_cannot_post(manager_client, name, data):
    evaluation = EvaluationFactory()
    url = reverse(name, args=[evaluation.pk])

    assert manager_client.get(url).status_code == 200
    assert manager_client.post(url, data(evaluation)).status_code == 403
    assert weights_of(evaluation)["cost"] == Decimal("10.00")


@pytest.mark.parametrize(("name", "data"), SCREENS)
def test_an_approved_evaluation_cannot_change(analyst_client, analyst, name, data):
    evaluation = EvaluationFactory(owner=analyst, status=Evaluation.Status.APPROVED)

    response = analyst_client.post(reverse(name, args=[evaluation.pk]), data(evaluation))

    assert response.status_code == 403
    assert weights_of(evaluation)["cost"] == Decimal("10.00")


@pytest.mark.parametrize(("name", "data"), SCREENS)
def test_anonymous_users_are_sent_to_log_in(client, name, data):
    response = client.get(reverse(name, args=[EvaluationFactory().pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
