"""A quote's prices per delivery model (blended delivery), frozen with their evaluation like the
quote itself (re-exported by vendors.models, where Django finds them)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from vendors.models import DeliveryModel, Quote, frozen_evaluations, refuse_frozen


def _frozen_quote_evaluations(quote_ids) -> list:
    """The frozen evaluations the quotes among ``quote_ids`` belong to."""
    ids = {pk for pk in quote_ids if pk is not None}
    if not ids:
        return []
    rows = Quote._base_manager.filter(pk__in=ids, evaluation__isnull=False)
    return frozen_evaluations(set(rows.values_list("evaluation_id", flat=True)))


class QuoteDeliveryPriceQuerySet(models.QuerySet):
    """Bulk writes obey the quote's rule: a frozen evaluation's per-model prices stay put."""

    def update(self, **kwargs):
        target = kwargs.get("quote", kwargs.get("quote_id"))
        if isinstance(target, models.Model):
            target = target.pk
        targets = [target] if isinstance(target, int) else []
        refuse_frozen(_frozen_quote_evaluations(targets) or self._frozen_rows())
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        stored = set(self.filter(pk__in=[p.pk for p in objs]).values_list("quote_id", flat=True))
        refuse_frozen(_frozen_quote_evaluations(stored | {p.quote_id for p in objs}))
        return super().bulk_update(objs, fields, *args, **kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        refuse_frozen(_frozen_quote_evaluations({p.quote_id for p in objs}))
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self):
        refuse_frozen(self._frozen_rows())
        return super().delete()

    def _frozen_rows(self) -> list:
        return _frozen_quote_evaluations(set(self.values_list("quote_id", flat=True)))


class QuoteDeliveryPrice(models.Model):
    """A quote's price for one delivery model, for a blended delivery (same currency and pricing
    model as the quote; the quote's own price stays its single-model price)."""

    _history_user: object  # who saves, for django-simple-history (not a field)

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="delivery_prices")
    delivery_model = models.ForeignKey(DeliveryModel, on_delete=models.PROTECT)
    unit_price = models.DecimalField(max_digits=14, decimal_places=4)
    history = HistoricalRecords()

    objects = QuoteDeliveryPriceQuerySet.as_manager()

    class Meta:
        ordering = ["quote", "delivery_model"]
        verbose_name = "price per delivery model"
        verbose_name_plural = "prices per delivery model"
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="quote_delivery_price_non_negative"
            ),
            models.UniqueConstraint(
                fields=["quote", "delivery_model"], name="one_price_per_quote_delivery_model"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quote.vendor} · {self.delivery_model}: {self.unit_price:,.2f}"

    # The same floor below the views as Quote.save(): a signed recommendation's prices stay put.
    def save(self, *args, **kwargs):
        self.refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def refuse_if_frozen(self) -> None:
        stored = None
        if self.pk is not None:
            stored = (
                QuoteDeliveryPrice._base_manager.filter(pk=self.pk)
                .values_list("quote_id", flat=True)
                .first()
            )
        refuse_frozen(_frozen_quote_evaluations([stored, self.quote_id]))
