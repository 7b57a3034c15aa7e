"""The schema is the contract: OpenAPI 3.1, behind a login, with a docs page from static files;
schemathesis drives every operation with the demo data and finds no 5xx and no response that
breaks the schema."""

import io

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.tokens import token_create
from bpo_select.wsgi import application
from scoring.models import Evaluation
from tests.api.conftest import client_for
from vendors.models import Vendor

pytestmark = pytest.mark.django_db
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]
EXAMPLES_PER_OPERATION = 8


def test_the_schema_is_openapi_3_1_and_needs_a_login(analyst):
    anonymous = APIClient().get(reverse("api:schema"))
    schema = client_for(analyst).get(reverse("api:schema") + "?format=json").json()

    assert anonymous.status_code == 401
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/vendors/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_docs_page_loads_swagger_ui_from_static_files_without_inline_script(analyst_client):
    page = analyst_client.get(reverse("api:docs")).content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/static/js/api-docs.js" in page
    assert "<script>" not in page and "<style" not in page and "cdn" not in page.lower()
    assert f'data-schema-url="{reverse("api:schema")}"' in page
    assert analyst_client.get("/static/js/api-docs.js").status_code == 200


@pytest.fixture
def connections_kept_open():
    """schemathesis calls the WSGI app itself, where Django closes the database connection when a
    request ends; Django's test client keeps it open for the test's transaction: so do we
    (PostgreSQL answered "the connection is closed" from the second request on)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("connections_kept_open")
def test_schemathesis_finds_no_server_error_and_no_schema_violation():
    call_command("seed_demo", stdout=io.StringIO())
    root = User.objects.create_superuser("fuzzer", "fuzzer@example.com", "x" * 16)
    _token, secret = token_create(user=root, name="schemathesis")
    auth = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, headers=auth)
    real = {
        "id": [e.pk for e in Evaluation.objects.order_by("pk")] + [Vendor.objects.first().pk],
        "vendor_pk": list(Vendor.objects.order_by("pk").values_list("pk", flat=True)[:5]),
    }
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:

        @given(case=operation.as_strategy(), data=st.data())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case, data):
            for name, choices in real.items():
                # Half the cases name real rows, so the happy paths are driven too.
                if name in (case.path_parameters or {}) and data.draw(st.booleans()):
                    case.path_parameters[name] = data.draw(st.sampled_from(choices))
            case.call_and_validate(headers=auth, checks=CHECKS)

        run()
