"""Reads for evaluation pages: each selector gathers one page's data in a fixed number of queries.

The rules that decide who competes, what it costs and how it ranks live in the pure
scoring.decision; :func:`decision_inputs` only reads what they need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.module_loading import import_string

from scoring import cost_risk, facts
from scoring import decision as decisions
from scoring.access import scores_hidden_from
from scoring.models import (
    Candidate,
    Consensus,
    Criterion,
    DeliveryShareBound,
    Evaluation,
    EvaluationWeight,
    InHouseBaseline,
    Measurement,
    Score,
)
from scoring.selectors_criteria import criterion_info
from scoring.selectors_places import centre_fact
from scoring.selectors_watch import evidenced_certificates
from vendors.geography import country_time_zone, parse_languages
from vendors.models import (
    DeliveryCentre,
    ExchangeRate,
    Quote,
    QuoteDeliveryPrice,
    Vendor,
    VendorCertification,
)

# --------------------------------------------------------------------------------------------------
# Candidates and costs
# --------------------------------------------------------------------------------------------------


def _rate_rows(base_currency: str, on: dt.date) -> dict[str, tuple[Decimal, dt.date]]:
    """Latest (rate, as of) per currency into ``base_currency`` dated on or before ``on``. 1 query."""
    rates: dict[str, tuple[Decimal, dt.date]] = {}
    rows = (
        ExchangeRate.objects.filter(base_currency=base_currency, as_of__lte=on)
        .order_by("currency", "-as_of")
        .values_list("currency", "rate", "as_of")
    )
    for currency, rate, as_of in rows:
        rates.setdefault(currency, (rate, as_of))
    return rates


def exchange_rates(base_currency: str, on: dt.date | None = None) -> dict[str, Decimal]:
    """Latest rate per currency into ``base_currency`` dated on or before ``on`` (default today)."""
    rows = _rate_rows(base_currency, on or timezone.localdate())
    return {currency: rate for currency, (rate, _) in rows.items()}


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _name(first: str, last: str, username: str) -> str:
    """:func:`_person` from the user's columns (get_full_name, else the username)."""
    return f"{first} {last}".strip() or username


def _facts(
    evaluation: Evaluation, *, people: bool = True, baseline: facts.BaselineFacts | None = None
) -> facts.EvaluationFacts:
    """The evaluation's own fields and requirements. 5 queries (process, owner, team, the
    requirements x2), 2 without ``people`` (what the knock-out checks need)."""
    return facts.EvaluationFacts(
        id=evaluation.pk,
        title=evaluation.title,
        process=evaluation.process.name if people else "",
        owner=_person(evaluation.owner) if people else "",
        team=tuple(sorted(_person(u) for u in evaluation.team.all())) if people else (),
        base_currency=evaluation.base_currency,
        volume=evaluation.volume,
        volume_unit=evaluation.volume_unit,
        volume_label=VOLUME_IN_SENTENCE.get(evaluation.volume_unit, evaluation.volume_unit),
        term_months=evaluation.term_months,
        budget_cap=evaluation.budget_cap,
        method=evaluation.method,
        method_label=Evaluation.Method(evaluation.method).label,
        status=evaluation.status,
        status_label=evaluation.get_status_display(),
        version=evaluation.version,
        approver=_person(evaluation.approver) if people and evaluation.approver_id else "",
        decided_at=evaluation.decided_at,
        decision_comment=evaluation.decision_comment,
        required_certifications=tuple(
            facts.Named(c.pk, c.name) for c in evaluation.required_certifications.order_by("name")
        ),
        allowed_delivery_models=tuple(
            facts.Named(m.pk, m.name, m.code)
            for m in evaluation.allowed_delivery_models.order_by("id")
        ),
        scale=evaluation.scale,
        hours_per_fte=evaluation.hours_per_fte,
        discount_rate=evaluation.discount_rate,
        baseline=baseline,
        buyer_country=str(evaluation.buyer_country.code or ""),
        buyer_country_name=str(evaluation.buyer_country.name or ""),
        buyer_time_zone=evaluation.buyer_time_zone
        or country_time_zone(str(evaluation.buyer_country.code or ""), timezone.localdate()),
        buyer_day_start=f"{evaluation.buyer_day_start:%H:%M}",
        buyer_day_end=f"{evaluation.buyer_day_end:%H:%M}",
        required_languages=parse_languages(evaluation.required_languages),
        share_bounds=_share_bounds(evaluation) if people else (),
        contract_start=evaluation.contract_start,
    )


def _baseline(evaluation: Evaluation) -> facts.BaselineFacts | None:
    """The in-house baseline, if the evaluation records one. 1 query."""
    row = InHouseBaseline.objects.filter(evaluation=evaluation).first()
    if row is None:
        return None
    return facts.BaselineFacts(
        ftes=row.ftes,
        loaded_cost_per_fte_month=row.loaded_cost_per_fte_month,
        monthly_overheads=row.monthly_overheads,
        annual_wage_inflation=row.annual_wage_inflation,
        exit_costs=row.exit_costs,
    )


