"""scoring.places: a centre's delivery model for one evaluation, the sentences it gives, and the
snapshot keeping them. The rule itself: test_delivery_location.py."""

import dataclasses
import datetime as dt
import json

import pytest

from scoring import places
from scoring.facts import Centre, EvaluationFacts, Named
from scoring.reports.snapshot import from_snapshot, to_snapshot
from scoring.selectors import evaluation_decision
from tests.factories import (
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    VendorFactory,
)

DAY = dt.date(2026, 1, 15)
NEAR = Named(2, "Nearshore", "nearshore")


def facts(**changes) -> EvaluationFacts:
    base = EvaluationFacts(
        id=1,
        title="t",
        process="p",
        owner="o",
        team=(),
        base_currency="EUR",
        volume=1,
        volume_unit="fte",
        volume_label="FTEs",
        term_months=12,
        budget_cap=None,
        method="wsm",
        method_label="Weighted sum",
        status="draft",
        status_label="Draft",
        version=1,
        approver="",
        decided_at=None,
        decision_comment="",
        required_certifications=(),
        allowed_delivery_models=(NEAR,),
    )
    return dataclasses.replace(base, **changes)


def centre(country, city, zone="", languages=(), recorded=(3, "Offshore", "offshore")):
    return Centre(country, country, city, 10, *recorded, time_zone=zone, languages=languages)


GERMAN = {
    "buyer_country": "DE",
    "buyer_country_name": "Germany",
    "buyer_time_zone": "Europe/Berlin",
}


def test_a_recorded_label_counts_until_the_buyer_names_a_country():
    warsaw = centre("PL", "Warsaw", "Europe/Warsaw")
    (recorded,) = places.centre_models_for(facts(), [warsaw], on=DAY)
    (derived,) = places.centre_models_for(facts(**GERMAN), [warsaw], on=DAY)

    assert (recorded.code, recorded.allowed) == ("offshore", False)
    assert (derived.code, derived.name, derived.allowed) == ("nearshore", "Nearshore", True)
    assert derived.overlap == 8.0


@pytest.mark.parametrize(
    ("centres", "reasons"),
    [
        ([], ["No centre in an allowed delivery model (Nearshore) for a buyer in Germany"]),
        ([centre("PL", "Warsaw", languages=("pl", "en"))], []),
        (
            [centre("PL", "Warsaw", languages=("pl",)), centre("CZ", "Brno", languages=("en",))],
            ["No centre in an allowed delivery model works in Polish and English"],
        ),
    ],
)
def test_the_knock_out_sentences_are_true_for_none_one_and_split_languages(centres, reasons):
    evaluation = facts(**GERMAN, required_languages=("pl", "en"))
    placed = places.centre_models_for(evaluation, centres, on=DAY)

    assert places.place_reasons(evaluation, placed) == reasons


def test_one_language_without_allowed_models_reads_no_centre():
    evaluation = facts(allowed_delivery_models=(), required_languages=("de",))
    placed = places.centre_models_for(evaluation, [centre("PL", "Warsaw")], on=DAY)

    assert places.place_reasons(evaluation, placed) == ["No centre works in German"]


def test_the_best_overlap_is_the_best_usable_centre_or_says_why_there_is_none():
    evaluation = facts(**GERMAN)
    placed = places.centre_models_for(
        evaluation,
        [centre("CZ", "Brno", "Europe/Prague"), centre("IN", "Pune", "Asia/Kolkata")],
        on=DAY,
    )
    unknown = places.centre_models_for(evaluation, [centre("CZ", "Brno")], on=DAY)

    assert places.best_overlap(evaluation, placed) == (8.0, "")  # Pune is offshore: not allowed
    assert places.best_overlap(evaluation, unknown) == (
        None,
        "no centre in an allowed delivery model has a known time zone",
    )
    assert places.best_overlap(facts(), placed)[1] == "the evaluation has no buyer time zone"


def test_the_buyer_sentence_without_a_country_or_a_language():
    assert places.buyer_sentence(facts(), DAY) == (
        "No buyer country is set: each centre counts with its recorded delivery model. "
        "No language is required."
    )


@pytest.mark.django_db
def test_a_snapshot_keeps_the_buyer_and_the_centres_places(analyst):
    evaluation = EvaluationFactory(
        owner=analyst, buyer_country="DE", buyer_time_zone="Europe/Berlin"
    )
    vendor = VendorFactory()
    DeliveryCentreFactory(vendor=vendor, country="PL", city="Warsaw", languages="pl, en")
    CandidateFactory(evaluation=evaluation, vendor=vendor)
    fresh = evaluation_decision(evaluation, sensitivity=False)

    frozen = from_snapshot(json.loads(json.dumps(to_snapshot(fresh))))

    assert frozen.where_sentence == fresh.where_sentence
    assert frozen.place_lines == fresh.place_lines
    assert frozen.place_lines[0][1].text.startswith(
        "Warsaw, Poland — nearshore for a buyer in Germany"
    )
