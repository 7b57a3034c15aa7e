"""Create and edit an evaluation, and set its team."""

from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import Evaluation
from tests.factories import (
    AnalystFactory,
    CandidateFactory,
    EvaluationFactory,
    ExchangeRateFactory,
    ManagerFactory,
    certification,
    delivery_model,
    process,
)

pytestmark = pytest.mark.django_db


def create_data(**overrides):
    data = {
        "title": "Helpdesk 2027",
        "process": process("technical-support-helpdesk").pk,
        "volume": "25",
        "volume_unit": "fte",
        "term_months": "24",
        "base_currency": "USD",
        "budget_cap": "2000000",
        "required_certifications": [certification("iso-27001").pk],
        "allowed_delivery_models": [delivery_model("offshore").pk],
        "method": "topsis",
    }
    return data | overrides


def edit_data(evaluation, **overrides):
    return create_data(version=evaluation.version, process=evaluation.process_id) | overrides


def test_an_analyst_creates_an_evaluation_and_lands_on_candidates(analyst_client, analyst):
    response = analyst_client.post(reverse("scoring:evaluation_create"), create_data())

    evaluation = Evaluation.objects.get(title="Helpdesk 2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("scoring:candidates", args=[evaluation.pk])
    assert evaluation.owner == analyst
    assert evaluation.status == Evaluation.Status.DRAFT
    assert evaluation.version == 1
    assert evaluation.volume == Decimal("25")
    assert evaluation.method == "topsis"
    assert list(evaluation.required_certifications.all()) == [certification("iso-27001")]
    assert list(evaluation.allowed_delivery_models.all()) == [delivery_model("offshore")]


def test_new_evaluations_copy_the_process_default_profile_else_balanced(analyst_client):
    analyst_client.post(
        reverse("scoring:evaluation_create"),
        create_data(title="Payroll", process=process("payroll-benefits-administration").pk),
    )
    analyst_client.post(reverse("scoring:evaluation_create"), create_data(title="Helpdesk"))

    payroll = dict(
        Evaluation.objects.get(title="Payroll").weights.values_list("criterion__key", "weight")
    )
    helpdesk = dict(
        Evaluation.objects.get(title="Helpdesk").weights.values_list("criterion__key", "weight")
    )
    assert payroll["data_security"] == Decimal("25")
    assert helpdesk["cost"] == Decimal("20")  # "Balanced"
    assert sum(payroll.values()) == sum(helpdesk.values()) == 100


def test_the_base_currency_choices_are_currencies_with_rates_plus_usd_and_eur(analyst_client):
    ExchangeRateFactory(currency="USD", base_currency="GBP", rate=Decimal("0.79"))

    response = analyst_client.get(reverse("scoring:evaluation_create"))

    assert [code for code, _ in response.context["form"].fields["base_currency"].choices] == [
        "EUR",
        "GBP",
        "USD",
    ]


def test_creation_names_the_bad_field_and_writes_nothing(analyst_client):
    response = analyst_client.post(
        reverse("scoring:evaluation_create"), create_data(term_months="0", volume="-3")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "term_months" in errors and "volume" in errors
    assert "Contract term (months)" in response.text
    assert not Evaluation.objects.exists()


def test_creation_ignores_owner_status_and_version_in_the_post(analyst_client, analyst):
    other = AnalystFactory()
    analyst_client.post(
        reverse("scoring:evaluation_create"),
        create_data(
            owner=other.pk, status="approved", version="99", approver=other.pk, team=[other.pk]
        ),
    )

    evaluation = Evaluation.objects.get()
    assert (evaluation.owner, evaluation.status, evaluation.version) == (analyst, "draft", 1)
    assert evaluation.approver is None
    assert not evaluation.team.exists()


def test_managers_cannot_create_evaluations(manager_client):
    response = manager_client.post(reverse("scoring:evaluation_create"), create_data())

    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client):
    url = reverse("scoring:evaluation_create")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_owner_edits_the_evaluation_and_the_version_goes_up(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)

    response = analyst_client.post(
        reverse("scoring:evaluation_edit", args=[evaluation.pk]),
        edit_data(evaluation, title="Renamed", volume="40", status="approved", owner=""),
    )

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.title, evaluation.volume, evaluation.version) == ("Renamed", 40, 2)
    assert evaluation.status == "draft"
    assert evaluation.owner == analyst


