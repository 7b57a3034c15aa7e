"""vendors.importing for vendors with their lists of processes, certifications and centres."""

import datetime as dt

import pytest

from tests.factories import (
    DeliveryCentreFactory,
    VendorFactory,
    VendorProcessFactory,
    delivery_model,
    process,
)
from tests.vendors.importing_helpers import PAYROLL, csv_bytes, db_state
from vendors import importing
from vendors.importing import ImportRejected
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def errors_of(table: importing.Table) -> list[tuple[int, str, str]]:
    report, _ = importing.preview(table)
    return [(e.row, e.column, e.message) for e in report.errors]


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


def test_an_empty_required_cell_keeps_a_stored_vendors_value_but_a_new_vendor_needs_it(admin):
    VendorFactory(name="Stored BPO", country="IN", headcount=100)
    header = ["name", "country", "headcount"]

    def table(*rows):
        return importing.load(csv_bytes([header, *rows]), "vendors.csv", "vendors")

    two = table(["Stored BPO", "", "250"], ["Brand New BPO", "", "40"])
    assert [(e.row, e.column, e.message) for e in importing.preview(two)[0].errors] == [
        (3, "country", "is required")  # only the new vendor's empty country
    ]
    dash = table(["stored bpo", "-", ""])
    assert [(e.row, e.column) for e in importing.preview(dash)[0].errors] == [(2, "country")]

    importing.commit(table(["Stored BPO", "", "250"]), user=admin)
    stored = Vendor.objects.get(name="Stored BPO")
    assert (stored.country.code, stored.headcount) == ("IN", 250)


def test_a_headcount_out_of_range_says_which_way_without_the_databases_limit():
    header = ["name", "country", "headcount"]
    rows = [["Low BPO", "IN", "-5"], ["High BPO", "IN", "9999999999"]]
    table = importing.load(csv_bytes([header, *rows]), "vendors.csv", "vendors")

    errors = [(e.row, e.column, e.message) for e in importing.preview(table)[0].errors]

    assert errors == [
        (2, "headcount", "-5 is below 0"),
        (3, "headcount", "9999999999 is too large"),
    ]


# Scale: the plan reads full rows and lists only of the vendors the file names


def _stored_vendors(count: int, prefix: str) -> None:
    for n in range(count):
        vendor = VendorFactory(name=f"{prefix} {n:03d}", country="PH")
        DeliveryCentreFactory(vendor=vendor, city="Manila", country="PH")
        VendorProcessFactory(vendor=vendor)


def _plan_costs(rows) -> tuple[int, int]:
    """The preview's query count and how many Vendor instances it built."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    built = 0
    original = Vendor.from_db.__func__

    def counting(cls, db, field_names, values):
        nonlocal built
        built += 1
        return original(cls, db, field_names, values)

    table = vendors_table(*rows)
    Vendor.from_db = classmethod(counting)  # type: ignore[method-assign]
    try:
        with CaptureQueriesContext(connection) as queries:
            report, _ = importing.preview(table)
    finally:
        del Vendor.from_db
    assert report.ok, report.errors
    return len(queries), built


def test_the_plan_costs_the_same_whatever_the_number_of_vendors_not_in_the_file():
    _stored_vendors(3, "Listed")
    centre = "Manila, PH, offshore, 10 seats"
    rows = [[f"Listed {n:03d}", "PH", "", "", "yes", "", "", centre] for n in range(3)]
    rows.append(["Newcomer", "PH", "", "", "yes", "", "", ""])
    few = _plan_costs(rows)

    _stored_vendors(40, "Unlisted")
    many = _plan_costs(rows)

    assert many == few
    assert many[1] == 3  # the three listed vendors, not the 43 stored


def test_a_file_longer_than_one_id_chunk_diffs_every_stored_vendor(admin, monkeypatch):
    from vendors.importing import plan_vendors

    monkeypatch.setattr(plan_vendors, "ID_CHUNK", 2)
    _stored_vendors(5, "Chunked")
    centre = "Manila, PH, offshore, 10 seats"
    rows = [[f"chunked {n:03d}", "PH", "", "", "no", "", "", centre] for n in range(5)]

    report = importing.commit(vendors_table(*rows), user=admin)

    assert report.counts["changed"] == 5 and report.counts["new"] == 0
    assert not Vendor.objects.filter(name__startswith="Chunked", is_active=True).exists()
    assert set(
        Vendor.objects.filter(name__startswith="chunked").values_list("name", flat=True)
    ) == {f"chunked {n:03d}" for n in range(5)}
