"""The analyst invites a vendor's contact; the contact sets a password from the e-mailed link and
submits a quote with the due-diligence answers (warned while mandatory ones are missing); the
analyst sees "Responded" but no price until the deadline, then the round has opened by itself,
the quote is in the TCO and the answers compare side by side, a "no" on a must-have flagged, at
390 px too."""

import datetime as dt
import re
from urllib.parse import urlparse

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from sourcing.models import RfpRound
from tests.factories import (
    AnalystFactory,
    DeliveryCentreFactory,
    ensure_reference_data,
    rankable_evaluation,
)


def test_a_round_from_invitation_to_opening(page, transactional_db, log_in, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ensure_reference_data()
    evaluation = rankable_evaluation(owner=AnalystFactory(username="ana"), title="Care 2027")
    for candidate in evaluation.candidates.select_related("vendor"):
        DeliveryCentreFactory(vendor=candidate.vendor)
    from tests.factories import DEFAULT_PASSWORD

    log_in("ana", DEFAULT_PASSWORD)
    page.goto(f"/evaluations/{evaluation.pk}/")
    page.locator(".nav-tabs").get_by_role("link", name="RFP round").click()
    page.get_by_label("Scope").fill("Inbound customer care, 7 days a week")
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=2))
    page.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save the request").click()
    expect(page.get_by_text("RFP round saved.")).to_be_visible()
    page.get_by_label("Candidate vendor").select_option(label="Alpha BPO")
    page.get_by_label("Contact's e-mail").fill("ops@alpha.example")
    page.get_by_role("button", name="E-mail an invitation").click()
    expect(page.get_by_text("Invitation e-mailed to ops@alpha.example.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    link = re.search(r"https?://\S+/portal/invitation/\S+/", mail.outbox[-1].body).group(0)
    page.goto(urlparse(link).path)
    page.locator("#id_new_password1").fill("Quote-2027-ok")
    page.locator("#id_new_password2").fill("Quote-2027-ok")
    page.get_by_role("button", name="Set password and continue").click()
    page.get_by_role("link", name="Care 2027").click()
    page.get_by_label("Delivery model").select_option(label="Offshore")
    page.get_by_label("Pricing model").select_option(label="Per FTE-month")
    page.get_by_label("Unit price").fill("1777.77")
    page.get_by_label("Currency").select_option("USD")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("3 mandatory questions unanswered")
    page.get_by_label(re.compile("ISO 27001 certificate cover")).fill("Manila, all services")
    page.get_by_label(re.compile("penetration test")).select_option("no")
    page.get_by_label(re.compile("Agent attrition")).fill("24")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("mandatory questions unanswered")).to_have_count(0)
    page.get_by_role("button", name="Submit response").click()
    expect(page.get_by_text("Response submitted.")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the response page scrolls sideways at 390 px ({width} px wide)"
    page.set_viewport_size({"width": 1400, "height": 900})
    page.get_by_role("button", name="Log out").click()

    log_in("ana", DEFAULT_PASSWORD)
    page.goto(f"/evaluations/{evaluation.pk}/rfp/")
    expect(page.get_by_role("cell", name=re.compile("^Responded"))).to_be_visible()
    page.goto(f"/evaluations/{evaluation.pk}/quotes/")
    expect(page.locator("main")).not_to_contain_text("1,777.77")

    RfpRound.objects.update(deadline=timezone.now() - dt.timedelta(minutes=1))
    page.goto(f"/evaluations/{evaluation.pk}/rfp/")
    expect(page.locator("main")).to_contain_text("Opened at the deadline")
    expect(page.get_by_role("button", name="Open the responses")).to_have_count(0)
    page.get_by_role("link", name="See them in Quotes & TCO").click()
    expect(page.locator("main")).to_contain_text("1,777.77")

    page.goto(f"/evaluations/{evaluation.pk}/rfp/")
    page.get_by_role("link", name="Compare the answers side by side").click()
    expect(page.locator("main")).to_contain_text(
        "Alpha BPO: 1 red flag, no mandatory answer missing"
    )
    expect(page.get_by_role("cell", name=re.compile("Red flag: must be yes"))).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the comparison scrolls sideways at 390 px ({width} px wide)"
    question = page.get_by_role("rowheader", name=re.compile("ISO 27001"))
    expect(question).to_be_in_viewport()
