"""Every log line names the request that wrote it; the id comes back in X-Request-ID and follows
the request into the tasks it starts."""

import io
import json
import logging
import sys

import pytest
from django.test import TestCase
from django.urls import reverse

from background.models import TaskRun
from bpo_select.logs import JsonFormatter, KeyValueFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The root logger's output through the project's filter and key=value formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(KeyValueFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: stream.getvalue().splitlines()
    root.removeHandler(handler)


def test_an_incoming_request_id_is_returned_and_on_the_request_log_line(analyst_client, log_lines):
    response = analyst_client.get(reverse("vendors:directory"), HTTP_X_REQUEST_ID="lb-1234")
    assert response["X-Request-ID"] == "lb-1234"
    [line] = [line for line in log_lines() if "logger=bpo_select.requests" in line]
    assert "request_id=lb-1234" in line
    assert "method=GET path=/vendors/ status=200" in line


def test_the_app_time_is_in_server_timing_and_matches_the_log_line(analyst_client, log_lines):
    response = analyst_client.get(reverse("vendors:directory"))
    name, duration = response["Server-Timing"].split(";dur=")
    [line] = [line for line in log_lines() if "logger=bpo_select.requests" in line]
    assert name == "app"
    assert f"duration_ms={duration} " in line


def test_a_request_without_an_id_gets_a_new_one(client):
    first, second = client.get("/login/"), client.get("/login/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_an_unsafe_incoming_id_is_replaced_not_logged(client, log_lines):
    response = client.get("/login/", HTTP_X_REQUEST_ID="evil\nlevel=ERROR forged")
    assert response["X-Request-ID"] != "evil\nlevel=ERROR forged"
    assert not any("forged" in line for line in log_lines())


def test_the_request_log_line_leaves_out_the_query_string(analyst_client, log_lines):
    analyst_client.get(reverse("vendors:directory"), {"q": "secret-token"})
    assert not any("secret-token" in line for line in log_lines())


def test_a_task_started_by_a_request_logs_with_that_requests_id(analyst_client, log_lines):
    with TestCase.captureOnCommitCallbacks(execute=True):
        analyst_client.post(reverse("vendors:directory_export"), HTTP_X_REQUEST_ID="req-42")
    assert TaskRun.objects.get().request_id == "req-42"
    task_lines = [line for line in log_lines() if "logger=bpo_select.tasks" in line]
    assert task_lines and all("request_id=req-42" in line for line in task_lines)


def test_json_lines_carry_the_same_fields():
    record = logging.LogRecord("bpo_select.requests", logging.INFO, "", 0, "hello %s", ("x",), None)
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "hello x"
    assert entry["request_id"] == "-"
    assert entry["level"] == "INFO" and entry["logger"] == "bpo_select.requests"


def test_a_denied_request_is_one_line_without_a_traceback(client, log_lines):
    from tests.factories import VendorAdminFactory

    client.force_login(VendorAdminFactory())
    response = client.get(reverse("scoring:evaluation_list"))

    assert response.status_code == 403
    lines = log_lines()
    assert any("logger=django.request" in line and "Forbidden" in line for line in lines)
    assert not any(line.startswith("Traceback") for line in lines)


def test_a_server_error_keeps_its_traceback():
    from bpo_select.logs import ClientErrorFilter

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        error = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), error)
    record.status_code = 500

    assert ClientErrorFilter().filter(record) and record.exc_info is error
