"""Setting an evaluation up: create, edit, team, weights (and what-if weights kept)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bpo_select.roles import Role, has_role
from scoring.access import team_refusal
from scoring.models import (
    Criterion,
    Evaluation,
    EvaluationWeight,
    WeightProfile,
)
from scoring.services.common import (
    CENT,
    EDITABLE_FIELDS,
    WEIGHT_TOLERANCE,
    SetupError,
    _bump,
    _locked,
    _validate,
)
from vendors.geography import country_time_zone, parse_languages
from vendors.models import Certification, DeliveryModel, Process


def starting_weights(process: Process) -> dict[int, Decimal]:
    """criterion id -> weight % from the process's default profile, else the "Balanced" profile."""
    profile = (
        WeightProfile.objects.filter(process=process, is_default=True).first()
        or WeightProfile.objects.filter(name="Balanced").first()
    )
    if profile is None:
        return {}
    return dict(profile.weights.values_list("criterion_id", "weight"))


def default_scale(method: str) -> str:
    """Absolute for new evaluations, except with TOPSIS, which can only compare (relative)."""
    return (
        Evaluation.Scale.RELATIVE
        if method == Evaluation.Method.TOPSIS
        else Evaluation.Scale.ABSOLUTE
    )


@transaction.atomic
def evaluation_create(
    *,
    owner: User,
    title: str,
    process: Process,
    base_currency: str,
    volume: Decimal,
    volume_unit: str,
    term_months: int,
    contract_start: dt.date | None = None,
    budget_cap: Decimal | None = None,
    hours_per_fte: Decimal = Decimal(160),
    discount_rate: Decimal = Decimal(0),
    method: str = Evaluation.Method.WSM,
    scale: str | None = None,
    required_certifications: Iterable[Certification] = (),
    allowed_delivery_models: Iterable[DeliveryModel] = (),
    buyer_country: str = "",
    buyer_time_zone: str = "",
    buyer_day_start: dt.time = dt.time(9),
    buyer_day_end: dt.time = dt.time(17),
    required_languages: str = "",
) -> Evaluation:
    """A draft evaluation owned by ``owner``, its weights copied from the process's profile."""
    if not has_role(owner, Role.ANALYST):
        raise SetupError("Only analysts can create evaluations.")
    evaluation = Evaluation(
        owner=owner,
        title=title.strip(),
        process=process,
        base_currency=base_currency.strip().upper(),
        volume=volume,
        volume_unit=volume_unit,
        term_months=term_months,
        contract_start=contract_start,
        budget_cap=budget_cap,
        hours_per_fte=hours_per_fte,
        discount_rate=discount_rate,
        method=method,
        scale=scale or default_scale(method),
        buyer_country=buyer_country,
        buyer_time_zone=buyer_time_zone.strip(),
        buyer_day_start=buyer_day_start,
        buyer_day_end=buyer_day_end,
        required_languages=required_languages,
    )
    _place_buyer(evaluation)
    _validate(evaluation)
    evaluation.save()
    evaluation.required_certifications.set(required_certifications)
    evaluation.allowed_delivery_models.set(allowed_delivery_models)
    bulk_create_with_history(
        [
            EvaluationWeight(evaluation=evaluation, criterion_id=criterion_id, weight=weight)
            for criterion_id, weight in starting_weights(process).items()
        ],
        EvaluationWeight,
        default_user=owner,
    )
    return evaluation


@transaction.atomic
def evaluation_update(
    *, evaluation: Evaluation, expected_version: int, user: User, **fields
) -> Evaluation:
    """Change the evaluation's details if nobody saved it since ``expected_version``."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"evaluation_update() cannot set {', '.join(sorted(unknown))}.")
    locked = _locked(evaluation, expected_version)
    process = fields.get("process")
    if (
        process is not None
        and process.pk != locked.process_id
        and (locked.candidates.exists() or locked.quotes.exists())
    ):
        raise SetupError(
            "The process cannot change once vendors were added; remove the candidates first.",
            field="process",
        )
    many = {
        k: fields.pop(k)
        for k in ("required_certifications", "allowed_delivery_models")
        if k in fields
    }
    old_country, old_zone = str(locked.buyer_country or ""), locked.buyer_time_zone
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.base_currency = locked.base_currency.upper()
    if str(locked.buyer_country or "") != old_country and locked.buyer_time_zone == old_zone:
        locked.buyer_time_zone = ""  # the old country's clock does not move with the buyer
    _place_buyer(locked)
    _validate(locked)
    locked._history_user = user
    reason = _many_changes(locked, many)
    if reason:
        locked._change_reason = reason  # the history keeps no many-to-many fields: say it here
    _bump(locked, evaluation)
    for name, values in many.items():
        getattr(locked, name).set(values)
    return locked


def _place_buyer(evaluation: Evaluation) -> None:
    """Tidy the buyer's languages ("DE;fr" -> "de, fr") and give the buyer the country's time zone
    when it has one clock; a country with several needs one chosen."""
    try:
        codes = parse_languages(evaluation.required_languages)
    except ValueError as exc:
        raise SetupError(f"Required languages: {exc}", field="required_languages") from exc
    evaluation.required_languages = ", ".join(codes)
    country = str(evaluation.buyer_country or "")
    if not country:
        return
    if not evaluation.buyer_time_zone:
        evaluation.buyer_time_zone = country_time_zone(country, timezone.localdate())
    if not evaluation.buyer_time_zone:
        raise SetupError(
            f"Buyer's time zone: {evaluation.buyer_country.name} has several time zones; choose "
            "the one the buyer works in.",
            field="buyer_time_zone",
        )


def _many_changes(evaluation: Evaluation, many: Mapping[str, Iterable]) -> str:
    """'Required certifications: ISO 27001 -> ISO 27001, PCI DSS' for each list that changes."""
    parts = []
    for name, values in many.items():
        old = sorted(str(item) for item in getattr(evaluation, name).all())
        new = sorted(str(item) for item in values)
        if old != new:
            label = str(Evaluation._meta.get_field(name).verbose_name).capitalize()  # type: ignore[union-attr]  # many-to-many fields have one
            parts.append(f"{label}: {', '.join(old) or 'none'} → {', '.join(new) or 'none'}")
    return "; ".join(parts)


@transaction.atomic
def team_set(*, evaluation: Evaluation, members: Iterable[User], by: User) -> Evaluation:
    """Replace the evaluation's team; only its owner (or a superuser) may, and only with analysts."""
    locked = _locked(evaluation)
    refusal = team_refusal(by, locked)
    if refusal:
        raise SetupError(refusal)
    members = [member for member in members if member.pk != locked.owner_id]
    not_analysts = [
        m.get_full_name() or m.username for m in members if not has_role(m, Role.ANALYST)
    ]
    if not_analysts:
        raise SetupError(
            f"Only analysts can join the team: {', '.join(sorted(not_analysts))} is not one.",
            field="members",
        )
    locked.team.set(members)
    return locked


