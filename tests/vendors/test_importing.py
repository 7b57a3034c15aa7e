"""vendors.importing reads CSV/XLSX defensively, reports row errors, diffs and commits all or nothing."""

import csv
import datetime as dt
import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.factories import (
    DeliveryCentreFactory,
    ExchangeRateFactory,
    QuoteFactory,
    VendorAdminFactory,
    VendorFactory,
    VendorProcessFactory,
    delivery_model,
    process,
)
from vendors import importing
from vendors.importing import ImportRefused, ImportRejected
from vendors.models import (
    DeliveryCentre,
    ExchangeRate,
    Quote,
    Vendor,
    VendorCertification,
    VendorProcess,
)

pytestmark = pytest.mark.django_db

QUOTE_HEADER = [
    "vendor",
    "process",
    "delivery_model",
    "pricing_model",
    "unit_price",
    "currency",
    "valid_until",
]
PAYROLL = "Payroll & benefits administration"
GOOD_QUOTE = ["Acme", PAYROLL, "offshore", "per FTE-month", "1850.00", "USD", "2027-06-30"]


# Helpers shared with the view and command tests.


def db_state() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every table an import can touch, history included."""
    models = [
        Vendor,
        VendorProcess,
        VendorCertification,
        DeliveryCentre,
        Quote,
        ExchangeRate,
        Vendor.history.model,
        Quote.history.model,
    ]
    state = {}
    for model in models:
        rows = list(model.objects.order_by("pk").values_list())
        state[model.__name__] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def quotes(*rows: list[str], header=QUOTE_HEADER) -> importing.Table:
    return importing.load(csv_bytes([header, *rows]), "quotes.csv", "quotes")


def errors_of(table: importing.Table) -> list[tuple[int, str, str]]:
    report, _ = importing.preview(table)
    return [(e.row, e.column, e.message) for e in report.errors]


@pytest.fixture
def acme(db):
    return VendorFactory(name="Acme")


@pytest.fixture
def admin(db):
    return VendorAdminFactory(username="importer")


# Quotes: the happy path


def test_it_imports_new_quotes_with_history_naming_the_admin(acme, admin):
    report = importing.commit(quotes(GOOD_QUOTE), user=admin)

    quote = Quote.objects.get()
    assert report.counts == {"new": 1, "changed": 0, "unchanged": 0, "error": 0}
    assert (quote.vendor, quote.process.name, quote.unit_price, quote.valid_until) == (
        acme,
        PAYROLL,
        Decimal("1850.00"),
        dt.date(2027, 6, 30),
    )
    assert quote.evaluation is None
    history = list(Quote.history.all())
    assert [(h.history_user, h.history_type, h.history_change_reason) for h in history] == [
        (admin, "+", "Import quotes.csv")
    ]


def test_a_second_import_of_the_same_file_changes_nothing(acme, admin):
    importing.commit(quotes(GOOD_QUOTE), user=admin)
    before = db_state()

    report = importing.commit(quotes(GOOD_QUOTE), user=admin)

    assert report.counts == {"new": 0, "changed": 0, "unchanged": 1, "error": 0}
    assert db_state() == before


def test_it_updates_a_changed_quote_and_shows_old_and_new_values(acme, admin):
    QuoteFactory(
        vendor=acme,
        process=process("payroll-benefits-administration"),
        unit_price=Decimal("1700"),
        valid_until=dt.date(2027, 6, 30),
    )
    table = quotes(GOOD_QUOTE)

    report, _ = importing.preview(table)
    importing.commit(table, user=admin)

    assert report.counts["changed"] == 1
    assert report.changes[0].changes == [("unit_price", "1700", "1850")]
    assert Quote.objects.get().unit_price == Decimal("1850.00")
    assert Quote.history.filter(history_type="~", history_user=admin).count() == 1


def test_history_rows_equal_the_imported_changes(acme, admin):
    QuoteFactory(
        vendor=acme,
        process=process("payroll-benefits-administration"),
        unit_price=Decimal("1850"),
        valid_until=dt.date(2027, 6, 30),
    )  # unchanged
    QuoteFactory(
        vendor=acme,
        process=process("payment-processing"),
        unit_price=Decimal("1"),
        valid_until=None,
    )  # changed
    history_before = Quote.history.count()
    table = quotes(
        GOOD_QUOTE,
        ["Acme", "Payment processing", "offshore", "per FTE-month", "2", "USD", ""],
        ["Acme", "Quality assurance", "onshore", "per hour", "30", "USD", ""],
    )

    report = importing.commit(table, user=admin)

    assert (report.counts["new"], report.counts["changed"], report.counts["unchanged"]) == (1, 1, 1)
    assert Quote.history.count() - history_before == 2
    assert set(Quote.history.filter(history_user=admin).values_list("history_type", flat=True)) == {
        "+",
        "~",
    }


def test_it_leaves_columns_missing_from_the_file_untouched(acme, admin):
    quote = QuoteFactory(
        vendor=acme,
        process=process("payroll-benefits-administration"),
        unit_price=Decimal("1850"),
        notes="keep me",
        valid_until=dt.date(2027, 6, 30),
    )

    importing.commit(quotes(GOOD_QUOTE), user=admin)

    quote.refresh_from_db()
    assert quote.notes == "keep me"


def test_it_matches_column_names_ignoring_case_and_spaces(acme):
    header = [
        " Vendor",
        "PROCESS",
        "Delivery Model",
        "pricing-model",
        " Unit Price ",
        "Currency ",
        "valid_until",
    ]

    report, plan = importing.preview(quotes(GOOD_QUOTE, header=header))

    assert report.ok and len(list(plan.new_objects())) == 1


def test_it_accepts_names_slugs_and_codes_for_reference_data(acme):
    row = ["acme", "payroll-benefits-administration", "Offshore", "per_fte_month", "10", "usd", ""]

    report, plan = importing.preview(quotes(row))

    assert report.ok
    quote = next(plan.new_objects())
    assert (quote.vendor_id, quote.currency) == (acme.pk, "USD")


# Quotes: every bad row is named by row and column, and nothing is written


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            {"process": "Payrol"},
            "process",
            'unknown process "Payrol" — did you mean "Payroll & benefits administration"?',
        ),
        ({"unit_price": "1,000.00"}, "unit_price", '"1,000.00" is not a number (write 1000.00)'),
        ({"unit_price": "$5"}, "unit_price", '"$5" is not a number (write 5)'),
        ({"unit_price": "-5"}, "unit_price", "must not be negative (-5)"),
        ({"unit_price": ""}, "unit_price", "is required"),
        ({"unit_price": "1.23456"}, "unit_price", "more than 4 decimal places"),
        ({"currency": "EUX"}, "currency", 'unknown currency "EUX"'),
        ({"valid_until": "30/06/2027"}, "valid_until", '"30/06/2027" is not a date as YYYY-MM-DD'),
        ({"valid_until": "2027-02-30"}, "valid_until", '"2027-02-30" is not a date as YYYY-MM-DD'),
        ({"vendor": "Acne Corp"}, "vendor", 'unknown vendor "Acne Corp"'),
        ({"delivery_model": "offsite"}, "delivery_model", 'unknown delivery model "offsite"'),
        ({"pricing_model": "per minute"}, "pricing_model", 'unknown pricing model "per minute"'),
    ],
)
def test_it_names_the_row_and_column_of_a_bad_value_and_writes_nothing(
    acme, admin, row, column, message
):
    bad = dict(zip(QUOTE_HEADER, GOOD_QUOTE, strict=True)) | row
    table = quotes(
        ["Acme", "Quality assurance", "onshore", "per hour", "30", "USD", ""], list(bad.values())
    )
    before = db_state()

    with pytest.raises(ImportRejected) as rejected:
        importing.commit(table, user=admin)

    errors = [(e.row, e.column, e.message) for e in rejected.value.report.errors]
    assert len(errors) == 1
    assert errors[0][:2] == (3, column)
    assert message in errors[0][2]
    assert db_state() == before


def test_it_names_both_rows_of_a_duplicate_key(acme, admin):
    twin = [*GOOD_QUOTE[:4], "1900", "USD", ""]
    table = quotes(
        GOOD_QUOTE, ["Acme", "Quality assurance", "onshore", "per hour", "30", "USD", ""], twin
    )
    before = db_state()

    with pytest.raises(ImportRejected) as rejected:
        importing.commit(table, user=admin)

    messages = {(e.row, e.message) for e in rejected.value.report.errors}
    assert messages == {
        (row, f"duplicate: rows 2 and 4 all set Acme · {PAYROLL} · Offshore · Per FTE-month")
        for row in (2, 4)
    }
    assert db_state() == before


def test_a_bad_row_deep_in_a_10000_row_file_blocks_the_whole_import(admin):
    Vendor.objects.bulk_create(Vendor(name=f"Vendor {n:05d}", country="PH") for n in range(10_000))
    rows = [
        [f"Vendor {n:05d}", *GOOD_QUOTE[1:4], f"{n}.25", "USD", "2027-06-30"] for n in range(10_000)
    ]
    rows[7342 - 2][4] = "12,50"
    table = importing.load(csv_bytes([QUOTE_HEADER, *rows]), "big.csv", "quotes")
    before = db_state()

    with pytest.raises(ImportRejected) as rejected:
        importing.commit(table, user=admin)

    report = rejected.value.report
    assert [(e.row, e.column) for e in report.errors] == [(7342, "unit_price")]
    assert report.counts["new"] == 9_999
    assert db_state() == before


# Exchange rates


def test_it_imports_rates_and_reports_a_changed_rate():
    ExchangeRateFactory(
        currency="EUR", base_currency="USD", rate=Decimal("1.08"), as_of=dt.date(2026, 1, 31)
    )
    rows = [
        ["currency", "base_currency", "rate", "as_of"],
        ["EUR", "USD", "1.0850", "2026-01-31"],
        ["GBP", "USD", "1.27", "2026-01-31"],
    ]

    report = importing.commit(importing.load(csv_bytes(rows), "rates.csv", "rates"))

    assert (report.counts["new"], report.counts["changed"]) == (1, 1)
    assert report.changes[0].changes == [("rate", "1.08", "1.085")]
    assert dict(ExchangeRate.objects.values_list("currency", "rate")) == {
        "EUR": Decimal("1.085"),
        "GBP": Decimal("1.27"),
    }


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["EUR", "EUR", "1", "2026-01-31"], "base_currency", "is the same as currency (EUR)"),
        (["EUR", "USD", "0", "2026-01-31"], "rate", "must be greater than zero, not 0"),
        (["EUR", "USD", "1.1", "31.01.2026"], "as_of", '"31.01.2026" is not a date as YYYY-MM-DD'),
        (["EURO", "USD", "1.1", "2026-01-31"], "currency", 'unknown currency "EURO"'),
    ],
)
def test_it_rejects_bad_rates_by_row_and_column(row, column, message):
    rows = [["currency", "base_currency", "rate", "as_of"], row]
    before = db_state()

    with pytest.raises(ImportRejected) as rejected:
        importing.commit(importing.load(csv_bytes(rows), "rates.csv", "rates"))

    error = rejected.value.report.errors[0]
    assert (error.row, error.column, error.message) == (2, column, message) or (
        (error.row, error.column) == (2, column) and message in error.message
    )
    assert db_state() == before


# Vendors with their lists

VENDOR_HEADER = [
    "name",
    "country",
    "website",
    "founded_year",
    "active",
    "processes",
    "certifications",
    "centres",
]
VENDOR_ROW = [
    "Nova Outsourcing",
    "Philippines",
    "https://nova.example",
    "2004",
    "yes",
    "Payroll & benefits administration: 8y/12 refs; Customer service & support",
    "ISO 27001 until 2027-06-30; SOC 2 Type II",
    "Manila, PH, offshore, 1200 seats; Cebu City, PH, offshore, 400",
]


def vendors_table(*rows, header=VENDOR_HEADER, filename="vendors.csv"):
    return importing.load(csv_bytes([header, *rows]), filename, "vendors")


def test_it_imports_a_vendor_with_its_processes_certifications_and_centres(admin):
    importing.commit(vendors_table(VENDOR_ROW), user=admin)

    vendor = Vendor.objects.get(name="Nova Outsourcing")
    assert (vendor.country.code, vendor.founded_year, vendor.is_active) == ("PH", 2004, True)
    assert sorted(
        vendor.offered_processes.values_list(
            "process__name", "years_experience", "reference_clients"
        )
    ) == [("Customer service & support", 0, 0), (PAYROLL, 8, 12)]
    assert sorted(
        vendor.vendor_certifications.values_list("certification__name", "valid_until")
    ) == [("ISO 27001", dt.date(2027, 6, 30)), ("SOC 2 Type II", None)]
    assert sorted(
        vendor.centres.values_list("city", "country", "delivery_model__code", "seats")
    ) == [("Cebu City", "PH", "offshore", 400), ("Manila", "PH", "offshore", 1200)]
    assert vendor.history.get().history_user == admin


def test_reimporting_vendors_changes_nothing(admin):
    importing.commit(vendors_table(VENDOR_ROW), user=admin)
    before = db_state()

    report = importing.commit(vendors_table(VENDOR_ROW), user=admin)

    assert report.counts["unchanged"] == 1
    assert db_state() == before


def test_it_replaces_a_changed_list_and_shows_it_old_to_new(admin):
    vendor = VendorFactory(
        name="Nova Outsourcing", country="PH", website="https://nova.example", founded_year=2004
    )
    VendorProcessFactory(
        vendor=vendor, process=process("quality-assurance"), years_experience=3, reference_clients=1
    )
    DeliveryCentreFactory(
        vendor=vendor, country="PH", city="Davao", delivery_model=delivery_model()
    )
    row = [*VENDOR_ROW[:5], "Quality assurance: 4y/1 refs", "", "Davao, PH, offshore, 500 seats"]

    report = importing.commit(vendors_table(row), user=admin)

    assert report.changes[0].changes == [
        ("processes", "Quality assurance: 3y/1 refs", "Quality assurance: 4y/1 refs"),
    ]
    assert vendor.offered_processes.get().years_experience == 4
    assert vendor.history.filter(history_user=admin, history_type="~").count() == 1


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "processes",
            "Payrol: 8y/12 refs",
            'unknown process "Payrol" — did you mean "Payroll & benefits administration"?',
        ),
        (
            "certifications",
            "ISO 27001 until 30/06/2027",
            '"30/06/2027" after ISO 27001 is not a date as YYYY-MM-DD',
        ),
        (
            "centres",
            "Manila, PH, offshore",
            '"Manila, PH, offshore" should be "city, country, delivery model, seats"',
        ),
        ("centres", "Manila, Atlantis, offshore, 3", 'unknown country "Atlantis"'),
        ("country", "Narnia", 'unknown country "Narnia"'),
        ("founded_year", "1700", "1700 is outside 1800–2100"),
        ("website", "nova.example", '"nova.example" is not a full URL'),
        ("active", "maybe", '"maybe" is not yes or no'),
    ],
)
def test_it_rejects_bad_vendor_cells_by_row_and_column(admin, column, value, message):
    row = list(VENDOR_ROW)
    row[VENDOR_HEADER.index(column)] = value
    before = db_state()

    with pytest.raises(ImportRejected) as rejected:
        importing.commit(vendors_table(row), user=admin)

    error = rejected.value.report.errors[0]
    assert (error.row, error.column) == (2, column)
    assert message in error.message
    assert db_state() == before


def test_it_names_both_rows_of_a_duplicate_vendor():
    errors = errors_of(vendors_table(VENDOR_ROW, ["nova outsourcing", "PH"] + [""] * 6))

    assert [(row, column) for row, column, _ in errors] == [(2, "name"), (3, "name")]
    assert "rows 2 and 3" in errors[0][2]


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


def test_list_cells_split_on_line_breaks_as_on_semicolons(admin):
    """Alt+Enter inside a spreadsheet cell separates items; it used to crash the preview."""
    row = list(VENDOR_ROW)
    row[VENDOR_HEADER.index("certifications")] = "ISO 27001 until 2027-06-30\nSOC 2 Type II"
    row[VENDOR_HEADER.index("processes")] = (
        "Customer service & support\r\nPayroll & benefits administration: 8y / 12 refs"
    )

    importing.commit(vendors_table(row), user=admin)

    vendor = Vendor.objects.get(name="Nova Outsourcing")
    assert sorted(
        vendor.vendor_certifications.values_list("certification__name", "valid_until")
    ) == [("ISO 27001", dt.date(2027, 6, 30)), ("SOC 2 Type II", None)]
    assert vendor.offered_processes.count() == 2
