"""The demo's running contract: the approved helpdesk evaluation's winner, 12 measured months.

Service level misses its target in 7 of the 12 months (the last three running), so the vendor's
standing is Poor ("7 of the last 12 months below target"); the admin's policy warns below Average in
new evaluations of the same process. The term ends next month, so the renewal alert shows. Credits
add up by hand: each missed month is 1.5 points x 2 % = 3 % of the fee (README, "Contracts").
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from contracts import credits
from contracts.models import Contract, KpiMeasurement, StandingPolicy
from contracts.selectors import contract_prefill
from contracts.services import contract_create
from scoring.models import Evaluation
from vendors.models import Vendor

TITLE = "Technical helpdesk 2026"
# Months 0..11: True where service level misses its target.
MISSED = (False, False, True, False, True, True, False, True, False, True, True, True)
MISS_BY = Decimal("1.5")  # points below target in a missed month
MEASURED = len(MISSED)


def seed_contracts(users: dict[str, User]) -> Contract | None:
    StandingPolicy.objects.get_or_create(
        pk=1, defaults={"band": credits.AVERAGE, "action": StandingPolicy.Action.WARN}
    )
    found = Contract.objects.filter(title=TITLE).first()
    if found is not None:
        return found
    evaluation = Evaluation.objects.filter(status=Evaluation.Status.APPROVED).order_by("pk").first()
    prefill = contract_prefill(evaluation) if evaluation else None
    if evaluation is None or prefill is None or prefill.monthly_fee is None:
        return None
    start = credits.add_months(timezone.localdate().replace(day=1), -MEASURED)
    contract = contract_create(
        evaluation=evaluation,
        created_by=users["manager"],
        owner=users["analyst"],
        vendor=Vendor.objects.get(pk=prefill.vendor_id),
        title=TITLE,
        start_date=start,
        term_months=MEASURED + 2,
        monthly_fee=prefill.monthly_fee,
        currency=prefill.currency,
        monthly_cap_pct=Decimal(10),
        kpis=prefill.kpis,
    )
    measurements = []
    for kpi in contract.kpis.all():
        for index, missed in enumerate(MISSED):
            if kpi.name == "Service level":
                value = kpi.target - MISS_BY if missed else min(kpi.target + 1, Decimal(100))
            elif kpi.direction == credits.LOWER:
                value = kpi.target * Decimal("0.8")
            else:
                value = min(kpi.target + Decimal("0.5"), Decimal(100))
            measurements.append(
                KpiMeasurement(
                    kpi=kpi,
                    month=credits.add_months(start, index),
                    value=value,
                    entered_by=users["analyst"],
                )
            )
    bulk_create_with_history(measurements, KpiMeasurement, default_user=users["analyst"])
    return contract
