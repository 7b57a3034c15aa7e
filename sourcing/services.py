"""Writes of an RFP round: the request, invitations and their links, and the vendor's response
(draft, submit, withdraw); the opening is in sourcing.opening. Every rule holds here, whichever
view or command calls."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bpo_select.roles import Role
from scoring.access import change_refusal, status_refusal
from scoring.models import Candidate, Evaluation
from scoring.services.candidates import quote_save
from scoring.services.common import SetupError
from sourcing.models import (
    Answer,
    Invitation,
    Question,
    Questionnaire,
    Response,
    RfpRound,
    VendorContact,
)
from sourcing.selectors import round_questions
from vendors.models import Vendor

log = logging.getLogger("bpo_select.sourcing")

# The response fields that become the evaluation's quote at the opening (scoring QUOTE_FIELDS).
RESPONSE_QUOTE_FIELDS = (
    "delivery_model",
    "pricing_model",
    "unit_price",
    "currency",
    "transition_fee",
    "minimum_term_months",
    "service_level_pct",
    "quality_pct",
    "response_time_hours",
    "notes",
)
REQUIRED_TO_SUBMIT = ("delivery_model", "pricing_model", "unit_price", "currency")


class RoundError(Exception):
    """A round action breaks a rule; ``field`` names the form field when there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        self.field = field
        super().__init__(message)


class InvitationRefused(Exception):
    """The link cannot be used: unknown (``status`` 404), already used or expired (410)."""

    def __init__(self, message: str, *, status: int = 410):
        self.status = status
        super().__init__(message)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_team(user, evaluation: Evaluation) -> None:
    refusal = change_refusal(user, evaluation) or status_refusal(evaluation)
    if refusal:
        raise RoundError(refusal)


