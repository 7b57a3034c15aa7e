"""Writes on evaluations: each service is one business action in a transaction, called by views,
commands and tests alike. Domain errors carry a message a person can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from background.services import task_start
from bpo_select.roles import Role, has_role
from scoring.access import change_refusal, decision_refusal, status_refusal, team_refusal
from scoring.models import (
    Candidate,
    Criterion,
    Evaluation,
    EvaluationWeight,
    Score,
    WeightProfile,
)
from scoring.reports import build_snapshot
from scoring.selectors import evaluation_result, label_in_sentence
from scoring.tasks import archive_report
from vendors.models import Certification, DeliveryModel, Process, Quote, Vendor

# --------------------------------------------------------------------------------------------------
# Evaluation setup
# --------------------------------------------------------------------------------------------------


class StaleEdit(Exception):
    """Someone saved the evaluation after the user opened it (optimistic lock)."""

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(
            "This evaluation was changed by someone else since you opened it "
            f"(now version {current_version}). Reload to see their changes."
        )


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
        "budget_cap",
        "method",
        "required_certifications",
        "allowed_delivery_models",
    }
)
QUOTE_FIELDS = frozenset(
    {
        "delivery_model",
        "pricing_model",
        "unit_price",
        "currency",
        "transition_fee",
        "minimum_term_months",
        "valid_until",
        "service_level_pct",
        "quality_pct",
        "response_time_hours",
        "notes",
    }
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


def starting_weights(process: Process) -> dict[int, Decimal]:
    """criterion id -> weight % from the process's default profile, else the "Balanced" profile."""
    profile = (
        WeightProfile.objects.filter(process=process, is_default=True).first()
        or WeightProfile.objects.filter(name="Balanced").first()
    )
    if profile is None:
        return {}
    return dict(profile.weights.values_list("criterion_id", "weight"))


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
    budget_cap: Decimal | None = None,
    method: str = Evaluation.Method.WSM,
    required_certifications: Iterable[Certification] = (),
    allowed_delivery_models: Iterable[DeliveryModel] = (),
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
        budget_cap=budget_cap,
        method=method,
    )
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
    for name, value in fields.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.base_currency = locked.base_currency.upper()
    _validate(locked)
    locked._history_user = user
    reason = _many_changes(locked, many)
    if reason:
        locked._change_reason = reason  # the history keeps no many-to-many fields: say it here
    _bump(locked, evaluation)
    for name, values in many.items():
        getattr(locked, name).set(values)
    return locked


def _many_changes(evaluation: Evaluation, many: Mapping[str, Iterable]) -> str:
    """'Required certifications: ISO 27001 -> ISO 27001, PCI DSS' for each list that changes."""
    parts = []
    for name, values in many.items():
        old = sorted(str(item) for item in getattr(evaluation, name).all())
        new = sorted(str(item) for item in values)
        if old != new:
            label = Evaluation._meta.get_field(name).verbose_name.capitalize()
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
    criteria = {c.key: c for c in Criterion.objects.all()}
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


def _store_weights(evaluation: Evaluation, percents: Mapping[Criterion, Decimal]) -> None:
    """Update the rows that changed and add missing ones, each with a history row (old -> new)."""
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
        bulk_update_with_history(changed, EvaluationWeight, ["weight"])
    if new:
        bulk_create_with_history(new, EvaluationWeight)


def rounded_percentages(shares: Mapping[str, float]) -> dict[str, Decimal]:
    """Shares (any positive scale) as percentages with 2 decimals summing to exactly 100.

    Largest-remainder rounding: the cents lost to rounding go to the largest remainders.
    """
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


def _vendor_name_list(vendors: Iterable[Vendor]) -> str:
    return ", ".join(sorted(v.name for v in vendors))


@transaction.atomic
def candidates_add(*, evaluation: Evaluation, vendors: Iterable[Vendor]) -> int:
    """Add active vendors offering the evaluation's process; returns how many were new."""
    locked = _locked(evaluation)
    vendors = list(vendors)
    ids = [v.pk for v in vendors]
    offering = set(
        Vendor.objects.filter(
            pk__in=ids, is_active=True, offered_processes__process_id=locked.process_id
        ).values_list("pk", flat=True)
    )
    refused = [v for v in vendors if v.pk not in offering]
    if refused:
        raise SetupError(
            f"Only active vendors offering {locked.process.name} can compete; "
            f"not {_vendor_name_list(refused)}.",
            field="vendors",
        )
    existing = set(locked.candidates.filter(vendor_id__in=ids).values_list("vendor_id", flat=True))
    new = [
        Candidate(evaluation=locked, vendor_id=pk)
        for pk in dict.fromkeys(ids)
        if pk not in existing
    ]
    bulk_create_with_history(new, Candidate)
    return len(new)


