"""An evaluation's criteria: add own ones (manual with a rubric, or measured), add catalogue
ones, rename, drop; measured values per vendor; the set saved as a weight profile by admins.

Every action locks the evaluation (frozen ones are refused), bumps its version and leaves history
rows (criterion, weight, measurement) saying who changed what, old -> new.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from scoring.access import can_save_profile
from scoring.models import (
    RUBRIC_BANDS,
    Candidate,
    Criterion,
    Evaluation,
    EvaluationWeight,
    Measurement,
    ProfileWeight,
    WeightProfile,
)
from scoring.places import HOURS_OVERLAP_KEY
from scoring.services.common import SetupError, _bump, _locked, _validate
from scoring.services.setup import rounded_percentages
from vendors.models import Vendor

RUBRIC_TEXT_MAX = 200
OWN_ORDER = 100  # own criteria come after the catalogue's


def _labels(evaluation: Evaluation, *, skip: int | None = None) -> dict[str, str]:
    """casefolded label -> label of the evaluation's current criteria (but ``skip``'s)."""
    rows = EvaluationWeight.objects.filter(evaluation=evaluation).select_related("criterion")
    return {w.name.casefold(): w.name for w in rows if w.criterion_id != skip}


def _check_label(evaluation: Evaluation, label: str, *, field: str, skip: int | None = None):
    if not label:
        raise SetupError("Name: enter a name for the criterion.", field=field)
    if len(label) > 80:
        raise SetupError("Name: use at most 80 characters.", field=field)
    clash = _labels(evaluation, skip=skip).get(label.casefold())
    if clash:
        raise SetupError(
            f"Name: this evaluation already has a criterion called “{clash}”.", field=field
        )


def _unique_key(name: str, suffix: str) -> str:
    base = f"{slugify(name)[:26] or 'criterion'}-{suffix}"
    key, n = base, 1
    while Criterion.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def _decimal(value, label: str, field: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise SetupError(f"{label}: enter a number.", field=field) from exc
    if not number.is_finite():
        raise SetupError(f"{label}: enter a number.", field=field)
    return number


def _rubric(texts: Sequence[str]) -> list[str]:
    cleaned = [str(text).strip() for text in texts][: len(RUBRIC_BANDS)]
    for band, text in zip(RUBRIC_BANDS, cleaned, strict=False):
        if len(text) > RUBRIC_TEXT_MAX:
            raise SetupError(
                f"Rubric {band}: use at most {RUBRIC_TEXT_MAX} characters.",
                field="rubric_" + band.replace("–", "_"),
            )
    cleaned += [""] * (len(RUBRIC_BANDS) - len(cleaned))
    return cleaned if any(cleaned) else []


def _add_weight(evaluation: Evaluation, criterion: Criterion, user: User) -> EvaluationWeight:
    row = EvaluationWeight(evaluation=evaluation, criterion=criterion, weight=Decimal(0))
    row._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
    row.save()
    return row


@transaction.atomic
def criterion_add_own(
    *,
    evaluation: Evaluation,
    user: User,
    name: str,
    source: str,
    description: str = "",
    direction: str = Criterion.Direction.BENEFIT,
    unit: str = "",
    low=None,
    high=None,
    rubric: Sequence[str] = (),
) -> Criterion:
    """A criterion of this evaluation only, weighing 0 % until its weight is set."""
    locked = _locked(evaluation)
    name = name.strip()
    _check_label(locked, name, field="name")
    if source not in (Criterion.Source.MANUAL, Criterion.Source.MEASURED):
        raise SetupError("Kind: choose scored 0–10 or measured.", field="source")
    criterion = Criterion(
        evaluation=locked,
        key=_unique_key(name, f"e{locked.pk}"),
        name=name,
        description=description.strip(),
        source=source,
        order=OWN_ORDER + locked.own_criteria.count(),
    )
    if source == Criterion.Source.MEASURED:
        if direction not in Criterion.Direction.values:
            raise SetupError("Direction: choose higher or lower is better.", field="direction")
        criterion.direction = direction
        criterion.unit = unit.strip()
        criterion.low = _decimal(low, "Lower bound", "low")
        criterion.high = _decimal(high, "Upper bound", "high")
        if criterion.has_bounds and criterion.low >= criterion.high:  # type: ignore[operator]
            raise SetupError(
                f"Upper bound: must be above the lower bound ({criterion.low.normalize():f}).",  # type: ignore[union-attr]
                field="high",
            )
    else:
        criterion.rubric = _rubric(rubric)
    _validate(criterion, exclude=["evaluation"])
    criterion._history_user = user  # type: ignore[attr-defined]
    criterion.save()
    _add_weight(locked, criterion, user)
    _bump(locked, evaluation, history=False)
    return criterion


@transaction.atomic
def criterion_add(*, evaluation: Evaluation, user: User, criterion: Criterion) -> EvaluationWeight:
    """Bring a catalogue criterion (or a dropped own one) into the evaluation, at 0 %."""
    locked = _locked(evaluation)
    if criterion.evaluation_id not in (None, locked.pk):
        raise SetupError("That criterion belongs to another evaluation.", field="criterion")
    if EvaluationWeight.objects.filter(evaluation=locked, criterion=criterion).exists():
        raise SetupError(f"{criterion.name} is already a criterion here.", field="criterion")
    _check_label(locked, criterion.name, field="criterion")
    row = _add_weight(locked, criterion, user)
    _bump(locked, evaluation, history=False)
    return row


def _row(evaluation: Evaluation, criterion: Criterion) -> EvaluationWeight:
    row = (
        EvaluationWeight.objects.select_related("criterion")
        .filter(evaluation=evaluation, criterion=criterion)
        .first()
    )
    if row is None:
        raise SetupError(f"{criterion.name} is not a criterion of this evaluation.")
    return row


@transaction.atomic
def criterion_rename(
    *, evaluation: Evaluation, user: User, criterion: Criterion, label: str
) -> EvaluationWeight:
    """This evaluation's name for a criterion; empty (or its own name) goes back to that name."""
    locked = _locked(evaluation)
    row = _row(locked, criterion)
    label = label.strip()
    if label == criterion.name:
        label = ""
    _check_label(locked, label or criterion.name, field="label", skip=criterion.pk)
    if label != row.label:
        row.label = label
        row._history_user = user  # type: ignore[attr-defined]
        row.save()
        _bump(locked, evaluation, history=False)
    return row


