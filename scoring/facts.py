"""The inputs of a decision as frozen values, and the rules on them: what a quote costs, which
knock-out requirements a vendor fails, the weights' shares.

Pure (no Django): ``scoring.selectors.decision_inputs`` fills :class:`DecisionInputs` from the
database, ``scoring.decision.decide`` decides on it, ``scoring.reports.snapshot`` freezes both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from scoring import certificate_watch, costs
from scoring import places as places_
from vendors.templatetags.formatting import day, money0

_VOLUME_WORDS = {"fte": "FTEs", "hours": "hours", "transactions": "transactions"}


def money_text(amount: Decimal, currency: str) -> str:
    """Whole units, as the pages print totals: "€2,400,000"."""
    return money0(amount, currency)


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Named:
    """A required certification or an allowed delivery model (``code``: onshore/nearshore/offshore)."""

    id: int
    name: str
    code: str = ""


@dataclass(frozen=True)
class BaselineFacts:
    """What running the process in-house costs, in the base currency (the business case)."""

    ftes: Decimal
    loaded_cost_per_fte_month: Decimal
    monthly_overheads: Decimal
    annual_wage_inflation: Decimal  # percent a year
    exit_costs: Decimal


@dataclass(frozen=True)
class ShareBound:
    """The share of the volume (0..1) an evaluation lets one delivery model take."""

    model: str  # delivery model code: onshore / nearshore / offshore
    name: str
    min_share: Decimal
    max_share: Decimal


@dataclass(frozen=True)
class EvaluationFacts:
    id: int
    title: str
    process: str
    owner: str
    team: tuple[str, ...]
    base_currency: str
    volume: Decimal
    volume_unit: str  # fte / hours / transactions
    volume_label: str  # "FTEs", "hours per month", ...
    term_months: int
    budget_cap: Decimal | None
    method: str
    method_label: str
    status: str
    status_label: str
    version: int
    approver: str
    decided_at: dt.datetime | None
    decision_comment: str
    required_certifications: tuple[Named, ...]
    allowed_delivery_models: tuple[Named, ...]
    scale: str = "relative"  # absolute / relative; snapshots before schema 3 were relative
    # Schema 4: the cost terms (defaults: what earlier snapshots were computed with).
    hours_per_fte: Decimal = Decimal(160)
    discount_rate: Decimal = Decimal(0)  # percent a year
    baseline: BaselineFacts | None = None
    # Where the work is done (scoring.places); no buyer country: centres keep their recorded model.
    buyer_country: str = ""
    buyer_country_name: str = ""
    buyer_time_zone: str = ""
    buyer_day_start: str = "09:00"
    buyer_day_end: str = "17:00"
    required_languages: tuple[str, ...] = ()
    share_bounds: tuple[ShareBound, ...] = ()  # blended delivery (schema 4)
    # The certificate expiry watch; None (and in snapshots before it): from the snapshot's day.
    contract_start: dt.date | None = None

    @property
    def evaluators(self) -> int:
        return 1 + len(self.team)


@dataclass(frozen=True)
class CriterionInfo:
    id: int
    key: str
    name: str
    description: str
    direction: str  # benefit / cost
    source: str  # manual / measured / cost
    weight: float  # as stored, any scale
    own: bool = False  # the evaluation's own criterion, not the catalogue's
    unit: str = ""  # measured criteria
    low: float | None = None  # measured criteria: the fixed scale, when both bounds are given
    high: float | None = None
    rubric: tuple[tuple[str, str], ...] = ()  # manual criteria: (score band, what it means)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def is_manual(self) -> bool:
        return self.source == "manual"

    @property
    def is_measured(self) -> bool:
        return self.source == "measured"

    @property
    def has_bounds(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def kind_label(self) -> str:
        return {"manual": "Scored 0–10", "measured": "Measured", "cost": "TCO"}.get(
            self.source, self.source
        )


@dataclass(frozen=True)
class Certificate:
    certification_id: int
    name: str
    valid_until: dt.date | None

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_until is None or self.valid_until >= day


@dataclass(frozen=True)
class Centre:
    country: str
    country_name: str
    city: str
    seats: int
    delivery_model_id: int
    delivery_model: str
    delivery_model_code: str
    time_zone: str = ""  # as recorded, else the country's when unambiguous; "" when unknown
    languages: tuple[str, ...] = ()  # ISO 639-1 codes


@dataclass(frozen=True)
class VendorInfo:
    id: int
    name: str
    country: str
    country_name: str
    website: str
    description: str
    founded_year: int | None
    headcount: int | None
    languages: tuple[str, ...]
    active: bool
    certifications: tuple[Certificate, ...] = ()
    centres: tuple[Centre, ...] = ()

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True)
class ModelPrice:
    """A quote's price for one delivery model (same currency and pricing model as the quote)."""

    model: str  # delivery model code
    name: str
    unit_price: Decimal


