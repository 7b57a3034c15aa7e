"""The business case's in-house baseline: record, change or clear what running the process
in-house costs."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from scoring.models import Evaluation, InHouseBaseline
from scoring.services.common import _bump, _locked, _validate


@transaction.atomic
def baseline_save(
    *,
    evaluation: Evaluation,
    user: User,
    expected_version: int,
    ftes: Decimal,
    loaded_cost_per_fte_month: Decimal,
    monthly_overheads: Decimal = Decimal(0),
    annual_wage_inflation: Decimal = Decimal(0),
    exit_costs: Decimal = Decimal(0),
) -> InHouseBaseline:
    """Record or change the evaluation's baseline if nobody saved the evaluation since
    ``expected_version``; the baseline's history says what changed."""
    locked = _locked(evaluation, expected_version)
    baseline = InHouseBaseline.objects.filter(evaluation=locked).first() or InHouseBaseline(
        evaluation=locked
    )
    baseline.ftes = ftes
    baseline.loaded_cost_per_fte_month = loaded_cost_per_fte_month
    baseline.monthly_overheads = monthly_overheads
    baseline.annual_wage_inflation = annual_wage_inflation
    baseline.exit_costs = exit_costs
    _validate(baseline, exclude=["evaluation"])
    baseline._history_user = user
    baseline.save()
    _bump(locked, evaluation, history=False)
    return baseline


@transaction.atomic
def baseline_clear(*, evaluation: Evaluation, user: User, expected_version: int) -> None:
    """Remove the baseline (savings are then no longer shown)."""
    locked = _locked(evaluation, expected_version)
    baseline = InHouseBaseline.objects.filter(evaluation=locked).first()
    if baseline is None:
        return
    baseline._history_user = user
    baseline.delete()
    _bump(locked, evaluation, history=False)
