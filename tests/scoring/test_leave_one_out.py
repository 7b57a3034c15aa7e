"""Leave-one-evaluator-out and consensus scores in the decision, pure (no database): every
sentence true in the empty, one-evaluator, none-changes and some-change cases."""

import dataclasses
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import facts
from scoring.decision import decide, groundwork
from scoring.leave_one_out import leave_one_out
from scoring.reports import summary
from scoring.reports.snapshot import from_snapshot, to_snapshot
from tests.scoring.test_decision import ALPHA, BETA, CRITERIA, full_scores, inputs, quote

QUOTES = [quote(1, 1000), quote(2, 1000)]  # equal costs: quality alone decides


SPEED = facts.CriterionInfo(3, "speed", "Speed", "", "benefit", "manual", 20)


def _decide(scores, **kwargs):
    return decide(inputs([ALPHA, BETA], quotes=QUOTES, scores=scores, **kwargs))


def _decide_with_speed(scores, team=("Bea",)):
    return _decide(scores, criteria=(*CRITERIA, SPEED), team=team)


def test_no_vendor_ranked_cannot_be_tested():
    result = leave_one_out(decide(inputs([ALPHA, BETA])))

    assert result.sentence == (
        "No vendor is ranked, so leaving out an evaluator's scores cannot be tested."
    )
    assert not result.testable


def test_one_evaluator_cannot_be_tested_and_names_them():
    scores = [(1, "quality", "Ana", 8), (2, "quality", "Ana", 6)]

    result = leave_one_out(_decide(scores, team=()))

    assert result.sentence == (
        "Only Ana has scored, so leaving out one evaluator's scores cannot be tested."
    )


def test_nobody_changes_the_winner_when_every_evaluator_ranks_alike():
    result = leave_one_out(_decide(full_scores((1, 8), (2, 6))))

    assert result.changers == []
    assert result.sentence == "Leaving out any one of the 2 evaluators' scores keeps Alpha first."


def test_the_evaluator_whose_scores_carry_the_winner_is_named_with_the_new_winner():
    # Ana: Alpha 9, Beta 5; Bea and Cy: Alpha 6, Beta 7. Means: Alpha 7.0, Beta 6.33.
    scores = [
        (1, "quality", "Ana", 9),
        (2, "quality", "Ana", 5),
        *[(1, "quality", who, 6) for who in ("Bea", "Cy")],
        *[(2, "quality", who, 7) for who in ("Bea", "Cy")],
    ]
    decision = _decide(scores, team=("Bea", "Cy"))
    assert decision.leader.name == "Alpha"

    result = leave_one_out(decision)

    assert [r.evaluator for r in result.changers] == ["Ana"]
    assert result.sentence == (
        "Leaving out one evaluator's scores changes the winner: without Ana's scores Beta "
        "would be first."
    )


def test_a_vendor_only_one_evaluator_scored_is_unranked_without_them():
    scores = [*full_scores((1, 8)), (2, "quality", "Ana", 6)]
    decision = _decide(scores)
    assert decision.leader.name == "Alpha"

    result = leave_one_out(decision)

    assert result.changers == []  # without Ana, Beta is unranked and Alpha still leads
    scores = [(1, "quality", "Ana", 8), *full_scores((2, 6))]
    result = leave_one_out(_decide(scores))
    assert result.sentence == (
        "Leaving out one evaluator's scores changes the winner: without Ana's scores Beta "
        "would be first."
    )


def test_blind_inputs_say_the_test_needs_the_team_scores():
    decision = decide(
        dataclasses.replace(
            inputs([ALPHA, BETA], quotes=QUOTES, scores=[(1, "quality", "Ana", 8)]), blind=True
        )
    )

    result = leave_one_out(decision)

    assert "cannot be tested while the team's scores are hidden from you" in result.sentence
    assert any(
        w.startswith("Blind scoring: these results use only your own") for w in decision.warnings
    )
    assert not any("fewer evaluators" in w for w in decision.warnings)
    assert decision.unranked[2] == ("Service quality: you have not scored it",)


def _agreed(vendor_id, value, rationale="Site visit settled it"):
    return facts.ConsensusEntry(vendor_id, "quality", Decimal(value), rationale, "Ana")


def test_a_consensus_replaces_the_mean_and_resolves_the_disagreement():
    scores = [(1, "quality", "Ana", 9), (1, "quality", "Bea", 3), *full_scores((2, 7))]
    base = inputs([ALPHA, BETA], quotes=QUOTES, scores=scores)
    before = decide(base)
    assert before.leader.name == "Beta"  # Alpha's mean 6.0 < 7.0
    assert any("disagree by 3 points or more and no consensus" in w for w in before.warnings)

    after = decide(dataclasses.replace(base, consensus=(_agreed(1, 8),)))

    cell = after.score_stats[1, "quality"]
    assert (cell.mean, cell.consensus, cell.value, cell.disagreement) == (6.0, 8.0, 8.0, True)
    assert after.leader.name == "Alpha"
    assert not any("disagree" in w for w in after.warnings)
    assert summary.cell_text(cell) == "8.0 (consensus; mean 6.0, n=2)"
    # Kept when frozen, and old snapshots without consensus still load.
    assert from_snapshot(to_snapshot(after)).score_stats[1, "quality"].rationale == (
        "Site visit settled it"
    )
    data = to_snapshot(before)
    del data["inputs"]["consensus"]
    assert from_snapshot(data).inputs.consensus == ()


