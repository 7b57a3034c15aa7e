"""A ranking seen before is not decided again: its draws and leave-one-out come from the cache
(keyed by the decision's content id), and a change to its inputs decides afresh."""

import pytest
from django.urls import reverse

from scoring.models import Score
from tests.factories import scored_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(analyst):
    return scored_evaluation(3, evaluators=3, owner=analyst)


@pytest.mark.parametrize("page", ["ranking", "what_if"])
def test_a_second_view_decides_once_and_shows_the_same(analyst_client, evaluation, decides, page):
    url = reverse(f"scoring:{page}", args=[evaluation.pk])
    first = analyst_client.get(url).content.decode()
    decided_first, decides_first = len(decides), list(decides)
    decides.clear()

    second = analyst_client.get(url).content.decode()

    assert decided_first >= 2 and True in decides_first  # the decision and its draws
    assert decides == [False]  # only the decision itself
    assert _ranked(second) == _ranked(first)


def test_a_changed_score_decides_again(analyst_client, evaluation, decides):
    url = reverse("scoring:ranking", args=[evaluation.pk])
    analyst_client.get(url)
    decides.clear()
    score = Score.objects.filter(evaluation=evaluation).first()
    score.value += 1
    score.save()

    analyst_client.get(url)

    assert decides == [False, True]  # the decision and, its inputs being new, its draws


def _ranked(content: str) -> str:
    """The ranked table and its sentences (the page around them holds a fresh CSRF token)."""
    start = content.find('id="ranking-results"')
    end = content.find('id="sensitivity-heading"')
    return content[max(start, 0) : end if end > 0 else None]
