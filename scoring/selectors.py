"""Reads for evaluation pages: each selector gathers one page's data in a fixed number of queries.

Sections belong to the screens that use them; the maths lives in scoring.costs and scoring.engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import numpy as np
import pandas as pd
from django.db.models import Avg, Count, FloatField, Max, Min, Prefetch
from django.db.models.functions import Cast
from django.utils import timezone

from scoring import costs, engine
from scoring.models import Candidate, Criterion, Evaluation, EvaluationWeight, Score
from vendors.models import ExchangeRate, Quote, Vendor, VendorCertification
from vendors.templatetags.formatting import money0

# --------------------------------------------------------------------------------------------------
# Candidates and costs
# --------------------------------------------------------------------------------------------------

_VOLUME_WORDS = {
    Evaluation.VolumeUnit.FTE: "FTEs",
    Evaluation.VolumeUnit.HOURS: "hours",
    Evaluation.VolumeUnit.TRANSACTIONS: "transactions",
}


def label_in_sentence(text: str) -> str:
    """ "Per FTE-month" -> "per FTE-month": lower-case a label inside a sentence, keep acronyms."""
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class TcoRow:
    """One candidate's quote and its total cost of ownership in the evaluation's base currency."""

    vendor: Vendor
    quote: Quote | None
    tco: Decimal | None
    problem: str
    expired: bool


@dataclass(frozen=True)
class VendorEligibility:
    """A vendor and every knock-out requirement it fails (none: it is eligible)."""

    vendor: Vendor
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def exchange_rates(base_currency: str, on: dt.date | None = None) -> dict[str, Decimal]:
    """Latest rate per currency into ``base_currency`` dated on or before ``on`` (default today)."""
    on = on or timezone.localdate()
    rates: dict[str, Decimal] = {}
    rows = (
        ExchangeRate.objects.filter(base_currency=base_currency, as_of__lte=on)
        .order_by("currency", "-as_of")
        .values_list("currency", "rate")
    )
    for currency, rate in rows:
        rates.setdefault(currency, rate)
    return rates


def quote_tco(
    evaluation: Evaluation, quote: Quote, rates: dict[str, Decimal]
) -> tuple[Decimal | None, str]:
    """(TCO, "") for the quote over the evaluation's term, or (None, why it cannot be computed)."""
    try:
        total = costs.total_cost_of_ownership(
            pricing_model=quote.pricing_model,
            unit_price=quote.unit_price,
            currency=quote.currency,
            transition_fee=quote.transition_fee,
            volume=evaluation.volume,
            volume_unit=evaluation.volume_unit,
            term_months=evaluation.term_months,
            base_currency=evaluation.base_currency,
            rates=rates,
        )
    except costs.MissingExchangeRate as exc:
        return None, f"No exchange rate from {exc.currency} to {exc.base_currency}"
    except costs.IncompatibleVolume:
        priced = label_in_sentence(quote.get_pricing_model_display())
        volume = _VOLUME_WORDS.get(evaluation.volume_unit, evaluation.volume_unit)
        return None, f"Priced {priced} but the volume is in {volume}"
    return total, ""


def _evaluation_quotes(evaluation: Evaluation) -> dict[int, Quote]:
    quotes = Quote.objects.filter(evaluation=evaluation).select_related("delivery_model")
    return {quote.vendor_id: quote for quote in quotes}


def evaluation_tco(evaluation: Evaluation, *, include_excluded: bool = False) -> list[TcoRow]:
    """One row per candidate, cheapest first; rows without a TCO last (by vendor name). 3 queries.

    Candidates the analyst excluded by hand are left out unless ``include_excluded``.
    """
    candidates = Candidate.objects.filter(evaluation=evaluation).select_related("vendor")
    if not include_excluded:
        candidates = candidates.filter(excluded_reason="")
    quotes = _evaluation_quotes(evaluation)
    rates = exchange_rates(evaluation.base_currency)
    today = timezone.localdate()
    rows = []
    for candidate in candidates:
        quote = quotes.get(candidate.vendor_id)
        if quote is None:
            rows.append(TcoRow(candidate.vendor, None, None, "No quote yet", False))
            continue
        total, problem = quote_tco(evaluation, quote, rates)
        rows.append(TcoRow(candidate.vendor, quote, total, problem, quote.is_expired_on(today)))
    rows.sort(key=lambda r: (r.tco is None, r.tco or Decimal(0), r.vendor.name.casefold()))
    return rows