@transaction.atomic
def round_save(
    *,
    evaluation: Evaluation,
    user: User,
    scope: str,
    deadline: dt.datetime,
    delivery_constraints: str = "",
    sla_targets: str = "",
    questionnaire: Questionnaire | None = None,
) -> RfpRound:
    """Create or change the evaluation's round; only before its deadline and never once opened."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    check_team(user, locked)
    current = RfpRound.objects.filter(evaluation=locked).first()
    if current is not None and (current.is_open or current.is_past_deadline):
        raise RoundError("The round's deadline has passed: its request can no longer change.")
    if not scope.strip():
        raise RoundError(
            "Scope: describe the work the vendors are asked to quote for.", field="scope"
        )
    if timezone.is_naive(deadline):
        raise RoundError("Deadline: give a date and time with its time zone.", field="deadline")
    if deadline <= timezone.now():
        raise RoundError("Deadline: choose a moment in the future.", field="deadline")
    rfp = current or RfpRound(evaluation=locked, created_by=user)
    rfp.scope, rfp.deadline = scope.strip(), deadline
    rfp.delivery_constraints, rfp.sla_targets = delivery_constraints.strip(), sla_targets.strip()
    changes_questions = rfp.pk and rfp.questionnaire_id != getattr(questionnaire, "pk", None)
    if changes_questions and rfp.responses.filter(answers__isnull=False).exists():
        raise RoundError(
            "Questionnaire: vendors have started answering it, so it can no longer change.",
            field="questionnaire",
        )
    rfp.questionnaire = questionnaire
    rfp._history_user = user  # type: ignore[attr-defined]
    rfp.save()
    return rfp


@transaction.atomic
def invitation_send(
    *, rfp: RfpRound, user: User, vendor: Vendor, email: str, link_for
) -> tuple[Invitation, str]:
    """Invite ``email`` at ``vendor`` and e-mail a single-use link; ``link_for(token)`` makes its
    absolute URL. Returns the invitation and the token (shown nowhere else; only its hash is kept)."""
    locked = RfpRound.objects.select_for_update().select_related("evaluation").get(pk=rfp.pk)
    check_team(user, locked.evaluation)
    if locked.is_past_deadline:
        raise RoundError("The round's deadline has passed: nobody more can be invited.")
    if not Candidate.objects.filter(
        evaluation=locked.evaluation, vendor=vendor, excluded_reason=""
    ).exists():
        raise RoundError(f"{vendor.name} is not a candidate of this evaluation.", field="vendor")
    email = email.strip().lower()
    if locked.invitations.filter(email=email).exists():
        raise RoundError(f"E-mail: {email} is already invited to this round.", field="email")
    owner = VendorContact.objects.filter(user__email__iexact=email).select_related("vendor").first()
    if owner is not None and owner.vendor_id != vendor.pk:
        raise RoundError(
            f"E-mail: {email} is a contact of {owner.vendor.name}, not {vendor.name}.",
            field="email",
        )
    token = secrets.token_urlsafe(32)
    valid_for = dt.timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation = Invitation(
        round=locked,
        vendor=vendor,
        email=email,
        token_hash=token_hash(token),
        expires_at=min(timezone.now() + valid_for, locked.deadline),
        sent_by=user,
        contact=owner,
        # An existing contact signs in as usual: the round is on their portal, no link is needed.
        accepted_at=timezone.now() if owner else None,
    )
    try:
        invitation.full_clean(exclude=["round", "vendor", "sent_by", "contact"])
    except ValidationError as exc:
        raise RoundError(
            f"E-mail: {' '.join(exc.message_dict.get('email', ['invalid.']))}", field="email"
        ) from exc
    invitation.save()
    context = {"invitation": invitation, "rfp": locked, "link": link_for(token), "existing": owner}
    send_mail(
        subject=f"Request for proposal: {locked.evaluation.title}",
        message=render_to_string("sourcing/invitation_email.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation:
    """The invitation whose link this is, if it may still be used; else InvitationRefused."""
    invitation = (
        Invitation.objects.select_related("vendor", "round__evaluation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationRefused(
            "This invitation link is not valid. Ask the buyer for a new one.", status=404
        )
    if invitation.accepted_at is not None:
        raise InvitationRefused(
            "This invitation link was already used. Sign in with the password you chose."
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused("This invitation link has expired. Ask the buyer for a new one.")
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> VendorContact:
    """Use the link once: create the contact's user with ``password`` (already validated)."""
    found = invitation_for_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if invitation.accepted_at is not None:  # a second tab won the race
        raise InvitationRefused("This invitation link was already used.")
    if invitation.contact_id is not None or User.objects.filter(username=invitation.email).exists():
        raise InvitationRefused("An account for this e-mail already exists: sign in instead.")
    user = User.objects.create_user(
        username=invitation.email, email=invitation.email, password=password
    )
    user.groups.add(Group.objects.get(name=Role.VENDOR_CONTACT))
    contact = VendorContact.objects.create(user=user, vendor=invitation.vendor)
    invitation.accepted_at, invitation.contact = timezone.now(), contact
    invitation.save(update_fields=["accepted_at", "contact"])
    return contact


def locked_response(rfp: RfpRound, contact: VendorContact) -> Response | None:
    return (
        Response.objects.select_for_update().filter(round=rfp, vendor_id=contact.vendor_id).first()
    )


def check_before_deadline(rfp: RfpRound) -> None:
    if rfp.is_open or rfp.is_past_deadline:
        raise RoundError("The deadline has passed: responses can no longer change.")


