"""Criteria per evaluation: own manual (rubric) and measured criteria, rename, drop, zero weight,
measurements, profiles, history, and absolute scoring on the pages and the PDF."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from scoring import services
from scoring.models import (
    Criterion,
    Evaluation,
    EvaluationWeight,
    Measurement,
    Score,
    WeightProfile,
)
from scoring.reports import build_snapshot, render_report_pdf
from scoring.selectors import decision_inputs, evaluation_decision
from tests.factories import AnalystFactory, EvaluationFactory, rankable_evaluation

pytestmark = pytest.mark.django_db
RUBRIC = [
    "No plan",
    "A plan on paper",
    "Tested yearly",
    "Tested and audited",
    "Certified ISO 22301",
]


def own_manual(evaluation, user, name="Business continuity", **kwargs):
    return services.criterion_add_own(
        evaluation=evaluation, user=user, name=name, source="manual", rubric=RUBRIC, **kwargs
    )


def own_measured(evaluation, user, name="Attrition", low="0", high="60"):
    return services.criterion_add_own(
        evaluation=evaluation,
        user=user,
        name=name,
        source="measured",
        direction="cost",
        unit="%",
        low=low,
        high=high,
    )


def weigh(evaluation, **percents):
    """Give the named criteria (key: percent) their weights, the rest share what is left."""
    rows = list(evaluation.weights.select_related("criterion"))
    rest = [w for w in rows if w.criterion.key not in percents]
    left = Decimal(100) - sum(Decimal(p) for p in percents.values())
    shares = services.rounded_percentages({w.criterion.key: 1.0 for w in rest}) if rest else {}
    weights = {key: Decimal(p) for key, p in percents.items()}
    weights |= {
        key: (share * left / 100).quantize(Decimal("0.01")) for key, share in shares.items()
    }
    gap = Decimal(100) - sum(weights.values())
    first = rest[0].criterion.key if rest else next(iter(percents))
    weights[first] += gap
    evaluation.refresh_from_db()
    services.weights_save(
        evaluation=evaluation, weights=weights, expected_version=evaluation.version
    )
    evaluation.refresh_from_db()


# --------------------------------------------------------------------------- services


def test_an_own_manual_criterion_keeps_its_rubric_and_starts_at_zero_weight(analyst):
    evaluation = EvaluationFactory(owner=analyst)
    criterion = own_manual(evaluation, analyst)

    assert criterion.evaluation == evaluation and criterion.source == "manual"
    assert criterion.rubric_bands[0] == ("0–2", "No plan")
    assert criterion.rubric_bands[-1] == ("9–10", "Certified ISO 22301")
    assert EvaluationWeight.objects.get(evaluation=evaluation, criterion=criterion).weight == 0
    info = next(c for c in decision_inputs(evaluation).criteria if c.key == criterion.key)
    assert info.own and info.rubric[1] == ("3–4", "A plan on paper")


def test_names_are_unique_per_evaluation_with_a_message_naming_the_field(analyst):
    evaluation = EvaluationFactory(owner=analyst)
    with pytest.raises(
        services.SetupError, match="already has a criterion called “Data security”"
    ) as exc:
        own_manual(evaluation, analyst, name="data security")
    assert exc.value.field == "name"
    own_manual(evaluation, analyst)
    with pytest.raises(services.SetupError, match="Business continuity"):
        own_manual(evaluation, analyst, name="Business Continuity")
    # Another evaluation may use the same name for its own criterion.
    own_manual(EvaluationFactory(owner=analyst), analyst)
    with pytest.raises(
        services.SetupError, match="Upper bound: must be above the lower bound"
    ) as exc:
        own_measured(evaluation, analyst, low="60", high="10")
    assert exc.value.field == "high"
    assert not Criterion.objects.filter(name="Attrition").exists()  # nothing half-written


def test_rename_is_local_to_the_evaluation_and_checked_for_clashes(analyst):
    evaluation = EvaluationFactory(owner=analyst)
    other = EvaluationFactory(owner=analyst)
    security = Criterion.objects.get(key="data_security")
    services.criterion_rename(
        evaluation=evaluation, user=analyst, criterion=security, label="Infosec"
    )

    names = {c.key: c.name for c in decision_inputs(evaluation).criteria}
    assert names["data_security"] == "Infosec"
    assert {c.key: c.name for c in decision_inputs(other).criteria}[
        "data_security"
    ] == "Data security"
    assert Criterion.objects.get(key="data_security").name == "Data security"
    with pytest.raises(
        services.SetupError, match="already has a criterion called “Infosec”"
    ) as exc:
        services.criterion_rename(
            evaluation=evaluation,
            user=analyst,
            criterion=Criterion.objects.get(key="expertise"),
            label="infosec",
        )
    assert exc.value.field == "label"
    services.criterion_rename(evaluation=evaluation, user=analyst, criterion=security, label="")
    assert {c.key: c.name for c in decision_inputs(evaluation).criteria}["data_security"] == (
        "Data security"
    )


def test_drop_rescales_the_other_weights_to_100_and_keeps_scores_and_history(analyst):
    evaluation = rankable_evaluation(owner=analyst)
    security = Criterion.objects.get(key="data_security")
    scores = Score.objects.filter(evaluation=evaluation, criterion=security).count()
    services.criterion_drop(evaluation=evaluation, user=analyst, criterion=security)

    weights = dict(evaluation.weights.values_list("criterion__key", "weight"))
    assert "data_security" not in weights
    assert sum(weights.values()) == Decimal("100.00")
    assert Score.objects.filter(evaluation=evaluation, criterion=security).count() == scores
    assert "data_security" not in {c.key for c in evaluation_decision(evaluation).criteria}
    assert security in services.addable_criteria(evaluation)
    services.criterion_add(evaluation=evaluation, user=analyst, criterion=security)
    assert evaluation.weights.get(criterion=security).weight == 0


def test_a_frozen_evaluation_refuses_every_criteria_change(analyst):
    evaluation = EvaluationFactory(owner=analyst)
    criterion = own_measured(evaluation, analyst)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
    expertise = Criterion.objects.get(key="expertise")
    attempts = [
        lambda: own_manual(evaluation, analyst, name="Late idea"),
        lambda: services.criterion_rename(
            evaluation=evaluation, user=analyst, criterion=expertise, label="Know-how"
        ),
        lambda: services.criterion_drop(evaluation=evaluation, user=analyst, criterion=expertise),
        lambda: services.criterion_add(evaluation=evaluation, user=analyst, criterion=expertise),
    ]
    for attempt in attempts:
        with pytest.raises(services.SetupError, match="in review and can no longer change"):
            attempt()
    with pytest.raises(services.SetupError, match="in review"):
        services.measurement_save(
            evaluation=evaluation, user=analyst, vendor=None, criterion=criterion, value="5"
        )
    assert (
        evaluation.weights.count() == 11 and Criterion.objects.filter(name="Late idea").count() == 0
    )


def test_measurements_are_checked_against_the_bounds_and_kept_with_history(analyst):
    evaluation = rankable_evaluation(owner=analyst)
    attrition = own_measured(evaluation, analyst)
    vendor = evaluation.candidates.first().vendor
    with pytest.raises(
        services.SetupError, match=f"Attrition for {vendor.name}: at most 60 %"
    ) as exc:
        services.measurement_save(
            evaluation=evaluation, user=analyst, vendor=vendor, criterion=attrition, value="75"
        )
    assert exc.value.field == "value"
    with pytest.raises(services.SetupError, match="enter a number"):
        services.measurement_save(
            evaluation=evaluation, user=analyst, vendor=vendor, criterion=attrition, value="lots"
        )
    with pytest.raises(services.SetupError, match="is not a measured criterion"):
        services.measurement_save(
            evaluation=evaluation,
            user=analyst,
            vendor=vendor,
            criterion=Criterion.objects.get(key="expertise"),
            value="5",
        )
    services.measurement_save(
        evaluation=evaluation, user=analyst, vendor=vendor, criterion=attrition, value="12.5"
    )
    services.measurement_save(
        evaluation=evaluation, user=analyst, vendor=vendor, criterion=attrition, value="14"
    )
    assert Measurement.objects.get(evaluation=evaluation).value == Decimal("14")
    history = Measurement.history.filter(evaluation_id=evaluation.pk).order_by("history_date")
    assert [(h.history_type, h.value, h.history_user) for h in history] == [
        ("+", Decimal("12.5"), analyst),
        ("~", Decimal("14"), analyst),
    ]


def test_measured_and_own_manual_criteria_rank_once_weighted_and_filled(analyst):
    evaluation = rankable_evaluation(owner=analyst, scale=Evaluation.Scale.ABSOLUTE)
    attrition = own_measured(evaluation, analyst)
    continuity = own_manual(evaluation, analyst)
    weigh(evaluation, **{attrition.key: 20, continuity.key: 20})
    decision = evaluation_decision(evaluation, sensitivity=False)
    assert decision.ranking == ()
    assert "Attrition: no value entered" in decision.not_ranked[0].reasons
    assert "Business continuity: nobody has scored it" in decision.not_ranked[0].reasons
    for index, candidate in enumerate(evaluation.candidates.select_related("vendor")):
        services.measurement_save(
            evaluation=evaluation,
            user=analyst,
            vendor=candidate.vendor,
            criterion=attrition,
            value=str(10 + 10 * index),
        )
        services.score_save(
            evaluation=evaluation,
            evaluator=analyst,
            vendor=candidate.vendor,
            criterion=continuity,
            value="7",
        )
    decision = evaluation_decision(evaluation, sensitivity=False)
    assert len(decision.ranking) == 3
    leader = decision.ranking[0]
    assert leader.contributions[attrition.key] == pytest.approx((60 - 10) / 60 * 0.2)
    assert leader.contributions[continuity.key] == pytest.approx(0.7 * 0.2)
    assert "Attrition on 0–60 %" in decision.scale_sentence


def test_only_admins_save_a_profile_and_own_criteria_join_the_catalogue(analyst, superuser):
    evaluation = EvaluationFactory(owner=analyst)
    own_measured(evaluation, analyst)
    profiles = WeightProfile.objects.count()
    with pytest.raises(services.SetupError, match="Only administrators"):
        services.profile_save(evaluation=evaluation, user=analyst, name="Payroll with attrition")
    profile = services.profile_save(
        evaluation=evaluation, user=superuser, name="Payroll with attrition"
    )
    names = set(profile.weights.values_list("criterion__name", flat=True))
    assert "Attrition" in names and len(names) == 11
    copy = Criterion.objects.get(name="Attrition", evaluation__isnull=True)
    assert (copy.source, copy.unit, copy.low, copy.high) == ("measured", "%", 0, 60)
    assert sum(profile.weights.values_list("weight", flat=True)) == Decimal("100.00")
    with pytest.raises(services.SetupError, match="a profile called") as exc:
        services.profile_save(evaluation=evaluation, user=superuser, name="payroll WITH attrition")
    assert exc.value.field == "name" and WeightProfile.objects.count() == profiles + 1


# --------------------------------------------------------------------------- views


def test_the_criteria_page_adds_renames_and_drops_and_the_history_says_so(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    url = reverse("scoring:criteria", args=[evaluation.pk])
    response = analyst_client.post(
        url,
        {
            "action": "add_own",
            "own-name": "Attrition <b>%</b>",
            "own-source": "measured",
            "own-direction": "cost",
            "own-unit": "%",
            "own-low": "0",
            "own-high": "60",
        },
    )
    assert response.status_code == 302
    criterion = Criterion.objects.get(evaluation=evaluation)
    response = analyst_client.post(
        url,
        {
            "action": "add_own",
            "own-name": "attrition <b>%</b>",
            "own-source": "manual",
            "own-direction": "benefit",
        },
    )
    assert response.status_code == 200
    assert "already has a criterion called “Attrition &lt;b&gt;%&lt;/b&gt;”" in response.text
    response = analyst_client.post(
        url,
        {
            "action": "rename",
            "criterion": criterion.pk,
            f"c{criterion.pk}-label": "Staff attrition",
        },
    )
    assert response.status_code == 302
    page = analyst_client.get(url).text
    assert "Staff attrition" in page and "renamed from Attrition &lt;b&gt;%&lt;/b&gt;" in page
    assert (
        analyst_client.post(url, {"action": "drop", "criterion": criterion.pk}).status_code == 302
    )
    assert not evaluation.weights.filter(criterion=criterion).exists()

    history = analyst_client.get(reverse("scoring:history", args=[evaluation.pk])).text
    for words in ("Dropped", "Renamed", "Staff attrition", "Upper bound"):
        assert words in history


def test_the_criteria_page_follows_the_access_policy(analyst, manager):
    evaluation = EvaluationFactory(owner=AnalystFactory())
    url = reverse("scoring:criteria", args=[evaluation.pk])
    analyst_client, manager_client = Client(), Client()
    analyst_client.force_login(analyst)
    manager_client.force_login(manager)
    assert analyst_client.get(url).status_code == 404
    assert analyst_client.post(url, {"action": "drop", "criterion": 1}).status_code == 404
    assert manager_client.get(url).status_code == 200
    assert manager_client.post(url, {"action": "add_own", "own-name": "X"}).status_code == 403
    mine = EvaluationFactory(owner=analyst)
    other_own = own_manual(evaluation, evaluation.owner)
    response = analyst_client.post(
        reverse("scoring:criteria", args=[mine.pk]), {"action": "drop", "criterion": other_own.pk}
    )
    assert response.status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_zero_weight_criteria_leave_the_grid_and_the_ahp_pairs(analyst_client, analyst):
    evaluation = rankable_evaluation(owner=analyst)
    continuity = own_manual(evaluation, analyst)  # 0 %
    grid = analyst_client.get(reverse("scoring:score_grid", args=[evaluation.pk])).text
    assert "Business continuity" not in grid
    ahp = analyst_client.get(reverse("scoring:weights_ahp", args=[evaluation.pk]))
    assert len(ahp.context["form"].pairs) == 45  # the 10 weighted criteria: none with the 0 % one
    weights_page = analyst_client.get(reverse("scoring:weights", args=[evaluation.pk])).text
    assert "Business continuity" in weights_page and "leaves the grid" in weights_page

    weigh(evaluation, **{continuity.key: 10})
    grid = analyst_client.get(reverse("scoring:score_grid", args=[evaluation.pk])).text
    assert "Business continuity" in grid and "<summary" in grid and "Certified ISO 22301" in grid


def test_the_grid_takes_measured_values_per_vendor(analyst_client, analyst):
    evaluation = rankable_evaluation(owner=analyst)
    attrition = own_measured(evaluation, analyst)
    weigh(evaluation, **{attrition.key: 10})
    vendor = evaluation.candidates.first().vendor
    grid = analyst_client.get(reverse("scoring:score_grid", args=[evaluation.pk])).text
    assert f'id="measure-input-{vendor.pk}-{attrition.pk}"' in grid and 'max="60"' in grid
    url = reverse("scoring:measurement_save", args=[evaluation.pk])
    refused = analyst_client.post(
        url, {"vendor": vendor.pk, "criterion": attrition.pk, "value": "61"}
    )
    assert "at most 60 %" in refused.text and 'aria-invalid="true"' in refused.text
    saved = analyst_client.post(url, {"vendor": vendor.pk, "criterion": attrition.pk, "value": "8"})
    assert "Saved" in saved.text
    assert Measurement.objects.get(vendor=vendor).value == 8


def test_the_ranking_page_and_the_pdf_state_the_scale_in_one_sentence(analyst_client, analyst):
    evaluation = rankable_evaluation(owner=analyst, scale=Evaluation.Scale.ABSOLUTE)
    page = analyst_client.get(reverse("scoring:ranking", args=[evaluation.pk])).text
    sentence = evaluation_decision(evaluation, sensitivity=False).scale_sentence
    assert sentence.startswith("Scores are absolute: 0–10 scores on their 0–10 scale;")
    assert sentence.replace("'", "&#x27;") in page
    text = " ".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(render_report_pdf(build_snapshot(evaluation)))).pages
    )
    assert "Scores are absolute" in " ".join(text.split())
    caption = "weight × the vendor’s value on that criterion, on the scales the note above"
    assert caption in " ".join(text.split())
    assert "compares with the others" not in text


def test_under_relative_scores_the_pdf_chart_says_bars_compare_vendors(analyst):
    evaluation = rankable_evaluation(owner=analyst, scale=Evaluation.Scale.RELATIVE)
    pdf = PdfReader(io.BytesIO(render_report_pdf(build_snapshot(evaluation))))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "weight × how the vendor compares with the others on that criterion" in text
    assert "on the scales the note above" not in text


def test_absolute_with_topsis_is_refused_on_the_scale_field(analyst):
    evaluation = EvaluationFactory(owner=analyst, scale=Evaluation.Scale.ABSOLUTE)
    with pytest.raises(services.SetupError, match="Absolute scoring needs the weighted sum") as exc:
        services.evaluation_update(
            evaluation=evaluation,
            expected_version=evaluation.version,
            user=analyst,
            method="topsis",
        )
    assert exc.value.field == "scale"
    created = services.evaluation_create(
        owner=analyst,
        title="New",
        process=evaluation.process,
        base_currency="USD",
        volume=Decimal(10),
        volume_unit="fte",
        term_months=12,
    )
    assert created.scale == Evaluation.Scale.ABSOLUTE  # the default for new evaluations


def test_the_criteria_page_takes_a_fixed_number_of_queries(
    analyst_client, analyst, django_assert_max_num_queries
):
    evaluation = EvaluationFactory(owner=analyst)
    url = reverse("scoring:criteria", args=[evaluation.pk])
    analyst_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        analyst_client.get(url)
    for n in range(4):
        own_manual(evaluation, analyst, name=f"Own {n}")
    with django_assert_max_num_queries(len(few)):
        analyst_client.get(url)
