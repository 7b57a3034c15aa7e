"""Reads of an RFP round. The sealing rule lives here: before the round is opened the team gets
each vendor's status and nothing of what they wrote; the contact gets their own vendor only."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest

from scoring.models import Evaluation
from sourcing.models import (
    Answer,
    Evidence,
    Invitation,
    Question,
    Response,
    RfpRound,
    VendorContact,
)


class Sealed(Exception):
    """The round's responses are sealed until it is opened after its deadline."""


@dataclass(frozen=True)
class VendorStatus:
    """What the team may know of a vendor before the opening: invited whom, responded or not."""

    vendor_name: str
    invited: tuple[str, ...]
    accepted: bool
    status: str  # "Not started", "Draft", "Submitted", "Withdrawn" (the content stays sealed)
    submitted_at: object


def contact_of(request: HttpRequest) -> VendorContact:
    """The signed-in vendor contact, or 403: nobody else has a portal."""
    user_id = request.user.pk
    contact = (
        VendorContact.objects.select_related("vendor", "user").filter(user_id=user_id).first()
        if user_id is not None
        else None
    )
    if contact is None:
        raise PermissionDenied("Only vendor contacts have a portal.")
    return contact


def contact_rounds(contact: VendorContact) -> QuerySet[RfpRound]:
    """The rounds the contact's vendor is invited to, newest deadline first."""
    return (
        RfpRound.objects.filter(invitations__vendor_id=contact.vendor_id)
        .select_related("evaluation__process")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.filter(vendor_id=contact.vendor_id),
                to_attr="own_responses",
            )
        )
        .distinct()
        .order_by("-deadline")
    )


def round_for_contact(contact: VendorContact, pk: int) -> RfpRound:
    """A round the contact's vendor is invited to, else 404: another vendor's round never leaks."""
    rfp = contact_rounds(contact).filter(pk=pk).first()
    if rfp is None:
        raise Http404("No such RFP round for your company.")
    return rfp


def own_response(rfp: RfpRound, contact: VendorContact) -> Response | None:
    return Response.objects.filter(round=rfp, vendor_id=contact.vendor_id).first()


def round_of(evaluation: Evaluation) -> RfpRound | None:
    return RfpRound.objects.filter(evaluation=evaluation).first()


def vendor_statuses(rfp: RfpRound) -> list[VendorStatus]:
    """Every invited vendor's status, in two queries, whether the round is sealed or open."""
    invitations = Invitation.objects.filter(round=rfp).select_related("vendor")
    statuses = {
        vendor_id: (status, submitted_at)
        for vendor_id, status, submitted_at in Response.objects.filter(round=rfp).values_list(
            "vendor_id", "status", "submitted_at"
        )
    }
    by_vendor: dict[int, list[Invitation]] = {}
    for invitation in invitations:
        by_vendor.setdefault(invitation.vendor_id, []).append(invitation)
    labels = dict(Response.Status.choices)
    rows = []
    for vendor_id, invited in by_vendor.items():
        status, submitted_at = statuses.get(vendor_id, (None, None))
        rows.append(
            VendorStatus(
                vendor_name=invited[0].vendor.name,
                invited=tuple(i.email for i in invited),
                accepted=any(i.accepted_at for i in invited),
                status=labels[status] if status else "Not started",
                submitted_at=submitted_at,
            )
        )
    return sorted(rows, key=lambda row: row.vendor_name.lower())


def opened_responses(rfp: RfpRound) -> list[Response]:
    """The submitted responses' content, for the team, only once the round is opened."""
    if not rfp.is_open:
        raise Sealed("The responses are sealed until the round is opened after its deadline.")
    return list(
        Response.objects.filter(round=rfp, status=Response.Status.SUBMITTED).select_related(
            "vendor", "delivery_model"
        )
    )


def round_questions(rfp: RfpRound) -> list[Question]:
    if rfp.questionnaire_id is None:
        return []
    return list(Question.objects.filter(questionnaire_id=rfp.questionnaire_id))


def own_answers(response: Response | None) -> list[Answer]:
    return list(response.answers.all()) if response is not None else []


@dataclass(frozen=True)
class AnswerRow:
    question: Question
    answers: tuple[str, ...]  # one per opened response, in the responses' order ("" unanswered)
    # A file question's answer is its documents: one tuple per opened response, in the same order.
    documents: tuple[tuple[Evidence, ...], ...] = ()


def opened_answers(
    rfp: RfpRound, responses: list[Response], documents: list[Evidence] | None = None
) -> list[AnswerRow]:
    """Every question with each opened response's answer side by side (sealed like the quotes)."""
    if not rfp.is_open:
        raise Sealed("The answers are sealed until the round is opened after its deadline.")
    given = {
        (a.response_id, a.question_id): a.value
        for a in Answer.objects.filter(response__in=[r.pk for r in responses])
    }
    by_question: dict[tuple[int, int | None], list[Evidence]] = {}
    if documents is None:
        documents = opened_evidence(rfp, responses)
    for evidence in documents:
        by_question.setdefault((evidence.response_id, evidence.question_id), []).append(evidence)
    rows = []
    for q in round_questions(rfp):
        if q.kind == Question.Kind.FILE:
            files = tuple(tuple(by_question.get((r.pk, q.pk), ())) for r in responses)
            names = tuple(", ".join(e.name for e in docs) for docs in files)
            rows.append(AnswerRow(q, names, files))
        else:
            rows.append(AnswerRow(q, tuple(given.get((r.pk, q.pk), "") for r in responses)))
    return rows


# --- Evidence documents ----------------------------------------------------------------------------


def _evidence() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("certification", "question", "response__vendor")


def own_evidence(response: Response | None) -> list[Evidence]:
    """The contact's vendor's documents of this response, oldest first, in one query."""
    return list(_evidence().filter(response=response)) if response is not None else []


def opened_evidence(rfp: RfpRound, responses: list[Response]) -> list[Evidence]:
    """The opened responses' documents, for the team, sealed like their content."""
    if not rfp.is_open:
        raise Sealed("The documents are sealed until the round is opened after its deadline.")
    return list(_evidence().filter(response__in=[r.pk for r in responses]))


def evidence_for_contact(contact: VendorContact, rfp: RfpRound, pk: int) -> Evidence:
    """One of the contact's own vendor's documents in this round, else 404."""
    evidence = (
        Evidence.objects.filter(pk=pk, response__round=rfp, response__vendor_id=contact.vendor_id)
        .select_related("response")
        .first()
    )
    if evidence is None:
        raise Http404("No such document in your response.")
    return evidence


def evidence_for_team(evaluation: Evaluation, pk: int) -> Evidence:
    """A document of a submitted response to the evaluation's round, only once the round is
    opened: before it (or for a draft's document) it is 404, like everything else sealed."""
    evidence = Evidence.objects.filter(
        pk=pk,
        response__round__evaluation=evaluation,
        response__round__opened_at__isnull=False,
        response__status=Response.Status.SUBMITTED,
    ).first()
    if evidence is None:
        raise Http404("No such document.")
    return evidence
