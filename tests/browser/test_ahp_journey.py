"""A demo analyst derives the weights by AHP: the sliders start from the current weights, two
contradicting answers push the consistency ratio over 0.10 live and block saving, the worst pair is
offered with a suggested value, and the analyst saves with a reason that the history shows."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from scoring import ahp
from scoring.models import AhpJudgement, Evaluation, EvaluationWeight

EVALUATION = "Customer service outsourcing 2027"  # the demo draft


def catalogue_criteria_only(evaluation: Evaluation) -> None:
    """The demo draft's two own criteria (10 % each) at 0 %, the ten catalogue ones back to their
    profile's weights (x 1.25): the ten-criterion, 45-pair AHP this journey plays."""
    for row in EvaluationWeight.objects.filter(evaluation=evaluation).select_related("criterion"):
        weight = 0 if row.criterion.evaluation_id else row.weight * Decimal("1.25")
        EvaluationWeight.objects.filter(pk=row.pk).update(weight=weight)


def live_cr(page) -> float:
    text = page.locator("[data-ahp-cr]").inner_text()
    return float(re.search(r"Consistency ratio (\d\.\d{3})", text).group(1))


def server_cr(page) -> float:
    """What scoring/ahp.py makes of the sliders as they stand: the live figure must agree."""
    positions, keys = {}, []
    for slider in page.get_by_role("slider").all():
        left, right = slider.get_attribute("data-left"), slider.get_attribute("data-right")
        positions[(left, right)] = -int(slider.input_value())
        keys += [key for key in (left, right) if key not in keys]
    return ahp.check_judgements(keys, positions).result.cr


def test_analyst_derives_weights_by_ahp_and_is_stopped_at_cr_above_a_tenth(page, demo_data, log_in):
    log_in("analyst")
    evaluation = Evaluation.objects.get(title=EVALUATION)
    catalogue_criteria_only(evaluation)
    page.goto(f"/evaluations/{evaluation.pk}/weights/")
    page.get_by_role("link", name="Derive from AHP").click()

    # Expertise 10 %, cost 18 %: the slider starts at "cost twice as important".
    expertise_cost = page.get_by_role("slider", name="Expertise & know-how vs Cost (TCO)")
    expect(expertise_cost).to_have_attribute(
        "aria-valuetext", "Cost (TCO): equally to moderately more important (2)"
    )
    expect(page.get_by_text("start from the ratios the current weights imply")).to_be_visible()
    status = page.locator("[data-ahp-cr]")
    expect(status).to_contain_text("Consistent")
    save = page.get_by_role("button", name="Save these weights")
    expect(save).to_be_enabled()

    # Two answers against the weights, by keyboard: expertise 9 x service quality, track record
    # 9 x scalability.
    for name in (
        "Expertise & know-how vs Service quality & SLAs",
        "Proven track record vs Scalability & flexibility",
    ):
        slider = page.get_by_role("slider", name=name)
        slider.focus()
        page.keyboard.press("Home")
        expect(slider).to_have_attribute(
            "aria-valuetext", re.compile(r"extremely more important \(9\)")
        )

    expect(status).to_contain_text("Inconsistent")
    cr = live_cr(page)
    assert cr > 0.10
    assert f"{server_cr(page):.3f}" == f"{cr:.3f}"  # the browser computes what the server does
    expect(save).to_be_disabled()
    expect(page.get_by_text("Saving is blocked")).to_be_visible()

    revision = page.get_by_role("region", name=re.compile("Revise first"))
    expect(revision).to_contain_text("Expertise & know-how vs Service quality & SLAs")
    expect(revision).to_contain_text("You said Expertise & know-how: extremely more important (9)")
    revision.get_by_role("button", name="Use the suggested value").click()
    assert live_cr(page) < cr
    assert f"{server_cr(page):.3f}" == f"{live_cr(page):.3f}"

    # Push it over again and keep it, with a reason.
    slider = page.get_by_role("slider", name="Expertise & know-how vs Service quality & SLAs")
    slider.focus()
    page.keyboard.press("Home")
    expect(status).to_contain_text("Inconsistent")
    page.get_by_label("Save anyway: I checked these judgements and they stand").check()
    expect(save).to_be_disabled()  # a tick alone is not enough
    page.get_by_label("Why they stand").fill("Steering group: expertise outweighs SLAs here")
    expect(save).to_be_enabled()
    save.click()

    expect(
        page.get_by_text("Weights derived from your pairwise comparisons saved.")
    ).to_be_visible()
    assert AhpJudgement.objects.filter(evaluation=evaluation).count() == 45
    total = page.locator("[data-weights-total]")
    expect(total).to_have_text("100.00%")

    page.get_by_role("link", name="History").click()
    expect(page.get_by_text("Steering group: expertise outweighs SLAs here").first).to_be_visible()

    # Reopened, the page shows the judgements as saved.
    page.goto(f"/evaluations/{evaluation.pk}/weights/ahp/")
    expect(page.get_by_text("These are the judgements saved last time.")).to_be_visible()
    expect(
        page.get_by_role("slider", name="Expertise & know-how vs Service quality & SLAs")
    ).to_have_attribute("aria-valuetext", re.compile(r"Expertise & know-how: extremely"))


def test_the_ahp_page_fits_a_phone(page, demo_data, log_in):
    log_in("analyst")
    evaluation = Evaluation.objects.get(title=EVALUATION)
    catalogue_criteria_only(evaluation)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/evaluations/{evaluation.pk}/weights/ahp/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.get_by_role("slider")).to_have_count(45)
