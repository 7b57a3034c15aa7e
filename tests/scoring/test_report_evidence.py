"""The PDF's "Evidence behind the decisive scores": the recommended vendor's and the runner-up's
scores on the manual criteria that make most of the lead, with the answers they cite; true with
none, one or many citations, absent from snapshots that never gathered it."""

import dataclasses

import pytest

from scoring.decision import decide
from scoring.decision_types import CitedAnswer
from scoring.reports import build_snapshot, report_html
from scoring.reports.evidence import (
    decisive_manual,
    evidence_paragraphs,
    with_evidence,
)
from scoring.reports.snapshot import content_id, from_snapshot, to_snapshot
from scoring.selectors import decision_inputs
from tests.factories import rankable_evaluation

PEN_TEST = CitedAnswer("Did an independent penetration test run in the last 12 months?", "yes")
PCI = CitedAnswer("What is your PCI DSS role?", "Level 1 service provider")


@pytest.fixture
def decision(analyst):
    return decide(decision_inputs(rankable_evaluation(owner=analyst)), sensitivity=False)


def _deciding(decision):
    found = decisive_manual(decision)
    assert found is not None
    return found


def test_the_decisive_criteria_are_the_manual_ones_of_the_largest_gains(decision):
    winner, runner, gains = _deciding(decision)
    manual = {c.key for c in decision.manual_criteria}

    assert (winner.name, runner.name) == ("Alpha BPO", "Beta BPO")
    assert 1 <= len(gains) <= 3 and {g.key for g in gains} <= manual
    assert [g.gap for g in gains] == sorted((g.gap for g in gains), reverse=True)


def test_nothing_cited_says_so_for_every_decisive_score(decision):
    text = evidence_paragraphs(with_evidence(decision, {}))

    _winner, _runner, gains = _deciding(decision)
    [sentence] = text
    assert sentence.startswith("No evaluator cited an RFP answer behind the decisive scores: ")
    assert all(g.name in sentence for g in gains)
    assert sentence.count("-point lead") == len(gains)


def test_one_cited_answer_is_quoted_and_the_other_vendor_cites_none(decision):
    winner, _runner, gains = _deciding(decision)
    first = gains[0]

    text = evidence_paragraphs(with_evidence(decision, {(winner.vendor_id, first.key): (PCI,)}))

    cell = decision.score_stats[(winner.vendor_id, first.key)]
    assert text[0].startswith(f"{first.name} (+{first.gap:.3f} of the ")
    assert f"Alpha BPO {cell.value:.2f} rests on: “What is your PCI DSS role?” Level 1" in text[0]
    assert "Beta BPO" in text[0] and "Beta BPO" in text[0].split("rests on")[1]
    assert "cites no answer" in text[0]
    assert "No evaluator cited" not in " ".join(text)


def test_many_cited_answers_are_listed_in_order(decision):
    winner, _runner, gains = _deciding(decision)

    text = evidence_paragraphs(
        with_evidence(decision, {(winner.vendor_id, gains[0].key): (PCI, PEN_TEST)})
    )

    assert "Level 1 service provider; “Did an independent penetration test" in text[0]


def test_without_an_rfp_round_the_evidence_is_not_gathered_and_the_pdf_omits_it(analyst):
    snapshot = build_snapshot(rankable_evaluation(owner=analyst))

    assert snapshot["evidence"] is None
    assert evidence_paragraphs(from_snapshot(snapshot)) == []
    assert "Evidence behind the decisive scores" not in report_html(from_snapshot(snapshot))


def test_an_older_snapshot_without_evidence_renders_without_the_section(decision):
    snapshot = to_snapshot(with_evidence(decision, {}))
    del snapshot["evidence"]

    loaded = from_snapshot(snapshot)

    assert loaded.evidence is None
    assert "Evidence behind the decisive scores" not in report_html(loaded)


def test_the_evidence_round_trips_and_leaves_the_snapshot_id_alone(decision):
    winner, _runner, gains = _deciding(decision)
    cited = with_evidence(decision, {(winner.vendor_id, gains[0].key): (PCI,)})

    loaded = from_snapshot(to_snapshot(cited))

    assert loaded.evidence == cited.evidence
    assert content_id(cited) == content_id(decision)
    assert "Evidence behind the decisive scores" in report_html(loaded)


def test_a_single_ranked_vendor_has_no_runner_up_so_no_section(decision):
    alone = dataclasses.replace(decision, ranking=decision.ranking[:1])

    assert evidence_paragraphs(with_evidence(alone, {})) == []


def test_when_no_typed_score_adds_to_the_lead_the_section_says_so(decision):
    winner, runner = decision.ranking[0], decision.ranking[1]
    level = dataclasses.replace(runner, contributions=dict(winner.contributions))
    even = dataclasses.replace(decision, ranking=(winner, level, *decision.ranking[2:]))

    text = evidence_paragraphs(with_evidence(even, {}))

    assert text == [
        "No score typed by the team adds to Alpha BPO's lead over Beta BPO, so no cited answer "
        "decided it."
    ]
