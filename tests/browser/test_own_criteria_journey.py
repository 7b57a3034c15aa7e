"""An analyst adds an own measured criterion and an own manual one with a rubric to the demo draft,
weighs them, enters their values in the grid and sees them in the ranking."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from scoring.models import Criterion, Evaluation, Measurement, Score


def test_analyst_adds_own_criteria_enters_values_and_the_ranking_uses_them(page, demo_data, log_in):
    evaluation = Evaluation.objects.get(title="Customer service outsourcing 2027")
    log_in("analyst")
    page.goto(f"/evaluations/{evaluation.pk}/")
    page.locator(".nav-tabs").get_by_role("link", name="Criteria", exact=True).click()

    # A measured criterion: lower is better, on fixed bounds.
    page.get_by_label("Name", exact=True).fill("Average handle time")
    page.get_by_label("Measured: a number the team enters per vendor").check()
    page.get_by_label("Unit (measured)").fill("minutes")
    page.get_by_label("Direction (measured)").select_option(label="Lower is better")
    page.get_by_label("Lower bound (measured)").fill("0")
    page.get_by_label("Upper bound (measured)").fill("30")
    page.get_by_role("button", name="Add criterion").click()
    expect(page.get_by_text("Average handle time added at 0 %")).to_be_visible()

    # A manual one with a rubric; a name already used here is refused on the field.
    page.get_by_label("Name", exact=True).fill("attrition %")
    page.get_by_role("button", name="Add criterion").click()
    expect(
        page.get_by_text("this evaluation already has a criterion called “Attrition %”")
    ).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Payroll country coverage")
    page.get_by_label("Scored 0–10 by the evaluators, with a rubric").check()
    for band, text in [
        ("0–2", "One country"),
        ("3–4", "Two or three countries"),
        ("5–6", "Most of our countries"),
        ("7–8", "All our countries, some by partners"),
        ("9–10", "All our countries in-house"),
    ]:
        page.get_by_label(f"What {band} means").fill(text)
    page.get_by_role("button", name="Add criterion").click()
    expect(page.get_by_text("Payroll country coverage added at 0 %")).to_be_visible()
    expect(page.locator("#criteria-table")).to_contain_text("Average handle time")

    # Weigh them: 5 % each, taken from two catalogue criteria.
    page.locator(".nav-tabs").get_by_role("link", name="Weights", exact=True).click()
    page.get_by_label("Service quality & SLAs").fill("11")
    page.get_by_label("Communication & cultural fit").fill("7.8")
    page.get_by_label("Average handle time").fill("5")
    page.get_by_label("Payroll country coverage").fill("5")
    expect(page.locator("[data-weights-gap]")).to_have_text("exactly 100")
    page.get_by_role("button", name="Save weights").click()
    expect(page.get_by_text("Weights saved.")).to_be_visible()

    # The grid: a rubric beside the new column (keyboard reachable), a number per vendor.
    page.locator(".nav-tabs").get_by_role("link", name="Scoring", exact=True).click()
    rubric = page.locator("details.rubric", has_text="Rubric for Payroll country coverage")
    rubric.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(rubric).to_contain_text("All our countries in-house")
    vendors = page.locator("#measured-grid tbody th").all_inner_texts()
    assert len(vendors) >= 2
    for index, vendor in enumerate(vendors):
        handle = page.get_by_label(f"Average handle time for {vendor} (minutes)")
        handle.fill(str(6 + 3 * index))
        handle.press("Tab")
        expect(
            page.locator(
                f"td:has(input[aria-label='Average handle time for {vendor} (minutes)'])"
            ).get_by_role("status")
        ).to_have_text(re.compile("Saved"))
        score = page.get_by_label(f"Score for {vendor} on Payroll country coverage", exact=True)
        score.fill("8")
        score.press("Tab")
    # Out of bounds: refused, with the field named.
    first = page.get_by_label(f"Average handle time for {vendors[0]} (minutes)")
    first.fill("45")
    first.press("Tab")
    expect(page.get_by_role("alert")).to_contain_text(
        f"Average handle time for {vendors[0]}: at most 30 minutes"
    )

    handle_time = Criterion.objects.get(evaluation=evaluation, name="Average handle time")
    assert Measurement.objects.filter(evaluation=evaluation, criterion=handle_time).count() == len(
        vendors
    )
    assert Measurement.objects.get(
        evaluation=evaluation, criterion=handle_time, vendor__name=vendors[0]
    ).value == Decimal(6)
    assert Score.objects.filter(
        evaluation=evaluation, criterion__name="Payroll country coverage"
    ).count() == len(vendors)

    # The ranking: weighted by the new criteria, on their fixed scales, in one sentence.
    page.locator(".nav-tabs").get_by_role("link", name="Ranking", exact=True).click()
    sliders = page.locator("#what-if-form")
    expect(sliders).to_contain_text("Average handle time")
    expect(sliders).to_contain_text("Payroll country coverage")
    sentence = page.locator("#scale-sentence")
    expect(sentence).to_contain_text("Scores are absolute")
    expect(sentence).to_contain_text("Average handle time on 0–30 minutes")
    expect(page.locator("#ranking-table tbody tr").first).to_be_visible()

    page.locator(".nav-tabs").get_by_role("link", name="History", exact=True).click()
    expect(page.locator("main")).to_contain_text("Average handle time")
    expect(page.locator("main")).to_contain_text("Payroll country coverage")
