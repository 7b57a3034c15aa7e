"""Who competes and what they quoted: candidates added, excluded or removed; quotes saved."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from scoring.models import (
    Candidate,
    Evaluation,
)
from scoring.quoting import quote_rule_errors
from scoring.services.common import (
    QUOTE_FIELDS,
    SetupError,
    _locked,
    _validate,
    check_row_version,
)
from vendors.models import Quote, Vendor
from vendors.templatetags.formatting import in_sentence as label_in_sentence

# A shortlist is read, quoted and scored by people: beyond this many vendors it is a market, not a
# shortlist, and the grid, ranking and PDF would grow without bound.
MAX_CANDIDATES = 100


def _vendor_name_list(vendors: Iterable[Vendor]) -> str:
    return ", ".join(sorted(v.name for v in vendors))


@transaction.atomic
def candidates_add(*, evaluation: Evaluation, vendors: Iterable[Vendor]) -> int:
    """Add active vendors offering the evaluation's process; returns how many were new."""
    locked = _locked(evaluation)
    vendors = list(vendors)
    ids = [v.pk for v in vendors]
    offering = set(
        Vendor.objects.filter(
            pk__in=ids, is_active=True, offered_processes__process_id=locked.process_id
        ).values_list("pk", flat=True)
    )
    refused = [v for v in vendors if v.pk not in offering]
    if refused:
        raise SetupError(
            f"Only active vendors offering {locked.process.name} can compete; "
            f"not {_vendor_name_list(refused)}.",
            field="vendors",
        )
    existing = set(locked.candidates.filter(vendor_id__in=ids).values_list("vendor_id", flat=True))
    new = [
        Candidate(evaluation=locked, vendor_id=pk)
        for pk in dict.fromkeys(ids)
        if pk not in existing
    ]
    already = locked.candidates.count()
    if already + len(new) > MAX_CANDIDATES:
        room = max(MAX_CANDIDATES - already, 0)
        raise SetupError(
            f"At most {MAX_CANDIDATES} vendors can compete in one evaluation; it has {already}, "
            f"so {room} more can be added, not {len(new)}. Narrow the suggestions with the search "
            "or tick the vendors to add.",
            field="vendors",
        )
    bulk_create_with_history(new, Candidate)
    return len(new)


@transaction.atomic
def candidate_remove(*, evaluation: Evaluation, vendor: Vendor) -> None:
    """Take the vendor off the list; its quote and scores stay in case it comes back."""
    locked = _locked(evaluation)
    candidate = Candidate.objects.filter(evaluation=locked, vendor=vendor).first()
    if candidate is None:
        raise SetupError(f"{vendor.name} is not a candidate of this evaluation.")
    candidate.delete()  # one row, so the history records who removed it


@transaction.atomic
def candidate_exclude(*, evaluation: Evaluation, vendor: Vendor, reason: str) -> Candidate:
    """Exclude a candidate with the reason; an empty reason reinstates it."""
    locked = _locked(evaluation)
    candidate = Candidate.objects.filter(evaluation=locked, vendor=vendor).first()
    if candidate is None:
        raise SetupError(f"{vendor.name} is not a candidate of this evaluation.")
    candidate.excluded_reason = reason.strip()
    candidate.save(update_fields=["excluded_reason"])
    return candidate


@transaction.atomic
def quote_save(
    *, evaluation: Evaluation, vendor: Vendor, expected_version: int | None = None, **fields
) -> Quote:
    """Create or update the quote ``vendor`` sent for this evaluation.

    ``expected_version`` is the quote's version the writer read (0: none yet); when given and the
    stored quote has moved on, StaleEdit with its current version and nothing is written.
    """
    unknown = set(fields) - set(QUOTE_FIELDS)
    if unknown:
        raise TypeError(f"quote_save() cannot set {', '.join(sorted(unknown))}.")
    locked = _locked(evaluation)
    if not Candidate.objects.filter(evaluation=locked, vendor=vendor).exists():
        raise SetupError(f"{vendor.name} is not a candidate of this evaluation; add it first.")
    # The evaluation's row lock (above) serializes every writer of its quotes.
    stored = Quote.objects.filter(Q(evaluation=locked) & Q(vendor=vendor)).first()
    check_row_version(f"{vendor.name}'s quote", stored.version if stored else 0, expected_version)
    quote = stored or Quote(evaluation=locked, vendor=vendor)
    if stored is not None:
        quote.version += 1
    quote.process_id = locked.process_id
    for name, value in fields.items():
        setattr(quote, name, value)
    if isinstance(quote.currency, str):
        quote.currency = quote.currency.strip().upper()
    _validate(quote)
    problems = quote_rule_errors(
        evaluation=locked,
        vendor=vendor,
        delivery_model=quote.delivery_model,
        currency=quote.currency,
    )
    if problems:
        field, message = next(iter(problems.items()))
        label = field.replace("_", " ").capitalize()
        raise SetupError(f"{label}: {message}", field=field)
    _check_pricing_fits_volume(locked, quote)
    quote.save()
    return quote


def _check_pricing_fits_volume(evaluation: Evaluation, quote: Quote) -> None:
    by_transaction = quote.pricing_model == Quote.PricingModel.PER_TRANSACTION
    in_transactions = evaluation.volume_unit == Evaluation.VolumeUnit.TRANSACTIONS
    if by_transaction == in_transactions or quote.pricing_model == Quote.PricingModel.FIXED_MONTHLY:
        return
    raise SetupError(
        f"A quote {label_in_sentence(quote.get_pricing_model_display())} cannot be costed: this evaluation's "
        f"volume is in {evaluation.get_volume_unit_display().lower()}.",
        field="pricing_model",
    )
