"""Blind team scoring: sheets, opening the scores, consensus with a rationale; what each role sees
on the grid, the team view, the ranking, the exports and the history before and after."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from scoring import services
from scoring.models import Candidate, Consensus, Criterion, Evaluation, Score, ScoreSheet
from tests.factories import (
    VendorCertificationFactory,
    certification,
    open_scores,
    scored_evaluation,
)

pytestmark = pytest.mark.django_db
SECRET = "colleague-only-remark"


@pytest.fixture
def evaluation(analyst):
    """Two vendors scored by the owner (8, 7) and a colleague, who gives the first vendor 2 on
    expertise (a disagreement of 6) with a comment."""
    evaluation = scored_evaluation(2, evaluators=2, owner=analyst)
    services.score_save(  # through the service, so the history records it too
        evaluation=evaluation,
        evaluator=_colleague(evaluation),
        vendor=_vendors(evaluation)[0],
        criterion=Criterion.objects.get(key="expertise"),
        value="2",
        comment=SECRET,
    )
    return evaluation


def _colleague(evaluation):
    return evaluation.team.get()


def _vendors(evaluation):
    return [
        c.vendor for c in Candidate.objects.filter(evaluation=evaluation).order_by("vendor__name")
    ]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client, name, evaluation, **kwargs) -> str:
    response = client.get(reverse(name, args=[evaluation.pk]), **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def _scores_csv(client, evaluation) -> list[list[str]]:
    url = reverse("scoring:export", kwargs={"pk": evaluation.pk, "kind": "scores", "fmt": "csv"})
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    return rows[1 : rows.index([])]


def _compare(client, evaluation) -> str:
    ids = [v.pk for v in _vendors(evaluation)]
    return _get(client, "scoring:compare", evaluation, data={"vendor": ids})


def _sees_colleague(client, evaluation) -> dict[str, bool]:
    """Where the colleague's scores show for ``client``'s user."""
    name = _colleague(evaluation).get_full_name()
    return {
        "team view": SECRET in _get(client, "scoring:score_team", evaluation),
        "export": any(row[2] == name for row in _scores_csv(client, evaluation)),
        "history": SECRET in _get(client, "scoring:history", evaluation),
        "ranking": "Blind scoring" not in _get(client, "scoring:ranking", evaluation),
        "compare": "2–8, n=2" in _compare(client, evaluation),
    }


NOWHERE = dict.fromkeys(["team view", "export", "history", "ranking", "compare"], False)
EVERYWHERE = dict.fromkeys(NOWHERE, True)


def test_an_evaluator_sees_only_their_own_scores_until_they_submit_their_sheet(evaluation):
    owner = _client(evaluation.owner)
    assert _sees_colleague(owner, evaluation) == NOWHERE
    ranking = _get(owner, "scoring:ranking", evaluation)
    assert "these results use only your own scores" in ranking
    assert "cannot be tested while the team&#x27;s scores are hidden from you" in ranking

    response = owner.post(reverse("scoring:sheet_submit", args=[evaluation.pk]), {"next": "team"})

    assert response.status_code == 302
    assert ScoreSheet.objects.get(evaluation=evaluation, evaluator=evaluation.owner).submitted_at
    assert _sees_colleague(owner, evaluation) == EVERYWHERE


def test_the_second_analyst_cannot_see_the_first_before_submitting_and_can_after(evaluation):
    colleague = _client(_colleague(evaluation))
    owner_name = evaluation.owner.get_full_name()
    Score.objects.filter(evaluation=evaluation, evaluator=evaluation.owner).update(
        comment="owner-note"
    )

    assert "owner-note" not in _get(colleague, "scoring:score_team", evaluation)
    assert owner_name not in {row[2] for row in _scores_csv(colleague, evaluation)}

    services.sheet_submit(evaluation=evaluation, evaluator=_colleague(evaluation))

    team = _get(colleague, "scoring:score_team", evaluation)
    assert "owner-note" in team and owner_name in team
    assert owner_name in {row[2] for row in _scores_csv(colleague, evaluation)}


def test_a_manager_sees_no_scores_of_a_draft_and_all_once_submitted_for_review(
    evaluation, manager_client
):
    assert _sees_colleague(manager_client, evaluation) == NOWHERE
    assert _scores_csv(manager_client, evaluation) == []

    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)

    assert _sees_colleague(manager_client, evaluation) == EVERYWHERE


def test_the_owner_opens_the_scores_to_everyone_and_only_the_owner(evaluation):
    colleague = _client(_colleague(evaluation))
    url = reverse("scoring:scores_open", args=[evaluation.pk])

    assert colleague.post(url).status_code == 403
    assert _client(evaluation.owner).post(url).status_code == 302

    evaluation.refresh_from_db()
    assert evaluation.scores_opened_at is not None
    assert _sees_colleague(colleague, evaluation) == EVERYWHERE
    assert "Opened the scores to everyone" in _get(colleague, "scoring:history", evaluation)


def test_a_submitted_sheet_locks_the_scores_until_it_is_reopened(evaluation, analyst):
    vendor, expertise = _vendors(evaluation)[0], Criterion.objects.get(key="expertise")
    services.sheet_submit(evaluation=evaluation, evaluator=analyst)
    cell = {
        "evaluation": evaluation,
        "evaluator": analyst,
        "vendor": vendor,
        "criterion": expertise,
    }

    with pytest.raises(services.ScoreError, match="reopen it to change your scores"):
        services.score_save(**cell, value="3")
    with pytest.raises(services.TeamError, match="already submitted"):
        services.sheet_submit(evaluation=evaluation, evaluator=analyst)

    services.sheet_reopen(evaluation=evaluation, evaluator=analyst)
    assert services.score_save(**cell, value="3").value == Decimal(3)
    grid = _get(_client(analyst), "scoring:score_grid", evaluation)
    assert "Submit my sheet" in grid
    assert ScoreSheet.history.filter(evaluator=analyst).count() == 3  # created, submitted, reopened


def test_a_manager_has_no_sheet_to_submit(evaluation, manager):
    with pytest.raises(services.TeamError, match="owner and team have a score sheet"):
        services.sheet_submit(evaluation=evaluation, evaluator=manager)


def _consensus(client, evaluation, **data):
    vendor, expertise = _vendors(evaluation)[0], Criterion.objects.get(key="expertise")
    url = reverse("scoring:consensus_save", args=[evaluation.pk])
    return client.post(url, {"vendor": vendor.pk, "criterion": expertise.pk, **data}, follow=True)


def test_a_consensus_needs_open_scores_and_a_rationale(evaluation):
    owner = _client(evaluation.owner)

    blind = _consensus(owner, evaluation, value="6", rationale="Agreed")
    assert "Submit your sheet or open the scores first" in blind.content.decode()
    open_scores(evaluation)
    missing = _consensus(owner, evaluation, value="6", rationale="  ")
    assert "the rationale is required" in missing.content.decode()
    bad = _consensus(owner, evaluation, value="12", rationale="Agreed")
    assert "must be between 0 and 10" in bad.content.decode()
    assert not Consensus.objects.exists()
    assert (
        _consensus(
            _client(_colleague(evaluation)), evaluation, value="6", rationale="x"
        ).status_code
        == 403
    )


def test_the_owner_resolves_a_disagreement_by_consensus_and_the_decision_uses_it(evaluation):
    owner = _client(evaluation.owner)
    open_scores(evaluation)
    team = _get(owner, "scoring:score_team", evaluation)
    assert team.count("table-warning") == 1 and SECRET in team

    response = _consensus(owner, evaluation, value="6.5", rationale="Reference calls <b>agreed</b>")

    html = response.content.decode()
    assert "Consensus for" in html and "saved" in html
    assert "Reference calls &lt;b&gt;agreed&lt;/b&gt;" in html
    assert html.count("team-cell table-warning") == 0
    agreed = Consensus.objects.get()
    assert (agreed.value, agreed.decided_by) == (Decimal("6.5"), evaluation.owner)
    ranking = _get(owner, "scoring:ranking", evaluation)
    assert "no consensus is recorded" not in ranking
    rows = _scores_csv(owner, evaluation)
    assert [r[3] for r in rows if r[2].startswith("Consensus")] == ["6.50"]
    history = _get(owner, "scoring:history", evaluation)
    assert "Consensus" in history and "Reference calls" in history

    _consensus(owner, evaluation, value="", rationale="")  # keep the mean again
    assert not Consensus.objects.exists()
    assert "no consensus is recorded" in _get(owner, "scoring:ranking", evaluation)


def test_the_pdf_shows_consensus_rationale_and_the_leave_one_out_sentence(evaluation):
    from pypdf import PdfReader

    open_scores(evaluation)
    services.consensus_save(
        evaluation=evaluation,
        user=evaluation.owner,
        vendor=_vendors(evaluation)[0],
        criterion=Criterion.objects.get(key="expertise"),
        value="7",
        rationale="Site visit settled it",
    )
    response = _client(evaluation.owner).get(reverse("scoring:report_pdf", args=[evaluation.pk]))
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )

    assert "Site visit settled it" in text
    assert "resolved by consensus at 7.0" in text
    assert "evaluators' scores keeps" in text  # the owner and the colleague rank alike


# --------------------------------------------------------------------------- the grid


def test_the_grid_counts_progress_and_updates_it_after_each_save(evaluation, analyst):
    client = _client(analyst)
    grid = _get(client, "scoring:score_grid", evaluation)
    assert "18 of 18 cells scored" in grid

    vendor, expertise = _vendors(evaluation)[0], Criterion.objects.get(key="expertise")
    response = client.post(
        reverse("scoring:score_save", args=[evaluation.pk]),
        {"vendor": vendor.pk, "criterion": expertise.pk, "value": ""},
    )

    html = response.content.decode()
    assert 'id="grid-progress"' in html and 'hx-swap-oob="true"' in html
    assert "17 of 18 cells scored" in html


def test_the_grid_opens_comments_on_demand_so_each_cell_is_one_tab_stop(evaluation, analyst):
    grid = _get(_client(analyst), "scoring:score_grid", evaluation)

    cells = grid.count('name="value"')
    assert cells == 18
    assert grid.count('name="comment"') == cells
    assert grid.count('aria-label="Comment for') == cells
    # Comment fields start hidden and their buttons are out of the Tab order (Alt+C opens one).
    assert (
        grid.count(
            'placeholder="Comment"\n    class="form-control form-control-sm mt-1" value="" hidden'
        )
        == cells
    )
    assert grid.count('tabindex="-1"') == cells


def test_the_grid_shows_each_vendors_tco_and_certifications(evaluation, analyst):
    vendor = _vendors(evaluation)[0]
    VendorCertificationFactory(vendor=vendor, certification=certification("iso-27001"))

    grid = _get(_client(analyst), "scoring:score_grid", evaluation)

    assert certification("iso-27001").name in grid
    assert grid.count("TCO $") == 2
    assert "No certifications" in grid


def test_grid_and_team_view_queries_stay_flat(analyst, django_assert_num_queries):
    client = _client(analyst)
    small, large = (
        scored_evaluation(2, evaluators=2, owner=analyst),
        scored_evaluation(20, evaluators=2, owner=analyst),
    )
    for name in ("scoring:score_grid", "scoring:score_team"):
        for ev in (small, large):
            open_scores(ev)
        _get(client, name, small)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            _get(client, name, small)
        with django_assert_num_queries(len(few)):
            _get(client, name, large)
