"""Draws made once per decision: submitting for review draws them on a worker, and approval
freezes those instead of drawing again; with nothing cached it draws them itself, the same ones."""

import pytest
from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse

from scoring.models import Evaluation
from scoring.reports import build_snapshot
from scoring.services import evaluation_approve
from scoring.tasks import draw_for_review
from tests.factories import rankable_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(analyst):
    return rankable_evaluation(owner=analyst)


def submitted(client, evaluation):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("scoring:submit", args=[evaluation.pk]), {"rationale": "Best value."}
        )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.IN_REVIEW
    return evaluation


def drawn(frozen: dict) -> dict:
    return {key: frozen[key] for key in ("ranking", "sensitivity", "stability", "cost_risk")}


def test_submitting_draws_once_and_approval_freezes_those_draws(
    analyst_client, manager, evaluation, decides
):
    in_review = submitted(analyst_client, evaluation)
    # The submit's check (can it be ranked?) draws nothing; the task decides, then draws.
    assert decides == [False, False, True]
    decides.clear()

    approved = evaluation_approve(evaluation=in_review, manager=manager, comment="Go.")

    assert decides == [False]  # the decision only: its draws were ready
    cache.clear()
    drawn_again = build_snapshot(approved)
    assert drawn(approved.snapshot) == drawn(drawn_again)
    assert approved.snapshot["stability"] and approved.snapshot["cost_risk"]["lines"]


def test_approval_draws_itself_when_nothing_was_drawn(manager, evaluation, decides):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
    evaluation.refresh_from_db()

    approved = evaluation_approve(evaluation=evaluation, manager=manager, comment="Go.")

    assert decides == [False, True]
    assert approved.snapshot["stability"]


def test_the_task_draws_nothing_for_an_evaluation_no_longer_in_review(evaluation, decides):
    draw_for_review(evaluation.pk)  # a draft (sent back, say, before the worker got to it)

    assert decides == []


def test_a_manager_who_looked_at_the_ranking_approves_with_the_draws_it_showed(
    manager_client, manager, evaluation, decides
):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
    evaluation.refresh_from_db()
    assert manager_client.get(reverse("scoring:ranking", args=[evaluation.pk])).status_code == 200
    decides.clear()

    approved = evaluation_approve(evaluation=evaluation, manager=manager, comment="Go.")

    assert decides == [False]  # approving changes the workflow fields, not what is decided
    assert approved.snapshot["stability"]
