"""Each centre's delivery model for one evaluation's buyer, and what follows from it: the delivery
and language knock-outs and the working-hours overlap criterion.

Pure (no Django). :func:`centre_models_for` is the one answer to "which delivery model is this
centre for this evaluation": derived from the buyer's country (scoring.delivery_location) when the
evaluation names one, the centre's recorded label otherwise (evaluations from before the buyer's
country keep their results). The knock-outs, the quote form, the candidates page, the decision's
vendor facts and the delivery mix all ask it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scoring.delivery_location import (
    MODEL_NAMES,
    RULE_TEXT,
    delivery_model_for,
    hours_apart,
    hours_overlap,
    hours_text,
)
from vendors.geography import is_time_zone, languages_text
from vendors.templatetags.formatting import day

if TYPE_CHECKING:
    from scoring.facts import Centre, DecisionInputs, EvaluationFacts

# The catalogue's measured criterion whose values the decision computes (migration scoring 0012).
HOURS_OVERLAP_KEY = "hours_overlap"


@dataclass(frozen=True)
class Place:
    """A centre as one evaluation sees it."""

    centre: Centre
    code: str  # onshore / nearshore / offshore
    name: str  # the delivery model's name, e.g. "Nearshore"
    derived: bool  # from the buyer's country (False: the centre's recorded label)
    allowed: bool  # in one of the evaluation's allowed delivery models (or none is required)
    buyer: str = ""  # the buyer's country name, when derived
    hours_apart: float | None = None  # the centre's clock minus the buyer's
    overlap: float | None = None  # hours of the buyer's day the centre works too

    @property
    def text(self) -> str:
        """ "Warsaw, Poland — nearshore for a buyer in Germany (same time), speaks pl, en"."""
        where = f"{self.centre.city}, {self.centre.country_name}"
        if self.derived:
            apart = "" if self.hours_apart is None else f" ({hours_text(self.hours_apart)})"
            model = f"{self.code} for a buyer in {self.buyer}{apart}"
        else:
            model = f"{self.name.lower()} (as recorded)"
        langs = self.centre.languages
        speaks = f"speaks {', '.join(langs)}" if langs else "no languages recorded"
        return f"{where} — {model}, {speaks}"


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def centre_models_for(
    evaluation: EvaluationFacts, centres: Iterable[Centre], *, on: dt.date
) -> tuple[Place, ...]:
    """Every centre's delivery model for ``evaluation``'s buyer, with clocks compared on ``on``."""
    allowed = evaluation.allowed_delivery_models
    buyer_tz = evaluation.buyer_time_zone if is_time_zone(evaluation.buyer_time_zone) else ""
    result = []
    for centre in centres:
        centre_tz = centre.time_zone if is_time_zone(centre.time_zone) else ""
        if evaluation.buyer_country:
            code = delivery_model_for(
                evaluation.buyer_country,
                centre.country,
                buyer_tz=buyer_tz,
                centre_tz=centre_tz,
                on=on,
            )
            name = next((m.name for m in allowed if m.code == code), MODEL_NAMES[code])
            ok = not allowed or code in {m.code for m in allowed}
        else:
            code, name = centre.delivery_model_code, centre.delivery_model
            ok = not allowed or centre.delivery_model_id in {m.id for m in allowed}
        overlap = None
        if buyer_tz and centre_tz:
            overlap = hours_overlap(
                buyer_tz=buyer_tz,
                buyer_start=_time(evaluation.buyer_day_start),
                buyer_end=_time(evaluation.buyer_day_end),
                centre_tz=centre_tz,
                on=on,
            )
        result.append(
            Place(
                centre=centre,
                code=code,
                name=name,
                derived=bool(evaluation.buyer_country),
                allowed=ok,
                buyer=evaluation.buyer_country_name,
                hours_apart=hours_apart(buyer_tz, centre_tz, on),
                overlap=overlap,
            )
        )
    return tuple(result)


def vendor_places(inputs: DecisionInputs) -> dict[int, tuple[Place, ...]]:
    """vendor id -> :func:`centre_models_for` its centres, the clocks as on ``inputs.today``."""
    ev = inputs.evaluation
    return {v.id: centre_models_for(ev, v.centres, on=inputs.today) for v in inputs.vendors}


def place_reasons(evaluation: EvaluationFacts, places: Sequence[Place]) -> list[str]:
    """The delivery-model and language knock-outs a vendor with these centres fails."""
    allowed = evaluation.allowed_delivery_models
    usable = [p for p in places if p.allowed]
    if allowed and not usable:
        names = ", ".join(model.name for model in allowed)
        buyer = (
            f" for a buyer in {evaluation.buyer_country_name}" if evaluation.buyer_country else ""
        )
        return [f"No centre in an allowed delivery model ({names}){buyer}"]
    required = set(evaluation.required_languages)
    if required and not any(required <= set(p.centre.languages) for p in usable):
        where = "No centre in an allowed delivery model" if allowed else "No centre"
        return [f"{where} works in {languages_text(evaluation.required_languages)}"]
    return []


def best_overlap(evaluation: EvaluationFacts, places: Sequence[Place]) -> tuple[float | None, str]:
    """(the most hours any usable centre overlaps the buyer's day, "") or (None, why not)."""
    if not is_time_zone(evaluation.buyer_time_zone):
        return None, "the evaluation has no buyer time zone"
    hours = [p.overlap for p in places if p.allowed and p.overlap is not None]
    if not hours:
        where = "in an allowed delivery model " if evaluation.allowed_delivery_models else ""
        return None, f"no centre {where}has a known time zone"
    return max(hours), ""


def buyer_sentence(evaluation: EvaluationFacts, on: dt.date) -> str:
    """Where the work is done, in words: the buyer, its hours, the rule and the languages."""
    langs = evaluation.required_languages
    needs = (
        f" Every vendor needs a centre that works in {languages_text(langs)}."
        if langs
        else " No language is required."
    )
    if not evaluation.buyer_country:
        return (
            "No buyer country is set: each centre counts with its recorded delivery model." + needs
        )
    zone = evaluation.buyer_time_zone or "no time zone"
    return (
        f"The buyer is in {evaluation.buyer_country_name} ({zone}, working "
        f"{evaluation.buyer_day_start}–{evaluation.buyer_day_end}). Each centre's delivery model "
        f"is derived for this buyer, the clocks as on {day(on)}: {RULE_TEXT}." + needs
    )


def overlap_method(evaluation: EvaluationFacts, on: dt.date) -> str:
    """How the working-hours overlap is computed, in words, for the pages and the PDF."""
    return (
        f"Hours of the buyer's working day ({evaluation.buyer_day_start}–"
        f"{evaluation.buyer_day_end}, {evaluation.buyer_time_zone or 'no time zone set'}) during "
        "which a centre works its 09:00–17:00 local day, from the centre's time zone (zoneinfo) "
        f"as the clocks stood on {day(on)}; a vendor counts its best centre in an allowed "
        "delivery model."
    )
