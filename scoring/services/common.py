"""Shared by the services: the domain errors, the optimistic lock and validation."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError

from scoring.access import status_refusal
from scoring.models import (
    Evaluation,
)


class StaleEdit(Exception):
    """Someone saved the evaluation (or ``message``'s row) after the user read it (optimistic lock)."""

    def __init__(self, current_version: int, message: str | None = None):
        self.current_version = current_version
        super().__init__(
            message
            or "This evaluation was changed by someone else since you opened it "
            f"(now version {current_version}). Reload to see their changes."
        )


def check_row_version(what: str, current: int, expected: int | None) -> None:
    """Raise StaleEdit unless ``expected`` (None: not checked) is the row's ``current`` version;
    0 stands for "no such row yet", so a writer creating the row sends 0 (or nothing)."""
    if expected is None or int(expected) == current:
        return
    if current == 0:
        message = (
            f"{what} was deleted since you read version {expected}, or never existed. "
            "Send version 0 to create it."
        )
    elif int(expected) == 0:
        message = (
            f"{what} already exists (version {current}): read it and send its version to "
            "replace it."
        )
    else:
        message = (
            f"{what} was changed by someone else since you read version {expected} "
            f"(now version {current}). Read it again and reapply your change."
        )
    raise StaleEdit(current, message)


class SetupError(Exception):
    """A setup action breaks a business rule; ``field`` names the form field when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


EDITABLE_FIELDS = frozenset(
    {
        "title",
        "process",
        "base_currency",
        "volume",
        "volume_unit",
        "term_months",
        "contract_start",
        "budget_cap",
        "hours_per_fte",
        "discount_rate",
        "method",
        "scale",
        "required_certifications",
        "allowed_delivery_models",
        "buyer_country",
        "buyer_time_zone",
        "buyer_day_start",
        "buyer_day_end",
        "required_languages",
    }
)
# The fields of an evaluation's quote, in the order the quote form shows them.
QUOTE_FIELDS = (
    "delivery_model",
    "pricing_model",
    "unit_price",
    "currency",
    "transition_fee",
    "minimum_term_months",
    "annual_escalation",
    "exit_fee",
    "valid_until",
    "service_level_pct",
    "quality_pct",
    "response_time_hours",
    "notes",
)
WEIGHT_TOLERANCE = Decimal("0.01")
CENT = Decimal("0.01")


def _locked(evaluation: Evaluation, expected_version: int | None = None) -> Evaluation:
    """The evaluation's row, locked, checked editable and (if given) still at ``expected_version``."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if expected_version is not None and locked.version != int(expected_version):
        raise StaleEdit(locked.version)
    refusal = status_refusal(locked)
    if refusal:
        raise SetupError(refusal)
    return locked


def _bump(locked: Evaluation, evaluation: Evaluation, *, history: bool = True) -> None:
    """Save with the next version. ``history=False`` when only the version changes (the weights
    were saved): their own history rows say what changed, so an empty "Changed" row would not."""
    locked.version += 1
    if history:
        locked.save()
    else:
        locked.skip_history_when_saving = True
        try:
            locked.save()
        finally:
            del locked.skip_history_when_saving
    evaluation.version = locked.version


def _validate(instance, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        label = field if field == "__all__" else field.replace("_", " ")
        raise SetupError(f"{label.capitalize()}: {' '.join(messages)}", field=field) from exc