def _percent(value: object, label: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise SetupError(f"{label}: enter a number.", field=label) from exc
    if not number.is_finite():
        raise SetupError(f"{label}: enter a number.", field=label)
    if number < 0:
        raise SetupError(f"{label}: a weight cannot be negative ({number}%).", field=label)
    if number > 100:
        raise SetupError(f"{label}: a weight cannot exceed 100% ({number}%).", field=label)
    return number.quantize(CENT)


@transaction.atomic
def weights_save(
    *, evaluation: Evaluation, weights: Mapping[str, Decimal], expected_version: int
) -> Evaluation:
    """Replace every criterion weight (criterion key -> percent); they must add up to 100%."""
    locked = _locked(evaluation, expected_version)
    criteria = {}
    for row in EvaluationWeight.objects.filter(evaluation=locked).select_related("criterion"):
        row.criterion.name = row.name  # its label here, for the messages (never saved)
        criteria[row.criterion.key] = row.criterion
    unknown = sorted(set(weights) - set(criteria))
    if unknown:
        raise SetupError(f"Unknown criterion: {', '.join(unknown)}.")
    missing = [c.name for key, c in criteria.items() if key not in weights]
    if missing:
        raise SetupError(f"Give every criterion a weight; missing: {', '.join(missing)}.")
    percents = {key: _percent(weights[key], criteria[key].name) for key in criteria}
    total = sum(percents.values(), Decimal(0))
    if abs(total - 100) > WEIGHT_TOLERANCE:
        gap = f"{abs(100 - total):.2f} {'short' if total < 100 else 'over'}"
        raise SetupError(f"The weights must add up to 100%; they add up to {total:.2f}% ({gap}).")
    _store_weights(locked, {criteria[key]: weight for key, weight in percents.items()})
    _bump(locked, evaluation, history=False)
    return locked


def _store_weights(
    evaluation: Evaluation, percents: Mapping[Criterion, Decimal], *, reason: str | None = None
) -> None:
    """Update the rows that changed and add missing ones, each with a history row (old -> new)
    carrying ``reason`` when given."""
    existing = {w.criterion_id: w for w in EvaluationWeight.objects.filter(evaluation=evaluation)}
    changed, new = [], []
    for criterion, weight in percents.items():
        row = existing.get(criterion.pk)
        if row is None:
            new.append(EvaluationWeight(evaluation=evaluation, criterion=criterion, weight=weight))
        elif row.weight != weight:
            row.weight = weight
            changed.append(row)
    if changed:
        bulk_update_with_history(
            changed, EvaluationWeight, ["weight"], default_change_reason=reason
        )
    if new:
        bulk_create_with_history(new, EvaluationWeight, default_change_reason=reason)


def rounded_percentages(shares: Mapping[str, float]) -> dict[str, Decimal]:
    """Shares (any positive scale) as percentages with 2 decimals summing to exactly 100.

    Largest-remainder rounding: the cents lost to rounding go to the largest remainders.
    """
    for key, value in shares.items():
        if not math.isfinite(value) or value < 0:
            raise SetupError(f"Weight {key}: enter a non-negative number, not {value}.", field=key)
    total = sum(shares.values())
    if total <= 0:
        raise SetupError("At least one weight must be positive.")
    exact = {
        key: Decimal(str(value)) * 10000 / Decimal(str(total)) for key, value in shares.items()
    }
    cents = {key: int(value) for key, value in exact.items()}
    leftover = 10000 - sum(cents.values())
    for key in sorted(exact, key=lambda k: exact[k] - cents[k], reverse=True)[:leftover]:
        cents[key] += 1
    return {key: (Decimal(value) / 100).quantize(CENT) for key, value in cents.items()}


@transaction.atomic
def what_if_save(
    *,
    evaluation: Evaluation,
    user: User,
    weights: Mapping[str, float],
    method: str | None,
    expected_version: int,
) -> Evaluation:
    """Keep the ranking page's what-if: its sliders (any scale, normalised to 100 %) become the
    evaluation's weights and, if switched, its method. All or nothing."""
    saved = weights_save(
        evaluation=evaluation,
        weights=rounded_percentages(weights),
        expected_version=expected_version,
    )
    if method and method != saved.method:
        saved = evaluation_update(
            evaluation=evaluation, expected_version=saved.version, user=user, method=method
        )
    return saved
