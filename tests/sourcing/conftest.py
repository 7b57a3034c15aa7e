import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import DeliveryCentreFactory, rankable_evaluation
from tests.sourcing.factories import VendorContactFactory, invite


@pytest.fixture
def evaluation(db):
    evaluation = rankable_evaluation(title="Customer care 2027")
    for candidate in evaluation.candidates.select_related("vendor"):
        DeliveryCentreFactory(vendor=candidate.vendor)  # offshore: the quotes' model
    return evaluation


@pytest.fixture
def alpha(evaluation):
    return evaluation.candidates.get(vendor__name="Alpha BPO").vendor


@pytest.fixture
def contact(evaluation, alpha):
    """Alpha's contact, invited to the round (deadline in three days) and signed up."""
    contact = VendorContactFactory(vendor=alpha, user__username="alpha.sales")
    invite(evaluation, alpha, deadline=timezone.now() + dt.timedelta(days=3), contact=contact)
    return contact


@pytest.fixture
def rfp(contact, evaluation):
    return evaluation.rfp_round
