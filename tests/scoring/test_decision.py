"""scoring.decision and scoring.reports.summary, pure: every generated sentence true in each case.

No database: the inputs are built by hand, as decision_inputs would read them.
"""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from scoring import cost_risk, decision_risk, facts
from scoring.decision import Status, decide
from scoring.reports import summary
from scoring.reports.snapshot import content_id, decided_from_id, from_snapshot, to_snapshot
from vendors.templatetags.formatting import percent

TODAY = dt.date(2026, 6, 1)
CRITERIA = (
    facts.CriterionInfo(1, "quality", "Service quality", "", "benefit", "manual", 60),
    facts.CriterionInfo(2, "cost", "Cost", "", "cost", "cost", 40),
)


def vendor(pk, name, **kwargs):
    return facts.VendorInfo(pk, name, "IN", "India", "", "", None, None, (), True, **kwargs)


def quote(pk, price):
    return facts.QuoteInfo(
        pk,
        "Offshore",
        "per_fte_month",
        "Per FTE-month",
        Decimal(price),
        "EUR",
        Decimal(0),
        None,
        None,
        None,
        None,
        None,
        "",
    )


def inputs(
    vendors=(),
    *,
    excluded=None,
    quotes=(),
    scores=(),
    team=("Bea",),
    method="wsm",
    cap=None,
    criteria=CRITERIA,
):
    excluded = excluded or {}
    evaluation = facts.EvaluationFacts(
        id=1,
        title="Helpdesk",
        process="Technical support",
        owner="Ana",
        team=tuple(team),
        base_currency="EUR",
        volume=Decimal(10),
        volume_unit="fte",
        volume_label="FTEs",
        term_months=12,
        budget_cap=None if cap is None else Decimal(cap),
        method=method,
        method_label={"wsm": "Weighted sum", "topsis": "TOPSIS"}[method],
        status="draft",
        status_label="Draft",
        version=1,
        approver="",
        decided_at=None,
        decision_comment="",
        required_certifications=(),
        allowed_delivery_models=(),
    )
    return facts.DecisionInputs(
        evaluation=evaluation,
        criteria=criteria,
        vendors=tuple(vendors),
        candidates=tuple(facts.CandidateEntry(v.id, excluded.get(v.id, "")) for v in vendors),
        quotes=tuple(quotes),
        rates=(),
        scores=tuple(
            facts.ScoreEntry(pk, key, who, Decimal(value), "") for pk, key, who, value in scores
        ),
        today=TODAY,
        taken_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC),
    )


ALPHA, BETA, GAMMA = vendor(1, "Alpha"), vendor(2, "Beta"), vendor(3, "Gamma")


def full_scores(*pairs):
    """Both evaluators score every listed (vendor id, value)."""
    return [(pk, "quality", who, value) for pk, value in pairs for who in ("Ana", "Bea")]


def two_vendors(**kwargs):
    return inputs(
        [ALPHA, BETA],
        quotes=[quote(1, 1000), quote(2, 1200)],
        scores=full_scores((1, 8), (2, 6)),
        **kwargs,
    )


# ------------------------------------------------------------------------------ empty cases


def test_no_candidates_says_so_and_claims_nothing_about_rankings_or_agreement():
    decision = decide(inputs())

    assert decision.candidates == () and decision.ranking == ()
    assert summary.executive_summary(decision) == [
        "No vendor can be recommended yet: the evaluation has no candidates."
    ]
    assert summary.exclusions_sentence(decision) == "There are no candidates yet."
    assert summary.agreement_sentence(decision) == "Nobody has scored yet."
    assert decision.warnings == ("No candidates yet: add vendors on the Candidates tab.",)


def test_all_excluded_lists_each_vendor_once_with_the_analysts_reason():
    decision = decide(inputs([ALPHA, BETA], excluded={1: "Too small", 2: "Failed the visit"}))

    assert [(c.name, c.status, c.reasons) for c in decision.not_ranked] == [
        ("Alpha", Status.EXCLUDED, ("Too small",)),
        ("Beta", Status.EXCLUDED, ("Failed the visit",)),
    ]
    assert [c.label for c in decision.not_ranked] == ["Excluded by the analysts"] * 2
    assert summary.executive_summary(decision) == [
        "No vendor can be recommended: every candidate was excluded."
    ]
    assert summary.exclusions_sentence(decision) == ""  # the table lists them
    assert decision.warnings == ("No vendor competes: every candidate was excluded by hand.",)
    assert decision.cells == ()  # excluded vendors are not scored