class _KnockOuts:
    """The evaluation's knock-out requirements, loaded once and applied to many vendors."""

    def __init__(self, evaluation: Evaluation):
        self.evaluation = evaluation
        self.required = list(evaluation.required_certifications.all())
        self.allowed = list(evaluation.allowed_delivery_models.all())
        self.allowed_ids = {model.pk for model in self.allowed}
        self.quotes = _evaluation_quotes(evaluation) if evaluation.budget_cap is not None else {}
        self.rates = exchange_rates(evaluation.base_currency) if self.quotes else {}
        self.today = timezone.localdate()

    def vendors(self, queryset):
        """``queryset`` of vendors with what the checks need prefetched (2 more queries)."""
        certifications = VendorCertification.objects.filter(
            certification__in=[c.pk for c in self.required]
        )
        return queryset.prefetch_related(
            Prefetch("vendor_certifications", queryset=certifications, to_attr="required_certs"),
            "centres",
        )

    def reasons(self, vendor: Vendor) -> list[str]:
        reasons = []
        held = {vc.certification_id: vc for vc in vendor.required_certs}
        for certification in self.required:
            vc = held.get(certification.pk)
            if vc is None:
                reasons.append(f"Missing certification: {certification.name}")
            elif not vc.is_valid_on(self.today):
                reasons.append(f"{certification.name} expired on {vc.valid_until:%Y-%m-%d}")
        if self.allowed_ids and not any(
            centre.delivery_model_id in self.allowed_ids for centre in vendor.centres.all()
        ):
            names = ", ".join(model.name for model in self.allowed)
            reasons.append(f"No centre in an allowed delivery model ({names})")
        quote = self.quotes.get(vendor.pk)
        if quote is not None:
            total, _ = quote_tco(self.evaluation, quote, self.rates)
            cap = self.evaluation.budget_cap
            if total is not None and total > cap:
                currency = self.evaluation.base_currency
                reasons.append(
                    f"TCO {money0(total, currency)} over the budget cap {money0(cap, currency)}"
                )
        return reasons


def candidate_eligibility(
    evaluation: Evaluation,
) -> tuple[list[VendorEligibility], list[VendorEligibility]]:
    """(suggested, excluded): active vendors offering the process that are not yet candidates.

    Suggested ones pass every knock-out; excluded ones carry every reason they fail. Both by name.
    """
    knockouts = _KnockOuts(evaluation)
    vendors = knockouts.vendors(
        Vendor.objects.filter(is_active=True, offered_processes__process=evaluation.process)
        .exclude(candidacies__evaluation=evaluation)
        .order_by("name")
        .distinct()
    )
    suggested, excluded = [], []
    for vendor in vendors:
        result = VendorEligibility(vendor, knockouts.reasons(vendor))
        (excluded if result.reasons else suggested).append(result)
    return suggested, excluded


def candidate_knockouts(evaluation: Evaluation) -> dict[int, list[str]]:
    """vendor_id -> knock-out reasons for every current candidate (empty list: passes them all).

    A candidate whose vendor was deactivated since it was added fails with that reason too.
    """
    knockouts = _KnockOuts(evaluation)
    vendors = knockouts.vendors(Vendor.objects.filter(candidacies__evaluation=evaluation))
    result = {}
    for vendor in vendors:
        reasons = knockouts.reasons(vendor)
        if not vendor.is_active:
            reasons.insert(0, "Vendor is no longer active")
        result[vendor.pk] = reasons
    return result


# --------------------------------------------------------------------------------------------------
# Ranking
# --------------------------------------------------------------------------------------------------

DISAGREEMENT_SPREAD = 3.0
STABILITY_DRAWS = 2000


@dataclass(frozen=True)
class ScoreStat:
    """The evaluators' scores of one vendor on one criterion; ``count`` 0 means nobody scored it."""

    mean: float | None
    spread: float | None  # max - min
    count: int
    disagreement: bool  # spread >= DISAGREEMENT_SPREAD


_UNSCORED = ScoreStat(mean=None, spread=None, count=0, disagreement=False)


