"""vendors.importing for exchange rates: new and changed rates, bad rows named by row and column."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import ExchangeRateFactory
from tests.vendors.importing_helpers import csv_bytes, db_state
from vendors import importing
from vendors.importing import ImportRejected
from vendors.models import ExchangeRate

pytestmark = pytest.mark.django_db


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
