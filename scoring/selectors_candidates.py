"""Reads for the candidates page and the demo: which vendors may join an evaluation (the
suggestions, searchable and paginated) and every current candidate's knock-outs and centres, in a
fixed number of queries whatever the market's size.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from scoring import facts
from scoring.models import (
    Candidate,
    Evaluation,
)
from scoring.places import Place, buyer_sentence, centre_models_for
from scoring.selectors import evaluation_facts, exchange_rates, standing_notes
from scoring.selectors_places import centre_fact, centres_in_allowed_model, centres_speaking
from vendors.geography import languages_text
from vendors.models import (
    DeliveryCentre,
    Quote,
    Vendor,
    VendorCertification,
    VendorProcess,
)
from vendors.search import search_vendors


@dataclass(frozen=True)
class VendorEligibility:
    """A vendor and every knock-out requirement it fails (none: it is eligible)."""

    vendor: Vendor
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return not self.reasons


class _KnockOuts:
    """The evaluation's knock-out requirements, loaded once and applied to many vendors."""

    def __init__(self, evaluation: Evaluation):
        self.evaluation = evaluation
        self.facts = evaluation_facts(evaluation, people=False)
        self.quotes = (
            {q.vendor_id: q for q in Quote.objects.filter(evaluation=evaluation)}
            if evaluation.budget_cap is not None
            else {}
        )
        self.rates = exchange_rates(evaluation.base_currency) if self.quotes else {}
        self.today = timezone.localdate()

    def vendors(self, queryset):
        """``queryset`` of vendors with what the checks need prefetched (2 more queries)."""
        certifications = VendorCertification.objects.filter(
            certification__in=[c.id for c in self.facts.required_certifications]
        )
        return queryset.prefetch_related(
            Prefetch("vendor_certifications", queryset=certifications, to_attr="required_certs"),
            Prefetch("centres", queryset=DeliveryCentre.objects.select_related("delivery_model")),
        )

    def tco(self, vendor_id: int) -> Decimal | None:
        quote = self.quotes.get(vendor_id)
        if quote is None:
            return None
        tco, _ = facts.quote_cost(
            pricing_model=quote.pricing_model,
            pricing_label=quote.get_pricing_model_display(),
            unit_price=quote.unit_price,
            currency=quote.currency,
            transition_fee=quote.transition_fee,
            evaluation=self.facts,
            rates=self.rates,
            minimum_term_months=quote.minimum_term_months,
            annual_escalation=quote.annual_escalation,
            exit_fee=quote.exit_fee,
        )
        return tco

    def failures(self) -> list[tuple[str, Q]]:
        """Each knock-out as (label, the condition a vendor fails it on), for the database to check.

        Certifications and centres are tested as uncorrelated ``IN (subquery)``, which PostgreSQL
        hashes once (a correlated EXISTS per vendor took 1.9 s over 100,000 vendors), so a market
        of any size is filtered and counted in SQL; only the budget cap is computed here, over the evaluation's
        few quotes (currency conversion is the pure facts' rule, not SQL's).
        """
        valid = Q(valid_until__isnull=True) | Q(valid_until__gte=self.today)
        result = []
        for required in self.facts.required_certifications:
            held = VendorCertification.objects.filter(certification_id=required.id)
            held_ids = held.values("vendor_id")
            valid_ids = held.filter(valid).values("vendor_id")
            result.append((f"missing {required.name}", ~Q(pk__in=held_ids)))
            result.append((f"{required.name} expired", Q(pk__in=held_ids) & ~Q(pk__in=valid_ids)))
        in_model = centres_in_allowed_model(self.facts, self.today)
        if allowed := self.facts.allowed_delivery_models:
            names = ", ".join(model.name for model in allowed)
            centres = DeliveryCentre.objects.filter(in_model).values("vendor_id")
            result.append((f"no centre in an allowed delivery model ({names})", ~Q(pk__in=centres)))
        if languages := self.facts.required_languages:
            speaking = DeliveryCentre.objects.filter(in_model & centres_speaking(languages)).values(
                "vendor_id"
            )
            if allowed:
                label = (
                    f"no centre in an allowed delivery model works in {languages_text(languages)}"
                )
                centres = DeliveryCentre.objects.filter(in_model).values("vendor_id")
                result.append((label, Q(pk__in=centres) & ~Q(pk__in=speaking)))
            else:
                label = f"no centre works in {languages_text(languages)}"
                result.append((label, ~Q(pk__in=speaking)))
        over = [pk for pk in self.quotes if facts.over_cap(self.tco(pk), self.facts.budget_cap)]
        if over:
            result.append(("TCO over the budget cap", Q(pk__in=over)))
        return result

    def places(self, vendor: Vendor) -> tuple[Place, ...]:
        centres = [centre_fact(c) for c in vendor.centres.all()]
        return centre_models_for(self.facts, centres, on=self.today)

    def reasons(self, vendor: Vendor, *, active: bool = True) -> list[str]:
        tco = self.tco(vendor.pk)
        # Set by the Prefetch(to_attr=...) in vendors(), which the stubs cannot see.
        required: list[VendorCertification] = vendor.required_certs  # type: ignore[attr-defined]
        return facts.knockout_reasons(
            evaluation=self.facts,
            held={vc.certification_id: vc.valid_until for vc in required},
            places=self.places(vendor),
            tco=tco,
            today=self.today,
            active=active,
        )


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
    suggested: list[VendorEligibility] = []
    excluded: list[VendorEligibility] = []
    for vendor in vendors:
        result = VendorEligibility(vendor, knockouts.reasons(vendor))
        (excluded if result.reasons else suggested).append(result)
    return suggested, excluded


