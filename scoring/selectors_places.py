"""Reads for where the work is done: delivery centres as the decision sees them, and the database
conditions for "a centre in an allowed delivery model" and "a centre that works in these languages"
when delivery models are derived for the buyer (scoring.places), so a market of any size is
filtered in SQL.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from scoring import facts
from scoring.places import centre_models_for
from vendors.geography import country_time_zone, parse_languages
from vendors.models import DeliveryCentre


def centre_fact(c: DeliveryCentre) -> facts.Centre:
    """A delivery centre (its delivery model selected) as the decision sees it."""
    country = str(c.country.code)
    return facts.Centre(
        country=country,
        country_name=str(c.country.name),
        city=c.city,
        seats=c.seats,
        delivery_model_id=c.delivery_model_id,
        delivery_model=c.delivery_model.name,
        delivery_model_code=c.delivery_model.code,
        time_zone=c.time_zone or country_time_zone(country, timezone.localdate()),
        languages=c.language_codes,
    )


def centres_in_allowed_model(evaluation: facts.EvaluationFacts, on: dt.date) -> Q:
    """Centres in an allowed delivery model for this buyer, as a condition on DeliveryCentre.

    A derived model depends on the centre's country and time zone only, so the distinct
    (country, time zone) pairs of the market (one small query) are classified by the pure rule and
    the database filters on the pairs that pass."""
    allowed = evaluation.allowed_delivery_models
    if not allowed:
        return Q()
    if not evaluation.buyer_country:
        return Q(delivery_model_id__in=[model.id for model in allowed])
    pairs = DeliveryCentre.objects.values_list("country", "time_zone").distinct()
    passing: dict[str, list[str]] = {}
    for country, zone in pairs.order_by():
        centre = facts.Centre(
            country=country,
            country_name="",
            city="",
            seats=0,
            delivery_model_id=0,
            delivery_model="",
            delivery_model_code="",
            time_zone=zone or country_time_zone(country, on),
        )
        (place,) = centre_models_for(evaluation, [centre], on=on)
        if place.allowed:
            passing.setdefault(zone, []).append(country)
    conditions = [Q(time_zone=zone, country__in=countries) for zone, countries in passing.items()]
    return functools.reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def centres_speaking(languages: Iterable[str]) -> Q:
    """Centres that work in every one of ``languages`` (stored as typed: "pl, en"), matched on the
    distinct spellings in the market (one small query)."""
    required = set(languages)
    spellings = DeliveryCentre.objects.exclude(languages="").values_list("languages", flat=True)
    ok = []
    for text in spellings.distinct().order_by():
        try:
            if required <= set(parse_languages(text)):
                ok.append(text)
        except ValueError:
            continue  # an invalid stored value speaks nothing
    return Q(languages__in=ok)
