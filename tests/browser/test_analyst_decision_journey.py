"""The analyst scores a cell by keyboard, re-ranks with a what-if slider and compares two vendors."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from scoring.models import Candidate, Criterion, Evaluation, Measurement, Score
from scoring.selectors import evaluation_result
from tests.factories import QuoteFactory, open_scores


def _complete(evaluation: Evaluation) -> None:
    """The demo draft lacks some quotes and scores and has knock-outs: make every candidate rankable."""
    evaluation.required_certifications.clear()
    evaluation.allowed_delivery_models.clear()
    evaluation.share_bounds.all().delete()  # no delivery mix required: every quote is costed
    Evaluation.objects.filter(pk=evaluation.pk).update(budget_cap=None)
    open_scores(evaluation)  # the owner ended blind scoring: the page ranks on everyone's scores
    quoted = set(evaluation.quotes.values_list("vendor_id", flat=True))
    manual = list(Criterion.objects.filter(source=Criterion.Source.MANUAL))
    for index, candidate in enumerate(Candidate.objects.filter(evaluation=evaluation)):
        if candidate.vendor_id not in quoted:
            QuoteFactory(
                evaluation=evaluation,
                vendor=candidate.vendor,
                process=evaluation.process,
                unit_price=Decimal(2100 + 40 * index),
            )
        for criterion in manual:
            cell = {"evaluation": evaluation, "vendor": candidate.vendor, "criterion": criterion}
            if not Score.objects.filter(**cell).exists():
                Score.objects.create(**cell, evaluator=evaluation.owner, value=Decimal(6))
        for criterion in Criterion.objects.filter(
            evaluation=evaluation, source=Criterion.Source.MEASURED
        ):
            Measurement.objects.get_or_create(
                evaluation=evaluation,
                vendor=candidate.vendor,
                criterion=criterion,
                defaults={"value": Decimal(20)},
            )


def _flipping_criterion(evaluation: Evaluation) -> tuple[str, str, str]:
    """(criterion key, current leader, leader when only that criterion counts)."""
    stored = evaluation_result(evaluation)
    zero = {c.key: 0 for c in stored.criteria}
    for criterion in stored.criteria:
        alone = evaluation_result(evaluation, weights=zero | {criterion.key: 100})
        if alone.leader.vendor_id != stored.leader.vendor_id:
            return criterion.key, stored.leader.name, alone.leader.name
    raise AssertionError("No single criterion changes the leader in the demo data.")


def test_analyst_scores_by_keyboard_re_ranks_with_a_slider_and_compares(page, demo_data, log_in):
    evaluation = Evaluation.objects.get(status=Evaluation.Status.DRAFT, owner__username="analyst")
    _complete(evaluation)
    version = evaluation.version
    first_vendor = (
        Candidate.objects.filter(evaluation=evaluation).order_by("vendor__name")[0].vendor
    )
    log_in("analyst")

    # Score a cell using the keyboard only.
    page.goto(f"/evaluations/{evaluation.pk}/scores/")
    label = f"Score for {first_vendor.name} on Expertise & know-how"
    cell = page.get_by_label(label, exact=True)
    cell.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("9.5")
    page.keyboard.press("Tab")
    expect(
        page.locator("td", has=page.get_by_label(label, exact=True)).get_by_role("status")
    ).to_have_text(re.compile("Saved"))
    page.reload()
    expect(page.get_by_label(label, exact=True)).to_have_value("9.50")
    saved = Score.objects.get(
        evaluation=evaluation,
        vendor=first_vendor,
        criterion__key="expertise",
        evaluator__username="analyst",
    )
    assert saved.value == Decimal("9.5")
    # The leaders as the ranking page will compute them, with the score just saved.
    key, leader, new_leader = _flipping_criterion(evaluation)

    # Re-rank live with the what-if sliders; nothing is saved.
    page.get_by_role("link", name="Ranking", exact=True).click()
    first_row = page.locator("#ranking-table tbody tr").first
    expect(first_row).to_contain_text(leader)
    for slider in page.locator("input.what-if-weight").all():
        slider.focus()
        page.keyboard.press("End" if slider.get_attribute("name") == f"w_{key}" else "Home")
    expect(first_row).to_contain_text(new_leader)
    expect(page.locator(f"output#share-{key}")).to_have_text("100.0%")
    expect(page.locator("#ranking-results")).to_contain_text("What-if")
    evaluation.refresh_from_db()
    assert evaluation.version == version  # what-if saved nothing

    # Compare two vendors side by side.
    page.get_by_role("link", name="Compare", exact=True).click()
    page.get_by_label(leader, exact=True).check()
    page.get_by_label(new_leader, exact=True).check()
    page.get_by_role("button", name="Compare").click()
    headers = page.locator("table thead th a")
    expect(headers).to_have_count(2)
    expect(page.get_by_role("img", name=re.compile("mean score per criterion"))).to_be_visible()
