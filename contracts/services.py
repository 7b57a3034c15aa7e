"""Writes for contracts: create one from an approval, add KPIs, enter or import monthly values, renew.

Each service is one business action in a transaction, raising :class:`ContractError` with a message
that names the field, KPI or month at fault; nothing is written when it raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from bpo_select.roles import Role, has_role
from contracts.models import Contract, Kpi, KpiMeasurement
from scoring.models import Candidate, Criterion, Evaluation, Measurement
from scoring.services import (
    SetupError,
    candidates_add,
    criterion_add_own,
    evaluation_create,
    measurement_save,
)
from vendors.market_cache import market_changed
from vendors.models import Vendor


class ContractError(ValueError):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class KpiSpec:
    name: str
    unit: str
    direction: str
    target: Decimal
    credit_pct_per_point: Decimal = Decimal(2)
    cap_pct: Decimal = Decimal(10)
    earn_back_months: int = 0


def _check_kpi(spec: KpiSpec, taken: set[str]) -> None:
    name = spec.name.strip()
    if not name:
        raise ContractError("Every KPI needs a name.", field="name")
    if name.lower() in taken:
        raise ContractError(f"The contract already has a KPI named “{name}”.", field="name")
    if spec.direction not in Kpi.Direction.values:
        raise ContractError(f"{name}: choose whether higher or lower is better.", field="direction")
    for field, label, value in (
        ("credit_pct_per_point", "credit per point", spec.credit_pct_per_point),
        ("cap_pct", "cap", spec.cap_pct),
    ):
        if not Decimal(0) <= value <= Decimal(100):
            raise ContractError(f"{name}: the {label} must be between 0 and 100 %.", field=field)
    if not 0 <= spec.earn_back_months <= 12:
        raise ContractError(f"{name}: earn-back counts 0 to 12 months.", field="earn_back_months")


@transaction.atomic
def contract_create(
    *,
    evaluation: Evaluation,
    created_by: User,
    owner: User,
    vendor: Vendor,
    title: str,
    start_date: dt.date,
    term_months: int,
    monthly_fee: Decimal,
    currency: str,
    monthly_cap_pct: Decimal,
    kpis: Sequence[KpiSpec],
) -> Contract:
    """A running contract with ``vendor`` from the approved ``evaluation``, with its KPIs."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.status != Evaluation.Status.APPROVED:
        raise ContractError("Only an approved evaluation becomes a contract.")
    if not has_role(owner, Role.ANALYST, Role.MANAGER):
        raise ContractError("The owner must be an analyst or a manager.", field="owner")
    if start_date.day != 1:
        raise ContractError("A contract starts on the first day of a month.", field="start_date")
    if not 1 <= term_months <= 240:
        raise ContractError("The term is 1 to 240 months.", field="term_months")
    if monthly_fee < 0:
        raise ContractError("The monthly fee cannot be negative.", field="monthly_fee")
    if not Decimal(0) <= monthly_cap_pct <= Decimal(100):
        raise ContractError("The monthly cap must be between 0 and 100 %.", field="monthly_cap_pct")
    if not kpis:
        raise ContractError("A contract needs at least one KPI to score.", field="kpis")
    running = Contract.objects.filter(
        evaluation=locked, vendor=vendor, status=Contract.Status.RUNNING
    ).first()
    if running is not None:
        raise ContractError(
            f"This evaluation already has a running contract with {vendor.name}: “{running.title}”."
        )
    contract = Contract.objects.create(
        title=title.strip() or f"{vendor.name} – {locked.process.name}",
        evaluation=locked,
        vendor=vendor,
        process_id=locked.process_id,
        owner=owner,
        start_date=start_date,
        term_months=term_months,
        monthly_fee=monthly_fee,
        currency=currency.strip().upper(),
        monthly_cap_pct=monthly_cap_pct,
        created_by=created_by,
    )
    taken: set[str] = set()
    for order, spec in enumerate(kpis):
        _check_kpi(spec, taken)
        taken.add(spec.name.strip().lower())
        _create_kpi(contract, spec, order)
    return contract


def _create_kpi(contract: Contract, spec: KpiSpec, order: int) -> Kpi:
    return Kpi.objects.create(
        contract=contract,
        name=spec.name.strip(),
        unit=spec.unit.strip(),
        direction=spec.direction,
        target=spec.target,
        credit_pct_per_point=spec.credit_pct_per_point,
        cap_pct=spec.cap_pct,
        earn_back_months=spec.earn_back_months,
        order=order,
    )


@transaction.atomic
def kpi_add(*, contract: Contract, spec: KpiSpec) -> Kpi:
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    names = list(locked.kpis.values_list("name", flat=True))
    _check_kpi(spec, {n.lower() for n in names})
    return _create_kpi(locked, spec, len(names))


def _check_month(contract: Contract, month: dt.date, where: str = "") -> None:
    if month.day != 1:
        raise ContractError(f"{where}a month is given by its first day.", field="month")
    if not contract.covers(month):
        raise ContractError(
            f"{where}{month:%B %Y} is outside the contract's term "
            f"({contract.start_date:%B %Y} to {contract.last_month:%B %Y}).",
            field="month",
        )