def _answer_value(question: Question, value) -> str:
    """The answer as stored text; a number, yes/no or option that does not fit is refused."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    label = f"{question.section}, “{question.text}”"
    if question.kind == Question.Kind.FILE:
        raise RoundError(f"{label}: upload a document instead.", field=f"q{question.pk}")
    if question.kind == Question.Kind.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise RoundError(f"{label}: enter a number.", field=f"q{question.pk}")
        return str(number)
    allowed: dict[str, list[str]] = {
        Question.Kind.YES_NO: ["yes", "no"],
        Question.Kind.CHOICE: question.options,
    }
    options = allowed.get(question.kind)
    if options is not None and text not in options:
        raise RoundError(f"{label}: choose one of {', '.join(options)}.", field=f"q{question.pk}")
    return text


def _save_answers(response: Response, rfp: RfpRound, answers: dict[int, object]) -> None:
    questions = {q.pk: q for q in round_questions(rfp)}
    unknown = set(answers) - set(questions)
    if unknown:
        raise RoundError("Some answers are to questions this round does not ask.")
    for pk, value in answers.items():
        Answer.objects.update_or_create(
            response=response,
            question=questions[pk],
            defaults={"value": _answer_value(questions[pk], value)},
        )


@transaction.atomic
def response_save(
    *, rfp: RfpRound, contact: VendorContact, answers: dict[int, object] | None = None, **fields
) -> Response:
    """Save the vendor's draft (a submitted response goes back to draft until resubmitted);
    ``answers`` maps question ids of the round's questionnaire to the vendor's answers."""
    unknown = set(fields) - set(RESPONSE_QUOTE_FIELDS)
    if unknown:
        raise TypeError(f"response_save() cannot set {', '.join(sorted(unknown))}.")
    locked_round = RfpRound.objects.select_for_update().get(pk=rfp.pk)
    check_before_deadline(locked_round)
    response = locked_response(locked_round, contact) or Response(
        round=locked_round, vendor_id=contact.vendor_id
    )
    for name, value in fields.items():
        setattr(response, name, value)
    response.currency = (response.currency or "").strip().upper()
    try:
        response.full_clean(exclude=["round", "vendor", "updated_by"], validate_unique=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise RoundError(
            f"{field.replace('_', ' ').capitalize()}: {' '.join(messages)}", field=field
        ) from exc
    response.status, response.submitted_at = Response.Status.DRAFT, None
    response.updated_by = contact.user
    response._history_user = contact.user  # type: ignore[attr-defined]
    response.save()
    if answers:
        _save_answers(response, locked_round, answers)
    return response


def quote_fields(response: Response) -> dict:
    fields = {name: getattr(response, name) for name in RESPONSE_QUOTE_FIELDS}
    fields["transition_fee"] = fields["transition_fee"] or Decimal(0)
    return fields


def _check_as_quote(rfp: RfpRound, response: Response) -> None:
    """Would the quote service accept this response as the evaluation's quote? Asked of the
    service itself inside a rolled-back savepoint, so the vendor meets the very rules (currency
    with a rate, a delivery model with a centre, pricing that fits the volume) the opening will."""
    missing = [name for name in REQUIRED_TO_SUBMIT if getattr(response, name) in (None, "")]
    if missing:
        label = missing[0].replace("_", " ").capitalize()
        raise RoundError(f"{label}: needed before you submit.", field=missing[0])
    try:
        with transaction.atomic():
            quote_save(evaluation=rfp.evaluation, vendor=response.vendor, **quote_fields(response))
            transaction.set_rollback(True)
    except SetupError as exc:
        raise RoundError(str(exc), field=exc.field) from exc


@transaction.atomic
def response_submit(*, rfp: RfpRound, contact: VendorContact) -> Response:
    locked_round = RfpRound.objects.select_for_update().select_related("evaluation").get(pk=rfp.pk)
    check_before_deadline(locked_round)
    response = locked_response(locked_round, contact)
    if response is None:
        raise RoundError("Save your quote first, then submit it.")
    if response.status == Response.Status.SUBMITTED:
        raise RoundError("Your response is already submitted.")
    _check_as_quote(locked_round, response)
    response.status, response.submitted_at = Response.Status.SUBMITTED, timezone.now()
    response.updated_by = contact.user
    response._history_user = contact.user  # type: ignore[attr-defined]
    response.save()
    return response


@transaction.atomic
def response_withdraw(*, rfp: RfpRound, contact: VendorContact) -> Response:
    locked_round = RfpRound.objects.select_for_update().get(pk=rfp.pk)
    check_before_deadline(locked_round)
    response = locked_response(locked_round, contact)
    if response is None or response.status != Response.Status.SUBMITTED:
        raise RoundError("Only a submitted response can be withdrawn.")
    response.status, response.submitted_at = Response.Status.WITHDRAWN, None
    response.updated_by = contact.user
    response._history_user = contact.user  # type: ignore[attr-defined]
    response.save()
    return response