@dataclass(frozen=True)
class EvaluationResult:
    """Everything the ranking, compare, PDF and export screens show about an evaluation.

    ``values`` holds only rankable vendors (index vendor id) and the criteria with a positive
    weight; ``ranking`` ranks exactly those rows. A competing vendor is either ranked, or listed
    in ``unranked`` (missing data: ``blocking``) or in ``excluded`` (fails a knock-out).
    """

    evaluation: Evaluation
    criteria: list[Criterion]
    weights: dict[str, float]
    method: str
    values: pd.DataFrame
    ranking: engine.Ranking | None
    vendors: dict[int, Vendor]  # every candidate, competing or excluded
    tco: dict[int, TcoRow]  # every candidate
    score_stats: dict[tuple[int, str], ScoreStat]
    unranked: dict[int, list[str]]
    warnings: list[str]
    blocking: bool
    excluded: dict[int, list[str]]
    competing: tuple[int, ...] = ()  # candidates not excluded by hand (knocked-out ones included)

    @property
    def directions(self) -> dict[str, str]:
        return {c.key: c.direction for c in self.criteria if c.key in self.values.columns}

    @property
    def manual_criteria(self) -> list[Criterion]:
        return [c for c in self.criteria if c.source == Criterion.Source.MANUAL]

    @property
    def ranked_vendors(self) -> list[Vendor]:
        """Ranked vendors, best first."""
        if self.ranking is None:
            return []
        return [self.vendors[pk] for pk in self.ranking.table.index]

    @property
    def leader(self) -> Vendor | None:
        ranked = self.ranked_vendors
        return ranked[0] if ranked else None

    @property
    def unranked_vendors(self) -> list[tuple[Vendor, list[str]]]:
        return [(self.vendors[pk], reasons) for pk, reasons in self.unranked.items()]

    @property
    def excluded_vendors(self) -> list[tuple[Vendor, list[str]]]:
        return [(self.vendors[pk], reasons) for pk, reasons in self.excluded.items()]

    @property
    def ranked_rows(self) -> list[RankedRow]:
        if self.ranking is None:
            return []
        table = self.ranking.table
        return [
            RankedRow(int(rank), self.vendors[pk], float(score), self.tco[pk].tco)
            for pk, score, rank in zip(table.index, table["score"], table["rank"], strict=True)
        ]


@dataclass(frozen=True)
class RankedRow:
    rank: int
    vendor: Vendor
    score: float  # 0..1
    tco: Decimal | None


