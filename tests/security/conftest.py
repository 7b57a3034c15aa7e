"""A small world for the security sweeps: one draft and one in-review evaluation owned by `owner`
with `member` on the team, plus a user for every role the access matrix checks."""

from dataclasses import dataclass

import pytest

from scoring.models import Evaluation
from tests.factories import (
    AnalystFactory,
    DeliveryCentreFactory,
    ManagerFactory,
    UserFactory,
    VendorAdminFactory,
    rankable_evaluation,
)


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
    return World(
        owner=owner,
        member=member,
        outsider=AnalystFactory(username="outsider"),
        manager=ManagerFactory(username="boss"),
        vendor_admin=VendorAdminFactory(username="curator"),
        superuser=UserFactory(username="root", is_superuser=True, is_staff=True),
        draft=draft,
        in_review=in_review,
    )