@transaction.atomic
def candidate_remove(*, evaluation: Evaluation, vendor: Vendor) -> None:
    """Take the vendor off the list; its quote and scores stay in case it comes back."""
    locked = _locked(evaluation)
    candidate = Candidate.objects.filter(evaluation=locked, vendor=vendor).first()
    if candidate is None:
        raise SetupError(f"{vendor.name} is not a candidate of this evaluation.")
    candidate.delete()  # one row, so the history records who removed it


@transaction.atomic
def candidate_exclude(*, evaluation: Evaluation, vendor: Vendor, reason: str) -> Candidate:
    """Exclude a candidate with the reason; an empty reason reinstates it."""
    locked = _locked(evaluation)
    candidate = Candidate.objects.filter(evaluation=locked, vendor=vendor).first()
    if candidate is None:
        raise SetupError(f"{vendor.name} is not a candidate of this evaluation.")
    candidate.excluded_reason = reason.strip()
    candidate.save(update_fields=["excluded_reason"])
    return candidate


@transaction.atomic
def quote_save(*, evaluation: Evaluation, vendor: Vendor, **fields) -> Quote:
    """Create or update the quote ``vendor`` sent for this evaluation."""
    unknown = set(fields) - QUOTE_FIELDS
    if unknown:
        raise TypeError(f"quote_save() cannot set {', '.join(sorted(unknown))}.")
    locked = _locked(evaluation)
    if not Candidate.objects.filter(evaluation=locked, vendor=vendor).exists():
        raise SetupError(f"{vendor.name} is not a candidate of this evaluation; add it first.")
    quote = Quote.objects.filter(Q(evaluation=locked) & Q(vendor=vendor)).first() or Quote(
        evaluation=locked, vendor=vendor
    )
    quote.process_id = locked.process_id
    for name, value in fields.items():
        setattr(quote, name, value)
    if isinstance(quote.currency, str):
        quote.currency = quote.currency.strip().upper()
    _validate(quote)
    _check_pricing_fits_volume(locked, quote)
    quote.save()
    return quote


def _check_pricing_fits_volume(evaluation: Evaluation, quote: Quote) -> None:
    by_transaction = quote.pricing_model == Quote.PricingModel.PER_TRANSACTION
    in_transactions = evaluation.volume_unit == Evaluation.VolumeUnit.TRANSACTIONS
    if by_transaction == in_transactions or quote.pricing_model == Quote.PricingModel.FIXED_MONTHLY:
        return
    raise SetupError(
        f"A quote {label_in_sentence(quote.get_pricing_model_display())} cannot be costed: this evaluation's "
        f"volume is in {evaluation.get_volume_unit_display().lower()}.",
        field="pricing_model",
    )


# --------------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------------

SCORE_MIN, SCORE_MAX = Decimal(0), Decimal(10)


class ScoreError(Exception):
    """A score cannot be saved; the message names the vendor and criterion."""