def test_none_scored_leaves_everyone_unranked_and_says_nobody_scored():
    decision = decide(inputs([ALPHA, BETA], quotes=[quote(1, 1000), quote(2, 1200)]))

    assert decision.unranked == {
        1: ("Service quality: nobody has scored it",),
        2: ("Service quality: nobody has scored it",),
    }
    assert summary.executive_summary(decision) == [
        "No vendor can be recommended yet: the ranking needs complete scores and quotes."
    ]
    assert summary.agreement_sentence(decision) == "Nobody has scored yet."
    assert "2 vendors are not ranked: missing scores or quotes." in decision.warnings


def test_one_vendor_is_the_only_one_ranked_and_has_no_runner_up_or_sensitivity():
    decision = decide(inputs([ALPHA], quotes=[quote(1, 1000)], scores=full_scores((1, 7))))

    assert summary.executive_summary(decision) == [
        "We recommend Alpha for technical support: it is the only vendor that could be ranked, "
        "with a score of 1.000 out of 1 (Weighted sum)."
    ]
    assert decision.sensitivity == ()
    assert summary.exclusions_sentence(decision) == "Every candidate was ranked; none was excluded."
    assert summary.agreement_sentence(decision) == (
        "The evaluators agree within 3 points on every score."
    )


# ------------------------------------------------------------------------------ partial data


def test_a_cell_scored_by_one_of_two_evaluators_is_ranked_with_a_warning():
    scores = [*full_scores((1, 8)), (2, "quality", "Ana", 6)]
    decision = decide(inputs([ALPHA, BETA], quotes=[quote(1, 1000), quote(2, 1200)], scores=scores))

    assert decision.ranked_ids == [1, 2]
    assert decision.score_stats[2, "quality"].partial is True
    assert (
        "1 ranked score rests on fewer evaluators than the team of 2: "
        "Beta on Service quality (1 of 2)."
    ) in decision.warnings
    assert summary.agreement_sentence(decision) == (
        "Where two or more evaluators scored (1 cell of 2), they agree within 3 points."
    )
    assert summary.cell_text(decision.score_stats[2, "quality"]) == "6.0 (n=1)"


def test_spread_is_printed_as_the_range_of_the_scores_never_plus_minus():
    scores = [(1, "quality", "Ana", 8), (1, "quality", "Bea", 4), *full_scores((2, 6))]
    decision = decide(inputs([ALPHA, BETA], quotes=[quote(1, 1000), quote(2, 1200)], scores=scores))

    cell = decision.score_stats[1, "quality"]
    assert (cell.mean, cell.spread, cell.disagreement) == (6.0, 4.0, True)
    assert summary.cell_text(cell) == "6.0 (4–8, n=2)"
    assert "±" not in summary.cell_text(cell)
    assert (
        "1 score where evaluators disagree by 3 points or more and no consensus is recorded."
        in decision.warnings
    )
    assert not any("team view" in w for w in decision.warnings)
    assert summary.agreement_sentence(decision) == ""  # the disagreements are listed instead


def test_a_manual_exclusion_is_listed_once_and_is_not_a_knock_out_or_a_missing_quote():
    decision = decide(
        inputs(
            [ALPHA, BETA, GAMMA],
            excluded={3: "Failed the site visit"},
            quotes=[quote(1, 1000), quote(2, 1200)],
            scores=full_scores((1, 8), (2, 6)),
        )
    )

    gamma = [c for c in decision.candidates if c.vendor_id == 3]
    assert [(c.status, c.reasons, c.label) for c in gamma] == [
        (Status.EXCLUDED, ("Failed the site visit",), "Excluded by the analysts")
    ]
    assert decision.knocked_out == []
    assert 3 not in decision.competing


# ------------------------------------------------------------------------------ WSM and TOPSIS


