"""The PDF's certificate watch: the ranked vendors' flagged certificates as of the decision's day,
from the frozen snapshot, with a true sentence when none lapses; old snapshots still render."""

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from scoring import certificate_watch as cw
from scoring import facts
from scoring.decision import decide
from scoring.models import Evaluation
from scoring.reports.certificates import certificate_part
from scoring.reports.snapshot import from_snapshot, to_snapshot
from scoring.selectors import decision_inputs
from scoring.selectors_watch import EVIDENCE
from scoring.services import evaluation_approve
from sourcing.models import Evidence, Response, RfpRound
from tests.factories import VendorCertificationFactory, certification, rankable_evaluation
from tests.scoring.test_decision import ALPHA, BETA, full_scores, inputs, quote
from tests.scoring.test_report_truth import flat, pdf_text
from tests.scoring.test_selectors_costs import INPUT_QUERIES
from tests.sourcing.factories import rfp_round
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


# --------------------------------------------------------------------------- RFP evidence


def with_evidence(decision_inputs, *certs):
    """``certs``: (vendor id, vendor name, certification, valid until), evidenced in an RFP round."""
    return dataclasses.replace(
        decision_inputs,
        evidenced=tuple(cw.Certificate(*cert, source=EVIDENCE) for cert in certs),
    )


def decided_with_evidence(vendors, *certs, start=None, excluded=None):
    data = inputs(
        vendors,
        quotes=[quote(1, 1000), quote(2, 1200)],
        scores=full_scores((1, 8), (2, 6)),
        excluded=excluded,
    )
    evaluation = dataclasses.replace(data.evaluation, contract_start=start)
    data = with_evidence(dataclasses.replace(data, evaluation=evaluation), *certs)
    return decide(data, sensitivity=False)


def test_an_evidenced_certificate_lapsing_is_flagged_with_its_source_beside_the_profiles():
    alpha = with_certs(ALPHA, ("ISO 27001", dt.date(2030, 1, 1)))  # the profile's covers the term
    decision = decided_with_evidence(
        [alpha, BETA], (1, "Alpha", "ISO 27001", dt.date(2026, 8, 1)), start=dt.date(2026, 9, 1)
    )
    part = certificate_part(decision)
    assert [f.sentence for f in part.flags] == [
        "Alpha’s ISO 27001 (RFP evidence) lapses on Aug 1, 2026, before the contract starts on "
        "Sep 1, 2026."
    ]
    assert [f.certificate.label for f in part.flags] == ["ISO 27001 (RFP evidence)"]
    assert part.none == ""


def test_evidence_valid_through_the_term_or_of_an_excluded_vendor_keeps_the_none_sentence_true():
    part = certificate_part(
        decided_with_evidence(
            [ALPHA, BETA],
            (1, "Alpha", "PCI DSS", dt.date(2030, 1, 1)),
            (2, "Beta", "ISO 27001", dt.date(2026, 5, 1)),  # lapsed, but Beta is excluded
            excluded={2: "Too small"},
        )
    )
    assert part.flags == ()
    assert part.none == (
        "No certificate of the ranked vendor lapses before the contract ends on May 31, 2027."
    )


def test_evidenced_certificates_survive_the_snapshot_and_older_ones_render_as_before():
    lapsing = (2, "Beta", "PCI DSS", dt.date(2026, 5, 1))
    data = to_snapshot(decided_with_evidence([ALPHA, BETA], lapsing))
    assert [f.sentence for f in certificate_part(from_snapshot(data)).flags] == [
        "Beta’s PCI DSS (RFP evidence) lapsed on May 1, 2026."
    ]
    del data["inputs"]["evidenced"]  # a snapshot from before the PDF read RFP evidence
    older = from_snapshot(data)
    assert older.inputs.evidenced == ()
    assert certificate_part(older) == certificate_part(decided([ALPHA, BETA]))


