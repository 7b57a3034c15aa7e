"""Reads for contracts: the prefill from an approval, a contract's scorecard, vendors' SLA standing
and what the scoring app asks about candidates' standing. Each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Subquery
from django.utils import timezone

from contracts import credits
from contracts.models import Contract, Kpi, KpiMeasurement, StandingPolicy
from contracts.services import KpiSpec
from scoring import costs
from scoring.facts import StandingNote
from scoring.models import Evaluation
from scoring.reports.snapshot import frozen_decision

# A standing never looks further back than the longest window the admin may choose.
MAX_WINDOW = 60


# --------------------------------------------------------------------------- create from an approval


@dataclass(frozen=True)
class Prefill:
    vendor_id: int
    vendor: str
    currency: str
    monthly_fee: Decimal | None
    fee_note: str  # how the fee was derived, or why it could not be
    term_months: int
    start_date: dt.date
    kpis: tuple[KpiSpec, ...]


def _first_of_next_month(day: dt.date) -> dt.date:
    return credits.add_months(day, 1)


def contract_prefill(evaluation: Evaluation) -> Prefill | None:
    """What the signed decision says about the contract; None if it ranked no vendor."""
    decision = frozen_decision(evaluation)
    if decision is None or not decision.ranking:
        return None
    winner = decision.ranking[0]
    quote = decision.quotes.get(winner.vendor_id)
    ev = decision.evaluation
    fee, note = None, "No quote in the approved decision: enter the fee."
    kpis: list[KpiSpec] = []
    if quote is not None:
        try:
            fee = costs.total_cost_of_ownership(
                pricing_model=quote.pricing_model,
                unit_price=quote.unit_price,
                currency=quote.currency,
                transition_fee=Decimal(0),
                volume=ev.volume,
                volume_unit=ev.volume_unit,
                term_months=1,
                base_currency=quote.currency,
                rates={},
            )
            note = (
                f"{quote.pricing_model_label} {quote.unit_price.normalize():f} {quote.currency} "
                f"x {ev.volume.normalize():f} {ev.volume_label} a month, from the approved quote."
            )
        except (costs.IncompatibleVolume, ValueError) as error:
            note = f"The quote's monthly fee could not be derived ({error}): enter it."
        if quote.service_level_pct is not None:
            kpis.append(KpiSpec("Service level", "%", credits.HIGHER, quote.service_level_pct))
        if quote.quality_pct is not None:
            kpis.append(KpiSpec("Quality", "%", credits.HIGHER, quote.quality_pct))
        if quote.response_time_hours is not None:
            kpis.append(
                KpiSpec(
                    "Response time",
                    "hours",
                    credits.LOWER,
                    quote.response_time_hours,
                    Decimal(1),
                    Decimal(5),
                )
            )
    return Prefill(
        vendor_id=winner.vendor_id,
        vendor=winner.name,
        currency=quote.currency if quote else ev.base_currency,
        monthly_fee=fee,
        fee_note=note,
        term_months=ev.term_months,
        start_date=_first_of_next_month(timezone.localdate()),
        kpis=tuple(kpis),
    )


# --------------------------------------------------------------------------- a contract's scorecard


@dataclass(frozen=True)
class KpiSeries:
    kpi: Kpi
    points: tuple[tuple[dt.date, Decimal | None], ...]
    met: int
    measured: int


@dataclass(frozen=True)
class Scorecard:
    contract: Contract
    kpis: tuple[Kpi, ...]
    months: tuple[credits.MonthCredits, ...]  # the term's months up to now (or the last measured)
    series: tuple[KpiSeries, ...]
    total_credits: Decimal
    standing: credits.Standing | None

    @property
    def measured_months(self) -> int:
        return sum(1 for m in self.months if m.measured)


def _shown_months(contract: Contract, values: dict, today: dt.date) -> list[dt.date]:
    """The term's months up to this month, or to the last measured one if later (none before the
    contract starts)."""
    until = min(today, contract.last_month)
    last_measured = max((month for _, month in values), default=None)
    if last_measured is not None and last_measured > until:
        until = last_measured
    return [m for m in contract.months if m <= until]


def contract_scorecard(contract: Contract, *, months: Iterable[dt.date] | None = None) -> Scorecard:
    """The month grid with credits, a series per KPI and the standing (the admin's window). 3 queries."""
    kpis = tuple(contract.kpis.all())
    values = {
        (m.kpi_id, m.month): m.value
        for m in KpiMeasurement.objects.filter(kpi__contract=contract).only(
            "kpi_id", "month", "value"
        )
    }
    today = timezone.localdate().replace(day=1)
    shown = list(months) if months is not None else _shown_months(contract, values, today)
    card = credits.scorecard(
        rules=[k.rule for k in kpis],
        months=shown,
        values=values,
        monthly_fee=contract.monthly_fee,
        monthly_cap_pct=contract.monthly_cap_pct,
    )
    series = []
    for position, kpi in enumerate(kpis):
        cells = [month.cells[position] for month in card]
        series.append(
            KpiSeries(
                kpi=kpi,
                points=tuple((c.month, c.value) for c in cells),
                met=sum(1 for c in cells if c.met),
                measured=sum(1 for c in cells if c.measured),
            )
        )
    window = StandingPolicy.current().window_months
    return Scorecard(
        contract=contract,
        kpis=kpis,
        months=card,
        series=tuple(series),
        total_credits=credits.total_credits(card),
        standing=credits.standing(credits.month_results(card), window=window),
    )


# --------------------------------------------------------------------------- vendors' standing


def _met(direction: str, target: Decimal, value: Decimal) -> bool:
    return value >= target if direction == credits.HIGHER else value <= target


def _standings_from(rows, window: int) -> dict[int, credits.Standing]:
    """rows: (vendor id, contract id, month, direction, target, value) -> standing per vendor."""
    months: dict[tuple[int, int, dt.date], bool] = {}
    for vendor_id, contract_id, month, direction, target, value in rows:
        key = (vendor_id, contract_id, month)
        months[key] = months.get(key, True) and _met(direction, target, value)
    by_vendor: dict[int, list[tuple[dt.date, bool]]] = defaultdict(list)
    for (vendor_id, _, month), met in months.items():
        by_vendor[vendor_id].append((month, met))
    result = {}
    for vendor_id, results in by_vendor.items():
        found = credits.standing(results, window=window)
        if found is not None:
            result[vendor_id] = found
    return result


def _measurement_rows(vendor_ids: Iterable[int] | None, process_id: int | None):
    since = credits.add_months(timezone.localdate().replace(day=1), -MAX_WINDOW)
    rows = KpiMeasurement.objects.filter(month__gte=since)
    if vendor_ids is not None:
        rows = rows.filter(kpi__contract__vendor_id__in=list(vendor_ids))
    if process_id is not None:
        rows = rows.filter(kpi__contract__process_id=process_id)
    return rows


FIELDS = (
    "kpi__contract__vendor_id",
    "kpi__contract_id",
    "month",
    "kpi__direction",
    "kpi__target",
    "value",
)


def vendor_standings(
    vendor_ids: Iterable[int] | None = None, *, window: int | None = None
) -> dict[int, credits.Standing]:
    """vendor id -> SLA standing over all its contracts (vendors without a measured month are left
    out), over ``window`` months or the admin's policy's. 1 query: the policy rides along."""
    rows = _measurement_rows(vendor_ids, None)
    if window is not None:
        return _standings_from(rows.values_list(*FIELDS), window)
    policy = StandingPolicy.objects.order_by("pk").values("window_months")[:1]
    found = list(
        rows.annotate(policy_window=Subquery(policy)).values_list(*FIELDS, "policy_window")
    )
    if not found:
        return {}
    chosen = found[0][6] or StandingPolicy().window_months
    return _standings_from((row[:6] for row in found), chosen)


def standing_notes(evaluation: Evaluation, vendor_ids: list[int]) -> list[StandingNote]:
    """Candidates whose standing on contracts of the evaluation's process is below the admin's
    band, as warnings or knock-outs (scoring's SCORING_STANDING_SOURCE). 1 query: the policy rides
    along on each measurement row, and without measurements there is nothing to say."""
    policy = StandingPolicy.objects.order_by("pk")
    rows = list(
        _measurement_rows(vendor_ids, evaluation.process_id)
        .annotate(
            policy_band=Subquery(policy.values("band")[:1]),
            policy_action=Subquery(policy.values("action")[:1]),
            policy_window=Subquery(policy.values("window_months")[:1]),
        )
        .values_list(*FIELDS, "policy_band", "policy_action", "policy_window")
    )
    if not rows:
        return []
    default = StandingPolicy()
    band = rows[0][6] or default.band
    action = rows[0][7] or default.action
    window = rows[0][8] or default.window_months
    if action == StandingPolicy.Action.OFF:
        return []
    standings = _standings_from((row[:6] for row in rows), window)
    return [
        StandingNote(vendor_id, found.sentence, action == StandingPolicy.Action.EXCLUDE)
        for vendor_id, found in sorted(standings.items())
        if credits.band_below(found.band, band)
    ]