def test_a_stale_edit_is_refused_with_a_clear_message(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst, title="Original")
    Evaluation.objects.filter(pk=evaluation.pk).update(version=3)

    response = analyst_client.post(
        reverse("scoring:evaluation_edit", args=[evaluation.pk]),
        edit_data(evaluation, title="Mine", version=1),
    )

    assert response.status_code == 200
    assert "changed by someone else since you opened it (now version 3)" in response.text
    evaluation.refresh_from_db()
    assert (evaluation.title, evaluation.version) == ("Original", 3)


def test_the_process_cannot_change_once_candidates_exist(analyst_client, analyst):
    evaluation = CandidateFactory(evaluation__owner=analyst).evaluation

    response = analyst_client.post(
        reverse("scoring:evaluation_edit", args=[evaluation.pk]),
        edit_data(evaluation, process=process("payroll-benefits-administration").pk),
    )

    assert "The process cannot change once vendors were added" in str(
        response.context["form"].errors["process"]
    )
    evaluation.refresh_from_db()
    assert evaluation.process == process()


def test_the_team_owner_adds_and_removes_analysts(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    leaving, joining = AnalystFactory(), AnalystFactory()
    evaluation.team.add(leaving)

    response = analyst_client.post(
        reverse("scoring:team", args=[evaluation.pk]), {"members": [joining.pk]}
    )

    assert response.status_code == 302
    assert list(evaluation.team.all()) == [joining]


def test_only_analysts_can_be_picked_for_the_team(analyst_client, analyst):
    evaluation = EvaluationFactory(owner=analyst)
    boss = ManagerFactory()

    response = analyst_client.post(
        reverse("scoring:team", args=[evaluation.pk]), {"members": [boss.pk]}
    )

    assert "members" in response.context["form"].errors
    assert not evaluation.team.exists()


def test_a_team_member_cannot_change_the_team(client):
    evaluation = EvaluationFactory()
    member, other = AnalystFactory(), AnalystFactory()
    evaluation.team.add(member)
    client.force_login(member)

    response = client.post(reverse("scoring:team", args=[evaluation.pk]), {"members": [other.pk]})

    assert response.status_code == 403
    assert list(evaluation.team.all()) == [member]


SCREENS = [
    ("scoring:evaluation_edit", lambda e: edit_data(e, title="Hacked")),
    ("scoring:team", lambda e: {"members": []}),
]


@pytest.mark.parametrize(("name", "data"), SCREENS)
def test_another_teams_analyst_gets_404(client, name, data):
    evaluation = EvaluationFactory()
    client.force_login(AnalystFactory())
    url = reverse(name, args=[evaluation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, data(evaluation)).status_code == 404


@pytest.mark.parametrize(("name", "data"), SCREENS)
def test_a_manager_reads_but_cannot_post(manager_client, name, data):
    evaluation = EvaluationFactory(title="Kept")
    url = reverse(name, args=[evaluation.pk])

    assert manager_client.get(url).status_code == 200
    assert manager_client.post(url, data(evaluation)).status_code == 403
    evaluation.refresh_from_db()
    assert (evaluation.title, evaluation.version) == ("Kept", 1)


@pytest.mark.parametrize(("name", "data"), SCREENS)
def test_an_approved_evaluation_cannot_change(analyst_client, analyst, name, data):
    evaluation = EvaluationFactory(owner=analyst, status=Evaluation.Status.APPROVED, title="Kept")
    url = reverse(name, args=[evaluation.pk])

    response = analyst_client.post(url, data(evaluation))

    assert response.status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.title == "Kept"


@pytest.mark.parametrize(("name", "data"), SCREENS)
def test_anonymous_users_are_sent_to_log_in_from_every_screen(client, name, data):
    evaluation = EvaluationFactory()
    response = client.get(reverse(name, args=[evaluation.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_edit_form_is_disabled_for_managers(manager_client):
    evaluation = EvaluationFactory()
    response = manager_client.get(reverse("scoring:evaluation_edit", args=[evaluation.pk]))
    assert response.context["form"].fields["title"].disabled
    assert "Save changes" not in response.text
