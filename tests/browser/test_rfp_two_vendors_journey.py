"""Two vendors answer one round: the analyst invites a contact at Alpha and one at Beta; each sets
a password from the e-mailed link, answers the due-diligence questionnaire (attrition, a measured
criterion; the data-security answers that propose a score), uploads an ISO 27001 certificate and
submits a quote. Before the deadline the analyst sees only "Responded"; once it has passed, the
analyst's next page opens the round by itself and the quotes and the attrition values are in the
ranking and the scores. The analyst uses the scores the answers propose, downloads a certificate,
and the PDF cites the answers behind the decisive scores. A used link and an expired one are
refused, and Beta's contact never reaches Alpha's round or Alpha's documents."""

import datetime as dt
import io
import re
from urllib.parse import urlparse

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from scoring.models import Criterion, EvaluationWeight
from scoring.services.criteria import criterion_add_own, measurement_save
from sourcing.models import Evidence, Invitation, RfpRound, VendorContact
from tests.factories import (
    DEFAULT_PASSWORD,
    AnalystFactory,
    DeliveryCentreFactory,
    ensure_reference_data,
    rankable_evaluation,
)
from tests.sourcing.factories import invite

ATTRITION = "Agent attrition over the last 12 months (%)"
ISO_SCOPE = "Which sites and services does your ISO 27001 certificate cover?"
PEN_TEST = "Did an independent penetration test run in the last 12 months?"
PCI = "What is your PCI DSS role?"
EEA = "On what basis would personal data leave the EEA?"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# Alpha's answers propose 10.00 on Data security; Beta's (no pen test, not PCI assessed,
# contractual clauses) the mean of 0, 0 and 3.33: 1.11.
ALPHA = {PEN_TEST: "Yes", PCI: "Level 1 service provider", EEA: "No transfer outside the EEA"}
BETA = {PEN_TEST: "No", PCI: "Not assessed", EEA: "Standard contractual clauses"}


def _invite(page, vendor: str, email: str) -> str:
    page.get_by_label("Candidate vendor").select_option(label=vendor)
    page.get_by_label("Contact's e-mail").fill(email)
    page.get_by_role("button", name="E-mail an invitation").click()
    expect(page.get_by_text(f"Invitation e-mailed to {email}.")).to_be_visible()
    body = next(m.body for m in reversed(mail.outbox) if m.to == [email])
    return urlparse(re.search(r"https?://\S+/portal/invitation/\S+/", body).group(0)).path


