"""Blended delivery in a decision: each vendor's optimal mix and the words that explain it.

A quote with prices per delivery model, or any quote in an evaluation that bounds the models'
shares, is costed at the cheapest mix (``scoring.delivery_mix``): its weighted unit price goes
through the normal TCO. Other quotes keep their single price, so evaluations that use none of this
keep today's totals. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring import delivery_mix, places
from scoring.delivery_mix import percent
from scoring.facts import DecisionInputs, EvaluationFacts, QuoteInfo

ORDER = ("onshore", "nearshore", "offshore")  # how bars and sentences list the models
NAMES = {"onshore": "Onshore", "nearshore": "Nearshore", "offshore": "Offshore"}


@dataclass(frozen=True)
class MixShare:
    model: str  # delivery model code
    name: str
    share: Decimal  # of the volume, 0..1
    unit_price: Decimal | None  # the vendor's price for it (None: not priced)


@dataclass(frozen=True)
class VendorMix:
    """A vendor's cheapest mix (every model of the evaluation, bar order) or why none fits."""

    shares: tuple[MixShare, ...]
    unit_price: Decimal | None  # the blend's weighted unit price; None when infeasible
    reason: str = ""  # why no mix fits, in words

    @property
    def feasible(self) -> bool:
        return not self.reason

    @property
    def used(self) -> list[MixShare]:
        return [s for s in self.shares if s.share > 0]

    @property
    def blended(self) -> bool:
        """Costed at two or more delivery models (all the volume in one model is no blend)."""
        return self.unit_price is not None and len(self.used) > 1

    @property
    def delivery_text(self) -> str:
        """What the TCO table's delivery column says: "Blend", or the one model used."""
        return "Blend" if self.blended else (self.used[0].name if self.used else "—")

    @property
    def knockout(self) -> str:
        return f"No delivery mix fits: {self.reason}"


def applies(evaluation: EvaluationFacts, quote: QuoteInfo) -> bool:
    return bool(evaluation.share_bounds or quote.model_prices)


def quote_prices(quote: QuoteInfo) -> dict[str, Decimal]:
    """Model code -> unit price: the quote's own model, then its prices per model."""
    prices = {quote.delivery_model_code: quote.unit_price} if quote.delivery_model_code else {}
    prices.update({p.model: p.unit_price for p in quote.model_prices})
    return prices


def _models(inputs: DecisionInputs) -> tuple[str, ...]:
    seen = {b.model for b in inputs.evaluation.share_bounds}
    for quote in inputs.quotes:
        seen.update(quote_prices(quote))
    return tuple(sorted(seen - {""}, key=lambda m: (ORDER.index(m) if m in ORDER else 9, m)))


def _volume_in_ftes(evaluation: EvaluationFacts) -> Decimal | None:
    if evaluation.volume_unit == "fte":
        return evaluation.volume
    if evaluation.volume_unit == "hours":
        return evaluation.volume / evaluation.hours_per_fte  # seats are FTEs
    return None  # transactions: seats say nothing about them


def mixes_for(inputs: DecisionInputs) -> dict[int, VendorMix]:
    """vendor id -> its optimal mix, for every quoted vendor the mix applies to (one solver call)."""
    ev = inputs.evaluation
    quotes = [q for q in inputs.quotes if applies(ev, q)]
    if not quotes:
        return {}
    models = _models(inputs)
    allowed = {m.name.casefold() for m in ev.allowed_delivery_models}
    vendors = {v.id: v for v in inputs.vendors}
    ftes = _volume_in_ftes(ev)
    requests, prices_of = [], {}
    for quote in quotes:
        prices = {
            m: p
            for m, p in quote_prices(quote).items()
            if not allowed or NAMES.get(m, m).casefold() in allowed
        }
        prices_of[quote.vendor_id] = prices
        seats: dict[str, float | None] = {m: 0.0 for m in models} if ftes is not None else {}
        vendor = vendors.get(quote.vendor_id)
        centres = vendor.centres if vendor and ftes is not None else ()
        for place in places.centre_models_for(ev, centres, on=inputs.today):
            seats[place.code] = (seats.get(place.code) or 0.0) + place.centre.seats
        requests.append(delivery_mix.MixRequest(prices=prices, capacity=seats))
    bounds = ev.share_bounds
    solved = delivery_mix.optimal_mixes(
        volume=ftes if ftes is not None else 1,
        models=models,
        requests=requests,
        min_share={b.model: float(b.min_share) for b in bounds},
        max_share={b.model: float(b.max_share) for b in bounds},
        labels={m: NAMES.get(m, m).lower() for m in models},
    )
    result = {}
    for quote, mix in zip(quotes, solved, strict=True):
        prices = prices_of[quote.vendor_id]
        shares = tuple(MixShare(m, NAMES.get(m, m), mix.shares[m], prices.get(m)) for m in models)
        price = mix.unit_price(prices) if mix.feasible else None
        result[quote.vendor_id] = VendorMix(shares, price, mix.reason)
    return result


def bounds_sentence(evaluation: EvaluationFacts) -> str:
    """The evaluation's share bounds in words (true for none, one or several)."""
    parts = []
    for bound in evaluation.share_bounds:
        name = bound.name.lower()
        low, high = bound.min_share, bound.max_share
        if low > 0 and high < 1:
            parts.append(f"{name} between {percent(low)} and {percent(high)}")
        elif low > 0:
            parts.append(f"at least {percent(low)} {name}")
        elif high < 1:
            parts.append(f"at most {percent(high)} {name}")
    if not parts:
        return "No share of the volume is required of any delivery model."
    text = "; ".join(parts)
    return f"The volume must be delivered {text}; the rest goes where it is cheapest."


def mix_sentence(mix: VendorMix, price_text) -> str:
    """'70 % offshore at $2,000, 30 % onshore at $5,000: a blend of $2,900.' (``price_text``
    formats a unit price); an infeasible mix says why."""
    if not mix.feasible:
        return mix.knockout + "."
    used = mix.used
    parts = [
        f"{percent(s.share)} {s.name.lower()} at {price_text(s.unit_price)}"
        for s in sorted(used, key=lambda s: -s.share)
    ]
    if len(used) == 1:
        return f"All of the volume {used[0].name.lower()} at {price_text(used[0].unit_price)}."
    return f"{', '.join(parts)}: a blend of {price_text(mix.unit_price)}."
