"""The dashboard's "New evaluation" (analysts only) and the Team tab in an evaluation's tab bar."""

from django.urls import reverse

from tests.factories import EvaluationFactory


def test_an_analyst_starts_a_new_evaluation_from_the_dashboard(analyst_client):
    html = analyst_client.get(reverse("dashboard")).content.decode()

    assert f'href="{reverse("scoring:evaluation_create")}"' in html
    assert "New evaluation" in html


def test_a_manager_gets_no_new_evaluation_button(manager_client):
    html = manager_client.get(reverse("dashboard")).content.decode()

    assert reverse("scoring:evaluation_create") not in html


def test_the_tab_bar_has_team_and_marks_it_current_on_the_team_page(analyst, analyst_client):
    evaluation = EvaluationFactory(owner=analyst)
    team = reverse("scoring:team", args=[evaluation.pk])

    overview = analyst_client.get(evaluation.get_absolute_url()).content.decode()
    page = analyst_client.get(team).content.decode()

    assert f'href="{team}">Team</a>' in overview
    assert f'active" aria-current="page" href="{team}">Team</a>' in page
