"""The inputs of a decision as frozen values, and the rules on them: what a quote costs, which
knock-out requirements a vendor fails, the weights' shares.

Pure (no Django): ``scoring.selectors.decision_inputs`` fills :class:`DecisionInputs` from the
database, ``scoring.decision.decide`` decides on it, ``scoring.reports.snapshot`` freezes both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from scoring import costs
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
    """A required certification or an allowed delivery model."""

    id: int
    name: str


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
    standing: tuple[StandingNote, ...] = ()


# --------------------------------------------------------------------------- rules


def quote_cost(
    *,
    pricing_model: str,
    pricing_label: str,
    unit_price: Decimal,
    currency: str,
    transition_fee: Decimal,
    evaluation: EvaluationFacts,
    rates: Mapping[str, Decimal],
) -> tuple[Decimal | None, str]:
    """(TCO, "") of a quote over the evaluation's term, or (None, why it cannot be computed)."""
    try:
        total = costs.total_cost_of_ownership(
            pricing_model=pricing_model,
            unit_price=unit_price,
            currency=currency,
            transition_fee=transition_fee,
            volume=evaluation.volume,
            volume_unit=evaluation.volume_unit,
            term_months=evaluation.term_months,
            base_currency=evaluation.base_currency,
            rates=dict(rates),
        )
    except costs.MissingExchangeRate as exc:
        return None, f"No exchange rate from {exc.currency} to {exc.base_currency}"
    except costs.IncompatibleVolume:
        priced = pricing_label[:1].lower() + pricing_label[1:]
        volume = _VOLUME_WORDS.get(evaluation.volume_unit, evaluation.volume_unit)
        return None, f"Priced {priced} but the volume is in {volume}"
    return total, ""


def knockout_reasons(
    *,
    evaluation: EvaluationFacts,
    held: Mapping[int, dt.date | None],
    centre_models: set[int],
    tco: Decimal | None,
    today: dt.date,
    active: bool = True,
) -> list[str]:
    """Every knock-out requirement a vendor fails: certifications held (id -> valid until),
    the delivery models of its centres, and its TCO against the budget cap."""
    reasons = [] if active else ["Vendor is no longer active"]
    for required in evaluation.required_certifications:
        if required.id not in held:
            reasons.append(f"Missing certification: {required.name}")
        elif (until := held[required.id]) is not None and until < today:
            reasons.append(f"{required.name} expired on {day(until)}")
    allowed = evaluation.allowed_delivery_models
    if allowed and not centre_models & {model.id for model in allowed}:
        names = ", ".join(model.name for model in allowed)
        reasons.append(f"No centre in an allowed delivery model ({names})")
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
