"""The import page: vendor admins upload, preview and commit; everyone else is turned away."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from background.models import TaskRun
from tests.factories import QuoteFactory, VendorAdminFactory, VendorFactory, process
from tests.vendors.importing_helpers import GOOD_QUOTE, QUOTE_HEADER, csv_bytes, db_state
from vendors import importing
from vendors.models import Quote, Vendor

pytestmark = pytest.mark.django_db
IMPORT = reverse("vendors:import")
COMMIT = reverse("vendors:import_commit")


def upload(client, rows, kind="quotes", name="quotes.csv", data=None):
    file = SimpleUploadedFile(name, data if data is not None else csv_bytes([QUOTE_HEADER, *rows]))
    return client.post(IMPORT, {"kind": kind, "file": file})


def commit(client, data):
    """Post the commit, then run the task it queued (in-process); returns the response and run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(COMMIT, data)
    run = TaskRun.objects.filter(task_name="vendors.import_commit").first()  # the latest
    if run is not None:
        run.refresh_from_db()
        assert response.url == reverse("background:status", args=[run.pk])
    return response, run


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    return match[1] if match else ""


@pytest.fixture
def acme(db):
    return VendorFactory(name="Acme")


# Who may import


@pytest.mark.parametrize("client_fixture", ["analyst_client", "manager_client"])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", IMPORT),
        ("post", IMPORT),
        ("post", COMMIT),
        ("get", reverse("vendors:import_template", args=["quotes", "csv"])),
    ],
)
def test_analysts_and_managers_are_forbidden(request, client_fixture, method, url, acme):
    client = request.getfixturevalue(client_fixture)
    before = db_state()

    response = getattr(client, method)(url)

    assert response.status_code == 403
    assert db_state() == before


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_superusers_may_import(client, superuser):
    client.force_login(superuser)
    assert client.get(IMPORT).status_code == 200


def test_the_commit_url_is_post_only(vendor_admin_client):
    assert vendor_admin_client.get(COMMIT).status_code == 405


# The page and its templates


def test_the_page_offers_kinds_templates_and_the_column_help(vendor_admin_client):
    response = vendor_admin_client.get(IMPORT)

    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("vendors:import_template", args=["vendors", "xlsx"]) in content
    assert "Payroll &amp; benefits administration: 8y/12 refs" in content
    assert 'accept=".csv,.xlsx"' in content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_template_downloads_with_the_expected_columns(vendor_admin_client, fmt):
    response = vendor_admin_client.get(reverse("vendors:import_template", args=["quotes", fmt]))

    table = importing.load(response.content, f"t.{fmt}", "quotes")
    assert response["Content-Disposition"] == f'attachment; filename="quotes-template.{fmt}"'
    assert list(table.frame.columns) == importing.KINDS["quotes"].names


def test_an_unknown_template_is_404(vendor_admin_client):
    url = reverse("vendors:import_template", args=["people", "csv"])
    assert vendor_admin_client.get(url).status_code == 404


# Preview and commit


def test_a_good_file_previews_then_commits_with_the_admin_in_history(
    vendor_admin_client, vendor_admin, acme
):
    QuoteFactory(vendor=acme, process=process("quality-assurance"), unit_price=10, valid_until=None)
    rows = [GOOD_QUOTE, ["Acme", "Quality assurance", "offshore", "per FTE-month", "12", "USD", ""]]

    preview = upload(vendor_admin_client, rows)
    assert Quote.objects.get().unit_price == 10  # the preview wrote nothing
    response, run = commit(vendor_admin_client, {"token": token_of(preview)})

    assert preview.status_code == 200
    assert preview.context["report"].counts == {"new": 1, "changed": 1, "unchanged": 0, "error": 0}
    assert "unit_price" in preview.content.decode()
    assert response.status_code == 302
    assert run.state == TaskRun.State.SUCCEEDED, run.error
    assert run.result_label.startswith("Imported quotes.csv: 1 new, 1 changed, 0 unchanged.")
    assert (run.done, run.total, run.owner) == (2, 2, vendor_admin)  # rows validated
    assert sorted(Quote.objects.values_list("unit_price", flat=True)) == [12, 1850]
    assert set(
        Quote.history.filter(history_type__in="+~")
        .exclude(history_user=None)
        .values_list("history_user", flat=True)
    ) == {vendor_admin.pk}