@transaction.atomic
def criterion_drop(*, evaluation: Evaluation, user: User, criterion: Criterion) -> None:
    """Take a criterion out of the evaluation (its scores and history stay); the weights left
    are scaled back up to 100 % in proportion."""
    locked = _locked(evaluation)
    row = _row(locked, criterion)
    rest = list(
        EvaluationWeight.objects.filter(evaluation=locked).exclude(pk=row.pk).order_by("pk")
    )
    row._history_user = user  # type: ignore[attr-defined]
    row.delete()
    if row.weight > 0 and any(w.weight > 0 for w in rest):
        shares = rounded_percentages({str(w.pk): float(w.weight) for w in rest})
        for w in rest:
            if w.weight != shares[str(w.pk)]:
                w.weight = shares[str(w.pk)]
                w._history_user = user  # type: ignore[attr-defined]
                w._change_reason = f"{row.name} dropped: weights rescaled to 100 %"  # type: ignore[attr-defined]
                w.save()
    _bump(locked, evaluation, history=False)


def addable_criteria(evaluation: Evaluation) -> list[Criterion]:
    """Catalogue criteria and this evaluation's dropped own ones that are not in it. 1 query."""
    used = EvaluationWeight.objects.filter(evaluation=evaluation).values("criterion_id")
    return list(
        Criterion.objects.filter(Q(evaluation__isnull=True) | Q(evaluation=evaluation))
        .exclude(pk__in=used)
        .order_by("order", "name")
    )


# --------------------------------------------------------------------------- measurements


