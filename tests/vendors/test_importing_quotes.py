"""vendors.importing for quotes: new, changed and unchanged rows, history, and bad rows named by
row and column with nothing written."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import QuoteFactory, process
from tests.vendors.importing_helpers import GOOD_QUOTE, PAYROLL, QUOTE_HEADER, csv_bytes, db_state
from vendors import importing
from vendors.importing import ImportRejected
from vendors.models import Quote, Vendor

pytestmark = pytest.mark.django_db


def quotes(*rows: list[str], header=QUOTE_HEADER) -> importing.Table:
    return importing.load(csv_bytes([header, *rows]), "quotes.csv", "quotes")


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


def test_an_import_changes_only_the_named_vendors_quotes_and_raises_their_version(acme, admin):
    payroll = process("payroll-benefits-administration")
    changed = QuoteFactory(vendor=acme, process=payroll, unit_price=Decimal("1700"))
    other = QuoteFactory(process=payroll, unit_price=Decimal("1700"))

    importing.commit(quotes(GOOD_QUOTE), user=admin)

    changed.refresh_from_db()
    other.refresh_from_db()
    assert (changed.unit_price, changed.version) == (Decimal("1850.00"), 2)
    assert (other.unit_price, other.version) == (Decimal("1700"), 1)
