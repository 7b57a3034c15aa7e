"""A small world for the security sweeps: one draft and one in-review evaluation owned by `owner`
with `member` on the team, plus a user for every role the access matrix checks. The draft has an
RFP round to which its first candidate is invited; `vendor_contact` answers for that vendor."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from scoring.models import Evaluation
from tests.factories import (
    AnalystFactory,
    DeliveryCentreFactory,
    ManagerFactory,
    UserFactory,
    VendorAdminFactory,
    rankable_evaluation,
)
from tests.sourcing.factories import VendorContactFactory, invite


@dataclass
class World:
    owner: object
    member: object
    outsider: object
    manager: object
    vendor_admin: object
    superuser: object
    draft: Evaluation
    in_review: Evaluation
    vendor_contact: object = None

    @property
    def vendor(self):
        return self.draft.candidates.select_related("vendor").first().vendor

    def users(self) -> dict:
        return {
            "anonymous": None,
            "owner": self.owner,
            "member": self.member,
            "outsider": self.outsider,
            "manager": self.manager,
            "vendor_admin": self.vendor_admin,
            "superuser": self.superuser,
            "vendor_contact": self.vendor_contact,
        }


@pytest.fixture
def world(db) -> World:
    owner = AnalystFactory(username="owner")
    member = AnalystFactory(username="member")
    draft = rankable_evaluation(owner=owner, title="Draft under test")
    draft.team.add(member)
    for candidate in draft.candidates.select_related("vendor"):
        # A centre for the quoted delivery model, so the quote form can save the quote unchanged.
        DeliveryCentreFactory(vendor=candidate.vendor)
    in_review = rankable_evaluation(
        ("Delta BPO", "Epsilon BPO"),
        owner=owner,
        title="In review under test",
        status=Evaluation.Status.IN_REVIEW,
    )
    in_review.team.add(member)
    vendor = draft.candidates.select_related("vendor").first().vendor
    contact = VendorContactFactory(vendor=vendor, user__username="contact")
    invite(draft, vendor, deadline=timezone.now() + dt.timedelta(days=3), contact=contact)
    return World(
        owner=owner,
        member=member,
        outsider=AnalystFactory(username="outsider"),
        manager=ManagerFactory(username="boss"),
        vendor_admin=VendorAdminFactory(username="curator"),
        superuser=UserFactory(username="root", is_superuser=True, is_staff=True),
        draft=draft,
        in_review=in_review,
        vendor_contact=contact.user,
    )