def _weight_shares(
    stored: Mapping[str, float], overrides: Mapping[str, float] | None
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


def _score_stats(evaluation: Evaluation) -> dict[tuple[int, int], ScoreStat]:
    """(vendor id, criterion id) -> ScoreStat, aggregated by the database in one query."""
    rows = (
        Score.objects.filter(evaluation=evaluation)
        .values("vendor_id", "criterion_id")
        .annotate(
            # Floats, not Decimals: converting hundreds of aggregates back to Decimal is slow.
            mean=Avg(Cast("value", FloatField())),
            high=Max(Cast("value", FloatField())),
            low=Min(Cast("value", FloatField())),
            n=Count("id"),
        )
        .order_by()
        .values_list("vendor_id", "criterion_id", "mean", "high", "low", "n")
    )
    stats = {}
    for vendor_id, criterion_id, mean, high, low, n in rows:
        spread = float(high) - float(low)
        stats[vendor_id, criterion_id] = ScoreStat(
            mean=float(mean), spread=spread, count=n, disagreement=spread >= DISAGREEMENT_SPREAD
        )
    return stats


def _exclusions(evaluation: Evaluation) -> dict[int, list[str]]:
    """vendor id -> [the analyst's reason] for candidates excluded by hand."""
    rows = Candidate.objects.filter(evaluation=evaluation).exclude(excluded_reason="")
    return {pk: [reason] for pk, reason in rows.values_list("vendor_id", "excluded_reason")}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def evaluation_result(
    evaluation: Evaluation,
    *,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
) -> EvaluationResult:
    """Gather scores, TCO and weights and rank the vendors that have complete data.

    ``weights`` (criterion key -> non-negative number, any scale) and ``method`` override the
    stored ones for what-if; nothing is saved. A fixed number of queries, whatever the number of
    candidates, criteria and evaluators.
    """
    method = (method or evaluation.method).lower()
    if method not in engine.METHODS:
        raise ValueError(f"Unknown ranking method {method!r}.")
    rows = list(
        EvaluationWeight.objects.filter(evaluation=evaluation)
        .select_related("criterion")
        .order_by("criterion__order", "criterion__name")
    )
    criteria = [row.criterion for row in rows]
    shares = _weight_shares({row.criterion.key: float(row.weight) for row in rows}, weights)
    used = [c for c in criteria if shares[c.key] > 0]

    tco_rows = evaluation_tco(evaluation, include_excluded=True)
    vendors = {row.vendor.pk: row.vendor for row in tco_rows}
    tco = {row.vendor.pk: row for row in tco_rows}
    excluded = _exclusions(evaluation)
    competing = [pk for pk in vendors if pk not in excluded]
    knocked_out = {
        pk: reasons
        for pk, reasons in candidate_knockouts(evaluation).items()
        if reasons and pk not in excluded
    }
    excluded.update(knocked_out)
    by_id = _score_stats(evaluation)
    score_stats = {
        (pk, c.key): by_id.get((pk, c.pk), _UNSCORED)
        for pk in competing
        for c in criteria
        if c.source == Criterion.Source.MANUAL
    }

    unranked: dict[int, list[str]] = {}
    matrix: dict[int, dict[str, float]] = {}
    for pk in competing:
        if pk in excluded:
            continue
        row, reasons = {}, []
        for criterion in used:
            if criterion.source == Criterion.Source.COST:
                total = tco[pk].tco
                if total is None:
                    reasons.append(tco[pk].problem or "No quote yet")
                else:
                    row[criterion.key] = float(total)
            else:
                stat = score_stats[pk, criterion.key]
                if stat.count == 0:
                    reasons.append(f"{criterion.name}: nobody has scored it")
                else:
                    row[criterion.key] = stat.mean
        if reasons:
            unranked[pk] = reasons
        else:
            matrix[pk] = row

    columns = [c.key for c in used]
    values = pd.DataFrame.from_dict(matrix, orient="index", columns=columns, dtype=float)
    values.index.name = "vendor_id"
    ranking = None
    if len(values) and columns:
        ranking = engine.rank(
            values, {c: shares[c] for c in columns}, {c.key: c.direction for c in used}, method
        )
    return EvaluationResult(
        evaluation=evaluation,
        criteria=criteria,
        weights=shares,
        method=method,
        values=values,
        ranking=ranking,
        vendors=vendors,
        tco=tco,
        score_stats=score_stats,
        unranked=unranked,
        warnings=_warnings(vendors, tco, score_stats, unranked, excluded, knocked_out, columns),
        blocking=bool(unranked) or ranking is None,
        excluded=excluded,
        competing=tuple(competing),
    )


def _warnings(vendors, tco, score_stats, unranked, excluded, knocked_out, columns) -> list[str]:
    warnings = []
    if len(vendors) == len(excluded):
        warnings.append("No vendor competes: add candidates, or reinstate excluded ones.")
    elif not columns:
        warnings.append("Every criterion weighs 0 %: give at least one criterion a weight.")
    if unranked:
        verb = "is" if len(unranked) == 1 else "are"
        warnings.append(
            f"{_plural(len(unranked), 'vendor', 'vendors')} {verb} not ranked: "
            "missing scores or quotes."
        )
    if knocked_out:
        verb = "fails" if len(knocked_out) == 1 else "fail"
        warnings.append(
            f"{_plural(len(knocked_out), 'candidate', 'candidates')} {verb} a knock-out "
            "requirement and cannot be ranked: exclude them on the Candidates tab."
        )
    expired = sorted(
        row.vendor.name for pk, row in tco.items() if row.expired and pk not in excluded
    )
    if expired:
        warnings.append(f"Expired quotes: {', '.join(expired)}. Ask for fresh ones.")
    disagreements = sum(stat.disagreement for stat in score_stats.values())
    if disagreements:
        warnings.append(
            f"{_plural(disagreements, 'score', 'scores')} where evaluators disagree by "
            f"{DISAGREEMENT_SPREAD:g} points or more: see the team view."
        )
    return warnings


class SensitivityReport(NamedTuple):
    """``weights``: per criterion key: weight, increase/decrease (0..1 points, NaN = never) and
    the vendor id that would lead. ``stability``: per vendor id, best first: first_share, mean_rank.
    """

    weights: pd.DataFrame
    stability: pd.DataFrame


def sensitivity_report(
    result: EvaluationResult, *, draws: int = STABILITY_DRAWS, seed: int = 0
) -> SensitivityReport | None:
    """How robust the leader is (None when fewer than two vendors are ranked)."""
    if result.ranking is None or len(result.values) < 2:
        return None
    weights = {key: result.weights[key] for key in result.values.columns}
    args = (result.values, weights, result.directions)
    sensitivity = engine.weight_sensitivity(*args, method=result.method)
    stability = engine.rank_stability(*args, draws=draws, seed=seed, method=result.method)
    stability = stability.sort_values(["first_share", "mean_rank"], ascending=[False, True])
    return SensitivityReport(sensitivity, stability)


@dataclass(frozen=True)
class SensitivityLine:
    """One criterion's sensitivity in words: "+7.2 points → Bluewave leads"."""

    criterion: Criterion
    weight: float  # share 0..1
    increase: str
    decrease: str


def sensitivity_lines(result: EvaluationResult, report: SensitivityReport) -> list[SensitivityLine]:
    by_key = {c.key: c for c in result.criteria}
    lines = []
    for key, row in report.weights.iterrows():
        lines.append(
            SensitivityLine(
                criterion=by_key[key],
                weight=float(row["weight"]),
                increase=_flip(result, "+", row["increase"], row["increase_leader"]),
                decrease=_flip(result, "−", row["decrease"], row["decrease_leader"]),
            )
        )
    return lines


def _flip(result: EvaluationResult, sign: str, change: float, leader: object) -> str:
    if leader is None or not np.isfinite(change):
        return "none within 0–100 %"
    return f"{sign}{change * 100:.1f} points → {result.vendors[int(leader)].name} leads"


# --------------------------------------------------------------------------------------------------
# Scoring grid and team view
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreGrid:
    """One evaluator's scores: competing vendors (rows) x the evaluation's manual criteria."""

    vendors: list[Vendor]
    criteria: list[Criterion]
    scores: dict[tuple[int, int], Score]  # (vendor id, criterion id) -> the evaluator's score

    @property
    def rows(self) -> list[tuple[Vendor, list[tuple[Criterion, Score | None]]]]:
        return [
            (vendor, [(c, self.scores.get((vendor.pk, c.pk))) for c in self.criteria])
            for vendor in self.vendors
        ]


def manual_criteria(evaluation: Evaluation) -> list[Criterion]:
    """The evaluation's criteria scored by people, in order."""
    return list(
        Criterion.objects.filter(
            evaluationweight__evaluation=evaluation, source=Criterion.Source.MANUAL
        ).order_by("order", "name")
    )


def score_grid(evaluation: Evaluation, evaluator) -> ScoreGrid:
    """The evaluator's own scores of every competing candidate. 3 queries."""
    candidates = Candidate.objects.filter(evaluation=evaluation, excluded_reason="")
    vendors = [c.vendor for c in candidates.select_related("vendor").order_by("vendor__name")]
    scores = Score.objects.filter(evaluation=evaluation, evaluator=evaluator)
    return ScoreGrid(
        vendors=vendors,
        criteria=manual_criteria(evaluation),
        scores={(s.vendor_id, s.criterion_id): s for s in scores},
    )


@dataclass(frozen=True)
class EvaluatorProgress:
    user: object
    scored: int
    total: int


def evaluator_progress(evaluation: Evaluation, result: EvaluationResult) -> list[EvaluatorProgress]:
    """Owner and team members with how many of the competing cells they scored. 2 queries."""
    vendor_ids = set(result.competing)
    manual = [c for c in result.criteria if c.source == Criterion.Source.MANUAL]
    counts = dict(
        Score.objects.filter(
            evaluation=evaluation, vendor_id__in=vendor_ids, criterion__in=[c.pk for c in manual]
        )
        .values("evaluator_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("evaluator_id", "n")
    )
    members = [evaluation.owner, *evaluation.team.order_by("username")]
    total = len(vendor_ids) * len(manual)
    return [EvaluatorProgress(user, counts.get(user.pk, 0), total) for user in members]
