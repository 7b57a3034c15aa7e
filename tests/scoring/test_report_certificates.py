"""The PDF's certificate watch: the ranked vendors' flagged certificates as of the decision's day,
from the frozen snapshot, with a true sentence when none lapses; old snapshots still render."""

import dataclasses
import datetime as dt

import pytest

from scoring import facts
from scoring.decision import decide
from scoring.models import Evaluation
from scoring.reports.certificates import certificate_part
from scoring.reports.snapshot import from_snapshot, to_snapshot
from scoring.services import evaluation_approve
from tests.factories import VendorCertificationFactory, certification, rankable_evaluation
from tests.scoring.test_decision import ALPHA, BETA, full_scores, inputs, quote
from tests.scoring.test_report_truth import flat, pdf_text
from vendors.models import VendorCertification

# test_decision's decisions are taken on Jun 1, 2026, for a 12-month term.


def with_certs(vendor, *certs):
    return dataclasses.replace(
        vendor,
        certifications=tuple(
            facts.Certificate(index, name, until) for index, (name, until) in enumerate(certs, 1)
        ),
    )


def decided(vendors, *, start=None, excluded=None):
    data = inputs(
        vendors,
        quotes=[quote(1, 1000), quote(2, 1200)],
        scores=full_scores((1, 8), (2, 6)),
        excluded=excluded,
    )
    evaluation = dataclasses.replace(data.evaluation, contract_start=start)
    return decide(dataclasses.replace(data, evaluation=evaluation), sensitivity=False)


def test_the_ranked_vendors_flagged_certificates_are_listed_most_severe_first():
    alpha = with_certs(ALPHA, ("ISO 27001", dt.date(2026, 8, 1)), ("COPC", None))
    beta = with_certs(BETA, ("PCI DSS", dt.date(2026, 5, 1)))
    part = certificate_part(decided([alpha, beta], start=dt.date(2026, 9, 1)))
    assert part.period == (
        "Certificates are checked as of Jun 1, 2026 against the contract expected from "
        "Sep 1, 2026 to Aug 31, 2027."
    )
    assert [f.sentence for f in part.flags] == [
        "Beta’s PCI DSS lapsed on May 1, 2026.",
        "Alpha’s ISO 27001 lapses on Aug 1, 2026, before the contract starts on Sep 1, 2026.",
    ]
    assert part.none == ""


def test_none_lapsing_is_one_true_sentence_for_one_or_many_ranked_vendors():
    safe = with_certs(ALPHA, ("ISO 27001", dt.date(2030, 1, 1)))
    both = certificate_part(decided([safe, BETA]))
    assert both.flags == ()
    assert (
        both.none
        == "No certificate of the 2 ranked vendors lapses before the contract ends on May 31, 2027."
    )
    assert both.period.startswith(
        "No contract start was set, so certificates are checked as of Jun 1, 2026"
    )
    one = certificate_part(decided([safe, BETA], excluded={2: "Too small"}))
    assert one.none.startswith("No certificate of the ranked vendor lapses")


def test_excluded_vendors_are_not_watched_and_an_empty_ranking_says_so():
    beta = with_certs(BETA, ("PCI DSS", dt.date(2026, 5, 1)))
    assert certificate_part(decided([ALPHA, beta], excluded={2: "Too small"})).flags == ()
    nobody = certificate_part(decided([ALPHA, beta], excluded={1: "No", 2: "Too small"}))
    assert nobody.none == "No vendor is ranked, so no certificate is checked."


def test_the_contract_start_survives_the_snapshot_and_older_ones_load_without_it():
    decision = decided([ALPHA, BETA], start=dt.date(2026, 9, 1))
    data = to_snapshot(decision)
    assert from_snapshot(data).evaluation.contract_start == dt.date(2026, 9, 1)
    del data["inputs"]["evaluation"]["contract_start"]  # a schema 4 snapshot from before the watch
    older = from_snapshot(data)
    assert older.evaluation.contract_start is None
    assert certificate_part(older).period.startswith("No contract start was set")


# --------------------------------------------------------------------------- the PDF itself


@pytest.fixture
def evaluation(analyst):
    evaluation = rankable_evaluation(owner=analyst, title="Helpdesk 2027")
    Evaluation.objects.filter(pk=evaluation.pk).update(contract_start=dt.date(2099, 1, 1))
    alpha = evaluation.candidates.get(vendor__name="Alpha BPO").vendor
    VendorCertificationFactory(
        vendor=alpha, certification=certification("iso-27001"), valid_until=dt.date(2098, 6, 30)
    )
    return evaluation


def test_the_pdf_lists_a_certificate_lapsing_before_the_contract_starts(analyst_client, evaluation):
    text = flat(pdf_text(analyst_client, evaluation))
    assert "Certificate watch" in text
    assert (
        "Alpha BPO ISO 27001 Lapses before start Lapses on Jun 30, 2098, before the contract starts on Jan 1, 2099"
        in text
    )


def test_an_approved_pdf_keeps_the_certificates_it_was_approved_with(
    manager, manager_client, evaluation
):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
    evaluation_approve(evaluation=evaluation, manager=manager, comment="OK")
    VendorCertification.objects.update(valid_until=dt.date(2200, 1, 1))
    text = flat(pdf_text(manager_client, evaluation))
    assert "Lapses on Jun 30, 2098, before the contract starts on Jan 1, 2099" in text
