"""The three demo evaluations (a draft, one in review, one approved) built on the demo market."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Q

from bpo_select.demo.market import TODAY
from scoring import services
from scoring.models import Candidate, Criterion, Evaluation, EvaluationWeight, Score, WeightProfile
from scoring.selectors_candidates import candidate_eligibility
from scoring.services import blend, evaluation_approve, scores_open
from vendors.models import (
    Certification,
    DeliveryCentre,
    DeliveryModel,
    Process,
    Quote,
    Vendor,
    VendorCertification,
)

EVALUATIONS = [
    # title, process slug, status, base currency, volume, unit, term, cap, certs, models, quoted
    (
        "Customer service outsourcing 2027",
        "customer-service-support",
        Evaluation.Status.DRAFT,
        "USD",
        40,
        "fte",
        36,
        Decimal("9000000"),
        ["iso-27001"],
        ["nearshore", "offshore"],
        0.7,
    ),
    (
        "Payroll administration EMEA",
        "payroll-benefits-administration",
        Evaluation.Status.IN_REVIEW,
        "EUR",
        12,
        "fte",
        24,
        None,
        ["gdpr-compliance"],
        ["onshore", "nearshore", "offshore"],
        1.0,
    ),
    (
        "Technical helpdesk renewal",
        "technical-support-helpdesk",
        Evaluation.Status.APPROVED,
        "USD",
        3200,
        "hours",
        24,
        Decimal("2500000"),
        [],
        ["nearshore", "offshore"],
        1.0,
    ),
]


def seed_evaluations(rng: random.Random, users: dict[str, User], market: list[Vendor]) -> None:
    for spec in EVALUATIONS:
        title, slug, status, currency, volume, unit, term, cap, certs, models, quoted = spec
        process = Process.objects.get(slug=slug)
        evaluation, created = Evaluation.objects.get_or_create(
            title=title,
            defaults={
                "process": process,
                "owner": users["analyst"],
                "base_currency": currency,
                "volume": volume,
                "volume_unit": unit,
                "term_months": term,
                "budget_cap": cap,
                # The approved one was decided before absolute scoring: it keeps the old scale.
                "scale": Evaluation.Scale.RELATIVE
                if status == Evaluation.Status.APPROVED
                else Evaluation.Scale.ABSOLUTE,
                # Frozen ones take their quotes as drafts first (a frozen evaluation's quotes
                # cannot change), then go to review; the approved one through the approval service.
                "status": Evaluation.Status.DRAFT if status in FROZEN else status,
                **BUYERS.get(title, {}),
            },
        )
        if not created:
            continue
        evaluation.team.add(users["analyst2"])
        evaluation.required_certifications.set(Certification.objects.filter(slug__in=certs))
        evaluation.allowed_delivery_models.set(DeliveryModel.objects.filter(code__in=models))
        _copy_default_weights(evaluation)
        candidates, knocked_out = _pick_candidates(evaluation)
        for vendor in candidates:
            # Past the draft stage the analysts have excluded knocked-out vendors with the reason.
            reason = knocked_out.get(vendor.pk, "") if status != Evaluation.Status.DRAFT else ""
            Candidate.objects.create(evaluation=evaluation, vendor=vendor, excluded_reason=reason)
        _add_evaluation_quotes(evaluation, candidates[: round(len(candidates) * quoted)])
        _add_scores(
            evaluation,
            candidates,
            [users["analyst"], users["analyst2"]],
            rng,
            complete=status != Evaluation.Status.DRAFT,
        )
        if status == Evaluation.Status.DRAFT:
            _add_business_case(evaluation, users["analyst"])
            _add_own_criteria(evaluation, users["analyst"], rng)
            _add_blended_delivery(evaluation, users["analyst"])
            _lapse_one_certificate(evaluation)
            # Both analysts have scored blind; the owner opened the scores, so the demo's ranking,
            # team view and disagreements show the whole team's work.
            scores_open(evaluation=evaluation, user=users["analyst"])
        if status in FROZEN:
            Evaluation.objects.filter(pk=evaluation.pk).update(
                status=Evaluation.Status.IN_REVIEW, submit_rationale=demo_rationale(cap)
            )
        if status == Evaluation.Status.APPROVED:
            # The real approval: snapshot, archived PDF and its SHA-256.
            evaluation_approve(
                evaluation=evaluation,
                manager=users["manager"],
                comment="Approved: the best weighted score, well within the budget cap.",
            )


FROZEN = (Evaluation.Status.IN_REVIEW, Evaluation.Status.APPROVED)
# The draft names its buyer, so its centres' delivery models are derived (a Canadian centre is
# nearshore for this US buyer, though recorded onshore); the others keep the recorded labels.
BUYERS = {
    "Customer service outsourcing 2027": {
        "buyer_country": "US",
        "buyer_time_zone": "America/New_York",
        "required_languages": "en",
        # The certificate watch: one candidate's ISO 27001 lapses before this (_lapse_one).
        "contract_start": TODAY + dt.timedelta(days=120),
    },
}


def demo_rationale(cap: Decimal | None) -> str:
    """The analysts' reason for review: the budget cap is named only where one is set."""
    within = " and stays well within the budget cap" if cap else ""
    return f"The leader has the best weighted score{within}; both analysts scored every vendor."