def test_wsm_names_the_largest_gains_which_are_exact_parts_of_the_gap():
    decision = decide(two_vendors())

    alpha, beta = decision.ranking
    gains = summary.deciders(decision, alpha, beta)
    gap = alpha.score - beta.score
    assert sum(alpha.contributions.values()) == pytest.approx(alpha.score)
    assert sum(g.gap for g in gains) == pytest.approx(gap)
    assert summary.executive_summary(decision)[:3] == [
        "We recommend Alpha for technical support: it ranks first of 2 vendors with a score of "
        "1.000 out of 1 (Weighted sum).",
        "The runner-up is Beta (0.000). Alpha leads Beta by 1.000 points; its largest gains are "
        "on service quality (+0.600) and cost (+0.400).",
        "Alpha costs €24,000 less than Beta over the 12-month term (total cost of ownership "
        "€120,000).",
    ]


def test_topsis_never_claims_additive_parts_and_keeps_distances_per_criterion():
    decision = decide(
        inputs(
            [ALPHA, BETA, GAMMA],
            quotes=[quote(1, 1000), quote(2, 1200), quote(3, 900)],
            scores=full_scores((1, 8), (2, 6), (3, 5)),
            method="topsis",
        )
    )

    leader, runner = decision.ranking[:2]
    assert leader.contributions is None
    assert set(leader.ideal_distance) == set(leader.anti_distance) == {"quality", "cost"}
    assert summary.deciders(decision, leader, runner) == []
    text = " ".join(summary.executive_summary(decision))
    assert "mostly on" not in text and "largest gains" not in text
    assert "TOPSIS scores are not a sum of parts" in text
    rows = summary.distance_rows(decision)
    assert [name for name, _ in rows] == [row.name for row in decision.ranking]
    # The best vendor on a criterion is at distance 0 from the ideal on it.
    best_quality = max(
        decision.ranking, key=lambda r: decision.score_stats[r.vendor_id, "quality"].mean
    )
    assert best_quality.ideal_distance["quality"] == pytest.approx(0.0)


def test_the_budget_cap_knocks_out_and_flags_the_tco_line():
    decision = decide(two_vendors(cap=130000))

    beta = decision.tco_by_vendor[2]
    assert (beta.tco, beta.over_cap) == (Decimal("144000.00"), True)
    assert decision.tco_by_vendor[1].over_cap is False
    assert decision.status_of[2].status == Status.KNOCKED_OUT
    assert decision.status_of[2].reasons == ("TCO €144,000 over the budget cap €130,000",)


def test_a_tie_for_first_is_not_called_a_recommendation_of_one():
    decision = decide(
        inputs(
            [ALPHA, BETA],
            quotes=[quote(1, 1000), quote(2, 1000)],
            scores=full_scores((1, 7), (2, 7)),
        )
    )

    assert [row.rank for row in decision.ranking] == [1, 1]
    assert summary.executive_summary(decision)[0].startswith(
        "The ranking puts Alpha for technical support: it shares first place of 2 vendors with Beta"
    )


# ------------------------------------------------------------------------------ the snapshot


def test_a_decision_survives_its_snapshot_unchanged():
    decision = decide(two_vendors(method="topsis", cap=200000))

    data = to_snapshot(decision)
    again = from_snapshot(data)

    assert data["schema"] == 4 and len(data["id"]) == 12
    assert to_snapshot(again) == data
    assert again.ranking == decision.ranking and again.inputs == decision.inputs


def test_the_snapshot_id_changes_with_the_content():
    first = to_snapshot(decide(two_vendors()))
    second = to_snapshot(decide(two_vendors(cap=500000)))

    assert first["id"] != second["id"]
    assert to_snapshot(decide(two_vendors()))["id"] == first["id"]


def test_the_snapshot_id_is_the_content_id_the_pages_show():
    decision = decide(two_vendors())

    data = to_snapshot(decision)

    assert data["id"] == content_id(decision)
    assert data == to_snapshot(dataclasses.replace(decision, id=content_id(decision)))
    assert "taken_at" in data["inputs"]  # left out of the id only, not of the snapshot


def test_the_snapshot_id_does_not_change_with_the_time_it_was_read():
    morning = two_vendors()
    later = dataclasses.replace(morning, taken_at=morning.taken_at + dt.timedelta(minutes=5))

    assert to_snapshot(decide(later))["id"] == to_snapshot(decide(morning))["id"]


