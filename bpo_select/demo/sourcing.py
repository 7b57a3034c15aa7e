"""The demo's RFP round: the draft evaluation invites its first candidate, whose contact
`vendorcontact` has signed up from the link and saved a draft response (not yet submitted) with
part of the due-diligence questionnaire answered and an ISO 27001 certificate uploaded."""

import datetime as dt
import secrets

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bpo_select.demo.market import DEMO_PASSWORD
from bpo_select.roles import Role
from scoring.models import Evaluation
from sourcing.models import Answer, Invitation, Questionnaire, Response, RfpRound, VendorContact
from sourcing.services import token_hash
from sourcing.services_evidence import evidence_upload
from vendors.models import Certification, Quote

CONTACT_USERNAME = "vendorcontact"
# A one-page PDF saying what it stands for (viewers repair its missing cross-reference table).
DEMO_CERTIFICATE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>>>endobj\n"
    b"4 0 obj<</Length 60>>stream\nBT /F1 18 Tf 72 760 Td (ISO 27001 certificate - demo) Tj ET\n"
    b"endstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_rfp_round(users: dict[str, User]) -> None:
    evaluation = Evaluation.objects.filter(status=Evaluation.Status.DRAFT).order_by("pk").first()
    if evaluation is None or RfpRound.objects.filter(evaluation=evaluation).exists():
        return
    # A candidate that quoted already: its draft starts from that quote, as a vendor's would.
    listed = (
        Quote.objects.filter(evaluation=evaluation)
        .select_related("vendor")
        .order_by("vendor__name")
    ).first()
    if listed is None:
        return
    vendor, analyst = listed.vendor, users["analyst"]
    rfp = RfpRound.objects.create(
        evaluation=evaluation,
        scope=f"{evaluation.process.name} for our customers in English and Spanish, 7 days a week.",
        delivery_constraints="Nearshore or offshore centres; PCI DSS for card payments.",
        sla_targets="80 % of calls answered within 20 seconds; quality score of 90 % or more.",
        deadline=timezone.now() + dt.timedelta(days=14),
        created_by=analyst,
        questionnaire=Questionnaire.objects.filter(name="BPO due diligence").first(),
    )
    user, created = User.objects.get_or_create(
        username=CONTACT_USERNAME,
        defaults={
            "first_name": "Val",
            "last_name": "Contact",
            "email": "vendorcontact@example.com",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get_or_create(name=Role.VENDOR_CONTACT)[0])
    contact, _ = VendorContact.objects.get_or_create(user=user, defaults={"vendor": vendor})
    Invitation.objects.create(
        round=rfp,
        vendor=contact.vendor,
        email=user.email,
        token_hash=token_hash(secrets.token_urlsafe(32)),  # already used: nobody needs it
        expires_at=rfp.deadline,
        sent_by=analyst,
        accepted_at=timezone.now(),
        contact=contact,
    )
    response = Response.objects.create(
        round=rfp,
        vendor=contact.vendor,
        updated_by=user,
        delivery_model=listed.delivery_model,
        pricing_model=listed.pricing_model,
        unit_price=(listed.unit_price * 97 / 100).quantize(listed.unit_price),
        currency=listed.currency,
        notes="Draft: 3 % below our earlier quote; to confirm with finance before submitting.",
    )
    if rfp.questionnaire is not None:
        # Half answered, as a draft would be: the attrition figure (it feeds "Attrition %") and PCI.
        drafted = {"Attrition %": "22.5", "PCI DSS": "Level 1 service provider"}
        Answer.objects.bulk_create(
            Answer(response=response, question=question, value=value)
            for question in rfp.questionnaire.questions.all()
            for topic, value in drafted.items()
            if topic in (question.criterion_name or question.text)
        )
    iso = Certification.objects.filter(slug="iso-27001").first()
    if iso is not None:
        evidence_upload(
            rfp=rfp,
            contact=contact,
            file=SimpleUploadedFile("ISO 27001 certificate.pdf", DEMO_CERTIFICATE),
            certification=iso,
            valid_until=timezone.localdate() + dt.timedelta(days=200),
        )