@dataclass(frozen=True)
class QuoteInfo:
    vendor_id: int
    delivery_model: str
    pricing_model: str
    pricing_model_label: str
    unit_price: Decimal
    currency: str
    transition_fee: Decimal
    minimum_term_months: int | None
    valid_until: dt.date | None
    service_level_pct: Decimal | None
    quality_pct: Decimal | None
    response_time_hours: Decimal | None
    notes: str
    annual_escalation: Decimal = Decimal(0)  # percent a year
    exit_fee: Decimal = Decimal(0)
    delivery_model_code: str = ""
    model_prices: tuple[ModelPrice, ...] = ()  # blended delivery (schema 4)


@dataclass(frozen=True)
class Rate:
    currency: str
    base_currency: str
    rate: Decimal
    as_of: dt.date | None


@dataclass(frozen=True)
class ScoreEntry:
    vendor_id: int
    criterion: str
    evaluator: str
    value: Decimal
    comment: str


@dataclass(frozen=True)
class MeasurementEntry:
    """A measured criterion's value for a vendor (typed by the team)."""

    vendor_id: int
    criterion: str
    value: Decimal


@dataclass(frozen=True)
class ConsensusEntry:
    """The score the team agreed on for one cell, and why; it replaces the evaluators' mean."""

    vendor_id: int
    criterion: str
    value: Decimal
    rationale: str
    decided_by: str


@dataclass(frozen=True)
class CandidateEntry:
    vendor_id: int
    excluded_reason: str  # "" unless the analysts excluded it by hand


@dataclass(frozen=True)
class FxVolatility:
    currency: str
    volatility: float  # a year, from `points` stored rates
    points: int


@dataclass(frozen=True)
class StandingNote:
    """A candidate's delivered SLA standing below the admin's band (from the contracts app, through
    ``settings.SCORING_STANDING_SOURCE``): a warning, or a knock-out when ``exclude``."""

    vendor_id: int
    reason: str  # "SLA standing Poor: 7 of the last 12 months below target"
    exclude: bool


@dataclass(frozen=True)
class DecisionInputs:
    """Every input of an evaluation's decision, as of ``taken_at``."""

    evaluation: EvaluationFacts
    criteria: tuple[CriterionInfo, ...]  # in display order
    vendors: tuple[VendorInfo, ...]  # every candidate, by name
    candidates: tuple[CandidateEntry, ...]
    quotes: tuple[QuoteInfo, ...]
    rates: tuple[Rate, ...]
    scores: tuple[ScoreEntry, ...]
    today: dt.date
    taken_at: dt.datetime
    measurements: tuple[MeasurementEntry, ...] = ()
    consensus: tuple[ConsensusEntry, ...] = ()
    # Blind scoring: ``scores`` hold only the viewer's own, the team's are hidden from them.
    blind: bool = False
    # Annual FX volatility measured from the stored rate history (currency, volatility, points).
    fx_volatility: tuple[FxVolatility, ...] = ()
    standing: tuple[StandingNote, ...] = ()
    # Certificates evidenced in the candidates' submitted RFP responses (the vendor profile's are
    # each VendorInfo's); none in snapshots taken before the PDF's certificate watch read them.
    evidenced: tuple[certificate_watch.Certificate, ...] = ()


# --------------------------------------------------------------------------- rules


def _fraction(percent: Decimal) -> Decimal:
    return Decimal(percent) / 100


