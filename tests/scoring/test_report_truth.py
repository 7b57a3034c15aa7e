"""What the ranking page, TCO page, PDF and exports say is true, as a user reads them.

Each test reproduces a false statement from issue 12 through the pages a user opens.
"""

import base64
import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from scoring.models import Candidate, Criterion, Evaluation, Score
from scoring.services import evaluation_approve
from tests.factories import AnalystFactory, EvaluationFactory, open_scores, rankable_evaluation
from vendors.models import Quote, Vendor

FIXTURES = Path(__file__).parent / "fixtures"


def pdf_text(client, evaluation, **params) -> str:
    response = client.get(reverse("scoring:report_pdf", args=[evaluation.pk]), params)
    assert response.status_code == 200
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def flat(text: str) -> str:
    """PDF text with line breaks and repeated spaces folded, so sentences can be matched."""
    return re.sub(r"\s+", " ", text)


def csv_export(client, evaluation, kind) -> list[list[str]]:
    url = reverse("scoring:export", kwargs={"pk": evaluation.pk, "kind": kind, "fmt": "csv"})
    return list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))


def page(client, name, evaluation) -> str:
    response = client.get(reverse(name, args=[evaluation.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def evaluation(analyst):
    return rankable_evaluation(owner=analyst, title="Helpdesk 2027")


def exclude_gamma(evaluation):
    Candidate.objects.filter(evaluation=evaluation, vendor__name="Gamma BPO").update(
        excluded_reason="Failed the site visit"
    )
    Quote.objects.filter(evaluation=evaluation, vendor__name="Gamma BPO").delete()


def test_a_manual_exclusion_is_listed_once_and_never_as_a_knock_out_or_a_missing_quote(
    analyst_client, evaluation
):
    exclude_gamma(evaluation)

    text = flat(pdf_text(analyst_client, evaluation))
    tco_page = page(analyst_client, "scoring:tco", evaluation)

    assert text.count("Gamma BPO") == 1
    assert "Excluded by the analysts Failed the site visit" in text
    assert "Fails a knock-out" not in text
    assert "No quote yet" not in text and "no quote" not in text
    assert "No quote yet" not in tco_page
    assert "Not listed, excluded by the analysts: Gamma BPO (Failed the site visit)" in tco_page


def test_an_empty_draft_claims_neither_a_full_ranking_nor_agreement(analyst_client, analyst):
    empty = EvaluationFactory(owner=analyst)

    text = flat(pdf_text(analyst_client, empty))

    assert "Every candidate was ranked" not in text
    assert "agree within" not in text
    assert "There are no candidates yet." in text
    assert "the evaluation has no candidates" in text


def test_a_draft_nobody_scored_does_not_say_the_evaluators_agree(analyst_client, evaluation):
    evaluation.scores.all().delete()

    text = flat(pdf_text(analyst_client, evaluation))

    assert "agree within" not in text
    assert "Nobody has scored yet." in text


def test_topsis_reports_distances_and_never_additive_contributions(analyst_client, evaluation):
    Evaluation.objects.filter(pk=evaluation.pk).update(method=Evaluation.Method.TOPSIS)

    text = flat(pdf_text(analyst_client, evaluation))
    header = csv_export(analyst_client, evaluation, "ranking")[0]
    ranking = page(analyst_client, "scoring:ranking", evaluation)

    assert "mostly on" not in text and "largest gains" not in text
    assert "Distances to the ideal and anti-ideal vendor" in text
    assert not any(title.startswith("Contribution") for title in header)
    assert "Distance to ideal: Cost (TCO)" in header
    assert "Distance to anti-ideal: Cost (TCO)" in header
    assert 'id="topsis-distances"' in ranking


def test_spread_is_a_range_and_the_pdf_sends_nobody_to_the_team_view(analyst_client, evaluation):
    colleague = AnalystFactory()
    evaluation.team.add(colleague)
    expertise = Criterion.objects.get(key="expertise")
    for vendor in Vendor.objects.filter(candidacies__evaluation=evaluation):
        for criterion in Criterion.objects.filter(source=Criterion.Source.MANUAL):
            owner = Score.objects.get(evaluation=evaluation, vendor=vendor, criterion=criterion)
            gap = Decimal(4) if criterion == expertise else Decimal(0)
            Score.objects.create(
                evaluation=evaluation,
                vendor=vendor,
                criterion=criterion,
                evaluator=colleague,
                value=max(owner.value - gap, Decimal(0)),
            )
    open_scores(evaluation)

    text = flat(pdf_text(analyst_client, evaluation))

    assert "±" not in text
    assert "team view" not in text
    assert re.search(r"\d\.\d \d+–\d+, n=2", text)  # the mean, then its range and n below it
    assert "scores from 5 to 9 over 2 evaluators" in text


def test_a_cell_scored_by_one_of_two_evaluators_is_flagged_on_the_ranking(
    analyst_client, evaluation
):
    evaluation.team.add(AnalystFactory())  # who has scored nothing
    open_scores(evaluation)

    html = page(analyst_client, "scoring:ranking", evaluation)

    assert "ranked scores rest on fewer evaluators than the team of 2" in html


def test_the_tco_page_shows_the_budget_cap_as_a_flag_and_a_line(analyst_client, evaluation):
    # Alpha 2,000 x 20 FTEs x 36 + 10,000 = 1,450,000; Beta 1,630,000; Gamma 1,810,000.
    Evaluation.objects.filter(pk=evaluation.pk).update(budget_cap=Decimal("1500000"))

    response = analyst_client.get(reverse("scoring:tco", args=[evaluation.pk]))

    html = response.content.decode()
    assert html.count("Over the budget cap") == 2
    svg = base64.b64decode(response.context["chart"].split(",", 1)[1]).decode()
    assert "Budget cap $1,500,000" in svg
    assert "the dashed line is the budget cap of $1,500,000" in html


def test_the_ranking_export_stands_alone_with_method_weights_snapshot_and_exclusions(
    analyst_client, evaluation
):
    exclude_gamma(evaluation)

    rows = csv_export(analyst_client, evaluation, "ranking")

    blank = rows.index([])
    table, about = rows[:blank], dict(tuple(row) for row in rows[blank + 1 :])
    assert table[1][4] == "1450000.00"  # cents, as the page computes it
    assert about["Method"] == "Weighted sum"
    assert about["Scale"].startswith("Scores are relative to the shortlist")
    assert about["Weight: Cost (TCO)"].endswith(" %")
    assert re.fullmatch(r"[0-9a-f]{12} \(schema 4\)", about["Snapshot"])
    assert about["Excluded by the analysts: Gamma BPO"] == "Failed the site visit"


def test_an_approved_evaluation_page_pdf_and_exports_agree_after_vendors_and_quotes_change(
    manager, manager_client, evaluation
):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
    approved = evaluation_approve(evaluation=evaluation, manager=manager, comment="OK")
    snapshot_id = approved.snapshot["id"]
    Vendor.objects.filter(name="Alpha BPO").update(name="Renamed Vendor")
    Quote.objects.filter(evaluation__isnull=True).update(unit_price=Decimal("99999"))
    # The ORM refuses to change a frozen evaluation's quotes; a change behind the app's back (SQL)
    # must not reach what was signed either.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE vendors_quote SET unit_price = %s WHERE evaluation_id = %s",
            [Decimal("99999"), evaluation.pk],
        )

    ranking = page(manager_client, "scoring:ranking", evaluation)
    tco = page(manager_client, "scoring:tco", evaluation)
    compare = manager_client.get(
        reverse("scoring:compare", args=[evaluation.pk]),
        {"vendor": list(evaluation.candidates.values_list("vendor_id", flat=True))[:2]},
    ).content.decode()
    letter = flat(pdf_text(manager_client, evaluation, paper="letter"))
    rows = csv_export(manager_client, evaluation, "ranking")

    for text in (ranking, tco, compare, letter):
        assert "Alpha BPO" in text and "Renamed Vendor" not in text
        assert "99,999" not in text
    assert "$1,450,000" in ranking and "$1,450,000" in tco and "$1,450,000" in letter
    assert rows[1][:2] == ["1", "Alpha BPO"] and rows[1][4] == "1450000.00"
    assert snapshot_id in ranking and f"Snapshot {snapshot_id}" in letter
    assert [snapshot_id, "(schema", "4)"] == next(r for r in rows if r[:1] == ["Snapshot"])[
        1
    ].split()


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_a_schema_1_snapshot_still_renders_and_its_old_false_sentences_are_gone(
    manager_client, analyst, method
):
    stored = json.loads((FIXTURES / f"schema1_{method}.json").read_text())
    evaluation = EvaluationFactory(owner=analyst, status=Evaluation.Status.APPROVED)
    Evaluation.objects.filter(pk=evaluation.pk).update(snapshot=stored)

    ranking = page(manager_client, "scoring:ranking", evaluation)
    text = flat(pdf_text(manager_client, evaluation))
    rows = csv_export(manager_client, evaluation, "ranking")

    assert stored["id"] in ranking and f"Snapshot {stored['id']}" in text
    assert "We recommend Alpha BPO" in text
    # Schema 1 listed Gamma, excluded by hand, twice and once as a knock-out.
    assert text.count("Gamma BPO") == 1 and "Fails a knock-out" not in text
    assert "±" not in text
    assert rows[1][:2] == ["1", "Alpha BPO"]
    assert any(title.startswith("Contribution") for title in rows[0]) == (method == "wsm")


def test_what_if_on_an_approved_evaluation_re_ranks_its_frozen_inputs(
    manager, manager_client, evaluation
):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
    evaluation_approve(evaluation=evaluation, manager=manager, comment="OK")
    Vendor.objects.filter(name="Gamma BPO").update(name="Renamed Vendor")
    only_cost = {f"w_{c.key}": 0 for c in Criterion.objects.all()} | {"w_cost": 100}

    response = manager_client.get(reverse("scoring:what_if", args=[evaluation.pk]), only_cost)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["decision"].what_if is True
    assert "Gamma BPO" in html and "Renamed Vendor" not in html
    assert "What-if" in html and "Approved</span> as frozen" not in html


def test_the_xlsx_export_has_an_about_sheet_with_the_snapshot_and_exclusions(
    analyst_client, evaluation
):
    from openpyxl import load_workbook

    exclude_gamma(evaluation)
    url = reverse("scoring:export", kwargs={"pk": evaluation.pk, "kind": "ranking", "fmt": "xlsx"})

    workbook = load_workbook(io.BytesIO(analyst_client.get(url).content))

    assert workbook.sheetnames == ["Ranking", "About"]
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(min_row=2, values_only=True)}
    assert re.fullmatch(r"[0-9a-f]{12} \(schema 4\)", about["Snapshot"])
    assert about["Method"] == "Weighted sum"
    assert about["Excluded by the analysts: Gamma BPO"] == "Failed the site visit"
    assert [row[1] for row in workbook["Ranking"].iter_rows(min_row=2, values_only=True)] == [
        "Alpha BPO",
        "Beta BPO",
    ]


def test_the_pdf_score_table_shows_every_scored_vendor_the_agreement_sentence_counts(
    analyst_client, evaluation
):
    # Gamma loses its quote: it competes and keeps its scores but cannot be ranked.
    Quote.objects.filter(evaluation=evaluation, vendor__name="Gamma BPO").delete()

    text = flat(pdf_text(analyst_client, evaluation))
    scores = text[text.index("Scores per criterion") : text.index("Sensitivity")]

    assert "Gamma BPO not ranked" in scores
    assert "Alpha BPO" in scores and "Beta BPO" in scores
