"""Ranking page, what-if re-ranking and saving, the SVG chart and the sensitivity panel."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import Candidate, Criterion, Evaluation, EvaluationWeight
from tests.factories import AnalystFactory, scored_evaluation

pytestmark = pytest.mark.django_db

READ_URLS = ["ranking", "what_if", "ranking_chart", "sensitivity"]


@pytest.fixture
def evaluation(analyst):
    """Three vendors: the first best on every score, the last by far the cheapest."""
    evaluation = scored_evaluation(3, owner=analyst)
    _vendors(evaluation)[-1].quotes.update(unit_price=Decimal("100"))
    return evaluation


def _vendors(evaluation):
    return [
        c.vendor for c in Candidate.objects.filter(evaluation=evaluation).order_by("vendor__name")
    ]


def _url(name, evaluation):
    return reverse(f"scoring:{name}", args=[evaluation.pk])


def _weights(evaluation):
    return dict(
        EvaluationWeight.objects.filter(evaluation=evaluation).values_list(
            "criterion__key", "weight"
        )
    )


def _only(key, value=100):
    return {
        f"w_{c.key}": value if c.key == key else 0
        for c in Criterion.objects.exclude(key="hours_overlap")
    }


def _order(html, vendors):
    return sorted(vendors, key=lambda v: html.index(f">{v.name}</a>"))


# --------------------------------------------------------------------------- roles


def test_anonymous_users_are_sent_to_log_in(client, evaluation):
    for name in [*READ_URLS, "what_if_save"]:
        response = client.get(_url(name, evaluation))
        assert response.status_code == 302, name
        assert response.url.startswith("/login/")


def test_another_teams_analyst_gets_404_on_every_url(client, evaluation):
    client.force_login(AnalystFactory())
    before = _weights(evaluation)

    for name in READ_URLS:
        assert client.get(_url(name, evaluation)).status_code == 404, name
    response = client.post(_url("what_if_save", evaluation), {**_only("cost"), "version": 1})

    assert response.status_code == 404
    assert _weights(evaluation) == before


def test_a_manager_reads_everything_but_cannot_save_weights(manager_client, evaluation):
    before = _weights(evaluation)
    for name in READ_URLS:
        assert manager_client.get(_url(name, evaluation)).status_code == 200, name

    response = manager_client.post(
        _url("what_if_save", evaluation), {**_only("cost"), "version": 1}
    )

    assert response.status_code == 403
    assert _weights(evaluation) == before
    page = manager_client.get(_url("ranking", evaluation)).content.decode()
    assert _url("what_if_save", evaluation) not in page


def test_weights_of_an_approved_evaluation_cannot_be_saved(analyst_client, evaluation):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.APPROVED)
    before = _weights(evaluation)

    response = analyst_client.post(
        _url("what_if_save", evaluation), {**_only("cost"), "version": 1}
    )

    assert response.status_code == 403
    assert _weights(evaluation) == before


def test_saving_weights_is_post_only(analyst_client, evaluation):
    assert analyst_client.get(_url("what_if_save", evaluation)).status_code == 405


# --------------------------------------------------------------------------- ranking page


def test_the_ranking_page_shows_the_ranked_table_chart_and_sliders(analyst_client, evaluation):
    response = analyst_client.get(_url("ranking", evaluation))

    html = response.content.decode()
    assert _order(html, _vendors(evaluation)) == _vendors(evaluation)
    assert f'<img src="{_url("ranking_chart", evaluation)}"' in html
    assert html.count('type="range"') == Criterion.objects.exclude(key="hours_overlap").count()
    assert 'for="w-cost"' in html and 'id="w-cost"' in html
    assert 'hx-trigger="input changed delay:150ms"' in html
    assert "$1,450,000" in html  # TCO formatted in the base currency, whole units


def test_unranked_vendors_are_listed_with_reasons_above_the_ranking(analyst_client, evaluation):
    unquoted = _vendors(evaluation)[0]
    unquoted.quotes.all().delete()

    html = analyst_client.get(_url("ranking", evaluation)).content.decode()

    warnings = html[: html.index('id="ranking-results"')]
    assert "1 vendor is not ranked: missing scores or quotes." in warnings
    assert unquoted.name in warnings and "No quote yet" in warnings
    table = html[html.index('id="ranking-table"') :]
    assert f">{unquoted.name}</a>" not in table


def test_what_if_reorders_without_saving_anything(analyst_client, evaluation):
    vendors = _vendors(evaluation)
    before = _weights(evaluation)

    response = analyst_client.get(_url("what_if", evaluation), _only("cost"))

    html = response.content.decode()
    assert response.status_code == 200
    assert _order(html, vendors)[0] == vendors[-1]
    assert "What-if" in html
    assert "w_cost=100" in html  # the chart follows the sliders
    evaluation.refresh_from_db()
    assert evaluation.version == 1
    assert _weights(evaluation) == before


def test_what_if_can_switch_the_method(analyst_client, evaluation):
    response = analyst_client.get(_url("what_if", evaluation), {"method": "topsis"})

    assert "Ranked by TOPSIS" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.method == "wsm"


@pytest.mark.parametrize("view", ["ranking", "what_if", "ranking_chart", "sensitivity"])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"w_cost": "lots"}, "Weight w_cost: enter a number, not 'lots'."),
        ({"method": "magic"}, "Unknown method 'magic'; use one of wsm, topsis."),
        ({"w_charm": "10"}, "Unknown criterion 'charm' in the weights."),
        ({"w_cost": "-5"}, "The weight of 'cost' must be a number >= 0, got -5.0."),
    ],
)
def test_every_ranking_view_answers_bad_what_if_parameters_with_400_and_why(
    analyst_client, evaluation, view, params, message
):
    response = analyst_client.get(_url(view, evaluation), params)

    assert response.status_code == 400
    assert response.content.decode() == message


def test_save_these_weights_normalises_them_and_bumps_the_version(analyst_client, evaluation):
    sliders = _only("cost", 30) | {"w_expertise": 10}

    response = analyst_client.post(
        _url("what_if_save", evaluation), {**sliders, "version": 1}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == _url("ranking", evaluation)
    evaluation.refresh_from_db()
    assert evaluation.version == 2
    weights = _weights(evaluation)
    assert weights["cost"] == Decimal("75.00") and weights["expertise"] == Decimal("25.00")
    assert sum(weights.values()) == Decimal("100.00")


def test_save_these_weights_also_keeps_a_switched_method(analyst_client, evaluation):
    response = analyst_client.post(
        _url("what_if_save", evaluation), {**_only("cost"), "method": "topsis", "version": 1}
    )

    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.method == "topsis"
    assert _weights(evaluation)["cost"] == Decimal("100.00")


def test_save_these_weights_refuses_a_stale_version(analyst_client, evaluation):
    Evaluation.objects.filter(pk=evaluation.pk).update(version=3)
    before = _weights(evaluation)

    response = analyst_client.post(
        _url("what_if_save", evaluation), {**_only("cost"), "version": 1}, follow=True
    )

    html = response.content.decode()
    assert "Your weights were not saved" in html
    assert "changed by someone else" in html
    assert "What-if" in html  # the sliders keep the user's weights
    evaluation.refresh_from_db()
    assert evaluation.version == 3
    assert _weights(evaluation) == before


def test_the_chart_is_an_svg_that_follows_the_what_if_weights(analyst_client, evaluation):
    stored = analyst_client.get(_url("ranking_chart", evaluation))
    what_if = analyst_client.get(_url("ranking_chart", evaluation), _only("cost"))

    assert stored["Content-Type"] == "image/svg+xml"
    assert stored.content.lstrip().startswith(b"<?xml") or b"<svg" in stored.content[:400]
    assert b"Cost (TCO)" in stored.content
    assert stored.content != what_if.content


def test_the_sensitivity_panel_names_the_weight_change_that_flips_the_winner(
    analyst_client, evaluation
):
    cheapest = _vendors(evaluation)[-1]

    html = analyst_client.get(_url("sensitivity", evaluation)).content.decode()

    assert f"→ {cheapest.name} leads" in html
    assert "none within 0–100 %" in html
    assert "Ranked first" in html and 'src="data:image/svg+xml;base64,' in html


def test_the_sensitivity_panel_explains_when_it_cannot_run(analyst_client, analyst):
    lonely = scored_evaluation(1, owner=analyst)

    html = analyst_client.get(_url("sensitivity", lonely)).content.decode()

    assert "at least two ranked vendors" in html


# --------------------------------------------------------------------------- queries


@pytest.mark.parametrize("name", ["ranking", "what_if"])
def test_queries_do_not_grow_with_candidates(analyst_client, analyst, name):
    small = scored_evaluation(5, evaluators=2, owner=analyst)
    large = scored_evaluation(50, evaluators=2, owner=analyst)
    analyst_client.get(_url(name, small))

    with CaptureQueriesContext(connection) as few:
        assert analyst_client.get(_url(name, small), _only("cost")).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert analyst_client.get(_url(name, large), _only("cost")).status_code == 200

    assert len(few) == len(many) <= 25
