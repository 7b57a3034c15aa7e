"""Contracts under test: an approved evaluation (Alpha BPO first, 20 FTEs at 2,000 USD) and a contract
with it started a year ago, Service level >= 95 % (2 % per point, cap 10 %) and Response time <= 4 h."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts import credits
from contracts.models import KpiMeasurement
from contracts.services import KpiSpec, contract_create
from scoring.models import Evaluation
from scoring.services import evaluation_approve
from tests.factories import AnalystFactory, ManagerFactory, rankable_evaluation


def approve(evaluation: Evaluation, manager) -> Evaluation:
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)
    evaluation.refresh_from_db()
    evaluation_approve(evaluation=evaluation, manager=manager, comment="Go")
    evaluation.refresh_from_db()
    return evaluation


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def make_contract(
    evaluation, *, owner, created_by, start=None, term=24, fee=Decimal(40000), vendor=None
):
    return contract_create(
        evaluation=evaluation,
        created_by=created_by,
        owner=owner,
        vendor=vendor or evaluation.candidates.order_by("vendor__name").first().vendor,
        title="Alpha customer service",
        start_date=start or credits.add_months(this_month(), -12),
        term_months=term,
        monthly_fee=fee,
        currency="USD",
        monthly_cap_pct=Decimal(10),
        kpis=[
            KpiSpec("Service level", "%", "higher", Decimal(95)),
            KpiSpec("Response time", "hours", "lower", Decimal(4), Decimal(1), Decimal(5)),
        ],
    )


def measure(contract, month, **values):
    """measure(contract, month, service_level=94, response_time=3)."""
    for kpi in contract.kpis.all():
        key = kpi.name.lower().replace(" ", "_")
        if key in values:
            KpiMeasurement.objects.create(kpi=kpi, month=month, value=Decimal(str(values[key])))


@pytest.fixture
def boss(db):
    return ManagerFactory(username="boss")


@pytest.fixture
def approved(analyst, boss):
    return approve(rankable_evaluation(owner=analyst, title="Customer service 2025"), boss)


@pytest.fixture
def contract(approved, analyst, boss):
    return make_contract(approved, owner=analyst, created_by=boss)


@pytest.fixture
def outsider(db):
    return AnalystFactory(username="outsider")