@dataclass(frozen=True)
class CandidatePool:
    """Vendors that could still be added: the eligible ones to page through, the rest counted.

    ``by_reason`` names each knock-out with how many vendors fail it (a vendor failing two counts
    in both), so its numbers may add up to more than ``failing``.
    """

    suggested: QuerySet[Vendor]
    failing: int
    by_reason: list[tuple[str, int]]


def candidate_pool(evaluation: Evaluation, search: str = "") -> CandidatePool:
    """Active vendors offering the process that are not yet candidates, checked in the database.

    ``suggested`` (by name, narrowed by ``search``) is lazy, for a paginator; the counts take one
    query. 3 queries before the page's own, 5 with a budget cap and quotes.
    """
    knockouts = _KnockOuts(evaluation)
    offers = VendorProcess.objects.filter(process_id=evaluation.process_id).values("vendor_id")
    added = Candidate.objects.filter(evaluation=evaluation).values("vendor_id")
    pool = Vendor.objects.filter(pk__in=offers, is_active=True).exclude(pk__in=added)
    failures = knockouts.failures()
    if failures:
        fails = functools.reduce(operator.or_, (condition for _, condition in failures))
        counts = pool.aggregate(
            failing=Count("pk", filter=fails),
            **{f"k{i}": Count("pk", filter=condition) for i, (_, condition) in enumerate(failures)},
        )
        by_reason = [
            (label, counts[f"k{i}"]) for i, (label, _) in enumerate(failures) if counts[f"k{i}"]
        ]
        failing, pool = counts["failing"], pool.exclude(fails)
    else:
        failing, by_reason = 0, []
    suggested = search_vendors(pool, search).order_by("name", "pk")
    return CandidatePool(suggested=suggested, failing=failing, by_reason=by_reason)


def candidate_knockouts(evaluation: Evaluation) -> dict[int, list[str]]:
    """vendor_id -> knock-out reasons for every current candidate (empty list: passes them all).

    A candidate whose vendor was deactivated since it was added fails with that reason too.
    """
    return candidate_review(evaluation).reasons


@dataclass(frozen=True)
class CandidateReview:
    """Every current candidate's knock-out reasons (empty: passes them all) and centres as this
    evaluation sees them (scoring.places), with where the work is done in words."""

    reasons: dict[int, list[str]]
    places: dict[int, tuple[Place, ...]]
    where: str


def candidate_review(evaluation: Evaluation) -> CandidateReview:
    """The candidates' knock-outs and places. 5 queries (with the SLA standing), 6 with a budget
    cap and quotes."""
    knockouts = _KnockOuts(evaluation)
    vendors = list(knockouts.vendors(Vendor.objects.filter(candidacies__evaluation=evaluation)))
    excluded: dict[int, list[str]] = {}
    for note in standing_notes(evaluation, [vendor.pk for vendor in vendors]):
        if note.exclude:
            excluded.setdefault(note.vendor_id, []).append(note.reason)
    reasons, places = {}, {}
    for vendor in vendors:
        reasons[vendor.pk] = knockouts.reasons(vendor, active=vendor.is_active) + excluded.get(
            vendor.pk, []
        )
        places[vendor.pk] = knockouts.places(vendor)
    return CandidateReview(reasons, places, buyer_sentence(knockouts.facts, knockouts.today))
