"""vendors.importing reads CSV/XLSX defensively: encodings, separators, limits, zip bombs and
templates."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest

from tests.vendors.importing_helpers import (
    GOOD_QUOTE,
    PAYROLL,
    QUOTE_HEADER,
    csv_bytes,
    db_state,
    xlsx_bytes,
)
from vendors import importing
from vendors.importing import ImportRefused
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


# Reading: encodings, columns, and files that are not what they claim


def test_it_reads_utf8_with_a_byte_order_mark(acme):
    report, _ = importing.preview(
        importing.load(b"\xef\xbb\xbf" + csv_bytes([QUOTE_HEADER, GOOD_QUOTE]), "q.csv", "quotes")
    )
    assert report.ok and report.counts["new"] == 1


def test_it_reads_latin1_text_and_says_so(admin):
    data = csv_bytes([["name", "country"], ["Société Générale Services", "FR"]], encoding="latin-1")

    table = importing.load(data, "vendors.csv", "vendors")
    importing.commit(table, user=admin)

    assert Vendor.objects.get().name == "Société Générale Services"
    assert "read as Latin-1" in table.notices[0]


def test_it_reads_semicolon_separated_csv(acme):
    data = ";".join(QUOTE_HEADER).encode() + b"\n" + ";".join(GOOD_QUOTE).encode() + b"\n"
    report, _ = importing.preview(importing.load(data, "q.csv", "quotes"))
    assert report.ok


def test_it_reads_native_excel_numbers_and_dates_and_counts_rows_as_excel_does(acme):
    data = xlsx_bytes(
        [
            QUOTE_HEADER,
            ["Acme", PAYROLL, "offshore", "per FTE-month", 1850, "USD", dt.datetime(2027, 6, 30)],
            [None] * 7,
            ["Acme", "Payroll", "offshore", "per hour", 12.5, "USD", None],
        ]
    )

    report, plan = importing.preview(importing.load(data, "q.xlsx", "quotes"))

    assert [(e.row, e.column) for e in report.errors] == [(4, "process")]
    quote = next(plan.new_objects())
    assert (quote.unit_price, quote.valid_until) == (Decimal(1850), dt.date(2027, 6, 30))


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("q.txt", b"a,b\n1,2\n", '"q.txt" is not a .csv or .xlsx file'),
        ("q.csv", b"", '"q.csv" is empty'),
        ("q.csv", b"PK\x03\x04rest of a zip", "is a zip archive (an Excel workbook?), not a CSV"),
        ("q.csv", "vendor,process\n".encode("utf-16"), "contains NUL bytes"),
        ("q.csv", b"\x81\x8d\x8f\x90\x9d,x\n", "neither UTF-8 nor Latin-1"),
        (
            "q.xlsx",
            b"vendor,process\nAcme,Payroll\n",
            "not an Excel .xlsx workbook (it is not a zip archive)",
        ),
        (
            "q.csv",
            b"vendor,process\nAcme,Payroll\n",
            "missing required column(s): delivery_model, pricing_model, unit_price, currency",
        ),
        (
            "q.csv",
            ",".join([*QUOTE_HEADER, "Colour"]).encode() + b"\n" + b"x," * 7 + b"x\n",
            "unknown column(s): Colour",
        ),
        ("q.csv", b'vendor,process\n"Acme,Payroll\n', "not a well-formed CSV"),
    ],
)
def test_it_refuses_a_file_it_cannot_read_with_a_clear_message(filename, data, message):
    with pytest.raises(ImportRefused) as refused:
        importing.load(data, filename, "quotes")
    assert message in str(refused.value)


def test_it_refuses_more_rows_than_the_limit(acme):
    data = csv_bytes([QUOTE_HEADER, *[GOOD_QUOTE] * 11])
    with pytest.raises(ImportRefused, match="more than 10 data rows"):
        importing.load(data, "q.csv", "quotes", max_rows=10)


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_it_refuses_a_zip_that_is_not_a_workbook():
    with pytest.raises(ImportRefused, match="zip archive but not an Excel workbook"):
        importing.load(zip_of({"hello.txt": b"hi"}), "q.xlsx", "quotes")


def test_it_refuses_a_zip_bomb_before_expanding_it():
    bomb = zip_of(
        {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * (50 << 20)}
    )
    assert len(bomb) < 200_000
    with pytest.raises(ImportRefused, match="zip bomb"):
        importing.load(bomb, "q.xlsx", "quotes")


def test_it_refuses_a_workbook_with_xml_entities():
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([QUOTE_HEADER, GOOD_QUOTE])))
    parts = {name: good.read(name) for name in good.namelist()}
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        + parts.get("xl/sharedStrings.xml", b"<sst/>").split(b"?>", 1)[-1]
    )
    with pytest.raises(ImportRefused, match="document type declarations"):
        importing.load(zip_of(parts), "q.xlsx", "quotes")


def test_an_untouched_template_reads_its_columns_and_imports_nothing(admin):
    before = db_state()
    for kind in importing.KINDS:
        for data, name in (
            (importing.template_csv(kind), "t.csv"),
            (importing.template_xlsx(kind), "t.xlsx"),
        ):
            table = importing.load(data, name, kind)
            report = importing.commit(table, user=admin)

            assert list(table.frame.columns) == importing.KINDS[kind].names
            assert report.counts == {"new": 0, "changed": 0, "unchanged": 0, "error": 0}
            assert f'"{name}" has a header but no data rows' in report.notices[0]
    assert db_state() == before