def _store(contract: Contract, rows: Sequence[tuple[int, dt.date, Decimal]], user: User) -> int:
    """Upsert (kpi id, month, value) rows; returns how many values were new or changed."""
    kpi_ids = {kpi_id for kpi_id, _, _ in rows}
    months = {month for _, month, _ in rows}
    existing = {
        (m.kpi_id, m.month): m
        for m in KpiMeasurement.objects.select_for_update().filter(
            kpi_id__in=kpi_ids, month__in=months
        )
    }
    changed = 0
    for kpi_id, month, value in rows:
        found = existing.get((kpi_id, month))
        if found is None:
            KpiMeasurement.objects.create(kpi_id=kpi_id, month=month, value=value, entered_by=user)
        elif found.value != value:
            found.value, found.entered_by = value, user
            found.save(update_fields=["value", "entered_by", "entered_at"])
        else:
            continue
        changed += 1
    return changed


@transaction.atomic
def month_save(
    *, contract: Contract, user: User, month: dt.date, values: Mapping[int, Decimal | None]
) -> int:
    """Store one month's values (KPI id -> value; None leaves a stored value as it is)."""
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    _check_month(locked, month)
    kpis = set(locked.kpis.values_list("pk", flat=True))
    unknown = set(values) - kpis
    if unknown:
        raise ContractError("A value was given for a KPI this contract does not have.")
    rows = [(kpi_id, month, value) for kpi_id, value in values.items() if value is not None]
    if not rows:
        raise ContractError(f"Enter at least one value for {month:%B %Y}.")
    return _store(locked, rows, user)


@dataclass(frozen=True)
class ImportRow:
    """One checked row of a measurement import: the file's row number, the KPI, month and value."""

    row: int
    kpi_id: int
    kpi: str
    month: dt.date
    value: Decimal
    previous: Decimal | None


@transaction.atomic
def measurements_import(*, contract: Contract, user: User, rows: Sequence[ImportRow]) -> int:
    """Store every checked row or none (each row's month is checked again under the lock)."""
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    kpis = set(locked.kpis.values_list("pk", flat=True))
    for row in rows:
        if row.kpi_id not in kpis:
            raise ContractError(
                f"Row {row.row}, column kpi: “{row.kpi}” is not a KPI of this contract."
            )
        _check_month(locked, row.month, f"Row {row.row}, column month: ")
    return _store(locked, [(r.kpi_id, r.month, r.value) for r in rows], user)


@transaction.atomic
def renewal_start(*, contract: Contract, by: User) -> Evaluation:
    """A draft evaluation of the same process and requirements, the incumbent vendor a candidate.

    Owned by the contract's owner when they are an analyst, else by the awarded evaluation's owner
    (evaluations belong to analysts).
    """
    source = contract.evaluation
    owner = contract.owner if has_role(contract.owner, Role.ANALYST) else source.owner
    try:
        draft = evaluation_create(
            owner=owner,
            title=f"Renewal: {contract.title}"[:200],
            process=source.process,
            base_currency=source.base_currency,
            volume=source.volume,
            volume_unit=source.volume_unit,
            term_months=source.term_months,
            budget_cap=source.budget_cap,
            method=source.method,
            scale=source.scale,
            required_certifications=source.required_certifications.all(),
            allowed_delivery_models=source.allowed_delivery_models.all(),
        )
        candidates_add(evaluation=draft, vendors=[contract.vendor])
    except SetupError as error:
        raise ContractError(f"The renewal evaluation could not start: {error}") from error
    draft.team.add(*source.team.all())
    if owner.pk != by.pk and has_role(by, Role.ANALYST):
        draft.team.add(by)
    return draft


DELIVERED = "Delivered performance"


@transaction.atomic
def delivered_performance_fill(
    *, evaluation: Evaluation, user: User, standings: Mapping[int, Decimal]
) -> tuple[Criterion, int]:
    """Pre-fill the evaluation's measured "Delivered performance" criterion (added at 0 % weight if
    missing) with each competing candidate's share of contract-months met (``standings``: vendor id
    -> %). Cells the team already filled keep their value; returns the criterion and how many were
    filled."""
    criterion = Criterion.objects.filter(
        evaluation=evaluation, name=DELIVERED, source=Criterion.Source.MEASURED
    ).first()
    if criterion is None:
        try:
            criterion = criterion_add_own(
                evaluation=evaluation,
                user=user,
                name=DELIVERED,
                source=Criterion.Source.MEASURED,
                description="Share of the vendor's recent contract-months that met every SLA "
                "target (from its contracts' scorecards).",
                unit="%",
                low=Decimal(0),
                high=Decimal(100),
            )
        except SetupError as error:
            raise ContractError(str(error)) from error
    filled = set(
        Measurement.objects.filter(evaluation=evaluation, criterion=criterion).values_list(
            "vendor_id", flat=True
        )
    )
    competing = Candidate.objects.filter(evaluation=evaluation, excluded_reason="").select_related(
        "vendor"
    )
    count = 0
    for candidate in competing:
        share = standings.get(candidate.vendor_id)
        if share is None or candidate.vendor_id in filled:
            continue
        measurement_save(
            evaluation=evaluation,
            user=user,
            vendor=candidate.vendor,
            criterion=criterion,
            value=share,
        )
        count += 1
    return criterion, count


@transaction.atomic
def contracts_close_ended(*, today: dt.date) -> int:
    """Mark running contracts whose last month is over as ended; returns how many."""
    ended = [
        c.pk
        for c in Contract.objects.select_for_update().filter(status=Contract.Status.RUNNING)
        if c.end_date < today
    ]
    count = Contract.objects.filter(pk__in=ended).update(status=Contract.Status.ENDED)
    market_changed()  # update() sends no signal; the directory shows contract standings
    return count
