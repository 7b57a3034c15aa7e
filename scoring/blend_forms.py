"""Forms for blended delivery: a quote's prices per delivery model and an evaluation's share
bounds. One field per delivery model, labelled, so each error names its model."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from scoring import quoting
from scoring.models import DeliveryShareBound, Evaluation
from vendors.models import DeliveryModel, Quote, Vendor


class ModelPricesForm(forms.Form):
    """A price per delivery model the vendor has centres in (and the evaluation allows)."""

    prefix = "prices"

    def __init__(self, *args, evaluation: Evaluation, vendor: Vendor, quote: Quote | None, **kw):
        super().__init__(*args, **kw)
        self.models = list(quoting.quote_delivery_models(evaluation, vendor))
        stored = (
            {p.delivery_model_id: p.unit_price for p in quote.delivery_prices.all()}
            if quote is not None
            else {}
        )
        for model in self.models:
            self.fields[f"price_{model.code}"] = forms.DecimalField(
                label=f"{model.name} price",
                required=False,
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=4,
                initial=stored.get(model.pk),
                help_text="In the quote's currency and pricing model; empty: not offered.",
            )

    def prices(self) -> dict[DeliveryModel, Decimal | None]:
        return {m: self.cleaned_data.get(f"price_{m.code}") for m in self.models}


def _share(label: str, initial: Decimal) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        initial=initial,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


class ShareBoundsForm(forms.Form):
    """Minimum and maximum share of the volume (per cent) per delivery model."""

    def __init__(self, *args, evaluation: Evaluation, **kw):
        super().__init__(*args, **kw)
        self.models = list(DeliveryModel.objects.order_by("pk"))
        stored = {
            b.delivery_model_id: b for b in DeliveryShareBound.objects.filter(evaluation=evaluation)
        }
        for model in self.models:
            bound = stored.get(model.pk)
            low = bound.min_share if bound else Decimal(0)
            high = bound.max_share if bound else Decimal(100)
            self.fields[f"{model.code}_min"] = _share(f"{model.name}: minimum share %", low)
            self.fields[f"{model.code}_max"] = _share(f"{model.name}: maximum share %", high)

    def bounds(self) -> dict[DeliveryModel, tuple[Decimal | None, Decimal | None]]:
        return {
            m: (self.cleaned_data.get(f"{m.code}_min"), self.cleaned_data.get(f"{m.code}_max"))
            for m in self.models
        }