@pytest.mark.django_db(transaction=True)
def test_in_process_the_commit_goes_straight_to_the_directory_with_the_counts():
    """No broker (the demo): the task has run when the view answers, so no task page is needed."""
    from tests.factories import ensure_reference_data

    ensure_reference_data()
    client = Client()
    client.force_login(VendorAdminFactory())
    header = importing.KINDS["vendors"].names
    row = [{"name": "Zephyr Support Co", "country": "PH"}.get(column, "") for column in header]
    data = csv_bytes([header, row])
    preview = upload(client, [], kind="vendors", name="vendors.csv", data=data)

    response = client.post(COMMIT, {"token": token_of(preview)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("vendors:directory")
    assert "Imported vendors.csv: 1 new, 0 changed, 0 unchanged." in response.content.decode()
    assert Vendor.objects.filter(name="Zephyr Support Co").exists()
    assert TaskRun.objects.get(task_name="vendors.import_commit").state == TaskRun.State.SUCCEEDED


def test_a_file_with_errors_shows_them_and_offers_no_commit(vendor_admin_client, acme):
    before = db_state()

    response = upload(
        vendor_admin_client,
        [GOOD_QUOTE, ["Acme", "Payrol", "offshore", "per hour", "$5", "USD", ""]],
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "did you mean &quot;Payroll &amp; benefits administration&quot;?" in content
    assert '"$5" is not a number' in content.replace("&quot;", '"')
    assert token_of(response) == ""
    assert "disabled" in content
    assert "vendor_import" not in vendor_admin_client.session
    assert db_state() == before


def test_the_server_refuses_a_commit_without_a_previewed_file(vendor_admin_client, acme):
    upload(
        vendor_admin_client,
        [GOOD_QUOTE, ["Acme", "Payrol", "offshore", "per hour", "5", "USD", ""]],
    )
    before = db_state()

    response = vendor_admin_client.post(COMMIT, {"token": "x" * 32})

    assert response.status_code == 400
    assert "no previewed file" in response.content.decode()
    assert db_state() == before


def test_the_commit_revalidates_against_the_database(vendor_admin_client, acme):
    preview = upload(vendor_admin_client, [GOOD_QUOTE])
    Vendor.objects.filter(pk=acme.pk).update(name="Acme Renamed")
    before = db_state()

    response, run = commit(vendor_admin_client, {"token": token_of(preview)})

    assert response.status_code == 302
    assert run.state == TaskRun.State.FAILED
    assert run.error.startswith(
        "Nothing was imported: 1 row has errors against the current data (it changed since your "
        'preview). Row 2, column vendor: unknown vendor "Acme"'
    )
    page = vendor_admin_client.get(reverse("background:status", args=[run.pk])).content.decode()
    assert "unknown vendor &quot;Acme&quot;" in page
    assert db_state() == before


def test_committing_the_same_preview_twice_imports_it_once(vendor_admin_client, acme):
    token = token_of(upload(vendor_admin_client, [GOOD_QUOTE]))
    commit(vendor_admin_client, {"token": token})

    again = vendor_admin_client.post(COMMIT, {"token": token})

    assert again.status_code == 400
    assert "no previewed file" in again.content.decode()
    assert Quote.objects.count() == 1
    assert TaskRun.objects.filter(task_name="vendors.import_commit").count() == 1


def test_a_token_from_another_session_cannot_be_committed(client, vendor_admin_client, acme):
    preview = upload(vendor_admin_client, [GOOD_QUOTE])
    client.force_login(VendorAdminFactory())
    before = db_state()

    response = client.post(COMMIT, {"token": token_of(preview)})

    assert response.status_code == 400
    assert db_state() == before


def test_a_second_upload_of_the_same_file_is_all_unchanged(vendor_admin_client, acme):
    commit(vendor_admin_client, {"token": token_of(upload(vendor_admin_client, [GOOD_QUOTE]))})

    response = upload(vendor_admin_client, [GOOD_QUOTE])

    assert response.context["report"].counts["unchanged"] == 1
    assert "Nothing to import" in response.content.decode()
    assert token_of(response) == ""


# Files refused as a whole


def test_an_upload_over_the_size_limit_is_413_before_it_is_read(
    vendor_admin_client, settings, acme
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    before = db_state()

    response = upload(vendor_admin_client, [GOOD_QUOTE] * 10)

    assert response.status_code == 413
    assert "larger than the" in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("quotes.csv", b"PK\x03\x04not really", "is a zip archive"),
        ("quotes.xlsx", b"vendor,process\n", "not an Excel .xlsx workbook"),
        ("quotes.csv", b"vendor,colour\nAcme,red\n", "unknown column(s): colour"),
        ("quotes.pdf", b"%PDF-1.7", "is not a .csv or .xlsx file"),
    ],
)
def test_a_file_that_cannot_be_read_is_400_with_the_reason(
    vendor_admin_client, acme, name, data, message
):
    before = db_state()

    response = upload(vendor_admin_client, [], name=name, data=data)

    assert response.status_code == 400
    assert message in response.content.decode().replace("&quot;", '"')
    assert db_state() == before


def test_the_preview_runs_a_constant_number_of_queries(
    vendor_admin_client, django_assert_max_num_queries
):
    vendors = [VendorFactory(name=f"V{i:02d}") for i in range(50)]

    def rows(n):
        return [[v.name, *GOOD_QUOTE[1:]] for v in vendors[:n]]

    upload(vendor_admin_client, rows(1))  # warm the session and the user's groups
    # 11 for the page and the diff, 6 for the validation task's run (created, read, started,
    # progress at start and end, finished): none of them per row.
    with django_assert_max_num_queries(17) as five:
        upload(vendor_admin_client, rows(5))
    with django_assert_max_num_queries(len(five.captured_queries)):
        upload(vendor_admin_client, rows(50))


def test_an_upload_without_a_csrf_token_is_forbidden(vendor_admin, acme):
    client = Client(enforce_csrf_checks=True)
    client.force_login(vendor_admin)
    before = db_state()

    response = upload(client, [GOOD_QUOTE])

    assert response.status_code == 403
    assert "vendor_import" not in client.session
    assert db_state() == before
