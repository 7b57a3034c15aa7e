"""Two analysts score blind, disagree on one cell, and the owner resolves it by consensus with a
rationale; the ranking then uses the consensus."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from bpo_select.management.commands.seed_demo import DEMO_PASSWORD
from scoring.models import Consensus, Criterion, Score, ScoreSheet
from scoring.selectors import evaluation_result
from tests.factories import rankable_evaluation

ALPHA = "Alpha BPO"


def _two_analysts_evaluation():
    """The demo analysts: Alex owns a rankable draft; Priya has scored all but one cell."""
    from django.contrib.auth.models import User

    owner, colleague = User.objects.get(username="analyst"), User.objects.get(username="analyst2")
    evaluation = rankable_evaluation(owner=owner, title="Payroll 2027")
    evaluation.team.add(colleague)
    Score.objects.filter(
        evaluation=evaluation, criterion__key="expertise", vendor__name=ALPHA
    ).update(comment="Strong references")
    Score.objects.bulk_create(
        Score(
            evaluation=evaluation,
            vendor_id=s.vendor_id,
            criterion_id=s.criterion_id,
            evaluator=colleague,
            value=s.value,
        )
        for s in Score.objects.filter(evaluation=evaluation)
        if not (s.vendor.name == ALPHA and s.criterion.key == "expertise")
    )
    return evaluation


def _log_in(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def test_two_analysts_score_blind_and_the_owner_resolves_a_disagreement(
    browser, live_server, demo_data
):
    evaluation = _two_analysts_evaluation()
    scores = f"/evaluations/{evaluation.pk}/scores/"
    cell = f"Score for {ALPHA} on Expertise & know-how"

    # Priya scores the last cell blind, with a comment opened on demand (Alt+C), and submits.
    priya = _log_in(browser, live_server, "analyst2")
    priya.goto(scores + "team/")
    expect(priya.locator("#blind-note")).to_contain_text("Blind scoring")
    expect(priya.locator("body")).not_to_contain_text("Strong references")
    priya.goto(scores)
    expect(priya.locator("#grid-progress")).to_have_text(re.compile(r"^\s*26 of 27 cells scored"))
    priya.get_by_label(cell, exact=True).fill("2")
    priya.get_by_label(cell, exact=True).press("Tab")
    expect(priya.locator("#grid-progress")).to_have_text(re.compile(r"^\s*27 of 27 cells scored"))
    priya.get_by_label(cell, exact=True).focus()
    priya.keyboard.press("Alt+C")
    comment = priya.get_by_label(f"Comment for {ALPHA} on Expertise & know-how", exact=True)
    expect(comment).to_be_focused()
    comment.fill("Thin bench for payroll")
    comment.press("Tab")
    expect(priya.locator(f"td:has(input[aria-label='{cell}'])").get_by_role("status")).to_have_text(
        re.compile("Saved")
    )
    priya.get_by_role("button", name="Submit my sheet").click()
    expect(priya.locator(".alert-success")).to_contain_text("Sheet submitted")
    priya.goto(scores + "team/")
    expect(priya.locator("#team-grid")).to_contain_text("Strong references")

    # Alex, the owner, still sees only his own scores until he submits his sheet.
    alex = _log_in(browser, live_server, "analyst")
    alex.goto(scores + "team/")
    expect(alex.locator("body")).not_to_contain_text("Thin bench for payroll")
    alex.goto(scores)
    alex.get_by_role("button", name="Submit my sheet").click()
    alex.goto(scores + "team/")
    expertise = Criterion.objects.get(key="expertise")
    alpha_id = Score.objects.filter(evaluation=evaluation, vendor__name=ALPHA)[0].vendor_id
    disputed = alex.locator(f"#team-{alpha_id}-{expertise.pk}")
    expect(disputed).to_have_class(re.compile("table-warning"))
    expect(disputed).to_contain_text("Disagreement")
    expect(disputed).to_contain_text("Thin bench for payroll")
    expect(disputed).to_contain_text("Priya Raman")
    assert ScoreSheet.objects.filter(evaluation=evaluation, submitted_at__isnull=False).count() == 2

    # He records a consensus with a rationale; the cell and the ranking use it.
    alex.goto(f"/evaluations/{evaluation.pk}/ranking/")
    expect(alex.locator("#ranking-warnings")).to_contain_text("no consensus is recorded")
    before = alex.locator("#ranking-table tbody tr").first.locator("td").nth(2).inner_text()
    alex.goto(scores + "team/")
    disputed.get_by_label("Consensus score (0–10; empty keeps the mean)").fill("9")
    disputed.get_by_label("Rationale").fill("References checked: the payroll bench is strong")
    disputed.get_by_role("button", name="Save consensus").click()
    expect(alex.locator(".alert-success")).to_contain_text("saved")
    expect(disputed).to_contain_text("Consensus")
    expect(disputed).to_contain_text("References checked")
    expect(disputed).not_to_have_class(re.compile("table-warning"))
    agreed = Consensus.objects.get(evaluation=evaluation)
    assert agreed.value == Decimal(9)

    alex.goto(f"/evaluations/{evaluation.pk}/ranking/")
    expect(alex.locator("#ranking-warnings")).not_to_contain_text("disagree")
    expected = evaluation_result(evaluation, viewer=evaluation.owner)
    assert expected.score_stats[alpha_id, "expertise"].value == 9.0
    first = alex.locator("#ranking-table tbody tr").first
    expect(first.locator("td").nth(2)).to_have_text(f"{expected.ranking[0].score:.3f}")
    assert expected.ranking[0].name == ALPHA
    assert float(first.locator("td").nth(2).inner_text()) > float(before)  # the mean was 5.5
    expect(alex.locator("#leave-one-out")).to_contain_text("evaluators' scores")
