"""The rules a quote tied to an evaluation must meet so its TCO can be computed: a current ISO 4217
currency with an exchange rate into the evaluation's base currency, and a delivery model the vendor
has a centre for and the evaluation allows. The quote form offers only what passes; quote_save
refuses the rest on every path.
"""

from __future__ import annotations

import functools

from babel import Locale
from babel.numbers import get_currency_name, get_territory_currencies
from django.db.models import Exists, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from scoring.models import Evaluation
from scoring.places import centre_models_for
from scoring.selectors import evaluation_facts, exchange_rates
from scoring.selectors_places import centre_fact
from vendors.models import DeliveryCentre, DeliveryModel, Vendor


@functools.cache
def iso_currencies() -> dict[str, str]:
    """ISO 4217 code -> English name of every currency legal tender somewhere today (Babel's CLDR
    data), so withdrawn codes such as DEM cannot be quoted."""
    codes = set()
    for territory in Locale("en").territories:
        codes.update(get_territory_currencies(str(territory), tender=True))
    return {code: get_currency_name(code, locale="en") for code in sorted(codes)}


def quote_delivery_models(evaluation: Evaluation, vendor: Vendor) -> QuerySet[DeliveryModel]:
    """The delivery models a quote from ``vendor`` may use in ``evaluation``: where the vendor has a
    centre (for this buyer: scoring.places.centre_models_for) and, when the evaluation restricts
    them, one it allows. One query; four when the evaluation names its buyer's country."""
    if evaluation.buyer_country:
        ev = evaluation_facts(evaluation, people=False)
        centres = DeliveryCentre.objects.filter(vendor=vendor).select_related("delivery_model")
        placed = centre_models_for(ev, [centre_fact(c) for c in centres], on=timezone.localdate())
        codes = {place.code for place in placed if place.allowed}
        return DeliveryModel.objects.filter(code__in=codes).order_by("pk")
    offered = DeliveryModel.objects.filter(deliverycentre__vendor=vendor)
    restricted = Evaluation.allowed_delivery_models.through.objects.filter(evaluation=evaluation)
    offered = offered.filter(
        Q(~Exists(restricted)) | Q(pk__in=restricted.values("deliverymodel_id"))
    )
    return offered.distinct().order_by("pk")


def quote_rule_errors(
    *, evaluation: Evaluation, vendor: Vendor, delivery_model: DeliveryModel | None, currency: str
) -> dict[str, str]:
    """field -> why a quote with this delivery model and currency would leave a hole in the TCO
    (no rate into the base currency) or quote a model the vendor or the evaluation rules out."""
    errors = {}
    if delivery_model is not None:
        allowed = list(quote_delivery_models(evaluation, vendor))
        if delivery_model not in allowed:
            permitted = list(evaluation.allowed_delivery_models.order_by("pk"))
            if permitted and delivery_model not in permitted:
                names = ", ".join(m.name.lower() for m in permitted)
                errors["delivery_model"] = (
                    f"this evaluation allows only {names} delivery, not {delivery_model.name.lower()}."
                )
            elif allowed:
                names = ", ".join(m.name.lower() for m in allowed)
                buyer = (
                    f" for a buyer in {evaluation.buyer_country.name}"
                    if evaluation.buyer_country
                    else ""
                )
                errors["delivery_model"] = (
                    f"{vendor.name} has no {delivery_model.name.lower()} delivery centre{buyer}; "
                    f"quote {names}."
                )
            else:
                errors["delivery_model"] = (
                    f"{vendor.name} has no delivery centre in a model this evaluation allows; "
                    "add its centres to the vendor in the admin first."
                )
    base = evaluation.base_currency
    if currency and currency not in iso_currencies():
        errors["currency"] = f"{currency} is not a current ISO 4217 currency code."
    elif currency and currency != base and currency not in exchange_rates(base):
        errors["currency"] = (
            f"there is no exchange rate from {currency} to {base} (this evaluation's base currency) "
            "yet, so the TCO could not be computed. A vendor admin adds it on the admin's Exchange "
            f"rates page ({reverse('admin:vendors_exchangerate_add')}) or by importing a rates "
            f"file ({reverse('vendors:import')}); then save the quote."
        )
    return errors
