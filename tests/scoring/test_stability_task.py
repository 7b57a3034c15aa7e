"""The sensitivity panel runs small problems' draws in the page; a large one's run on a worker
(progress, then the result), cached under the decision's content so repeat views are instant."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from background.models import TaskRun
from scoring import engine, stability
from scoring.decision import decide
from scoring.selectors import decision_inputs
from scoring.tasks import rank_stability
from tests.factories import rankable_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def evaluation(analyst):
    return rankable_evaluation(owner=analyst)


@pytest.fixture
def large(monkeypatch):
    """Every problem counts as large (three vendors x 2,000 draws is over a zero bound)."""
    monkeypatch.setattr(stability, "INLINE_LIMIT", 0)


@pytest.fixture
def draws(monkeypatch):
    """Counts the Monte-Carlo runs (the expensive part)."""
    calls = []
    real = engine.rank_stability

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "rank_stability", counting)
    return calls


def panel(client, evaluation, **params):
    return client.get(reverse("scoring:sensitivity", args=[evaluation.pk]), params)


def test_the_bound_is_alternatives_times_draws():
    assert stability.INLINE_LIMIT == 100_000  # 50 vendors at 2,000 draws; docs/operations.md


def test_a_small_problem_is_drawn_in_the_page(analyst_client, evaluation, draws):
    response = panel(analyst_client, evaluation)

    assert "Rank stability over 2,000 random weight draws" in response.content.decode()
    assert draws == [1] and not TaskRun.objects.exists()


def test_in_process_a_large_problem_runs_its_task_at_once_and_is_cached(
    analyst_client, evaluation, large, draws
):
    first = panel(analyst_client, evaluation).content.decode()
    again = panel(analyst_client, evaluation).content.decode()

    run = TaskRun.objects.get()
    assert (run.task_name, run.state) == ("scoring.rank_stability", TaskRun.State.SUCCEEDED)
    assert "Alpha BPO" in first and "Rank stability over 2,000" in first
    assert again == first
    assert draws == [1]  # the second view drew nothing


def test_with_a_broker_the_panel_shows_progress_then_the_result(
    analyst_client, evaluation, large, draws, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    waiting = panel(analyst_client, evaluation, w_cost="80").content.decode()
    polled = panel(analyst_client, evaluation, w_cost="80").content.decode()

    run = TaskRun.objects.get()
    url = reverse("scoring:sensitivity", args=[evaluation.pk]) + "?w_cost=80"
    assert run.state == TaskRun.State.QUEUED and run.kwargs["weights"] == {"cost": 80.0}
    assert f'hx-get="{url}"' in waiting and 'hx-target="#sensitivity-panel"' in waiting
    assert "3 ranked vendors × 2,000 random weight draws" in waiting
    assert "Waiting for a worker" in polled and draws == []  # no draws in the web, one run

    rank_stability.apply(args=[str(run.pk)])  # the worker
    done = panel(analyst_client, evaluation, w_cost="80").content.decode()

    assert TaskRun.objects.count() == 1 and draws == [1]
    inline = decide(decision_inputs(evaluation), weights={"cost": 80.0}, sensitivity=True)
    assert inline.stability[0].name in done
    assert f"{inline.stability[0].first_share * 100:.1f}" in done  # the same draws as inline


def test_the_ranking_page_runs_no_draws_for_a_large_problem_until_they_are_cached(
    analyst_client, evaluation, large, draws, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    ranking = reverse("scoring:ranking", args=[evaluation.pk])

    before = analyst_client.get(ranking).context["decision"]
    assert draws == []
    panel(analyst_client, evaluation)
    rank_stability.apply(args=[str(TaskRun.objects.get().pk)])
    after = analyst_client.get(ranking).context["decision"]
    assert draws == [1]  # the worker's only

    inline = decide(decision_inputs(evaluation), sensitivity=True)
    assert before.ranking[0].first_share is None and not before.stability
    assert after.ranking[0].first_share == inline.ranking[0].first_share
    assert after.stability == inline.stability


def test_a_failed_run_says_so_and_offers_to_try_again(
    analyst_client, evaluation, large, settings, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    panel(analyst_client, evaluation)
    run = TaskRun.objects.get()
    monkeypatch.setattr(stability, "compute", lambda *a, **k: 1 / 0)
    rank_stability.apply(args=[str(run.pk)])

    page = panel(analyst_client, evaluation).content.decode()

    assert "unexpected error and wrote nothing" in page
    assert reverse("background:retry", args=[run.pk]) in page
    assert TaskRun.objects.count() == 1


def test_a_large_problems_cost_risk_is_drawn_by_the_task_and_shown_from_the_cache(
    analyst_client, evaluation, large
):
    before = analyst_client.get(reverse("scoring:ranking", args=[evaluation.pk])).content.decode()
    panel(analyst_client, evaluation)  # in process: the task runs at once and caches
    after = analyst_client.get(reverse("scoring:ranking", args=[evaluation.pk])).content.decode()

    assert "it is not available here yet" in before
    assert "10,000 simulated futures" in after and "ranks first in" in after