def test_a_cell_scored_by_fewer_than_the_team_warns_unless_a_consensus_covers_it():
    scores = [(1, "quality", "Ana", 8), *full_scores((2, 6))]
    base = inputs([ALPHA, BETA], quotes=QUOTES, scores=scores)

    assert any(
        "1 ranked score rests on fewer evaluators than the team of 2" in w
        for w in decide(base).warnings
    )
    covered = decide(dataclasses.replace(base, consensus=(_agreed(1, 8),)))
    assert not any("fewer evaluators" in w for w in covered.warnings)


def test_everyone_scored_and_one_evaluator_teams_have_no_fewer_scorers_warning():
    assert not any("fewer" in w for w in _decide(full_scores((1, 8), (2, 6))).warnings)
    alone = [(1, "quality", "Ana", 8), (2, "quality", "Ana", 6)]
    assert not any("fewer" in w for w in _decide(alone, team=()).warnings)


def test_consensus_stays_when_an_evaluator_is_left_out():
    # Without Bea, Alpha's mean would be 9 > Beta's 7, but the consensus 5 keeps Beta first.
    scores = [(1, "quality", "Ana", 9), (1, "quality", "Bea", 3), *full_scores((2, 7))]
    base = inputs([ALPHA, BETA], quotes=QUOTES, scores=scores, team=("Bea",))
    decision = decide(dataclasses.replace(base, consensus=(_agreed(1, 5),)))

    assert leave_one_out(decision).sentence == (
        "Leaving out any one of the 2 evaluators' scores keeps Beta first."
    )


def test_leaving_out_the_only_scorer_of_a_cell_can_leave_no_vendor_ranked():
    # Bea scored speed only; without Ana nobody has scored quality, so no vendor can be ranked.
    scores = [
        (1, "quality", "Ana", 8),
        (2, "quality", "Ana", 6),
        *[(pk, "speed", who, 5) for pk in (1, 2) for who in ("Ana", "Bea")],
    ]
    decision = _decide_with_speed(scores)
    assert decision.leader.name == "Alpha"

    assert leave_one_out(decision).sentence == (
        "Leaving out Ana's scores would leave no vendor ranked, as they alone scored some cells; "
        "leaving out anyone else's keeps Alpha first."
    )


def test_a_new_winner_and_an_unrankable_decision_are_told_apart():
    # Ana alone scored speed (equal for both); quality: Bea Alpha 9 / Beta 3, Cy Alpha 5 / Beta 6.
    scores = [
        *[(pk, "speed", "Ana", 5) for pk in (1, 2)],
        (1, "quality", "Bea", 9),
        (2, "quality", "Bea", 3),
        (1, "quality", "Cy", 5),
        (2, "quality", "Cy", 6),
    ]
    decision = _decide_with_speed(scores, team=("Bea", "Cy"))
    assert decision.leader.name == "Alpha"

    assert leave_one_out(decision).sentence == (
        "Leaving out one evaluator's scores changes the winner: without Bea's scores Beta would "
        "be first; leaving out Ana's scores would leave no vendor ranked, as they alone scored "
        "some cells."
    )


def test_everyone_who_alone_scored_a_cell_is_named_once_without_a_claim_of_a_new_winner():
    scores = [
        *[(pk, "quality", "Ana", 8 - pk) for pk in (1, 2)],
        *[(pk, "speed", "Bea", 5 + pk) for pk in (1, 2)],
    ]
    decision = _decide_with_speed(scores)
    assert decision.leader is not None

    sentence = leave_one_out(decision).sentence

    assert sentence == (
        "Leaving out Ana's or Bea's scores would leave no vendor ranked, as each alone scored "
        "some cells."
    )
    assert "changes the winner" not in sentence


def test_the_groundwork_shared_by_other_scores_gives_the_decision_worked_out_afresh():
    # Leave-one-out passes one groundwork to every re-decision: it must not carry the scores.
    first = inputs([ALPHA, BETA], quotes=[quote(1, 900), quote(2, 1000)], scores=[])
    scored = dataclasses.replace(
        first, scores=inputs([ALPHA, BETA], scores=full_scores((1, 9), (2, 4))).scores
    )

    shared = decide(scored, ground=groundwork(first))

    assert shared == decide(scored)
    assert shared.leader.name == ALPHA.name


SCORED = st.lists(
    st.tuples(
        st.sampled_from([1, 2]),
        st.sampled_from(["Ana", "Bea", "Cy"]),
        # Tenths too: a mean left out must be summed exactly as deciding afresh sums it.
        st.integers(0, 100).map(lambda tenths: f"{tenths / 10:.1f}"),
    ),
    unique_by=lambda t: (t[0], t[1]),
)


@settings(max_examples=150, deadline=None)
@given(
    scored=SCORED,
    prices=st.tuples(st.integers(800, 1200), st.integers(800, 1200)),
    agreed=st.none() | st.tuples(st.sampled_from([1, 2]), st.integers(0, 10)),
    method=st.sampled_from(["wsm", "topsis"]),
    quality=st.integers(0, 100),
)
def test_leave_one_out_names_the_leader_deciding_again_would_rank_first(
    scored, prices, agreed, method, quality
):
    # The fast leader (no rows, draws or sentences) against the whole decision, taken afresh.
    base = inputs(
        [ALPHA, BETA],
        quotes=[quote(1, prices[0]), quote(2, prices[1])],
        scores=[(pk, "quality", who, value) for pk, who, value in scored],
        method=method,
    )
    if agreed:
        base = dataclasses.replace(base, consensus=(_agreed(*agreed),))
    weights = {"quality": quality, "cost": 100 - quality}
    decision = decide(base, weights=weights, sensitivity=False)

    result = leave_one_out(decision)

    for left in result.results:
        kept = tuple(s for s in base.scores if s.evaluator != left.evaluator)
        again = decide(dataclasses.replace(base, scores=kept), weights=weights, sensitivity=False)
        assert left.leader == (again.leader.name if again.leader else "")
