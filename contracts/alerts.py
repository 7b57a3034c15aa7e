"""Alerts on running contracts: the end approaching (time to renew), a KPI missed three months
running, and the contracted vendor's certificates lapsing before the contract ends.

The dashboard and ``manage.py contract_alerts`` (e-mail to each owner) read the same list.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from contracts.credits import points_missed
from contracts.models import Contract, Kpi, KpiMeasurement
from vendors.models import VendorCertification
from vendors.templatetags.formatting import day

RENEWAL_DAYS = 90
REPEATED_MISSES = 3
RENEWAL, MISSES, CERTIFICATE = "renewal", "misses", "certificate"


@dataclass(frozen=True)
class Alert:
    contract: Contract
    kind: str
    text: str


def _repeated_misses(contract: Contract) -> list[str]:
    texts = []
    for kpi in contract.kpis.all():
        # Prefetched newest first; the latest REPEATED_MISSES measured months, if consecutive.
        latest = list(kpi.measurements.all())[:REPEATED_MISSES]
        if len(latest) < REPEATED_MISSES:
            continue
        consecutive = all(
            (a.month.year * 12 + a.month.month) - (b.month.year * 12 + b.month.month) == 1
            for a, b in itertools.pairwise(latest)
        )
        if consecutive and all(points_missed(kpi.rule, m.value) > 0 for m in latest):
            texts.append(
                f"{kpi.name} missed its target {REPEATED_MISSES} months running "
                f"({latest[-1].month:%B %Y} to {latest[0].month:%B %Y})."
            )
    return texts


def alerts_for(contracts: QuerySet[Contract], *, today: dt.date | None = None) -> list[Alert]:
    """Every alert of the running ``contracts``, in contract order. 4 queries whatever their number."""
    today = today or timezone.localdate()
    running = list(
        contracts.filter(status=Contract.Status.RUNNING).prefetch_related(
            Prefetch(
                "kpis",
                queryset=Kpi.objects.prefetch_related(
                    Prefetch("measurements", queryset=KpiMeasurement.objects.order_by("-month"))
                ),
            )
        )
    )
    certificates: dict[int, list[VendorCertification]] = defaultdict(list)
    for vc in VendorCertification.objects.filter(
        vendor_id__in={c.vendor_id for c in running}, valid_until__isnull=False
    ).select_related("certification"):
        certificates[vc.vendor_id].append(vc)
    found = []
    for contract in running:
        end = contract.end_date
        if today <= end <= today + dt.timedelta(days=RENEWAL_DAYS):
            days = (end - today).days
            found.append(
                Alert(
                    contract,
                    RENEWAL,
                    f"Ends on {day(end)}, in {days} day{'s' if days != 1 else ''}: time to start the renewal.",
                )
            )
        for text in _repeated_misses(contract):
            found.append(Alert(contract, MISSES, text))
        for vc in sorted(certificates[contract.vendor_id], key=lambda v: v.valid_until or end):
            if vc.valid_until is not None and vc.valid_until < end:
                verb = "lapsed on" if vc.valid_until < today else "lapses on"
                found.append(
                    Alert(
                        contract,
                        CERTIFICATE,
                        f"{contract.vendor.name}'s {vc.certification.name} {verb} {day(vc.valid_until)}, "
                        f"before the contract ends on {day(end)}.",
                    )
                )
    return found
