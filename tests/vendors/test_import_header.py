"""The header of an import file is checked before pandas reads it: a column cap, repeated columns
named by their spreadsheet letters, and short messages however wide the file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.vendors.importing_helpers import csv_bytes, db_state, xlsx_bytes
from vendors import importing
from vendors.importing import ImportRefused, reading

IMPORT = reverse("vendors:import")


def wide_csv(columns: int) -> bytes:
    header = ",".join(f"c{i}" for i in range(columns))
    return f"{header}\n{',' * (columns - 1)}x\n".encode()


@pytest.fixture
def no_pandas_parsing(monkeypatch):
    """Fails the test if pandas is asked to parse the file: the refusal must come first."""

    def parse(*args, **kwargs):
        raise AssertionError("pandas parsed a file that should have been refused")

    monkeypatch.setattr(reading.pd, "read_csv", parse)


@pytest.mark.parametrize("columns", [32_000, 1_000_000])
def test_a_csv_with_thousands_of_columns_is_refused_before_pandas_parses_it(
    no_pandas_parsing, columns
):
    with pytest.raises(ImportRefused) as refused:
        importing.load(wide_csv(columns), "wide.csv", "vendors")

    message = str(refused.value)
    assert f"has {columns:,} columns; an import file may have at most 200" in message
    assert len(message) < 200  # one short sentence, not a list of every column


def test_quoted_header_cells_are_counted_as_cells_not_by_their_commas(no_pandas_parsing):
    header = ",".join(f'"c{i}, quoted"' for i in range(250))

    with pytest.raises(ImportRefused, match="has 250 columns"):
        importing.load(f"{header}\nx\n".encode(), "wide.csv", "vendors")


def test_a_header_at_the_cap_is_read_and_its_columns_checked():
    header = ["name", "country", *(f"extra{i}" for i in range(198))]

    with pytest.raises(ImportRefused, match="unknown column"):
        importing.load(csv_bytes([header, ["Nova", "PH"]]), "ok.csv", "vendors")


def test_a_workbook_with_too_many_header_columns_is_refused():
    data = xlsx_bytes([[f"c{i}" for i in range(300)], ["x"]])

    with pytest.raises(ImportRefused, match="has 300 columns; an import file may have at most 200"):
        importing.load(data, "wide.xlsx", "vendors")


def test_a_workbook_row_with_cells_past_the_cap_is_refused_naming_the_row():
    wide_row = ["Nova", "PH", *([None] * 250), "stray"]
    data = xlsx_bytes([["name", "country"], ["Acme", "PH"], wide_row])

    with pytest.raises(ImportRefused) as refused:
        importing.load(data, "wide.xlsx", "vendors")

    assert "row 3 has cells up to column IS" in str(refused.value)


def test_a_workbook_cell_without_a_header_is_named_by_its_column_letter():
    data = xlsx_bytes([["name", "country"], ["Acme", "PH", None, "stray"]])

    with pytest.raises(ImportRefused, match=r"no header above cells in column D"):
        importing.load(data, "stray.xlsx", "vendors")


# Repeated columns


def test_two_name_columns_are_named_by_their_letters_before_pandas_renames_one():
    header = ["country", "name", "website", "description", "founded_year", "name"]

    with pytest.raises(ImportRefused) as refused:
        importing.load(csv_bytes([header, ["PH", "Nova", "", "", "", "Nova"]]), "v.csv", "vendors")

    assert "column name appears twice (columns B and F)" in str(refused.value)
    assert "name.1" not in str(refused.value)


def test_repeated_columns_are_matched_ignoring_case_and_spaces():
    header = ["name", "country", " Unit Price", "NAME ", "unit-price", "Name"]

    with pytest.raises(ImportRefused) as refused:
        importing.load(csv_bytes([header, ["a"] * 6]), "v.csv", "vendors")

    message = str(refused.value)
    assert "column name appears 3 times (columns A, D and F)" in message
    assert "column unit_price appears twice (columns C and E)" in message


def test_a_workbook_with_two_name_columns_names_their_letters():
    data = xlsx_bytes([["name", "country", "name"], ["Nova", "PH", "Nova"]])

    with pytest.raises(ImportRefused, match=r"column name appears twice \(columns A and C\)"):
        importing.load(data, "v.xlsx", "vendors")


# Through the page and the command


def test_the_import_page_refuses_a_million_column_file_with_a_short_message(
    vendor_admin_client, no_pandas_parsing
):
    before = db_state()
    file = SimpleUploadedFile("wide.csv", wide_csv(1_000_000))

    response = vendor_admin_client.post(IMPORT, {"kind": "vendors", "file": file})

    assert response.status_code == 400
    assert "has 1,000,000 columns; an import file may have at most 200" in response.content.decode()
    assert len(response.content) < 100_000
    assert db_state() == before


def test_the_import_page_names_the_letters_of_a_repeated_column(vendor_admin_client):
    data = csv_bytes([["name", "country", "name"], ["Nova", "PH", "Nova"]])
    file = SimpleUploadedFile("v.csv", data)

    response = vendor_admin_client.post(IMPORT, {"kind": "vendors", "file": file})

    assert response.status_code == 400
    assert "column name appears twice (columns A and C)" in response.content.decode()


def test_the_command_refuses_a_repeated_column(tmp_path, db):
    path = tmp_path / "v.csv"
    path.write_bytes(csv_bytes([["name", "country", "Name"], ["Nova", "PH", "Nova"]]))

    with pytest.raises(CommandError, match=r"column name appears twice \(columns A and C\)"):
        call_command("import_vendors", str(path), "--kind", "vendors", stdout=io.StringIO())
