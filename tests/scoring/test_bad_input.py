"""Hostile numbers and ids in POSTed forms: each is refused with a message naming the field, nothing
is written, and no request ends in a 500 (SQLite overflows on ids beyond 64 bits; NaN breaks
Decimal comparisons)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from scoring.models import Candidate, Criterion, Evaluation, Score
from tests.factories import (
    AnalystFactory,
    CandidateFactory,
    EvaluationFactory,
    VendorFactory,
    rankable_evaluation,
)
from tests.scoring.test_quote_form import quotable_candidate, quote_data
from tests.scoring.test_setup_views import create_data, edit_data
from tests.scoring.test_weights import PERCENTS, weights_of
from vendors.models import Quote

pytestmark = pytest.mark.django_db

HUGE_IDS = ["99999999999999999999", "9223372036854775808", "-9223372036854775809"]
NOT_FINITE = ["NaN", "nan", "sNaN", "inf", "-inf", "Infinity", "1e400", "-1e400"]


@pytest.fixture
def client_without_raise(analyst_client):
    analyst_client.raise_request_exception = False
    return analyst_client


@pytest.mark.parametrize("value", NOT_FINITE)
def test_a_weight_that_is_not_a_finite_number_is_refused_on_its_field(
    client_without_raise, analyst, value
):
    evaluation = EvaluationFactory(owner=analyst)
    before = weights_of(evaluation)

    response = client_without_raise.post(
        reverse("scoring:weights", args=[evaluation.pk]),
        {"version": evaluation.version, **PERCENTS, "expertise": value},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["expertise"]
    assert errors["expertise"][0] in (
        "Enter a number.",
        "Ensure this value is less than or equal to 100.",
        "Ensure this value is greater than or equal to 0.",
    )
    assert weights_of(evaluation) == before
    evaluation.refresh_from_db()
    assert evaluation.version == 1


def test_the_weights_total_leaves_out_a_refused_value(client_without_raise, analyst):
    evaluation = EvaluationFactory(owner=analyst)

    response = client_without_raise.post(
        reverse("scoring:weights", args=[evaluation.pk]),
        {"version": evaluation.version, **PERCENTS, "expertise": "1e400"},
    )

    assert response.context["total"] == 85  # 100 without expertise's 15
    assert response.context["gap_text"] == "15.00 short of 100"


@pytest.mark.parametrize("value", HUGE_IDS)
def test_a_vendor_id_beyond_64_bits_is_refused_when_adding_candidates(
    client_without_raise, analyst, value
):
    evaluation = EvaluationFactory(owner=analyst)

    response = client_without_raise.post(
        reverse("scoring:candidate_add", args=[evaluation.pk]), {"vendors": value}, follow=True
    )

    assert response.status_code == 200
    assert (
        f"Suggested vendors: Select a valid choice. {value} is not one of the available choices."
        in [str(m) for m in response.context["messages"]]
    )
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("value", [*HUGE_IDS, "-1", "abc"])
def test_a_member_id_beyond_64_bits_or_not_a_number_is_refused_on_the_team_form(
    client_without_raise, analyst, value
):
    evaluation = EvaluationFactory(owner=analyst)
    colleague = AnalystFactory()

    response = client_without_raise.post(
        reverse("scoring:team", args=[evaluation.pk]), {"members": [colleague.pk, value]}
    )

    assert response.status_code == 200
    assert "members" in response.context["form"].errors
    assert value in response.context["form"].errors["members"][0]
    assert not evaluation.team.exists()


@pytest.mark.parametrize("field", ["required_certifications", "allowed_delivery_models", "process"])
@pytest.mark.parametrize("value", HUGE_IDS)
def test_an_id_beyond_64_bits_is_refused_on_the_edit_form(
    client_without_raise, analyst, field, value
):
    evaluation = EvaluationFactory(owner=analyst, title="Before")

    response = client_without_raise.post(
        reverse("scoring:evaluation_edit", args=[evaluation.pk]),
        edit_data(evaluation, title="After", **{field: value}),
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert "Select a valid choice" in response.context["form"].errors[field][0]
    evaluation.refresh_from_db()
    assert (evaluation.title, evaluation.version) == ("Before", 1)
    assert not evaluation.required_certifications.exists()


@pytest.mark.parametrize("value", NOT_FINITE)
def test_a_volume_or_budget_that_is_not_a_finite_number_is_refused_on_create(
    client_without_raise, value
):
    response = client_without_raise.post(
        reverse("scoring:evaluation_create"), create_data(volume=value, budget_cap=value)
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"volume", "budget_cap"}
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [("delivery_model", v) for v in HUGE_IDS]
    + [(name, v) for name in ("unit_price", "transition_fee", "quality_pct") for v in NOT_FINITE],
)
def test_a_quote_with_a_huge_id_or_a_non_finite_number_is_refused_on_its_field(
    client_without_raise, analyst, field, value
):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation)

    response = client_without_raise.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]), quote_data(**{field: value})
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Quote.objects.exists()


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400", "nan"])
def test_saving_what_if_weights_that_are_not_finite_is_refused_with_a_message(
    client_without_raise, value
):
    evaluation = rankable_evaluation()
    client_without_raise.force_login(evaluation.owner)
    before = weights_of(evaluation)

    response = client_without_raise.post(
        reverse("scoring:what_if_save", args=[evaluation.pk]),
        {"w_expertise": value, "w_cost": "50", "version": evaluation.version},
        follow=True,
    )

    assert response.status_code in (200, 400)
    if response.status_code == 200:
        messages = [str(m) for m in response.context["messages"]]
        assert any(m.startswith("Your weights were not saved") for m in messages)
    assert weights_of(evaluation) == before


@pytest.mark.parametrize("value", HUGE_IDS)
def test_a_score_cell_with_a_huge_vendor_id_is_a_404_not_a_500(client_without_raise, value):
    evaluation = rankable_evaluation()
    client_without_raise.force_login(evaluation.owner)

    response = client_without_raise.post(
        reverse("scoring:score_save", args=[evaluation.pk]),
        {"vendor": value, "criterion": "1", "value": "5"},
    )

    assert response.status_code == 404


@pytest.mark.parametrize("value", ["NaN", "sNaN", "inf", "1e400", "1e999999999"])
def test_a_score_that_is_not_a_finite_number_is_refused_naming_the_cell(
    client_without_raise, value
):
    evaluation = rankable_evaluation()
    client_without_raise.force_login(evaluation.owner)
    vendor = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name="Zeta")).vendor
    criterion = Criterion.objects.get(key="expertise")

    response = client_without_raise.post(
        reverse("scoring:score_save", args=[evaluation.pk]),
        {"vendor": vendor.pk, "criterion": criterion.pk, "value": value},
    )

    assert response.status_code == 200
    assert escape(f"Score for Zeta on {criterion.name} must be between 0 and 10") in response.text
    assert not Score.objects.filter(vendor=vendor).exists()


@pytest.mark.parametrize("value", ["²", "٣", *HUGE_IDS])
def test_a_list_price_id_that_is_not_an_ascii_number_opens_the_empty_form(
    client_without_raise, value
):
    evaluation = rankable_evaluation()
    client_without_raise.force_login(evaluation.owner)
    vendor = CandidateFactory(evaluation=evaluation, vendor=VendorFactory(name="Zeta")).vendor

    response = client_without_raise.get(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]), {"list_price": value}
    )

    assert response.status_code == 200
    assert response.context["form"].initial.get("unit_price") is None
    assert response.context["form"].initial["currency"] == "USD"


def test_compare_ignores_vendor_ids_in_other_scripts_digits(client_without_raise):
    evaluation = rankable_evaluation()
    client_without_raise.force_login(evaluation.owner)
    first, second = evaluation.candidates.order_by("pk")[:2]

    response = client_without_raise.get(
        reverse("scoring:compare", args=[evaluation.pk]),
        {"vendor": ["²", str(first.vendor_id), str(second.vendor_id)]},
    )

    assert response.status_code == 200
    assert "Alpha BPO" in response.text and "Beta BPO" in response.text


@pytest.mark.parametrize("value", HUGE_IDS)
def test_a_term_beyond_64_bits_is_refused_on_its_field(client_without_raise, value):
    response = client_without_raise.post(
        reverse("scoring:evaluation_create"), create_data(term_months=value)
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["term_months"]
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("value", HUGE_IDS)
def test_a_minimum_term_beyond_64_bits_is_refused_on_the_quote_form(
    client_without_raise, analyst, value
):
    evaluation = EvaluationFactory(owner=analyst)
    vendor = quotable_candidate(evaluation)

    response = client_without_raise.post(
        reverse("scoring:quote_edit", args=[evaluation.pk, vendor.pk]),
        quote_data(minimum_term_months=value),
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["minimum_term_months"]
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/evaluations/99999999999999999999/",
        "/evaluations/99999999999999999999/weights/",
        "/evaluations/1/quotes/99999999999999999999/",
        "/vendors/99999999999999999999/",
    ],
)
def test_an_id_beyond_64_bits_in_the_path_is_a_404(client_without_raise, analyst, url):
    EvaluationFactory(owner=analyst)

    assert client_without_raise.get(url).status_code == 404


@pytest.mark.parametrize(
    "url,data,field",
    [
        (
            "/admin/scoring/evaluation/add/",
            {"required_certifications": HUGE_IDS[0]},
            "required_certifications",
        ),
        ("/admin/auth/group/add/", {"name": "Auditors", "permissions": HUGE_IDS[0]}, "permissions"),
    ],
)
def test_an_id_beyond_64_bits_in_an_admin_form_is_refused_on_its_field(
    client_without_raise, superuser, url, data, field
):
    from django.contrib.auth.models import Group

    client_without_raise.force_login(superuser)

    response = client_without_raise.post(url, data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert "Select a valid choice" in response.context["adminform"].form.errors[field][0]
    assert not Evaluation.objects.exists() and not Group.objects.filter(name="Auditors").exists()


def test_an_in_lookup_with_an_id_beyond_64_bits_finds_nothing_rather_than_crashing(analyst):
    from vendors.models import Vendor

    vendor = VendorFactory()

    found = set(Vendor.objects.filter(pk__in=[vendor.pk, 2**64, -(2**64)]))

    assert found == {vendor}
    assert not Vendor.objects.filter(pk__in=[2**64]).exists()
