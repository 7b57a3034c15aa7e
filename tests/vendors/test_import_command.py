"""manage.py import_vendors shares the import core: same report, all or nothing, CommandError on errors."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import VendorAdminFactory, VendorFactory
from tests.vendors.importing_helpers import GOOD_QUOTE, QUOTE_HEADER, csv_bytes, db_state
from vendors.models import Quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote_file(tmp_path, db):
    VendorFactory(name="Acme")

    def write(*rows, name="quotes.csv"):
        path = tmp_path / name
        path.write_bytes(csv_bytes([QUOTE_HEADER, *rows]))
        return path

    return write


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_vendors", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_imports_and_records_the_user(quote_file):
    admin = VendorAdminFactory(username="importer")

    output = run(quote_file(GOOD_QUOTE), "--kind", "quotes", "--user", "importer")

    assert "1 new, 0 changed, 0 unchanged, 0 with errors" in output
    assert "Imported 1 new and 0 changed row(s)." in output
    assert Quote.history.get().history_user == admin


def test_a_dry_run_reports_but_writes_nothing(quote_file):
    before = db_state()

    output = run(quote_file(GOOD_QUOTE), "--kind", "quotes", "--dry-run")

    assert "Row 2 new: Acme" in output
    assert "dry run: nothing written" in output
    assert db_state() == before


def test_errors_name_row_and_column_and_fail_with_nothing_written(quote_file):
    bad = ["Acme", "Payrol", "offshore", "per hour", "1,000.00", "USD", ""]
    out = io.StringIO()
    before = db_state()

    with pytest.raises(CommandError, match=r"2 error\(s\) in quotes.csv; nothing was imported"):
        call_command(
            "import_vendors",
            str(quote_file(GOOD_QUOTE, bad)),
            "--kind",
            "quotes",
            stdout=out,
            stderr=io.StringIO(),
        )

    assert 'Row 3, column process: unknown process "Payrol"' in out.getvalue()
    assert 'Row 3, column unit_price: "1,000.00" is not a number' in out.getvalue()
    assert db_state() == before


def test_an_unreadable_file_is_a_command_error(tmp_path, db):
    path = tmp_path / "quotes.csv"
    path.write_bytes(b"vendor,colour\nAcme,red\n")
    with pytest.raises(CommandError, match="unknown column"):
        run(path, "--kind", "quotes")


def test_an_unknown_user_is_a_command_error(quote_file):
    with pytest.raises(CommandError, match='No user "ghost"'):
        run(quote_file(GOOD_QUOTE), "--kind", "quotes", "--user", "ghost")


def test_a_missing_file_is_a_command_error(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nope.csv", "--kind", "quotes")
