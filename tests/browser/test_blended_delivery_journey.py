"""A demo analyst reads the draft's blended delivery on the TCO page (bars, bounds and mixes in
words, cost risk), lowers the nearshore minimum on the share-bounds page and sees every vendor's
mix and TCO follow; on a phone the page still fits."""

import re

from playwright.sync_api import expect

from scoring.models import DeliveryShareBound, Evaluation

EVALUATION = "Customer service outsourcing 2027"  # the demo draft


def test_analyst_sets_the_share_bounds_and_sees_the_mixes_follow(page, demo_data, log_in):
    log_in("analyst")
    evaluation = Evaluation.objects.get(title=EVALUATION)
    page.goto(f"/evaluations/{evaluation.pk}/quotes/")

    mix = page.locator("section[aria-labelledby='mix-heading']")
    expect(mix).to_contain_text("at least 30 % nearshore")
    # Which demo vendors blend depends on the market the demo drew (see the note on seed_demo).
    expect(mix).to_contain_text(re.compile(r"70 % offshore at \S+, 30 % nearshore at \S+: a blend"))
    expect(mix).to_contain_text("No delivery mix fits: needs at least 30 % nearshore")
    expect(
        mix.get_by_role("img", name=re.compile("share of the volume per delivery model"))
    ).to_be_visible()
    expect(page.locator("section[aria-labelledby='risk-heading']")).to_contain_text(
        "10,000 simulated futures"
    )

    mix.get_by_role("link", name="Set share bounds").click()
    page.get_by_label("Nearshore: minimum share %").fill("0")
    page.get_by_role("button", name="Save share bounds").click()

    expect(page.get_by_text("Delivery share bounds saved.")).to_be_visible()
    expect(mix).to_contain_text("No share of the volume is required of any delivery model.")
    expect(mix).not_to_contain_text("No delivery mix fits")
    assert not DeliveryShareBound.objects.filter(evaluation=evaluation).exists()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