evaluation_facts = _facts


def _share_bounds(evaluation: Evaluation) -> tuple[facts.ShareBound, ...]:
    """The evaluation's delivery share bounds, as shares of 1. 1 query."""
    rows = DeliveryShareBound.objects.filter(evaluation=evaluation).select_related("delivery_model")
    return tuple(
        facts.ShareBound(
            b.delivery_model.code, b.delivery_model.name, b.min_share / 100, b.max_share / 100
        )
        for b in rows.order_by("delivery_model_id")
    )


FX_HISTORY_DAYS = 5 * 365  # the stored rates the FX volatility is measured over


def fx_volatility(base_currency: str, on: dt.date) -> tuple[facts.FxVolatility, ...]:
    """Annual volatility per currency into ``base_currency`` from the stored rates of the last
    five years, for currencies with enough of them (cost_risk.MIN_HISTORY). 1 query."""
    rows = ExchangeRate.objects.filter(
        base_currency=base_currency,
        as_of__lte=on,
        as_of__gte=on - dt.timedelta(days=FX_HISTORY_DAYS),
    ).values_list("currency", "as_of", "rate")
    history: dict[str, list[tuple[float, float]]] = {}
    for currency, as_of, rate in rows:
        history.setdefault(currency, []).append(((as_of - on).days / 365.25, float(rate)))
    result = []
    for currency, points in sorted(history.items()):
        volatility = cost_risk.annual_volatility(points)
        if volatility is not None:
            result.append(facts.FxVolatility(currency, volatility, len(points)))
    return tuple(result)


VOLUME_IN_SENTENCE = {
    "fte": "FTEs",
    "hours": "hours per month",
    "transactions": "transactions per month",
}


def _vendor_info(vendor: Vendor) -> facts.VendorInfo:
    return facts.VendorInfo(
        id=vendor.pk,
        name=vendor.name,
        country=str(vendor.country.code or ""),
        country_name=str(vendor.country.name or ""),
        website=vendor.website,
        description=vendor.description,
        founded_year=vendor.founded_year,
        headcount=vendor.headcount,
        languages=tuple(vendor.language_list),
        active=vendor.is_active,
        certifications=tuple(
            facts.Certificate(vc.certification_id, vc.certification.name, vc.valid_until)
            for vc in vendor.vendor_certifications.all()
        ),
        centres=tuple(centre_fact(c) for c in vendor.centres.all()),
    )


def _quote_info(q: Quote) -> facts.QuoteInfo:
    return facts.QuoteInfo(
        vendor_id=q.vendor_id,
        delivery_model=q.delivery_model.name,
        pricing_model=q.pricing_model,
        pricing_model_label=q.get_pricing_model_display(),
        unit_price=q.unit_price,
        currency=q.currency,
        transition_fee=q.transition_fee,
        minimum_term_months=q.minimum_term_months,
        valid_until=q.valid_until,
        service_level_pct=q.service_level_pct,
        quality_pct=q.quality_pct,
        response_time_hours=q.response_time_hours,
        notes=q.notes,
        annual_escalation=q.annual_escalation,
        exit_fee=q.exit_fee,
        delivery_model_code=q.delivery_model.code,
        model_prices=tuple(
            facts.ModelPrice(p.delivery_model.code, p.delivery_model.name, p.unit_price)
            for p in q.delivery_prices.all()
        ),
    )


def _score_entries(scores) -> tuple[facts.ScoreEntry, ...]:
    """Scores as entries named by evaluator: full name, else username; evaluators who share a
    name are told apart by their usernames (leave-one-out and the team count go by name)."""
    # Rows, not models: a team's hundreds of scores are read on every ranking and what-if.
    rows = list(
        scores.values_list(
            "vendor_id",
            "criterion__key",
            "evaluator_id",
            "evaluator__first_name",
            "evaluator__last_name",
            "evaluator__username",
            "value",
            "comment",
        )
    )
    names = {row[2]: (_name(*row[3:6]), row[5]) for row in rows}
    users_named: dict[str, set[int]] = {}
    for user_id, (name, _username) in names.items():
        users_named.setdefault(name, set()).add(user_id)
    label = {
        user_id: name if len(users_named[name]) == 1 else f"{name} ({username})"
        for user_id, (name, username) in names.items()
    }
    return tuple(
        facts.ScoreEntry(vendor_id, key, label[user_id], value, comment)
        for vendor_id, key, user_id, _first, _last, _username, value, comment in rows
    )