def _respond(page, link: str, *, price: str, attrition: str, security: dict[str, str]) -> None:
    page.goto(link)
    page.locator("#id_new_password1").fill("Quote-2027-ok")
    page.locator("#id_new_password2").fill("Quote-2027-ok")
    page.get_by_role("button", name="Set password and continue").click()
    page.get_by_role("link", name="Care 2027").click()
    page.get_by_label("Delivery model").select_option(label="Offshore")
    page.get_by_label("Pricing model").select_option(label="Per FTE-month")
    page.get_by_label("Unit price").fill(price)
    page.get_by_label("Currency").select_option("USD")
    page.get_by_label(ATTRITION).fill(attrition)
    page.get_by_label(ISO_SCOPE).fill("Every delivery centre and service")
    for question, option in security.items():
        page.get_by_label(question).select_option(label=option)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_label("Certification").select_option(label="ISO 27001")
    page.get_by_label("Valid until").fill("2029-03-31")
    page.get_by_label("Certificate file").set_input_files(
        {"name": "iso-27001.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload certificate").click()
    expect(page.get_by_role("link", name="iso-27001.pdf")).to_be_visible()
    page.get_by_role("button", name="Submit response").click()
    expect(page.get_by_text("Response submitted.")).to_be_visible()


def _alpha_row(page):
    return page.locator("#ranking-table tbody tr", has_text="Alpha BPO")


def test_two_vendors_answer_one_round_sealed_until_it_opens_by_itself(
    page, transactional_db, log_in, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ensure_reference_data()
    ana = AnalystFactory(username="ana")
    evaluation = rankable_evaluation(owner=ana, title="Care 2027")
    for candidate in evaluation.candidates.select_related("vendor"):
        DeliveryCentreFactory(vendor=candidate.vendor)
    attrition = criterion_add_own(
        evaluation=evaluation,
        user=ana,
        name="Attrition %",
        source=Criterion.Source.MEASURED,
        direction=Criterion.Direction.COST,
        unit="%",
        low="0",
        high="60",
    )
    # Attrition weighs 10 %, taken from the heaviest criterion; Gamma, which will not answer, has
    # the team's own figure, so every competing vendor stays rankable.
    heaviest = evaluation.weights.exclude(criterion=attrition).order_by("-weight").first()
    EvaluationWeight.objects.filter(pk=heaviest.pk).update(weight=heaviest.weight - 10)
    evaluation.weights.filter(criterion=attrition).update(weight=10)
    gamma = evaluation.candidates.get(vendor__name="Gamma BPO").vendor
    measurement_save(evaluation=evaluation, user=ana, vendor=gamma, criterion=attrition, value="30")

    log_in("ana", DEFAULT_PASSWORD)
    page.goto(f"/evaluations/{evaluation.pk}/rfp/")
    page.get_by_label("Scope").fill("Inbound customer care, 7 days a week")
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=2))
    page.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Questionnaire").select_option(label="BPO due diligence")
    page.get_by_role("button", name="Save the request").click()
    expect(page.get_by_text("RFP round saved.")).to_be_visible()
    alpha_link = _invite(page, "Alpha BPO", "ops@alpha.example")
    beta_link = _invite(page, "Beta BPO", "bids@beta.example")
    gamma_link = _invite(page, "Gamma BPO", "late@gamma.example")
    page.goto(f"/evaluations/{evaluation.pk}/ranking/")
    # Alpha's and Beta's attrition will come from their answers: they are not ranked until then.
    expect(page.locator("main")).to_contain_text("2 vendors are not ranked")
    expect(page.locator("#ranking-table tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Log out").click()

    _respond(page, alpha_link, price="1777.77", attrition="18.5", security=ALPHA)
    page.get_by_role("button", name="Log out").click()
    page.goto(alpha_link)
    expect(page.locator("main")).to_contain_text("already used")
    Invitation.objects.filter(email="late@gamma.example").update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    page.goto(gamma_link)
    expect(page.locator("main")).to_contain_text("has expired")

    # A round of another evaluation that only Alpha is invited to: Beta's contact gets a 404.
    elsewhere = rankable_evaluation(("Zeta BPO",), owner=ana, title="Elsewhere 2027")
    alpha = VendorContact.objects.get(user__username="ops@alpha.example")
    alphas_round = invite(elsewhere, alpha.vendor, contact=alpha).round
    _respond(page, beta_link, price="1888.88", attrition="24", security=BETA)
    own = page.locator("main").inner_text()
    assert "1,777.77" not in own and "18.5" not in own
    assert page.goto(f"/portal/rounds/{alphas_round.pk}/").status == 404
    shared = RfpRound.objects.get(evaluation=evaluation)
    alphas_certificate = Evidence.objects.get(response__vendor=alpha.vendor)
    alphas_file = f"/portal/rounds/{shared.pk}/evidence/{alphas_certificate.pk}/"
    assert page.goto(alphas_file).status == 404
    page.goto("/portal/")
    page.get_by_role("button", name="Log out").click()

    log_in("ana", DEFAULT_PASSWORD)
    page.goto(f"/evaluations/{evaluation.pk}/rfp/")
    expect(page.get_by_role("cell", name=re.compile("^Responded"))).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("1,777.77")
    page.goto(f"/evaluations/{evaluation.pk}/quotes/")
    expect(page.locator("main")).not_to_contain_text("1,888.88")

    RfpRound.objects.filter(evaluation=evaluation).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    page.goto(f"/evaluations/{evaluation.pk}/ranking/")
    expect(page.locator("#ranking-table tbody tr")).to_have_count(3)
    expect(_alpha_row(page)).to_be_visible()
    page.locator(".nav-tabs").get_by_role("link", name="RFP round").click()
    expect(page.locator("main")).to_contain_text("Opened at the deadline")
    expect(page.get_by_role("row", name=re.compile("Alpha BPO.*1,777.77"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Beta BPO.*1,888.88"))).to_be_visible()
    page.goto(f"/evaluations/{evaluation.pk}/scores/")
    expect(page.get_by_label("Attrition % for Alpha BPO (%)")).to_have_value(
        re.compile(r"^18\.50*$")
    )
    expect(page.get_by_label("Attrition % for Beta BPO (%)")).to_have_value(
        re.compile(r"^24(\.0*)?$")
    )
    page.goto(f"/evaluations/{evaluation.pk}/quotes/")
    expect(page.locator("main")).to_contain_text("1,777.77")
    expect(page.locator("main")).to_contain_text("1,888.88")

    # The answers propose Data security scores; the analyst uses them and they cite the answers.
    page.goto(f"/evaluations/{evaluation.pk}/rfp/scores/")
    page.get_by_role("button", name="Use 10.00 as your score of Alpha BPO on Data security").click()
    page.get_by_role("button", name="Use 1.11 as your score of Beta BPO on Data security").click()
    alpha_card = page.locator("section.card", has_text="Alpha BPO")
    expect(alpha_card).to_contain_text("your score 10.00")
    expect(alpha_card).to_contain_text(f"“{PCI}” Level 1 service provider")

    page.goto(f"/evaluations/{evaluation.pk}/rfp/compare/")
    expect(page.locator("main")).to_contain_text("Beta BPO: 1 red flag")
    page.goto(f"/evaluations/{evaluation.pk}/rfp/")
    with page.expect_download() as download:
        page.get_by_role("link", name="iso-27001.pdf").first.click()
    assert download.value.suggested_filename == "iso-27001.pdf"

    report = page.request.get(f"/evaluations/{evaluation.pk}/report.pdf")
    assert report.ok and report.body().startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.body())).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Evidence behind the decisive scores" in text
    assert "Alpha BPO 10.00 rests on" in text and "Level 1 service provider" in text
