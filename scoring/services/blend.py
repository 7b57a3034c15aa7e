"""Blended delivery: an evaluation's share bounds per delivery model, and a quote's prices per
delivery model. Each save replaces the whole set at once, or refuses it with a message naming the
model; history records who changed what."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from scoring.models import DeliveryShareBound, Evaluation
from scoring.quoting import quote_delivery_models
from scoring.services.candidates import quote_save
from scoring.services.common import SetupError, _locked
from vendors.models import DeliveryModel, Quote, QuoteDeliveryPrice, Vendor

HUNDRED = Decimal(100)


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f} %"


@transaction.atomic
def share_bounds_save(
    *,
    evaluation: Evaluation,
    bounds: Mapping[DeliveryModel, tuple[Decimal | None, Decimal | None]],
    by=None,
) -> list[DeliveryShareBound]:
    """Set the minimum and maximum share (per cent) of each delivery model; (None, None) or
    (0, 100) removes that model's bound. Refused whole when one is out of range, a minimum
    exceeds its maximum, or the minimums add up to more than 100 %."""
    locked = _locked(evaluation)
    allowed = set(locked.allowed_delivery_models.all())
    wanted: dict[DeliveryModel, tuple[Decimal, Decimal]] = {}
    for model, (low, high) in bounds.items():
        low = Decimal(0) if low is None else Decimal(low)
        high = HUNDRED if high is None else Decimal(high)
        name = model.name
        for value, which in ((low, "minimum"), (high, "maximum")):
            if not 0 <= value <= HUNDRED:
                raise SetupError(
                    f"{name}: the {which} share must be between 0 and 100 %, not {_percent(value)}.",
                    field=f"{model.code}_{'min' if which == 'minimum' else 'max'}",
                )
        if low > high:
            raise SetupError(
                f"{name}: the minimum share {_percent(low)} is above the maximum {_percent(high)}.",
                field=f"{model.code}_min",
            )
        if low > 0 and allowed and model not in allowed:
            raise SetupError(
                f"{name}: this evaluation does not allow {name.lower()} delivery, so it cannot "
                "require a share of it.",
                field=f"{model.code}_min",
            )
        if low > 0 or high < HUNDRED:
            wanted[model] = (low, high)
    total = sum((low for low, _ in wanted.values()), Decimal(0))
    if total > HUNDRED:
        names = ", ".join(m.name.lower() for m, (low, _) in wanted.items() if low > 0)
        raise SetupError(
            f"The minimum shares ({names}) add up to {_percent(total)}; they can be at most 100 %."
        )
    existing = {
        b.delivery_model_id: b for b in DeliveryShareBound.objects.filter(evaluation=locked)
    }
    kept = []
    for model, (low, high) in wanted.items():
        row = existing.pop(model.pk, None) or DeliveryShareBound(
            evaluation=locked, delivery_model=model
        )
        if row.pk is None or (row.min_share, row.max_share) != (low, high):
            row.min_share, row.max_share = low, high
            row._history_user = by
            row.save()
        kept.append(row)
    for row in existing.values():
        row._history_user = by
        row.delete()
    return kept


@transaction.atomic
def model_prices_save(
    *,
    evaluation: Evaluation,
    vendor: Vendor,
    prices: Mapping[DeliveryModel, Decimal | None],
    by=None,
) -> list[QuoteDeliveryPrice]:
    """Replace the prices per delivery model of ``vendor``'s quote; None removes one. Only models
    the vendor has centres in (and the evaluation allows) may be priced."""
    locked = _locked(evaluation)
    quote = Quote.objects.filter(evaluation=locked, vendor=vendor).first()
    if quote is None:
        raise SetupError(f"{vendor.name} has no quote yet; save its quote first.")
    offered = set(quote_delivery_models(locked, vendor))
    existing = {p.delivery_model_id: p for p in quote.delivery_prices.all()}
    kept = []
    for model, price in prices.items():
        if price is None:
            continue
        if model not in offered:
            raise SetupError(
                f"{model.name} price: {vendor.name} has no {model.name.lower()} centre this "
                "evaluation allows.",
                field=f"price_{model.code}",
            )
        if price < 0:
            raise SetupError(
                f"{model.name} price: must not be negative, got {price}.",
                field=f"price_{model.code}",
            )
        row = existing.pop(model.pk, None) or QuoteDeliveryPrice(quote=quote, delivery_model=model)
        if row.pk is None or row.unit_price != price:
            row.unit_price = price
            row._history_user = by
            row.save()
        kept.append(row)
    for row in existing.values():
        row._history_user = by
        row.delete()
    return kept


@transaction.atomic
def quote_with_prices_save(
    *,
    evaluation: Evaluation,
    vendor: Vendor,
    prices: Mapping[DeliveryModel, Decimal | None],
    by=None,
    **fields,
) -> Quote:
    """The quote and its prices per delivery model together: both saved, or neither."""
    quote = quote_save(evaluation=evaluation, vendor=vendor, **fields)
    model_prices_save(evaluation=evaluation, vendor=vendor, prices=prices, by=by)
    return quote