def _lapse_one_certificate(evaluation: Evaluation) -> None:
    """The first competing candidate's ISO 27001 is valid today (it passes the knock-out) but
    lapses before the expected contract start, so the demo's expiry watch has a flag to show."""
    competing = Candidate.objects.filter(evaluation=evaluation, excluded_reason="")
    held = VendorCertification.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=TODAY),
        vendor__candidacies__in=competing,
        certification__slug="iso-27001",
    ).order_by("vendor__name")
    first = held.first()
    if first is not None and evaluation.contract_start is not None:
        first.valid_until = evaluation.contract_start - dt.timedelta(days=45)
        first.save(update_fields=["valid_until"])


def _pick_candidates(evaluation: Evaluation) -> tuple[list[Vendor], dict[int, str]]:
    """Six vendors that pass the knock-outs and have a list price, and two that fail them."""
    suggested, failing = candidate_eligibility(evaluation)
    quotable = [e.vendor for e in suggested if _market_quote(evaluation, e.vendor) is not None]
    knocked_out = {e.vendor.pk: "; ".join(e.reasons) for e in failing[:2]}
    return quotable[:6] + [e.vendor for e in failing[:2]], knocked_out


def _market_quote(evaluation: Evaluation, vendor: Vendor) -> Quote | None:
    return (
        Quote.objects.filter(
            vendor=vendor,
            process=evaluation.process,
            evaluation__isnull=True,
            delivery_model__in=evaluation.allowed_delivery_models.all(),
            pricing_model="per_fte_month",
        )
        .order_by("unit_price")
        .first()
    )


def _copy_default_weights(evaluation: Evaluation) -> None:
    profile = WeightProfile.objects.filter(
        process=evaluation.process, is_default=True
    ).first() or WeightProfile.objects.get(name="Balanced")
    EvaluationWeight.objects.bulk_create(
        EvaluationWeight(evaluation=evaluation, criterion=w.criterion, weight=w.weight)
        for w in profile.weights.all()
    )


def _add_evaluation_quotes(evaluation: Evaluation, vendors: list[Vendor]) -> None:
    for vendor in vendors:
        market = _market_quote(evaluation, vendor)
        if market is None:
            continue
        Quote.objects.create(
            vendor=vendor,
            process=evaluation.process,
            delivery_model=market.delivery_model,
            pricing_model="per_hour" if evaluation.volume_unit == "hours" else "per_fte_month",
            unit_price=(
                market.unit_price / 160 if evaluation.volume_unit == "hours" else market.unit_price
            ).quantize(Decimal("0.01")),
            currency=market.currency,
            transition_fee=market.transition_fee,
            minimum_term_months=market.minimum_term_months,
            valid_until=TODAY + dt.timedelta(days=120),
            service_level_pct=market.service_level_pct,
            quality_pct=market.quality_pct,
            response_time_hours=market.response_time_hours,
            notes="Quote received for this evaluation.",
            evaluation=evaluation,
        )


def _add_business_case(evaluation: Evaluation, analyst: User) -> None:
    """The draft's in-house baseline (a US contact centre today), and one quote whose price rises
    every year and whose minimum term outlasts the contract, so its PDF states the savings and
    explains the cost."""
    quote = evaluation.quotes.order_by("vendor__name").first()
    if quote is not None:
        quote.annual_escalation = Decimal("4.5")
        quote.minimum_term_months = evaluation.term_months + 12
        quote.exit_fee = (quote.transition_fee / 2).quantize(Decimal("1"))
        quote.notes = (
            "Quote received for this evaluation: prices rise 4.5 % a year; "
            f"{quote.minimum_term_months} months minimum."
        )
        quote.save()
    services.baseline_save(
        evaluation=evaluation,
        user=analyst,
        expected_version=evaluation.version,
        ftes=evaluation.volume,
        loaded_cost_per_fte_month=Decimal("4200"),
        monthly_overheads=Decimal("18000"),
        annual_wage_inflation=Decimal("3.5"),
        exit_costs=Decimal("150000"),
    )


