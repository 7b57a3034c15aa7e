"""score_save service, the scoring grid and the team view: roles, saving cells, queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring import services
from scoring.models import Candidate, Criterion, Evaluation, Score
from tests.factories import (
    AnalystFactory,
    CandidateFactory,
    EvaluationFactory,
    ScoreFactory,
    VendorFactory,
    open_scores,
    scored_evaluation,
)

pytestmark = pytest.mark.django_db


def _criterion(key="expertise"):
    return Criterion.objects.get(key=key)


@pytest.fixture
def evaluation(analyst):
    return scored_evaluation(2, owner=analyst)


@pytest.fixture
def vendor(evaluation):
    return Candidate.objects.filter(evaluation=evaluation).order_by("vendor__name")[0].vendor


def _cell(evaluation, vendor, evaluator, key="expertise"):
    return Score.objects.filter(
        evaluation=evaluation, vendor=vendor, evaluator=evaluator, criterion__key=key
    )


# --------------------------------------------------------------------------- score_save service


def test_it_updates_the_evaluators_existing_cell_in_place(evaluation, vendor, analyst):
    before = _cell(evaluation, vendor, analyst).get()

    score = services.score_save(
        evaluation=evaluation,
        evaluator=analyst,
        vendor=vendor,
        criterion=_criterion(),
        value=Decimal("6.5"),
        comment=" Good trainers ",
    )

    assert score.pk == before.pk
    stored = _cell(evaluation, vendor, analyst).get()
    assert (stored.value, stored.comment) == (Decimal("6.50"), "Good trainers")


def test_it_creates_a_cell_for_a_new_evaluator(evaluation, vendor):
    colleague = AnalystFactory()
    evaluation.team.add(colleague)

    services.score_save(
        evaluation=evaluation,
        evaluator=colleague,
        vendor=vendor,
        criterion=_criterion(),
        value="9",
    )

    assert _cell(evaluation, vendor, colleague).get().value == Decimal("9")
    assert (
        Score.objects.filter(
            evaluation=evaluation, vendor=vendor, criterion__key="expertise"
        ).count()
        == 2
    )


def test_an_empty_value_deletes_only_the_evaluators_own_cell(evaluation, vendor, analyst):
    colleague = AnalystFactory()
    ScoreFactory(evaluation=evaluation, vendor=vendor, evaluator=colleague, value=Decimal("3"))

    result = services.score_save(
        evaluation=evaluation, evaluator=analyst, vendor=vendor, criterion=_criterion(), value=""
    )

    assert result is None
    assert not _cell(evaluation, vendor, analyst).exists()
    assert _cell(evaluation, vendor, colleague).get().value == Decimal("3")


@pytest.mark.parametrize("value", ["10.5", "-1", "abc", "7.125"])
def test_it_refuses_a_score_outside_0_to_10_naming_the_cell(evaluation, vendor, analyst, value):
    with pytest.raises(services.ScoreError) as error:
        services.score_save(
            evaluation=evaluation,
            evaluator=analyst,
            vendor=vendor,
            criterion=_criterion(),
            value=value,
        )

    assert f"Score for {vendor.name} on Expertise & know-how" in str(error.value)
    assert _cell(evaluation, vendor, analyst).get().value == Decimal("8")


def test_it_refuses_a_vendor_that_does_not_compete(evaluation, vendor, analyst):
    Candidate.objects.filter(evaluation=evaluation, vendor=vendor).update(
        excluded_reason="Too small"
    )

    with pytest.raises(services.ScoreError, match="does not compete"):
        services.score_save(
            evaluation=evaluation,
            evaluator=analyst,
            vendor=vendor,
            criterion=_criterion(),
            value="5",
        )
    assert _cell(evaluation, vendor, analyst).get().value == Decimal("8")


def test_it_refuses_the_computed_cost_criterion(evaluation, vendor, analyst):
    with pytest.raises(services.ScoreError, match="computed from the quotes"):
        services.score_save(
            evaluation=evaluation,
            evaluator=analyst,
            vendor=vendor,
            criterion=_criterion("cost"),
            value="5",
        )
    assert not Score.objects.filter(criterion__key="cost").exists()


def test_it_refuses_scores_once_the_evaluation_is_in_review(evaluation, vendor, analyst):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)

    with pytest.raises(services.ScoreError, match="in review"):
        services.score_save(
            evaluation=evaluation,
            evaluator=analyst,
            vendor=vendor,
            criterion=_criterion(),
            value="5",
        )
    assert _cell(evaluation, vendor, analyst).get().value == Decimal("8")


# --------------------------------------------------------------------------- views: roles


def _urls(evaluation):
    return [
        reverse("scoring:score_grid", args=[evaluation.pk]),
        reverse("scoring:score_team", args=[evaluation.pk]),
    ]


def test_anonymous_users_are_sent_to_log_in(client, evaluation):
    for url in [*_urls(evaluation), reverse("scoring:score_save", args=[evaluation.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/login/")


def test_another_teams_analyst_gets_404_everywhere(client, evaluation, vendor):
    client.force_login(AnalystFactory())

    for url in _urls(evaluation):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("scoring:score_save", args=[evaluation.pk]),
        {"vendor": vendor.pk, "criterion": _criterion().pk, "value": "1"},
    )
    assert response.status_code == 404
    assert not Score.objects.filter(value=1).exists()


def test_a_manager_reads_the_grid_and_team_view_but_cannot_save(manager_client, evaluation, vendor):
    for url in _urls(evaluation):
        assert manager_client.get(url).status_code == 200

    response = manager_client.post(
        reverse("scoring:score_save", args=[evaluation.pk]),
        {"vendor": vendor.pk, "criterion": _criterion().pk, "value": "1"},
    )

    assert response.status_code == 403
    assert not Score.objects.filter(value=1).exists()


def test_saving_is_refused_once_approved(analyst_client, evaluation, vendor, analyst):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.APPROVED)

    response = analyst_client.post(
        reverse("scoring:score_save", args=[evaluation.pk]),
        {"vendor": vendor.pk, "criterion": _criterion().pk, "value": "1"},
    )

    assert response.status_code == 403
    assert _cell(evaluation, vendor, analyst).get().value == Decimal("8")


def test_score_save_is_post_only(analyst_client, evaluation):
    response = analyst_client.get(reverse("scoring:score_save", args=[evaluation.pk]))

    assert response.status_code == 405


# --------------------------------------------------------------------------- views: behaviour


def test_the_grid_has_a_labelled_input_per_cell_with_the_users_score(
    analyst_client, evaluation, vendor
):
    response = analyst_client.get(reverse("scoring:score_grid", args=[evaluation.pk]))

    html = response.content.decode()
    assert f'aria-label="Score for {vendor.name} on Expertise &amp; know-how"' in html
    assert html.count('type="number"') == 2 * Criterion.objects.filter(source="manual").count()
    assert 'hx-trigger="change"' in html
    assert "<form" not in html.split('id="score-grid"')[1]  # Enter never submits a whole grid


def test_the_grid_is_read_only_once_approved(analyst_client, evaluation):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.APPROVED)

    response = analyst_client.get(reverse("scoring:score_grid", args=[evaluation.pk]))

    assert 'type="number"' not in response.content.decode()
    assert "read-only" in response.content.decode()


def test_saving_a_cell_returns_the_cell_marked_saved(analyst_client, evaluation, vendor, analyst):
    response = analyst_client.post(
        reverse("scoring:score_save", args=[evaluation.pk]),
        {"vendor": vendor.pk, "criterion": _criterion().pk, "value": "7.5", "comment": "Solid"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="cell-{vendor.pk}-{_criterion().pk}"' in html
    assert "Saved" in html and 'value="7.50"' in html
    stored = _cell(evaluation, vendor, analyst).get()
    assert (stored.value, stored.comment) == (Decimal("7.50"), "Solid")


def test_a_bad_score_comes_back_as_an_error_naming_the_cell(
    analyst_client, evaluation, vendor, analyst
):
    response = analyst_client.post(
        reverse("scoring:score_save", args=[evaluation.pk]),
        {"vendor": vendor.pk, "criterion": _criterion().pk, "value": "11"},
    )

    html = response.content.decode()
    assert f"Score for {vendor.name} on Expertise &amp; know-how must be between 0 and 10" in html
    assert 'aria-invalid="true"' in html and 'value="11"' in html
    assert _cell(evaluation, vendor, analyst).get().value == Decimal("8")


def test_the_team_view_flags_disagreement_unscored_cells_and_progress(analyst_client, analyst):
    evaluation = scored_evaluation(2, evaluators=2, owner=analyst)
    colleague = evaluation.team.get()
    first, second = [
        c.vendor for c in Candidate.objects.filter(evaluation=evaluation).order_by("vendor__name")
    ]
    _cell(evaluation, first, colleague).update(value=Decimal("2"))  # owner 8: spread 6
    Score.objects.filter(vendor=second, criterion__key="risk").delete()
    open_scores(evaluation)

    response = analyst_client.get(reverse("scoring:score_team", args=[evaluation.pk]))

    html = response.content.decode()
    assert html.count("table-warning") == 1
    assert "spread 6.0" in html
    assert html.count("team-cell table-danger") == 1
    assert f"{analyst.get_full_name()}: 17 of 18 cells" in html
    assert f"{colleague.get_full_name()}: 17 of 18 cells" in html


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize("url_name", ["scoring:score_grid", "scoring:score_team"])
def test_page_queries_do_not_grow_with_candidates(analyst_client, analyst, url_name):
    small = scored_evaluation(5, evaluators=2, owner=analyst)
    large = scored_evaluation(50, evaluators=2, owner=analyst)
    analyst_client.get(reverse(url_name, args=[small.pk]))  # warm the session and caches

    with CaptureQueriesContext(connection) as few:
        assert analyst_client.get(reverse(url_name, args=[small.pk])).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert analyst_client.get(reverse(url_name, args=[large.pk])).status_code == 200

    # 30: decision_inputs reads share bounds, per-model prices, the FX history, SLA standing and
    # the RFP-evidenced certificates too.
    assert len(few) == len(many) <= 30


def test_a_candidate_added_later_gets_an_empty_cell(analyst_client, evaluation):
    newcomer = CandidateFactory(evaluation=evaluation).vendor

    response = analyst_client.get(reverse("scoring:score_grid", args=[evaluation.pk]))

    assert f'id="score-{newcomer.pk}-{_criterion().pk}"' in response.content.decode()


def test_a_draft_without_candidates_says_so(analyst_client, analyst):
    empty = EvaluationFactory(owner=analyst)

    response = analyst_client.get(reverse("scoring:score_grid", args=[empty.pk]))

    assert "No vendor competes yet" in response.content.decode()


def test_the_grid_sends_ids_beyond_999_without_a_thousands_separator(analyst_client, analyst):
    # PostgreSQL ids keep growing; "1,234" in hx-vals made every score save a 400.
    evaluation = EvaluationFactory(owner=analyst)
    vendor = VendorFactory(id=12345)
    CandidateFactory(evaluation=evaluation, vendor=vendor)
    page = analyst_client.get(reverse("scoring:score_grid", args=[evaluation.pk])).content.decode()
    assert '"vendor": "12345"' in page
    assert "12,345" not in page