def decision_inputs(evaluation: Evaluation, viewer=None) -> facts.DecisionInputs:
    """Every input of the evaluation's decision, as of now. A fixed number of queries (19, one more with measured
    criteria): 13, plus the in-house baseline, share bounds, per-model prices, the FX history, the
    candidates' SLA standing and their RFP-evidenced certificates.

    Seen by ``viewer`` (None: the whole team's, for approval and the archive): while the team's
    scores are hidden from them (blind scoring, scoring.access), only their own scores count.
    """
    blind = viewer is not None and scores_hidden_from(viewer, evaluation)
    today = timezone.localdate()
    weights = list(
        EvaluationWeight.objects.filter(evaluation=evaluation)
        .select_related("criterion")
        .order_by("criterion__order", "criterion__name")
    )
    candidates = list(
        Candidate.objects.filter(evaluation=evaluation)
        .select_related("vendor")
        .prefetch_related(
            Prefetch(
                "vendor__vendor_certifications",
                queryset=VendorCertification.objects.select_related("certification").order_by(
                    "certification__name"
                ),
            ),
            Prefetch(
                "vendor__centres",
                queryset=DeliveryCentre.objects.select_related("delivery_model").order_by(
                    "delivery_model_id", "country", "city"
                ),
            ),
        )
        .order_by("vendor__name")
    )
    quotes = (
        Quote.objects.filter(evaluation=evaluation)
        .select_related("delivery_model")
        .prefetch_related(
            Prefetch(
                "delivery_prices",
                queryset=QuoteDeliveryPrice.objects.select_related("delivery_model").order_by(
                    "delivery_model_id"
                ),
            )
        )
    )
    rates = _rate_rows(evaluation.base_currency, today)
    scores = Score.objects.filter(evaluation=evaluation)
    agreed = Consensus.objects.filter(evaluation=evaluation).select_related(
        "criterion", "decided_by"
    )
    if blind:
        scores = scores.filter(evaluator=viewer)
        agreed = agreed.none()
    return facts.DecisionInputs(
        evaluation=_facts(evaluation, baseline=_baseline(evaluation)),
        criteria=tuple(criterion_info(w) for w in weights),
        vendors=tuple(_vendor_info(c.vendor) for c in candidates),
        candidates=tuple(facts.CandidateEntry(c.vendor_id, c.excluded_reason) for c in candidates),
        quotes=tuple(_quote_info(q) for q in quotes),
        rates=tuple(
            facts.Rate(code, evaluation.base_currency, rate, as_of)
            for code, (rate, as_of) in sorted(rates.items())
        ),
        scores=_score_entries(scores),
        today=today,
        taken_at=timezone.now(),
        measurements=tuple(
            facts.MeasurementEntry(m.vendor_id, m.criterion.key, m.value)
            for m in Measurement.objects.filter(evaluation=evaluation).select_related("criterion")
        )
        if any(w.criterion.source == Criterion.Source.MEASURED for w in weights)
        else (),
        consensus=tuple(
            facts.ConsensusEntry(
                c.vendor_id, c.criterion.key, c.value, c.rationale, _person(c.decided_by)
            )
            for c in agreed.order_by("vendor__name", "criterion__order")
        ),
        blind=blind,
        fx_volatility=fx_volatility(evaluation.base_currency, today),
        standing=standing_notes(evaluation, [c.vendor_id for c in candidates]),
        evidenced=tuple(evidenced_certificates([evaluation.pk]).get(evaluation.pk, ())),
    )


def standing_notes(evaluation: Evaluation, vendor_ids: list[int]) -> tuple[facts.StandingNote, ...]:
    """Candidates' SLA standing below the admin's band, from the app named by
    ``settings.SCORING_STANDING_SOURCE`` (scoring never imports it). At most 1 query."""
    source = getattr(settings, "SCORING_STANDING_SOURCE", "")
    if not source or not vendor_ids:
        return ()
    return tuple(import_string(source)(evaluation, vendor_ids))


def evaluation_decision(
    evaluation: Evaluation,
    *,
    viewer=None,
    weights: Mapping[str, float] | None = None,
    method: str | None = None,
    sensitivity: bool = True,
    risk: bool | None = None,
) -> decisions.Decision:
    """The decision the pages show: an approved evaluation's frozen snapshot, a fresh one otherwise.

    ``weights``/``method`` re-decide for what-if (from the frozen inputs once approved); nothing
    is saved. Pages that show no sensitivity skip its Monte-Carlo draws (``sensitivity=False``).
    Pages pass ``viewer``: blind scoring hides the team's scores from some (decision_inputs).
    ``risk`` draws the cost-risk futures without the sensitivity (the TCO page).
    """
    from scoring.reports.snapshot import frozen_decision  # the reports package imports this one

    frozen = frozen_decision(evaluation)
    if frozen is not None:
        if weights is None and method is None:
            return frozen
        inputs = frozen.inputs
    else:
        inputs = decision_inputs(evaluation, viewer)
    return decisions.decide(
        inputs, weights=weights, method=method, sensitivity=sensitivity, risk=risk
    )


# The submit check and the team view read the same value as the pages.
evaluation_result = evaluation_decision
