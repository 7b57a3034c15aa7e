"""CSV and XLSX exports: typed numbers, escaped text, names that say what and when."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from scoring.models import Evaluation
from tests.factories import open_scores, rankable_evaluation
from vendors.models import Vendor

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]


@pytest.fixture
def evaluation(analyst):
    return rankable_evaluation(owner=analyst, title="Payroll EMEA 2027")


def export(client, evaluation, kind, fmt):
    url = reverse("scoring:export", kwargs={"pk": evaluation.pk, "kind": kind, "fmt": fmt})
    return client.get(url)


def csv_rows(response) -> list[list[str]]:
    """The table of a CSV export: its rows up to the blank line before the "about" rows."""
    rows = csv_all(response)
    return rows[: rows.index([])]


def csv_all(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 accents
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


@pytest.mark.parametrize("prefix", DANGEROUS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_that_looks_like_a_formula_is_escaped(analyst_client, evaluation, prefix, fmt):
    evaluation.scores.update(comment=prefix)

    response = export(analyst_client, evaluation, "scores", fmt)

    if fmt == "csv":
        comments = {row[4] for row in csv_rows(response)[1:]}
    else:
        cells = [row[4] for row in sheet(response).iter_rows(min_row=2)]
        assert {cell.data_type for cell in cells} == {"s"}
        # XML parsers read a bare CR back as LF; the escaping quote is what matters.
        comments = {
            cell.value.replace("\n", "\r") if prefix == "\rCR" else cell.value for cell in cells
        }
    assert comments == {"'" + prefix}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_vendor_names_are_escaped_in_every_export(analyst_client, analyst, fmt):
    evaluation = rankable_evaluation(owner=analyst, vendor_names=('=HYPERLINK("x")', "Ok BPO"))

    texts = []
    for kind in ("ranking", "scores", "tco"):
        response = export(analyst_client, evaluation, kind, fmt)
        if fmt == "csv":
            texts += [row[0] + row[1] for row in csv_rows(response)[1:]]
        else:
            texts += [
                str(r[0].value) + str(r[1].value) for r in sheet(response).iter_rows(min_row=2)
            ]

    assert not any(text.startswith("=") or "=HYPERLINK" in text.split("'", 1)[0] for text in texts)
    assert any("'=HYPERLINK" in text for text in texts)


def test_xlsx_numbers_are_numeric_cells_with_formats(analyst_client, evaluation):
    ranking = sheet(export(analyst_client, evaluation, "ranking", "xlsx"))
    tco = sheet(export(analyst_client, evaluation, "tco", "xlsx"))

    rank, name, _, score, total = (cell for cell in ranking[2][:5])
    assert (rank.value, name.value) == (1, "Alpha BPO")
    assert rank.data_type == score.data_type == total.data_type == "n"
    assert score.number_format == "0.0000"
    assert total.value == 2000 * 20 * 36 + 10000
    assert total.number_format == "#,##0.00"
    alpha = next(row for row in tco.iter_rows(min_row=2) if row[0].value == "Alpha BPO")
    assert alpha[3].value == 2000 and alpha[3].data_type == "n"
    assert isinstance(alpha[6].value, dt.datetime)


def test_csv_numbers_use_plain_dot_decimals(analyst_client, evaluation):
    rows = csv_rows(export(analyst_client, evaluation, "tco", "csv"))

    header, alpha = rows[0], next(row for row in rows if row[0] == "Alpha BPO")
    assert header[:4] == ["Vendor", "Delivery model", "Pricing model", "Unit price"]
    assert alpha[3] == "2000.0000"
    assert alpha[7] == "1450000.00"


def test_file_names_say_what_and_when(analyst_client, evaluation):
    response = export(analyst_client, evaluation, "ranking", "xlsx")

    today = dt.date.today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="bpo-select_payroll-emea-2027_ranking_{today}.xlsx"'
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize(
    ("kind", "fmt"), [("ranking", "pdf"), ("secrets", "csv"), ("tco", "xls"), ("", "csv")]
)
def test_unknown_exports_are_404(analyst_client, evaluation, kind, fmt):
    url = f"/evaluations/{evaluation.pk}/export/{kind}.{fmt}"

    response = analyst_client.get(url)

    assert response.status_code == 404


def test_a_manager_may_export_any_evaluation(manager_client, evaluation):
    open_scores(evaluation)  # blind scoring hides a draft's scores from managers until then
    response = export(manager_client, evaluation, "ranking", "csv")

    assert response.status_code == 200
    assert csv_rows(response)[1][:2] == ["1", "Alpha BPO"]


def test_exports_of_an_approved_evaluation_come_from_its_snapshot(analyst_client, evaluation):
    from scoring.reports import build_snapshot

    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.APPROVED)
    evaluation.refresh_from_db()
    Evaluation.objects.filter(pk=evaluation.pk).update(snapshot=build_snapshot(evaluation))
    Vendor.objects.filter(name="Alpha BPO").update(name="Renamed After Approval")

    rows = csv_rows(export(analyst_client, evaluation, "tco", "csv"))

    names = {row[0] for row in rows}
    assert "Alpha BPO" in names and "Renamed After Approval" not in names


def _queries(client, evaluation, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        export(client, evaluation, "ranking", "xlsx")
    return len(captured)


def test_the_query_count_does_not_grow_with_the_candidates(
    analyst_client, analyst, django_assert_max_num_queries
):
    few = rankable_evaluation(owner=analyst, vendor_names=[f"Few {i}" for i in range(3)])
    many = rankable_evaluation(owner=analyst, vendor_names=[f"Many {i}" for i in range(15)])

    small = _queries(analyst_client, few, django_assert_max_num_queries, 40)
    large = _queries(analyst_client, many, django_assert_max_num_queries, small)

    assert large == small
