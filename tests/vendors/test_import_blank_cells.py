"""An empty cell leaves the stored value as it is; "-" clears it; every deletion is listed in the
preview and needs the admin's confirmation, on the page, in the command and in the service."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from background.models import TaskRun
from tests.factories import (
    DeliveryCentreFactory,
    EvaluationFactory,
    QuoteFactory,
    VendorAdminFactory,
    VendorCertificationFactory,
    VendorFactory,
    VendorProcessFactory,
    certification,
    process,
)
from tests.vendors.importing_helpers import GOOD_QUOTE, QUOTE_HEADER, csv_bytes, db_state
from tests.vendors.test_import_views import commit
from vendors import importing
from vendors.importing import DeletionsUnconfirmed
from vendors.models import ExchangeRate, Quote, Vendor

pytestmark = pytest.mark.django_db
IMPORT = reverse("vendors:import")
COMMIT = reverse("vendors:import_commit")
HEADER = importing.KINDS["vendors"].names  # the template's columns, in its order


def vendor_row(**cells) -> list[str]:
    """A row of the untouched template with only `cells` filled in."""
    return [cells.get(column, "") for column in HEADER]


def vendors_file(*rows) -> importing.Table:
    return importing.load(csv_bytes([HEADER, *rows]), "vendors.csv", "vendors")


@pytest.fixture
def admin(db):
    return VendorAdminFactory(username="importer")


@pytest.fixture
def nova(db):
    vendor = VendorFactory(
        name="Nova Outsourcing",
        country="PH",
        website="https://nova.example",
        description="Multilingual customer care.",
        founded_year=2004,
        headcount=5200,
        languages="English, Tagalog",
    )
    VendorProcessFactory(vendor=vendor, process=process("payroll-benefits-administration"))
    VendorProcessFactory(vendor=vendor, process=process("quality-assurance"), years_experience=3)
    VendorCertificationFactory(vendor=vendor, certification=certification("iso-27001"))
    DeliveryCentreFactory(vendor=vendor, city="Manila", country="PH", seats=1200)
    return vendor


def snapshot(vendor: Vendor) -> tuple:
    vendor.refresh_from_db()
    return (
        vendor.website,
        vendor.description,
        vendor.founded_year,
        vendor.languages,
        vendor.is_active,
        sorted(vendor.offered_processes.values_list("process__slug", "years_experience")),
        sorted(vendor.vendor_certifications.values_list("certification__slug", flat=True)),
        sorted(vendor.centres.values_list("city", "seats")),
    )


# The module: empty cells keep, "-" clears


def test_changing_only_headcount_in_the_template_keeps_every_other_value_and_list(admin, nova):
    before = snapshot(nova)

    report = importing.commit(
        vendors_file(vendor_row(name="Nova Outsourcing", country="PH", headcount="6000")),
        user=admin,
    )

    assert [c.changes for c in report.changes] == [[("headcount", "5200", "6000")]]
    assert report.deletion_count == 0
    assert snapshot(nova) == before
    assert nova.headcount == 6000


def test_a_dash_clears_a_value_and_a_list_only_once_the_deletions_are_confirmed(admin, nova):
    table = vendors_file(
        vendor_row(name="Nova Outsourcing", country="PH", website="-", centres="-", active="")
    )
    before = db_state()

    with pytest.raises(DeletionsUnconfirmed) as unconfirmed:
        importing.commit(table, user=admin)

    deletions = [(d.row, d.column, d.removed) for d in unconfirmed.value.report.deletions]
    assert deletions == [
        (2, "website", '"https://nova.example"'),
        (2, "centres", "Manila, PH, offshore, 1200 seats"),
    ]
    assert db_state() == before

    importing.commit(table, user=admin, confirm_deletions=True)

    nova.refresh_from_db()
    assert (nova.website, nova.centres.count(), nova.is_active) == ("", 0, True)
    assert nova.offered_processes.count() == 2  # its cell was empty


def test_a_list_that_leaves_out_a_stored_item_is_a_deletion_but_a_changed_item_is_not(nova):
    table = vendors_file(
        vendor_row(
            name="Nova Outsourcing",
            country="PH",
            processes="Payroll & benefits administration: 9y/12 refs",
        )
    )

    report, _ = importing.preview(table)

    assert [(d.column, d.removed) for d in report.deletions] == [
        ("processes", "Quality assurance: 3y/12 refs")
    ]


def test_a_confirmation_of_other_deletions_than_those_found_at_commit_is_refused(admin, nova):
    table = vendors_file(vendor_row(name="Nova Outsourcing", country="PH", centres="-"))
    digest = importing.preview(table)[0].deletions_digest
    DeliveryCentreFactory(vendor=nova, city="Cebu City", country="PH")  # after the preview
    before = db_state()

    with pytest.raises(DeletionsUnconfirmed) as unconfirmed:
        importing.commit(table, user=admin, confirm_deletions=digest)

    assert unconfirmed.value.stale
    assert "changed since the preview" in str(unconfirmed.value)
    assert db_state() == before


def test_clearing_an_empty_value_deletes_nothing_and_changes_nothing(admin):
    VendorFactory(name="Bare", country="PH", website="", description="")

    report = importing.commit(vendors_file(vendor_row(name="Bare", country="PH", website="-")))

    assert (report.counts["unchanged"], report.deletion_count) == (1, 0)


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"name": "Nova Outsourcing", "country": "-"}, "country", "is required"),
        ({"name": "-", "country": "PH"}, "name", "is required"),
        ({"name": "Nova Outsourcing", "country": "PH", "active": "-"}, "active", "cannot clear"),
    ],
)
def test_a_dash_where_a_value_is_needed_is_an_error_naming_the_cell(nova, cells, column, message):
    report, _ = importing.preview(vendors_file(vendor_row(**cells)))

    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert message in report.errors[0].message


def test_a_new_row_shows_the_values_it_will_create_and_a_dash_there_is_the_default(admin):
    row = vendor_row(
        name="Zephyr", country="Costa Rica", website="-", headcount="800", centres="-", active=""
    )
    row[HEADER.index("processes")] = "Quality assurance: 2y/1 refs"

    report = importing.commit(vendors_file(row), user=admin)

    assert report.changes[0].status == "new"
    assert report.changes[0].changes == [
        ("country", "", "CR"),
        ("headcount", "", "800"),
        ("processes", "", "Quality assurance: 2y/1 refs"),
    ]
    assert report.deletion_count == 0
    zephyr = Vendor.objects.get(name="Zephyr")
    assert (zephyr.website, zephyr.is_active, zephyr.centres.count()) == ("", True, 0)


# Quotes and rates


def test_an_empty_quote_cell_keeps_the_list_price_and_a_dash_clears_it(admin):
    acme = VendorFactory(name="Acme")
    quote = QuoteFactory(
        vendor=acme,
        process=process("payroll-benefits-administration"),
        unit_price=Decimal("1850"),
        notes="Includes night shift.",
        service_level_pct=Decimal("95"),
    )
    header = [*QUOTE_HEADER, "notes", "service_level_pct"]
    table = importing.load(
        csv_bytes([header, [*GOOD_QUOTE[:6], "-", "", "-"]]), "quotes.csv", "quotes"
    )

    report, _ = importing.preview(table)
    importing.commit(table, user=admin, confirm_deletions=report.deletions_digest)

    assert [(d.column, d.removed) for d in report.deletions] == [
        ("valid_until", f'"{quote.valid_until:%Y-%m-%d}"'),
        ("service_level_pct", '"95"'),
    ]
    quote.refresh_from_db()
    assert (quote.valid_until, quote.notes, quote.service_level_pct) == (
        None,
        "Includes night shift.",
        None,
    )


def test_a_quotes_import_never_changes_or_matches_a_quote_tied_to_an_evaluation(admin):
    acme = VendorFactory(name="Acme")
    evaluation = EvaluationFactory()
    tied = QuoteFactory(
        vendor=acme,
        process=process("payroll-benefits-administration"),
        evaluation=evaluation,
        unit_price=Decimal("1700"),
    )
    tied_before = list(Quote.objects.filter(pk=tied.pk).values())
    tied_history = tied.history.count()

    report = importing.commit(
        importing.load(csv_bytes([QUOTE_HEADER, GOOD_QUOTE]), "q.csv", "quotes"), user=admin
    )

    assert report.counts["new"] == 1  # a market list price beside the evaluation's quote
    assert list(Quote.objects.filter(pk=tied.pk).values()) == tied_before
    assert tied.history.count() == tied_history
    market = Quote.objects.get(evaluation__isnull=True)
    assert (market.vendor, market.unit_price) == (acme, Decimal("1850.00"))
    # Importing the same file again matches the market quote, never the evaluation's.
    again = importing.commit(
        importing.load(csv_bytes([QUOTE_HEADER, GOOD_QUOTE]), "q.csv", "quotes"), user=admin
    )
    assert again.counts["unchanged"] == 1
    assert Quote.objects.filter(evaluation=evaluation).get().unit_price == Decimal("1700")


def test_a_new_quote_and_a_new_rate_show_the_values_they_will_create():
    VendorFactory(name="Acme")
    quotes, _ = importing.preview(
        importing.load(csv_bytes([QUOTE_HEADER, GOOD_QUOTE]), "q.csv", "quotes")
    )
    rates, _ = importing.preview(
        importing.load(
            csv_bytes(
                [
                    ["currency", "base_currency", "rate", "as_of"],
                    ["EUR", "USD", "1.085", "2026-01-31"],
                ]
            ),
            "r.csv",
            "rates",
        )
    )

    assert quotes.changes[0].changes == [
        ("unit_price", "", "1850"),
        ("currency", "", "USD"),
        ("valid_until", "", "2027-06-30"),
    ]
    assert rates.changes[0].changes == [("rate", "", "1.085")]


def test_a_dash_in_a_rate_column_is_an_error_because_every_rate_column_is_required():
    rows = [["currency", "base_currency", "rate", "as_of"], ["EUR", "USD", "-", "2026-01-31"]]

    report, _ = importing.preview(importing.load(csv_bytes(rows), "r.csv", "rates"))

    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "rate", "is required")]
    assert not ExchangeRate.objects.exists()


# The import page


def upload(client, rows, name="vendors.csv"):
    file = SimpleUploadedFile(name, csv_bytes([HEADER, *rows]))
    return client.post(IMPORT, {"kind": "vendors", "file": file})


def form_value(response, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    return match[1] if match else ""


def test_the_preview_warns_of_each_deletion_and_the_commit_needs_the_box_ticked(
    vendor_admin_client, nova
):
    preview = upload(
        vendor_admin_client, [vendor_row(name="Nova Outsourcing", country="PH", website="-")]
    )
    content = preview.content.decode()
    token, digest = form_value(preview, "token"), form_value(preview, "confirm_deletions")
    assert "1 deletion to confirm" in content
    assert "https://nova.example" in content
    assert digest and 'id="confirm-deletions" required' in content
    before = db_state()

    _, refused = commit(vendor_admin_client, {"token": token})

    assert refused.state == TaskRun.State.FAILED
    assert "tick the box to confirm the deletions" in refused.error
    assert db_state() == before
    _, confirmed = commit(vendor_admin_client, {"token": token, "confirm_deletions": digest})
    assert confirmed.state == TaskRun.State.SUCCEEDED, confirmed.error
    nova.refresh_from_db()
    assert nova.website == ""


def test_a_commit_confirming_deletions_from_an_older_preview_is_refused(vendor_admin_client, nova):
    preview = upload(
        vendor_admin_client, [vendor_row(name="Nova Outsourcing", country="PH", centres="-")]
    )
    DeliveryCentreFactory(vendor=nova, city="Davao", country="PH")
    before = db_state()

    _, run = commit(
        vendor_admin_client,
        {
            "token": form_value(preview, "token"),
            "confirm_deletions": form_value(preview, "confirm_deletions"),
        },
    )

    assert run.state == TaskRun.State.FAILED
    assert "the deletions changed since your preview" in run.error
    assert "Davao" in run.error
    assert db_state() == before


def test_a_vendor_preview_with_deletions_runs_a_constant_number_of_queries(
    vendor_admin_client, django_assert_max_num_queries
):
    vendors = [VendorFactory(name=f"V{i:02d}", country="PH") for i in range(30)]
    for vendor in vendors:
        DeliveryCentreFactory(vendor=vendor, city="Manila", country="PH")
        VendorProcessFactory(vendor=vendor)

    def rows(n):
        return [
            vendor_row(name=v.name, country="PH", website="-", centres="-") for v in vendors[:n]
        ]

    upload(vendor_admin_client, rows(1))  # warm the session and the user's groups
    with django_assert_max_num_queries(20) as few:
        upload(vendor_admin_client, rows(3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = upload(vendor_admin_client, rows(30))
    assert response.context["report"].deletion_count == 60


def test_a_preview_without_deletions_offers_no_box_and_shows_new_values(vendor_admin_client):
    response = upload(
        vendor_admin_client, [vendor_row(name="Zephyr", country="CR", headcount="800")]
    )

    content = response.content.decode()
    assert "confirm_deletions" not in content
    assert re.search(r"<code>headcount</code>: 800", content)


def test_the_untouched_template_previews_as_nothing_to_import(vendor_admin_client):
    template = vendor_admin_client.get(reverse("vendors:import_template", args=["vendors", "xlsx"]))
    before = db_state()

    file = SimpleUploadedFile("vendors-template.xlsx", template.content)
    response = vendor_admin_client.post(IMPORT, {"kind": "vendors", "file": file})

    content = response.content.decode()
    assert response.status_code == 200
    assert "has a header but no data rows" in content
    assert "the file has no data rows below its header" in content
    assert form_value(response, "token") == ""
    assert db_state() == before


def test_the_import_page_explains_empty_cells_and_the_dash(vendor_admin_client):
    content = vendor_admin_client.get(IMPORT).content.decode()

    assert "An empty cell leaves the stored value as it is" in content
    assert "A cell holding only &quot;-&quot; clears the stored value" in content


# The command


def test_the_command_lists_the_deletions_and_refuses_without_confirm_deletions(tmp_path, nova):
    path = tmp_path / "vendors.csv"
    path.write_bytes(
        csv_bytes([HEADER, vendor_row(name="Nova Outsourcing", country="PH", website="-")])
    )
    out = io.StringIO()
    before = db_state()

    with pytest.raises(CommandError, match="run again with --confirm-deletions"):
        call_command("import_vendors", str(path), "--kind", "vendors", stdout=out)

    assert (
        'Row 2, column website: deletes "https://nova.example" (Nova Outsourcing)' in out.getvalue()
    )
    assert db_state() == before
    call_command(
        "import_vendors",
        str(path),
        "--kind",
        "vendors",
        "--confirm-deletions",
        stdout=io.StringIO(),
    )
    nova.refresh_from_db()
    assert nova.website == ""


def test_the_command_imports_nothing_from_the_untouched_template(tmp_path, db):
    path = tmp_path / "vendors.csv"
    path.write_bytes(importing.template_csv("vendors"))
    before = db_state()
    out = io.StringIO()

    call_command("import_vendors", str(path), "--kind", "vendors", stdout=out)

    assert "0 row(s): 0 new, 0 changed" in out.getvalue()
    assert db_state() == before


def test_blank_cells_keep_quote_values_through_the_command(tmp_path, db):
    acme = VendorFactory(name="Acme")
    quote = QuoteFactory(
        vendor=acme,
        process=process("payroll-benefits-administration"),
        notes="keep me",
        valid_until=dt.date(2028, 1, 31),
    )
    path = tmp_path / "quotes.csv"
    path.write_bytes(csv_bytes([[*QUOTE_HEADER, "notes"], [*GOOD_QUOTE[:6], "", ""]]))

    call_command("import_vendors", str(path), "--kind", "quotes", stdout=io.StringIO())

    quote.refresh_from_db()
    assert (quote.unit_price, quote.notes, quote.valid_until) == (
        Decimal("1850.00"),
        "keep me",
        dt.date(2028, 1, 31),
    )


# The templates


def test_the_csv_template_is_the_header_row_only():
    assert importing.template_csv("vendors").decode("utf-8-sig").splitlines() == [",".join(HEADER)]


def test_the_excel_template_keeps_examples_and_the_empty_cell_rules_on_its_help_sheet():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(importing.template_xlsx("quotes")))
    data_rows = list(book.worksheets[0].iter_rows(values_only=True))
    help_text = [row for row in book["help"].iter_rows(values_only=True) if any(row)]

    assert data_rows == [tuple(importing.KINDS["quotes"].names)]
    assert ("unit_price", "yes", importing.KINDS["quotes"].columns[4].help, "1850.00") in help_text
    assert (importing.EMPTY_CELL_RULES[0], None, None, None) in help_text