def evidence_of(evaluation, vendor, slug, until, *, opened=True):
    """An RFP-evidenced certificate of ``vendor``, submitted in the evaluation's round (opened,
    unless not ``opened``: then still sealed)."""
    rfp = rfp_round(evaluation, deadline=timezone.now() - dt.timedelta(days=1))
    if opened:
        RfpRound.objects.filter(pk=rfp.pk).update(opened_at=timezone.now())
    response = Response.objects.create(
        round=rfp,
        vendor=vendor,
        status=Response.Status.SUBMITTED,
        submitted_at=timezone.now(),
        updated_by=evaluation.owner,
    )
    return Evidence.objects.create(
        response=response,
        file=f"evidence/{rfp.pk}/{vendor.pk}/{slug}.pdf",
        name=f"{slug}.pdf",
        content_type="application/pdf",
        size=100,
        sha256="0" * 64,
        certification=certification(slug),
        valid_until=until,
        uploaded_by=evaluation.owner,
    )


@pytest.fixture
def evidenced(analyst):
    """Starts Jan 1, 2099; Alpha's profile has no dated certificate, its RFP evidence one that
    lapses before the start."""
    evaluation = rankable_evaluation(owner=analyst, title="Helpdesk 2027")
    Evaluation.objects.filter(pk=evaluation.pk).update(contract_start=dt.date(2099, 1, 1))
    alpha = evaluation.candidates.get(vendor__name="Alpha BPO").vendor
    evidence_of(evaluation, alpha, "pci-dss", dt.date(2098, 6, 30))
    return evaluation


def test_the_pdf_flags_a_certificate_only_the_rfp_evidence_shows_lapsing(analyst_client, evidenced):
    text = flat(pdf_text(analyst_client, evidenced))
    assert (
        "Alpha BPO PCI DSS (RFP evidence) Lapses before start Lapses on Jun 30, 2098, before the "
        "contract starts on Jan 1, 2099" in text
    )
    assert "No certificate of the" not in text


def test_the_pdf_says_nothing_lapses_when_the_evidence_is_sealed(analyst_client, analyst):
    evaluation = rankable_evaluation(owner=analyst, title="Helpdesk 2027")
    alpha = evaluation.candidates.get(vendor__name="Alpha BPO").vendor
    evidence_of(evaluation, alpha, "pci-dss", dt.date(2000, 1, 1), opened=False)
    text = flat(pdf_text(analyst_client, evaluation))
    assert "No certificate of the 3 ranked vendors lapses before the contract ends on" in text
    assert "(RFP evidence)" not in text


def test_an_approved_pdf_keeps_the_evidence_it_was_approved_with(
    manager, manager_client, evidenced
):
    Evaluation.objects.filter(pk=evidenced.pk).update(status=Evaluation.Status.IN_REVIEW)
    evaluation_approve(evaluation=evidenced, manager=manager, comment="OK")
    Evidence.objects.update(valid_until=dt.date(2200, 1, 1))
    text = flat(pdf_text(manager_client, evidenced))
    assert "PCI DSS (RFP evidence) Lapses before start Lapses on Jun 30, 2098" in text


@pytest.mark.parametrize("vendors", [1, 3])
def test_decision_inputs_read_the_evidence_in_one_query_whatever_the_vendors(
    vendors, analyst, django_assert_num_queries
):
    evaluation = rankable_evaluation(owner=analyst)
    candidates = evaluation.candidates.select_related("vendor").order_by("vendor__name")
    for candidate in candidates[:vendors]:
        evidence_of(evaluation, candidate.vendor, "pci-dss", dt.date(2098, 6, 30))
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    with django_assert_num_queries(INPUT_QUERIES):
        read = decision_inputs(evaluation)
    assert [(c.vendor, c.name, c.source) for c in read.evidenced] == [
        (c.vendor.name, "PCI DSS", EVIDENCE) for c in candidates[:vendors]
    ]