def _score_value(value: Decimal | str | None, label: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ScoreError(f"{label}: enter a number from 0 to 10.") from exc
    if not number.is_finite() or not SCORE_MIN <= number <= SCORE_MAX:
        raise ScoreError(f"{label} must be between 0 and 10; got {value}.")
    if number != number.quantize(CENT):
        raise ScoreError(f"{label}: use at most two decimals; got {value}.")
    return number.quantize(CENT)


@transaction.atomic
def score_save(
    *,
    evaluation: Evaluation,
    evaluator: User,
    vendor: Vendor,
    criterion: Criterion,
    value: Decimal | str | None,
    comment: str = "",
) -> Score | None:
    """Set the evaluator's own score of ``vendor`` on ``criterion``; an empty value deletes it.

    Returns the saved score, or None when it was deleted. Concurrent saves of one cell update
    the same row (unique constraint; the loser of a race retries once).
    """
    label = f"Score for {vendor.name} on {criterion.name}"
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not locked.is_editable:
        raise ScoreError(
            f"This evaluation is {locked.get_status_display().lower()}; scores can no longer change."
        )
    if criterion.source != Criterion.Source.MANUAL:
        raise ScoreError(f"{criterion.name} is computed from the quotes and cannot be scored.")
    if not EvaluationWeight.objects.filter(evaluation=locked, criterion=criterion).exists():
        raise ScoreError(f"{criterion.name} is not a criterion of this evaluation.")
    if not Candidate.objects.filter(evaluation=locked, vendor=vendor, excluded_reason="").exists():
        raise ScoreError(f"{vendor.name} does not compete in this evaluation; it cannot be scored.")
    number = _score_value(value, label)
    cell = {"evaluation": locked, "vendor": vendor, "criterion": criterion, "evaluator": evaluator}
    if number is None:
        for score in Score.objects.filter(**cell):
            score.delete()  # one by one, so the history keeps who deleted what
        return None
    defaults = {"value": number, "comment": comment.strip()}
    try:
        with transaction.atomic():
            score, _ = Score.objects.update_or_create(**cell, defaults=defaults)
    except IntegrityError:
        # Another request created the cell between our lookup and insert: update theirs.
        score, _ = Score.objects.update_or_create(**cell, defaults=defaults)
    return score


# --------------------------------------------------------------------------------------------------
# Approval
# --------------------------------------------------------------------------------------------------


class ApprovalError(Exception):
    """The evaluation's status or the user's role does not allow this approval step."""


def _blocking_reasons(evaluation: Evaluation) -> list[str]:
    """Why the evaluation cannot be ranked as a whole; empty when it can go to review."""
    result = evaluation_result(evaluation)
    if not result.blocking:
        return []
    names = {pk: vendor.name for pk, vendor in result.vendors.items()}
    reasons = [
        f"{names.get(pk, pk)}: {'; '.join(why)}"
        for pk, why in sorted(result.unranked.items(), key=lambda item: str(names.get(item[0])))
    ]
    return reasons or result.warnings or ["There is no ranking yet."]


@transaction.atomic
def evaluation_submit(*, evaluation: Evaluation, user: User) -> Evaluation:
    """Send a draft (or rejected) evaluation to the managers; refused while it cannot be ranked."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    refusal = change_refusal(user, locked)
    if refusal:
        raise ApprovalError(refusal)
    if not locked.is_editable:
        raise ApprovalError(
            "Only drafts and rejected evaluations can be submitted; "
            f"this one is {locked.get_status_display()}."
        )
    reasons = _blocking_reasons(locked)
    if reasons:
        raise ApprovalError(
            "It cannot go to review until every competing vendor can be ranked. "
            + " ".join(f"{reason}." for reason in reasons)
        )
    locked.status = Evaluation.Status.IN_REVIEW
    locked._history_user = user
    _bump(locked, evaluation)
    evaluation.status = locked.status
    return locked


def _decide(evaluation: Evaluation, manager: User, verb: str) -> Evaluation:
    """The evaluation's row, locked, if ``manager`` may decide on it now (role, four-eyes, status)."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    refusal = decision_refusal(manager, locked)
    if refusal:
        raise ApprovalError(refusal)
    if locked.status != Evaluation.Status.IN_REVIEW:
        raise ApprovalError(
            f"Only evaluations in review can be {verb}d; this one is {locked.get_status_display()}."
        )
    return locked


@transaction.atomic
def evaluation_approve(*, evaluation: Evaluation, manager: User, comment: str) -> Evaluation:
    """Approve and freeze every input and result in a snapshot; its PDF is archived afterwards.

    The row lock makes a second, simultaneous approval wait and then fail on the status check.
    Rendering the PDF (seconds) is not done under the lock: once the approval commits, a tracked
    task renders it from the frozen snapshot and records its SHA-256 (scoring.archive).
    """
    locked = _decide(evaluation, manager, "approve")
    locked.status = Evaluation.Status.APPROVED
    locked.approver = manager
    locked.decided_at = timezone.now()
    locked.decision_comment = comment.strip()
    locked.snapshot = build_snapshot(locked)
    locked._history_user = manager
    _bump(locked, evaluation)
    task_start(
        task=archive_report,
        owner=manager,
        label="Archive the approved PDF",
        kwargs={"evaluation_id": locked.pk},
    )
    return locked


@transaction.atomic
def evaluation_reject(*, evaluation: Evaluation, manager: User, comment: str) -> Evaluation:
    """Send the evaluation back to its analysts with the reason; they can edit and resubmit."""
    if not comment.strip():
        raise ApprovalError("Say why you reject it: the comment is required.")
    locked = _decide(evaluation, manager, "reject")
    locked.status = Evaluation.Status.REJECTED
    locked.approver = manager
    locked.decided_at = timezone.now()
    locked.decision_comment = comment.strip()
    locked._history_user = manager
    _bump(locked, evaluation)
    return locked


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
