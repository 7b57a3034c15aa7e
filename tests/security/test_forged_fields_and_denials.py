"""Forged fields and denials: posting an evaluation's protected fields (owner, team, status,
version, approver, decision, report hash) to any of its forms changes none of them; refused
requests are logged with who, what and when, never a password or a session id."""

import pytest
from django.test import Client
from django.urls import reverse

from scoring.models import Evaluation
from tests.security.test_access_matrix import OK, RULES, url_for

# --- Mass assignment ------------------------------------------------------------------------------

FORGED_FIELDS = ("owner", "team", "status", "version", "approver", "decided_at", "report_sha256")
EVALUATION_FORMS = [
    "scoring:evaluation_edit",
    "scoring:team",
    "scoring:weights",
    "scoring:weights_ahp",
    "scoring:candidates",
    "scoring:candidate_add",
    "scoring:candidate_exclude",
    "scoring:tco",
    "scoring:baseline",
    "scoring:quote_edit",
    "scoring:delivery_mix",
    "scoring:score_save",
    "scoring:what_if_save",
]


def protected_state(evaluation: Evaluation) -> dict:
    evaluation.refresh_from_db()
    return {
        "owner": evaluation.owner_id,
        "status": evaluation.status,
        "approver": evaluation.approver_id,
        "decided_at": evaluation.decided_at,
        "report_sha256": evaluation.report_sha256,
        "team": sorted(evaluation.team.values_list("pk", flat=True)),
        "version": evaluation.version,
    }


def form_data(client, url) -> dict:
    """What the page's form would post unchanged (its bound values), if it has one."""
    page = client.get(url)
    form = page.context.get("form") if page.context else None
    data = {}
    if form is not None:
        for bound in form:
            value = bound.value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [getattr(v, "pk", v) for v in value]
            else:
                data[bound.html_name] = getattr(value, "pk", value)
    return data


# These accept the page's own form data (302): the forged extras were ignored, not the whole POST.
SAVED_WITH_FORGERIES = {
    "scoring:evaluation_edit",
    "scoring:team",
    "scoring:weights",
    "scoring:candidate_add",
    "scoring:candidate_exclude",
    "scoring:quote_edit",
    "scoring:delivery_mix",
    "scoring:what_if_save",
}


@pytest.mark.parametrize("name", EVALUATION_FORMS)
def test_posting_protected_fields_to_an_evaluation_form_changes_none_of_them(world, name, client):
    evaluation = world.draft
    before = protected_state(evaluation)
    client.force_login(world.owner)
    url = url_for(name, world)
    rule = RULES[name]
    data = form_data(client, url) if rule.get["owner"] == OK else {}
    data |= rule.data(world) if rule.data else {}
    forged = {
        "owner": world.outsider.pk,
        "team": [world.outsider.pk],
        "status": "approved",
        "version": 999,
        "approver": world.manager.pk,
        "decided_at": "2030-01-01 00:00",
        "report_sha256": "f" * 64,
    }
    for key, value in forged.items():
        if name == "scoring:evaluation_edit" and key == "version":
            continue  # the edit form's own optimistic lock field
        if not (name == "scoring:team" and key == "team"):
            data.setdefault(key, value)

    response = client.post(url, data)

    if name in SAVED_WITH_FORGERIES:
        assert response.status_code == 302, "the real fields must save, the forged ones be ignored"
    assert response.status_code < 500
    after = protected_state(evaluation)
    assert after["version"] in (before["version"], before["version"] + 1)  # a real save bumps it
    if name == "scoring:team":
        before.pop("team"), after.pop("team")
    before.pop("version"), after.pop("version")
    assert after == before


# --- Denied requests are logged -------------------------------------------------------------------


def test_denied_requests_are_logged_with_user_method_path_and_time_but_no_secrets(world, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.outsider)
    session_id = client.cookies["sessionid"].value
    caplog.set_level("WARNING", logger="bpo_select.security")

    client.get(reverse("scoring:ranking", args=[world.draft.pk]))  # 404: another team's
    client.get(reverse("vendors:import"))  # 403: wrong role
    client.post(reverse("scoring:score_save", args=[world.draft.pk]), {"password": "hunter2-x"})

    lines = [r.getMessage() for r in caplog.records if r.name == "bpo_select.security"]
    assert len(lines) == 3
    assert lines[0].startswith(
        f"denied 404 GET /evaluations/{world.draft.pk}/ranking/ user=outsider#"
    )
    assert lines[1].startswith("denied 403 GET /vendors/import/ user=outsider#")
    assert lines[2].startswith(f"denied 403 POST /evaluations/{world.draft.pk}/scores/save/")
    assert "CSRF" in lines[2]
    assert all(" at=20" in line for line in lines)
    assert session_id not in caplog.text and "hunter2-x" not in caplog.text
    assert "csrftoken" not in caplog.text and "sessionid" not in caplog.text


def test_an_anonymous_csrf_failure_is_logged_as_anonymous_without_the_password(world, caplog):
    caplog.set_level("WARNING", logger="bpo_select.security")
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "owner", "password": "y-secret-1"})

    assert response.status_code == 403
    [line] = [r.getMessage() for r in caplog.records if r.name == "bpo_select.security"]
    assert line.startswith("denied 403 POST /login/ user=anonymous at=")
    assert "y-secret-1" not in caplog.text