@transaction.atomic
def measurement_save(
    *, evaluation: Evaluation, user: User, vendor: Vendor, criterion: Criterion, value
) -> Measurement | None:
    """The team's value of a measured criterion for a vendor; empty deletes it."""
    locked = _locked(evaluation)
    label = f"{criterion.name} for {vendor.name}"
    if criterion.source != Criterion.Source.MEASURED:
        raise SetupError(f"{criterion.name} is not a measured criterion.")
    if criterion.key == HOURS_OVERLAP_KEY:
        raise SetupError(
            f"{criterion.name} is computed from the centres' time zones and the buyer's hours; "
            "it cannot be typed."
        )
    if not EvaluationWeight.objects.filter(evaluation=locked, criterion=criterion).exists():
        raise SetupError(f"{criterion.name} is not a criterion of this evaluation.")
    if not Candidate.objects.filter(evaluation=locked, vendor=vendor, excluded_reason="").exists():
        raise SetupError(f"{vendor.name} does not compete in this evaluation.")
    number = _decimal(value, label, "value")
    cell = {"evaluation": locked, "vendor": vendor, "criterion": criterion}
    if number is None:
        for old in Measurement.objects.filter(**cell):
            old._history_user = user  # type: ignore[attr-defined]
            old.delete()
        return None
    unit = f" {criterion.unit}" if criterion.unit else ""
    if criterion.low is not None and number < criterion.low:
        raise SetupError(f"{label}: at least {criterion.low.normalize():f}{unit}.", field="value")
    if criterion.high is not None and number > criterion.high:
        raise SetupError(f"{label}: at most {criterion.high.normalize():f}{unit}.", field="value")
    if abs(number) >= Decimal(10) ** 10 or number != number.quantize(Decimal("0.0001")):
        raise SetupError(f"{label}: up to 10 digits and 4 decimals.", field="value")
    measurement = Measurement.objects.filter(**cell).first() or Measurement(**cell)
    if measurement.pk and measurement.value == number:
        return measurement
    measurement.value = number
    measurement.updated_by = user
    measurement._history_user = user  # type: ignore[attr-defined]
    measurement.save()
    return measurement


# --------------------------------------------------------------------------- profiles


@transaction.atomic
def profile_save(
    *, evaluation: Evaluation, user: User, name: str, description: str = ""
) -> WeightProfile:
    """Save the evaluation's criteria and weights as a new weight profile (admins only).

    A profile holds catalogue criteria only, so each own criterion is copied into the catalogue
    under its label (a profile must not depend on one evaluation); renamed catalogue criteria
    keep their catalogue name.
    """
    if not can_save_profile(user):
        raise SetupError("Only administrators can save weight profiles.")
    name = name.strip()
    if not name:
        raise SetupError("Profile name: enter a name.", field="name")
    if WeightProfile.objects.filter(name__iexact=name).exists():
        raise SetupError(f"Profile name: a profile called “{name}” exists.", field="name")
    rows = list(
        EvaluationWeight.objects.filter(evaluation=evaluation)
        .select_related("criterion")
        .order_by("criterion__order", "criterion__name")
    )
    if not rows:
        raise SetupError("This evaluation has no criteria to save.")
    catalogue = {c.name.casefold(): c for c in Criterion.objects.filter(evaluation__isnull=True)}
    profile = WeightProfile.objects.create(name=name, description=description.strip())
    for row in rows:
        criterion = row.criterion
        if criterion.evaluation_id is not None:
            if row.name.casefold() in catalogue:
                raise SetupError(
                    f"Profile: the catalogue already has a criterion called “{row.name}”; "
                    "rename this evaluation's own one first.",
                    field="name",
                )
            criterion = Criterion(
                key=_unique_key(row.name, "p"),
                name=row.name,
                description=criterion.description,
                direction=criterion.direction,
                source=criterion.source,
                order=criterion.order,
                unit=criterion.unit,
                low=criterion.low,
                high=criterion.high,
                rubric=criterion.rubric,
            )
            criterion._history_user = user  # type: ignore[attr-defined]
            criterion.save()
        ProfileWeight.objects.create(profile=profile, criterion=criterion, weight=row.weight)
    return profile