def _add_blended_delivery(evaluation: Evaluation, analyst: User) -> None:
    """The draft's blended delivery: at least 30 % nearshore (the customers' hours and languages),
    and two vendors pricing both nearshore and offshore. One of them has just opened a nearshore
    centre; vendors with a single offshore price cannot meet the bound and say so."""
    nearshore = DeliveryModel.objects.get(code="nearshore")
    offshore = DeliveryModel.objects.get(code="offshore")
    quotes = list(
        evaluation.quotes.select_related("vendor")
        .prefetch_related("vendor__centres")
        .order_by("vendor__name")
    )

    def models_of(quote: Quote) -> set[int]:
        return {centre.delivery_model_id for centre in quote.vendor.centres.all()}

    blended = [q for q in quotes if {nearshore.pk, offshore.pk} <= models_of(q)][:1]
    foreign = [
        q
        for q in quotes
        if q.delivery_model_id == offshore.pk and q.currency != evaluation.base_currency
    ]
    if foreign:
        DeliveryCentre.objects.get_or_create(
            vendor=foreign[0].vendor,
            country="CO",
            city="Bogotá",
            defaults={"seats": 220, "delivery_model": nearshore},
        )
        blended.append(foreign[0])
    for quote in blended:
        other, factor = (
            (nearshore, Decimal("1.35"))
            if quote.delivery_model_id == offshore.pk
            else (offshore, Decimal("0.70"))
        )
        blend.model_prices_save(
            evaluation=evaluation,
            vendor=quote.vendor,
            prices={other: (quote.unit_price * factor).quantize(Decimal("0.01"))},
            by=analyst,
        )
    blend.share_bounds_save(
        evaluation=evaluation, bounds={nearshore: (Decimal(30), None)}, by=analyst
    )


def _add_scores(evaluation, vendors, evaluators, rng: random.Random, *, complete: bool) -> None:
    criteria = list(
        Criterion.objects.filter(
            source=Criterion.Source.MANUAL, evaluationweight__evaluation=evaluation
        )
    )
    for vendor in vendors:
        for criterion in criteria:
            latent = 4 + (vendor.pk * 13 + criterion.pk * 7) % 6 + rng.random()
            for evaluator in evaluators:
                if not complete and rng.random() < 0.25:
                    continue
                noise = rng.choice([-1, 0, 0, 1])
                value = max(0, min(10, round(latent + noise)))
                Score.objects.create(
                    evaluation=evaluation,
                    vendor=vendor,
                    criterion=criterion,
                    evaluator=evaluator,
                    value=Decimal(value),
                    comment="Strong references." if value >= 8 else "",
                )


CONTINUITY_RUBRIC = [
    "No continuity plan",
    "A plan on paper, never tested",
    "Plan tested once a year",
    "Tested twice a year, second site ready",
    "Certified (ISO 22301), live failover tested",
]


def _add_own_criteria(evaluation: Evaluation, analyst: User, rng: random.Random) -> None:
    """The draft's own criteria: a measured "Attrition %" and a manual one with a rubric, each
    weighing 10 % (the profile's weights scaled down to the other 80 %), one cell each left open."""
    attrition = services.criterion_add_own(
        evaluation=evaluation,
        user=analyst,
        name="Attrition %",
        source=Criterion.Source.MEASURED,
        description="Agents leaving per year, from the vendor's last annual report.",
        direction=Criterion.Direction.COST,
        unit="%",
        low="0",
        high="60",
    )
    continuity = services.criterion_add_own(
        evaluation=evaluation,
        user=analyst,
        name="Business continuity",
        source=Criterion.Source.MANUAL,
        description="How well the vendor keeps the service running through an outage.",
        rubric=CONTINUITY_RUBRIC,
    )
    evaluation.refresh_from_db()
    current = {
        w.criterion.key: float(w.weight) for w in evaluation.weights.select_related("criterion")
    }
    rest = {key: value for key, value in current.items() if value > 0}
    scaled = services.rounded_percentages(rest)
    weights = {key: Decimal(0) for key in current}
    weights |= {
        key: (value * Decimal("0.8")).quantize(Decimal("0.01")) for key, value in scaled.items()
    }
    weights[attrition.key] = weights[continuity.key] = Decimal(10)
    first = next(iter(scaled))
    weights[first] += Decimal(100) - sum(weights.values())
    services.weights_save(
        evaluation=evaluation, weights=weights, expected_version=evaluation.version
    )
    competing = Candidate.objects.filter(evaluation=evaluation, excluded_reason="").select_related(
        "vendor"
    )
    for index, candidate in enumerate(competing):
        if index != 1:  # one value still to find
            services.measurement_save(
                evaluation=evaluation,
                user=analyst,
                vendor=candidate.vendor,
                criterion=attrition,
                value=str(rng.randint(8, 45)),
            )
        if index != 2:
            services.score_save(
                evaluation=evaluation,
                evaluator=analyst,
                vendor=candidate.vendor,
                criterion=continuity,
                value=str(rng.randint(4, 9)),
            )