def quote_schedule(
    *,
    pricing_model: str,
    pricing_label: str,
    unit_price: Decimal,
    currency: str,
    transition_fee: Decimal,
    evaluation: EvaluationFacts,
    rates: Mapping[str, Decimal],
    minimum_term_months: int | None = None,
    annual_escalation: Decimal = Decimal(0),
    exit_fee: Decimal = Decimal(0),
) -> tuple[costs.CostSchedule | None, str]:
    """(the monthly schedule, "") of a quote over the evaluation's term, or (None, why it
    cannot be computed). ``annual_escalation`` is a percentage, as stored."""
    try:
        schedule = costs.cost_schedule(
            pricing_model=pricing_model,
            unit_price=unit_price,
            currency=currency,
            transition_fee=transition_fee,
            volume=evaluation.volume,
            volume_unit=evaluation.volume_unit,
            term_months=evaluation.term_months,
            base_currency=evaluation.base_currency,
            rates=dict(rates),
            hours_per_fte=evaluation.hours_per_fte,
            minimum_term_months=minimum_term_months or 0,
            annual_escalation=_fraction(annual_escalation),
            exit_fee=exit_fee,
            discount_rate=_fraction(evaluation.discount_rate),
        )
    except costs.MissingExchangeRate as exc:
        return None, f"No exchange rate from {exc.currency} to {exc.base_currency}"
    except costs.IncompatibleVolume:
        priced = pricing_label[:1].lower() + pricing_label[1:]
        volume = _VOLUME_WORDS.get(evaluation.volume_unit, evaluation.volume_unit)
        return None, f"Priced {priced} but the volume is in {volume}"
    return schedule, ""


def quote_cost(**terms: Any) -> tuple[Decimal | None, str]:
    """(TCO, "") of a quote over the evaluation's term, or (None, why it cannot be computed);
    the arguments of :func:`quote_schedule`."""
    schedule, problem = quote_schedule(**terms)
    return (None, problem) if schedule is None else (schedule.total, "")


def in_house_schedule(evaluation: EvaluationFacts) -> costs.CostSchedule | None:
    """The baseline's schedule over the evaluation's term (None without a baseline)."""
    baseline = evaluation.baseline
    if baseline is None:
        return None
    return costs.baseline_schedule(
        ftes=baseline.ftes,
        loaded_cost_per_fte_month=baseline.loaded_cost_per_fte_month,
        monthly_overheads=baseline.monthly_overheads,
        annual_wage_inflation=_fraction(baseline.annual_wage_inflation),
        exit_costs=baseline.exit_costs,
        term_months=evaluation.term_months,
        base_currency=evaluation.base_currency,
        discount_rate=_fraction(evaluation.discount_rate),
    )


def knockout_reasons(
    *,
    evaluation: EvaluationFacts,
    held: Mapping[int, dt.date | None],
    places: Sequence[places_.Place],
    tco: Decimal | None,
    today: dt.date,
    active: bool = True,
) -> list[str]:
    """Every knock-out requirement a vendor fails: certifications held (id -> valid until),
    the delivery models and languages of its centres (``places``: scoring.places.centre_models_for),
    and its TCO against the budget cap."""
    reasons = [] if active else ["Vendor is no longer active"]
    for required in evaluation.required_certifications:
        if required.id not in held:
            reasons.append(f"Missing certification: {required.name}")
        elif (until := held[required.id]) is not None and until < today:
            reasons.append(f"{required.name} expired on {day(until)}")
    reasons.extend(places_.place_reasons(evaluation, places))
    if tco is not None and evaluation.budget_cap is not None and tco > evaluation.budget_cap:
        currency = evaluation.base_currency
        reasons.append(
            f"TCO {money_text(tco, currency)} over the budget cap "
            f"{money_text(evaluation.budget_cap, currency)}"
        )
    return reasons


def over_cap(tco: Decimal | None, cap: Decimal | None) -> bool:
    return tco is not None and cap is not None and tco > cap


def weight_shares(
    stored: Mapping[str, float], overrides: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Criterion key -> share of 1. Overrides replace stored weights key by key (any scale >= 0)."""
    raw = dict(stored)
    for key, value in (overrides or {}).items():
        if key not in raw:
            raise ValueError(f"Unknown criterion {key!r} in the weights.")
        number = float(value)
        if not np.isfinite(number) or number < 0:
            raise ValueError(f"The weight of {key!r} must be a number >= 0, got {value!r}.")
        raw[key] = number
    total = sum(raw.values())
    if total <= 0:
        return {key: 0.0 for key in raw}
    return {key: value / total for key, value in raw.items()}
