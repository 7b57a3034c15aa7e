"""The database refuses what the services never write (contracts/models.py constraints)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contracts import credits
from contracts.models import Contract, Kpi, KpiMeasurement

pytestmark = pytest.mark.django_db


def refused(**changes) -> bool:
    try:
        with transaction.atomic():
            changes.pop("model").objects.filter(pk=changes.pop("pk")).update(**changes)
    except IntegrityError:
        return True
    return False


def test_percentages_terms_and_first_days_are_checked(contract):
    kpi = contract.kpis.first()
    assert refused(model=Kpi, pk=kpi.pk, cap_pct=Decimal(101))
    assert refused(model=Kpi, pk=kpi.pk, credit_pct_per_point=Decimal(-1))
    assert refused(model=Contract, pk=contract.pk, monthly_cap_pct=Decimal("100.5"))
    assert refused(model=Contract, pk=contract.pk, term_months=0)
    assert refused(model=Contract, pk=contract.pk, start_date=dt.date(2026, 1, 2))


def test_one_value_per_kpi_and_month_on_a_first_day(contract):
    kpi = contract.kpis.first()
    KpiMeasurement.objects.create(kpi=kpi, month=contract.start_date, value=Decimal(96))
    with pytest.raises(IntegrityError), transaction.atomic():
        KpiMeasurement.objects.create(kpi=kpi, month=contract.start_date, value=Decimal(97))
    with pytest.raises(IntegrityError), transaction.atomic():
        KpiMeasurement.objects.create(kpi=kpi, month=dt.date(2026, 3, 15), value=Decimal(97))


def test_a_month_outside_the_term_fails_validation(contract):
    kpi = contract.kpis.first()
    outside = KpiMeasurement(kpi=kpi, month=credits.add_months(contract.last_month, 1), value=1)

    with pytest.raises(ValidationError, match="outside the contract's term"):
        outside.full_clean()


def test_the_term_runs_from_the_first_to_the_last_day(contract):
    assert contract.end_date == credits.add_months(contract.start_date, 24) - dt.timedelta(days=1)
    assert len(contract.months) == 24 and contract.months[-1] == contract.last_month