def test_what_a_decision_is_decided_from_has_one_id_whenever_it_was_read():
    morning = two_vendors()
    later = dataclasses.replace(morning, taken_at=morning.taken_at + dt.timedelta(minutes=5))
    first = decide(morning, sensitivity=False)

    assert decided_from_id(decide(later, sensitivity=False)) == decided_from_id(first)
    assert decided_from_id(decide(two_vendors(cap=500000), sensitivity=False)) != (
        decided_from_id(first)
    )
    assert decided_from_id(decide(morning, method="topsis", sensitivity=False)) != (
        decided_from_id(first)
    )


def test_submitting_or_approving_does_not_make_the_decision_new_but_a_new_score_does():
    drafted = two_vendors()
    approved = dataclasses.replace(
        drafted,
        evaluation=dataclasses.replace(
            drafted.evaluation,
            status="approved",
            status_label="Approved",
            version=drafted.evaluation.version + 2,
            approver="Mia Manager",
            decided_at=dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC),
            decision_comment="Go.",
        ),
    )
    rescored = inputs(
        [ALPHA, BETA], quotes=[quote(1, 1000), quote(2, 1200)], scores=full_scores((1, 8), (2, 7))
    )
    first = decided_from_id(decide(drafted, sensitivity=False))

    assert decided_from_id(decide(approved, sensitivity=False)) == first
    assert decided_from_id(decide(rescored, sensitivity=False)) != first


def test_other_weights_reuse_the_cost_futures_and_rank_them_again(monkeypatch):
    drawn = []
    real = cost_risk.simulate
    monkeypatch.setattr(cost_risk, "simulate", lambda *a, **k: drawn.append(1) or real(*a, **k))
    decision_risk._kept_futures.cache_clear()
    costs = two_vendors()

    stored = decide(costs)
    cost_only = decide(costs, weights={"quality": 0, "cost": 1})
    quality_only = decide(costs, weights={"quality": 1, "cost": 0})

    assert len(drawn) == 1  # the futures depend on the quotes, not the weights
    assert [line[:6] for line in map(dataclasses.astuple, cost_only.cost_risk.lines)] == [
        line[:6] for line in map(dataclasses.astuple, stored.cost_risk.lines)
    ]
    assert cost_only.cost_risk.ranked_first and not quality_only.cost_risk.ranked_first
    streams = (cost_risk.CostStream(monthly=1000.0, months=24, currency="USD"),)
    kept = decision_risk.futures(streams, "EUR", (), 500)
    assert decision_risk.futures(streams, "EUR", (), 500) is kept
    assert not any(a.flags.writeable for a in (kept.p10, kept.p50, kept.p90, kept.draws))
    longer = streams * (decision_risk.KEPT_VENDORS + 1)  # a long shortlist's are not kept
    assert decision_risk.futures(longer, "EUR", (), 500) is not (
        decision_risk.futures(longer, "EUR", (), 500)
    )


def test_a_share_just_below_every_draw_is_not_rounded_to_always():
    assert summary.share_text(0.998) == "99.8 %"
    assert summary.share_text(1.0) == "100 %"
    assert summary.share_text(0.002) == "0.2 %"
    assert summary.share_text(0.456) == "46 %"
    # 1,997 of 2,000 draws: the stability table (Babel's percent) prints 99.8%, so must the sentence.
    assert summary.share_text(0.9985) == "99.8 %" == percent(0.9985, 1).replace("%", " %")


def test_a_long_list_of_partly_scored_cells_says_how_many_more_there_are():
    vendors = [vendor(pk, f"V{pk}") for pk in range(1, 8)]
    decision = decide(
        inputs(
            vendors,
            quotes=[quote(v.id, 1000 + v.id) for v in vendors],
            scores=[(v.id, "quality", "Ana", 5 + v.id % 3) for v in vendors],
        )
    )

    (warning,) = [w for w in decision.warnings if "fewer evaluators" in w]
    assert warning.startswith("7 ranked scores rest on fewer evaluators than the team of 2: ")
    assert warning.endswith("; and 2 more.")


def test_what_if_weights_rank_but_do_not_recommend():
    decision = decide(two_vendors(), weights={"quality": 0, "cost": 100}, method="topsis")

    assert decision.what_if is True
    assert summary.executive_summary(decision)[0] == (
        "The ranking puts Alpha for technical support: it ranks first of 2 vendors with a score "
        "of 1.000 out of 1 (TOPSIS)."
    )
