"""Where the work is done, end to end: the buyer on the evaluation, derived delivery models in the
knock-outs, the quote form and the pages, the languages knock-out, the computed hours overlap."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from scoring import quoting, services
from scoring.models import Criterion, Evaluation
from scoring.reports.exports import about_rows
from scoring.reports.pdf import report_html
from scoring.selectors import evaluation_decision
from scoring.selectors_candidates import candidate_pool, candidate_review
from scoring.services import SetupError
from tests.factories import (
    CandidateFactory,
    DeliveryCentreFactory,
    EvaluationFactory,
    QuoteFactory,
    VendorFactory,
    VendorProcessFactory,
    delivery_model,
    process,
)

pytestmark = pytest.mark.django_db


def vendor_in(country, city, *, recorded="nearshore", zone="", languages="en", name=None):
    vendor = VendorFactory(name=name or f"{city} BPO")
    VendorProcessFactory(vendor=vendor)
    DeliveryCentreFactory(
        vendor=vendor,
        country=country,
        city=city,
        delivery_model=delivery_model(recorded),
        time_zone=zone,
        languages=languages,
    )
    return vendor


def buyer(owner, country, zone, *, allowed=("nearshore",), languages="", **kwargs):
    evaluation = EvaluationFactory(
        owner=owner,
        buyer_country=country,
        buyer_time_zone=zone,
        required_languages=languages,
        **kwargs,
    )
    evaluation.allowed_delivery_models.set([delivery_model(code) for code in allowed])
    return evaluation


def status_of(evaluation, vendor):
    return evaluation_decision(evaluation).status_of[vendor.pk]


def test_a_polish_centre_is_nearshore_for_a_german_buyer_and_offshore_for_a_us_one(analyst):
    warsaw = vendor_in("PL", "Warsaw", recorded="nearshore")
    german = buyer(analyst, "DE", "Europe/Berlin")
    american = buyer(analyst, "US", "America/New_York")
    for evaluation in (german, american):
        CandidateFactory(evaluation=evaluation, vendor=warsaw)
        QuoteFactory(evaluation=evaluation, vendor=warsaw)

    assert status_of(german, warsaw).status != "knocked_out"
    assert status_of(american, warsaw).reasons == (
        "No centre in an allowed delivery model (Nearshore) for a buyer in United States of America",
    )
    assert candidate_review(american).places[warsaw.pk][0].code == "offshore"


def test_without_a_buyer_country_the_recorded_label_still_counts(analyst):
    warsaw = vendor_in("PL", "Warsaw", recorded="offshore")
    evaluation = EvaluationFactory(owner=analyst)
    evaluation.allowed_delivery_models.set([delivery_model("offshore")])
    CandidateFactory(evaluation=evaluation, vendor=warsaw)

    (place,) = candidate_review(evaluation).places[warsaw.pk]

    assert candidate_review(evaluation).reasons[warsaw.pk] == []
    assert (place.code, place.derived) == ("offshore", False)
    assert place.text == "Warsaw, Poland — offshore (as recorded), speaks en"


def test_the_candidate_pool_applies_the_derived_model_in_the_database(analyst):
    vendor_in("PL", "Warsaw", recorded="offshore")  # nearshore for Germany: a neighbour
    vendor_in("EG", "Cairo", recorded="offshore", zone="Africa/Cairo")  # nearshore: 1 h apart
    vendor_in("IN", "Pune", recorded="nearshore")  # offshore for Germany, whatever the label
    evaluation = buyer(analyst, "DE", "Europe/Berlin")

    pool = candidate_pool(evaluation)

    assert [v.name for v in pool.suggested] == ["Cairo BPO", "Warsaw BPO"]
    assert pool.failing == 1
    assert pool.by_reason == [("no centre in an allowed delivery model (Nearshore)", 1)]


def test_a_vendor_whose_centres_miss_a_required_language_is_knocked_out_naming_them(analyst):
    one_each = vendor_in("PL", "Warsaw", languages="pl, de", name="Split BPO")
    DeliveryCentreFactory(
        vendor=one_each,
        country="CZ",
        city="Brno",
        delivery_model=delivery_model("nearshore"),
        languages="fr",
    )
    both = vendor_in("AT", "Vienna", languages="de, fr, en", name="Both BPO")
    outside = vendor_in("IN", "Pune", languages="de, fr", name="Far BPO")
    evaluation = buyer(analyst, "DE", "Europe/Berlin", languages="de, fr")
    for vendor in (one_each, both, outside):
        CandidateFactory(evaluation=evaluation, vendor=vendor)

    reasons = candidate_review(evaluation).reasons
    pool = candidate_pool(EvaluationFactory(owner=analyst, required_languages="de, fr"))

    assert reasons[one_each.pk] == [
        "No centre in an allowed delivery model works in German and French"
    ]
    assert reasons[both.pk] == []
    assert reasons[outside.pk] == [
        "No centre in an allowed delivery model (Nearshore) for a buyer in Germany"
    ]
    assert {v.name for v in pool.suggested} == {"Both BPO", "Far BPO"}
    assert pool.by_reason == [("no centre works in German and French", 1)]


def test_a_quote_may_use_only_the_models_derived_for_the_buyer(analyst):
    warsaw = vendor_in("PL", "Warsaw", recorded="offshore")
    evaluation = buyer(analyst, "DE", "Europe/Berlin", allowed=())

    offered = list(quoting.quote_delivery_models(evaluation, warsaw))
    errors = quoting.quote_rule_errors(
        evaluation=evaluation, vendor=warsaw, delivery_model=delivery_model("offshore"), currency=""
    )

    assert [m.code for m in offered] == ["nearshore"]
    assert errors["delivery_model"] == (
        "Warsaw BPO has no offshore delivery centre for a buyer in Germany; quote nearshore."
    )


def overlap_evaluation(owner):
    evaluation = buyer(owner, "DE", "Europe/Berlin", allowed=())
    overlap = Criterion.objects.get(key="hours_overlap")
    services.criterion_add(evaluation=evaluation, user=owner, criterion=overlap)
    return evaluation


def test_the_working_hours_overlap_is_computed_and_ranks_the_vendors(analyst):
    evaluation = overlap_evaluation(analyst)
    near = vendor_in("PL", "Warsaw", name="Near BPO")
    far = vendor_in("PH", "Manila", name="Far BPO")
    for vendor in (near, far):
        CandidateFactory(evaluation=evaluation, vendor=vendor)
        QuoteFactory(evaluation=evaluation, vendor=vendor)
    only_overlap = {c.key: 0 for c in evaluation_decision(evaluation).criteria}

    decision = evaluation_decision(evaluation, weights=only_overlap | {"hours_overlap": 100})

    assert [row.name for row in decision.ranking] == ["Near BPO", "Far BPO"]
    assert decision.centre_places[near.pk][0].overlap == 8.0
    assert decision.centre_places[far.pk][0].overlap < 2
    assert decision.uses_overlap
    assert "09:00–17:00, Europe/Berlin" in decision.overlap_method


def test_without_a_buyer_time_zone_the_overlap_says_why_a_vendor_is_not_ranked(analyst):
    evaluation = EvaluationFactory(owner=analyst)
    services.criterion_add(
        evaluation=evaluation, user=analyst, criterion=Criterion.objects.get(key="hours_overlap")
    )
    vendor = vendor_in("PL", "Warsaw")
    CandidateFactory(evaluation=evaluation, vendor=vendor)
    weights = {c.key: 0 for c in evaluation_decision(evaluation).criteria}

    decision = evaluation_decision(evaluation, weights=weights | {"hours_overlap": 100})

    assert decision.status_of[vendor.pk].reasons == (
        "Working-hours overlap: the evaluation has no buyer time zone",
    )


def test_the_overlap_cannot_be_typed(analyst):
    evaluation = overlap_evaluation(analyst)
    vendor = vendor_in("PL", "Warsaw")
    CandidateFactory(evaluation=evaluation, vendor=vendor)

    with pytest.raises(SetupError, match="computed from the centres' time zones"):
        services.measurement_save(
            evaluation=evaluation,
            user=analyst,
            vendor=vendor,
            criterion=Criterion.objects.get(key="hours_overlap"),
            value="5",
        )
    assert not evaluation.measurements.exists()


def create(owner, **fields):
    return services.evaluation_create(
        owner=owner,
        title="Where",
        process=process(),
        base_currency="EUR",
        volume=Decimal(10),
        volume_unit="fte",
        term_months=12,
        **fields,
    )


def test_setup_takes_the_countrys_time_zone_and_asks_when_it_has_several(analyst):
    german = create(analyst, buyer_country="DE", required_languages="DE;fr")

    with pytest.raises(SetupError) as several:
        create(analyst, buyer_country="US")
    with pytest.raises(SetupError) as unknown:
        create(analyst, buyer_country="DE", required_languages="de, xx")

    german.refresh_from_db()
    assert (german.buyer_time_zone, german.required_languages) == ("Europe/Berlin", "de, fr")
    assert several.value.field == "buyer_time_zone"
    assert "United States of America has several time zones" in str(several.value)
    assert unknown.value.field == "required_languages"
    assert "xx" in str(unknown.value)
    assert Evaluation.objects.filter(title="Where").count() == 1


def test_the_setup_form_saves_the_buyer_and_the_history_says_what_changed(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    data = {
        "title": evaluation.title,
        "process": evaluation.process_id,
        "volume": "20",
        "volume_unit": "fte",
        "term_months": "36",
        "base_currency": "USD",
        "method": "wsm",
        "scale": evaluation.scale,
        "buyer_country": "US",
        "buyer_time_zone": "America/Chicago",
        "buyer_day_start": "08:00",
        "buyer_day_end": "16:30",
        "required_languages": "en, es",
        "version": evaluation.version,
    }

    response = analyst_client.post(reverse("scoring:evaluation_edit", args=[evaluation.pk]), data)

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.buyer_country.code, evaluation.buyer_time_zone) == ("US", "America/Chicago")
    assert (evaluation.buyer_day_start, evaluation.buyer_day_end) == (dt.time(8), dt.time(16, 30))
    history = analyst_client.get(reverse("scoring:history", args=[evaluation.pk])).text
    assert "United States of America" in history
    assert "America/Chicago" in history
    assert "09:00" in history and "08:00" in history and "09:00:00" not in history
    assert "en, es" in history


def test_a_working_day_that_ends_before_it_starts_is_refused_on_its_field(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    page = analyst_client.get(reverse("scoring:evaluation_edit", args=[evaluation.pk]))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {"buyer_day_start": "17:00", "buyer_day_end": "09:00", "required_languages": ""}
    data["required_certifications"] = []
    data["allowed_delivery_models"] = []

    response = analyst_client.post(reverse("scoring:evaluation_edit", args=[evaluation.pk]), data)

    assert response.status_code == 200
    assert "must end after it starts" in str(response.context["form"].errors)
    evaluation.refresh_from_db()
    assert evaluation.buyer_day_end == dt.time(17)


def test_the_candidates_page_says_where_each_centre_is_and_its_languages(analyst_client, analyst):
    evaluation = buyer(analyst, "DE", "Europe/Berlin", languages="pl")
    warsaw = vendor_in("PL", "Warsaw", languages="pl, en", zone="Europe/Warsaw")
    CandidateFactory(evaluation=evaluation, vendor=warsaw)

    html = analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk])).text

    assert "Warsaw, Poland — nearshore for a buyer in Germany (same time), speaks pl, en" in html
    assert "The buyer is in Germany (Europe/Berlin, working 09:00–17:00)" in html
    assert "works in Polish" in html


@pytest.mark.parametrize("size", [2, 12])
def test_the_candidates_page_query_count_does_not_grow_with_derived_models(
    analyst_client, analyst, django_assert_num_queries, size
):
    evaluation = buyer(analyst, "DE", "Europe/Berlin", languages="en")
    for n in range(size):
        vendor = vendor_in(["PL", "IN", "FR"][n % 3], f"City {n}")
        if n % 2:
            CandidateFactory(evaluation=evaluation, vendor=vendor)
    analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk]))  # warm the session

    with django_assert_num_queries(19):  # with the SLA standing and the certificate watch (2)
        analyst_client.get(reverse("scoring:candidates", args=[evaluation.pk]))


def test_the_pdf_appendix_states_the_buyer_the_hours_and_the_rule(analyst):
    evaluation = buyer(analyst, "DE", "Europe/Berlin", languages="de")
    warsaw = vendor_in("PL", "Warsaw", languages="de, pl")
    CandidateFactory(evaluation=evaluation, vendor=warsaw)

    html = report_html(evaluation_decision(evaluation))

    assert "The buyer is in Germany (Europe/Berlin, working 09:00–17:00)" in html
    assert "neighbouring country" in html and "at most 3 hours" in html
    assert "Warsaw BPO: Warsaw, Poland — nearshore for a buyer in Germany" in html
    assert "works in German" in html


def test_the_exports_about_part_states_where_the_work_is_done(analyst):
    evaluation = overlap_evaluation(analyst)
    evaluation.weights.filter(criterion__key="hours_overlap").update(weight=10)

    rows = dict(about_rows(evaluation_decision(evaluation)))

    assert rows["Where the work is done"].startswith("The buyer is in Germany (Europe/Berlin")
    assert rows["Working-hours overlap"].startswith("Hours of the buyer's working day")


def test_a_new_buyer_country_does_not_keep_the_old_countrys_clock(analyst):
    evaluation = create(analyst, buyer_country="DE")

    services.evaluation_update(
        evaluation=evaluation, expected_version=evaluation.version, user=analyst, buyer_country="PL"
    )
    with pytest.raises(SetupError, match="several time zones"):
        services.evaluation_update(
            evaluation=evaluation,
            expected_version=evaluation.version,
            user=analyst,
            buyer_country="US",
        )

    evaluation.refresh_from_db()
    assert (evaluation.buyer_country.code, evaluation.buyer_time_zone) == ("PL", "Europe/Warsaw")
