"""Submitting for approval needs a rationale: refused when blank or too long, kept in the
history, and shown to the manager with a summary of the decision."""

import pytest
from django.urls import reverse

from scoring.models import Evaluation
from scoring.selectors import evaluation_result
from scoring.services import ApprovalError, evaluation_submit
from tests.factories import rankable_evaluation


@pytest.fixture
def evaluation(analyst):
    return rankable_evaluation(owner=analyst)


@pytest.mark.parametrize("rationale", ["", "   \n "])
def test_submit_without_a_rationale_is_refused_naming_the_field(
    analyst_client, evaluation, rationale
):
    response = analyst_client.post(
        reverse("scoring:submit", args=[evaluation.pk]), {"rationale": rationale}, follow=True
    )

    assert "Rationale: write why the managers should approve" in response.content.decode()
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.version, evaluation.submit_rationale) == (
        Evaluation.Status.DRAFT,
        1,
        "",
    )


def test_a_rationale_too_long_is_refused_with_its_length(analyst, evaluation):
    with pytest.raises(ApprovalError, match="Rationale: keep it to 2,000 characters"):
        evaluation_submit(evaluation=evaluation, user=analyst, rationale="x" * 2001)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT


def test_the_rationale_is_in_the_history(analyst, analyst_client, evaluation):
    evaluation_submit(evaluation=evaluation, user=analyst, rationale="Cheapest <b>and</b> best.")

    html = analyst_client.get(reverse("scoring:history", args=[evaluation.pk])).content.decode()

    assert "Rationale for approval" in html
    assert "Cheapest &lt;b&gt;and&lt;/b&gt; best." in html


def test_the_manager_sees_the_rationale_and_a_summary_beside_the_decision(
    analyst, manager_client, evaluation
):
    evaluation_submit(
        evaluation=evaluation, user=analyst, rationale="Alpha <i>wins</i> on quality."
    )

    html = manager_client.get(
        reverse("scoring:evaluation_detail", args=[evaluation.pk])
    ).content.decode()

    assert "Alpha &lt;i&gt;wins&lt;/i&gt; on quality." in html
    summary = html[html.index('data-testid="approval-summary"') :]
    summary = summary[: summary.index("</dl>")]
    leader = evaluation_result(evaluation).ranking[0]
    assert leader.name in summary
    assert "Its TCO" in summary
    assert "Open points" in summary
    assert 'name="comment"' in html
