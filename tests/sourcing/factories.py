"""Vendor contacts, rounds and invitations for the sourcing tests."""

import datetime as dt

import factory
from django.utils import timezone

from bpo_select.roles import Role
from scoring.models import Evaluation
from sourcing.models import Invitation, RfpRound, VendorContact
from sourcing.services import token_hash
from tests.factories import UserFactory, VendorFactory, _grant
from vendors.models import Vendor


class ContactUserFactory(UserFactory):
    role = factory.PostGeneration(
        lambda u, create, role, **kw: _grant(u, create, role or Role.VENDOR_CONTACT)
    )


class VendorContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorContact

    user = factory.SubFactory(ContactUserFactory)
    vendor = factory.SubFactory(VendorFactory)


def rfp_round(evaluation: Evaluation, *, deadline: dt.datetime | None = None) -> RfpRound:
    return RfpRound.objects.get_or_create(
        evaluation=evaluation,
        defaults={
            "scope": "Inbound customer service, 7 days a week",
            "deadline": deadline or timezone.now() + dt.timedelta(days=3),
            "created_by": evaluation.owner,
        },
    )[0]


def invite(
    evaluation: Evaluation,
    vendor: Vendor,
    *,
    deadline: dt.datetime | None = None,
    contact: VendorContact | None = None,
    token: str = "",
    email: str = "",
) -> Invitation:
    """An invitation to ``vendor`` (accepted by ``contact`` when given), without sending mail."""
    rfp = rfp_round(evaluation, deadline=deadline)
    email = email or (contact.user.email if contact else f"sales@{vendor.pk}.example")
    return Invitation.objects.create(
        round=rfp,
        vendor=vendor,
        email=email,
        token_hash=token_hash(token or f"token-{vendor.pk}-{email}"),
        expires_at=rfp.deadline,
        sent_by=evaluation.owner,
        contact=contact,
        accepted_at=timezone.now() if contact else None,
    )
