"""Importing a centre's time zone and languages: optional parts of the centres column."""

import pytest

from tests.vendors.importing_helpers import db_state
from tests.vendors.test_importing_vendors import VENDOR_HEADER, VENDOR_ROW, errors_of, vendors_table
from vendors import importing
from vendors.importing import ImportRejected
from vendors.models import DeliveryCentre

pytestmark = pytest.mark.django_db

CENTRES = VENDOR_HEADER.index("centres")


def with_centres(text):
    row = list(VENDOR_ROW)
    row[CENTRES] = text
    return row


def places():
    return sorted(DeliveryCentre.objects.values_list("city", "time_zone", "languages"))


def test_it_imports_a_centres_time_zone_and_languages(admin):
    row = with_centres(
        "Manila, PH, offshore, 1200 seats, Asia/Manila, EN tl; Cebu City, PH, offshore, 400"
    )

    importing.commit(vendors_table(row), user=admin)

    assert places() == [("Cebu City", "", ""), ("Manila", "Asia/Manila", "en, tl")]


def test_a_centre_that_leaves_them_out_keeps_its_stored_ones(admin):
    importing.commit(
        vendors_table(with_centres("Manila, PH, offshore, 1200, Asia/Manila, en")), user=admin
    )

    report = importing.commit(
        vendors_table(with_centres("Manila, PH, offshore, 900 seats")), user=admin
    )

    assert report.changes[0].changes == [
        (
            "centres",
            "Manila, PH, offshore, 1200 seats, Asia/Manila, en",
            "Manila, PH, offshore, 900 seats, Asia/Manila, en",
        ),
    ]
    assert places() == [("Manila", "Asia/Manila", "en")]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            "Manila, PH, offshore, 10, Asia/Atlantis",
            'time zone "Asia/Atlantis" in "Manila, PH, offshore, 10, Asia/Atlantis"',
        ),
        ("Manila, PH, offshore, 10, Asia/Manila, en xx", "Not an ISO 639-1 language code: xx"),
    ],
)
def test_it_rejects_a_bad_time_zone_or_language_by_row_and_column(admin, cell, message):
    before = db_state()
    table = vendors_table(with_centres(cell))

    ((row, column, text),) = errors_of(table)
    with pytest.raises(ImportRejected):
        importing.commit(table, user=admin)

    assert (row, column) == (2, "centres")
    assert message in text
    assert db_state() == before
