"""Importing monthly KPI values: preview, row errors naming the column, all or nothing."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contracts import credits, importing
from contracts.models import KpiMeasurement
from tests.contracts.conftest import measure

pytestmark = pytest.mark.django_db


def quarter_csv(contract, bad: str | None = None) -> bytes:
    m = [f"{credits.add_months(contract.start_date, i):%Y-%m}" for i in range(3)]
    lines = ["month,kpi,value"]
    lines += [f"{month},Service level,{95 + i}" for i, month in enumerate(m)]
    lines += [f"{month},Response time,{3 + i}" for i, month in enumerate(m)]
    if bad:
        lines.insert(3, bad)
    return ("\n".join(lines) + "\n").encode()


def upload(client, contract, data: bytes, name="quarter.csv"):
    return client.post(
        reverse("contracts:import", args=[contract.pk]),
        {"file": SimpleUploadedFile(name, data, "text/csv")},
    )


def test_a_quarter_is_previewed_then_committed(client, contract, analyst):
    measure(contract, contract.start_date, service_level=90)
    client.force_login(analyst)

    page = upload(client, contract, quarter_csv(contract))
    result = page.context["result"]
    assert result.ok and len(result.rows) == 6 and result.changes == 6
    assert result.rows[0].previous == Decimal(90)
    assert not KpiMeasurement.objects.exclude(value=90).exists()  # nothing written yet

    response = client.post(reverse("contracts:import_commit", args=[contract.pk]))

    assert response.status_code == 302
    assert KpiMeasurement.objects.count() == 6
    assert (
        KpiMeasurement.objects.get(month=contract.start_date, kpi__name="Service level").value == 95
    )


def test_one_bad_row_is_named_with_its_column_and_nothing_is_written(client, contract, analyst):
    client.force_login(analyst)
    bad = f"{contract.start_date:%Y-%m},Service level,ninety"

    page = upload(client, contract, quarter_csv(contract, bad))

    html = page.content.decode()
    assert "Row 4, column value: “ninety” is not a number." in html
    assert "nothing was imported" in html
    assert "Import 6 values" not in html
    commit = client.post(reverse("contracts:import_commit", args=[contract.pk]), follow=True)
    assert "No previewed file to import" in commit.content.decode()
    assert not KpiMeasurement.objects.exists()


def test_unknown_kpi_month_outside_the_term_and_duplicates_are_each_named(contract):
    start = contract.start_date
    data = (
        "month,kpi,value\n"
        f"{start:%Y-%m},Service level,96\n"
        f"{start:%Y-%m},Uptime,99\n"
        f"{credits.add_months(start, -2):%Y-%m},Service level,96\n"
        f"{start:%Y-%m},service level,97\n"
        f"March,Response time,3\n"
    ).encode()

    result = importing.preview(contract, data, "bad.csv")

    assert result.errors[0].startswith("Row 3, column kpi: “Uptime” is not a KPI of this contract")
    assert (
        "Row 4, column month:" in result.errors[1]
        and "outside the contract's term" in result.errors[1]
    )
    assert result.errors[2].startswith("Row 5, columns kpi and month: Service level for")
    assert "already on row 2" in result.errors[2]
    assert result.errors[3] == "Row 6, column month: “March” is not a month (YYYY-MM)."
    assert not result.ok


def test_a_missing_column_refuses_the_file(client, contract, analyst):
    client.force_login(analyst)

    page = upload(client, contract, b"month,value\n2026-01,3\n")

    assert "missing required column(s): kpi" in page.content.decode()


def test_an_xlsx_file_reads_like_a_csv(contract):
    book = Workbook()
    sheet = book.active
    sheet.append(["Month", "KPI", "Value"])
    sheet.append([f"{contract.start_date:%Y-%m}", "Response time", 3.5])
    buffer = io.BytesIO()
    book.save(buffer)

    result = importing.preview(contract, buffer.getvalue(), "values.xlsx")

    assert result.ok and result.rows[0].value == Decimal("3.5")


def test_an_empty_value_leaves_the_month_as_stored(contract):
    data = f"month,kpi,value\n{contract.start_date:%Y-%m},Service level,\n".encode()

    result = importing.preview(contract, data, "blank.csv")

    assert result.rows == [] and not result.errors
    assert "Row 2: no value, so the month stays as stored." in result.notices
