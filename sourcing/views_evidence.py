"""Evidence documents: the contact uploads and deletes them from the response page; the download
views stream a file to its vendor's contact, or to the evaluation's team once the round is opened
(sourcing.selectors decides who may see which document; anyone else gets a 404)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from scoring.views.setup import add_service_error, evaluation_for_page
from sourcing import selectors, services_evidence
from sourcing.forms import EvidenceForm
from sourcing.models import Evidence
from sourcing.models_evidence import size_label
from sourcing.services import RoundError
from sourcing.views import render_response_page

# Room for the form's other fields and the multipart boundaries around the file itself.
ENVELOPE_BYTES = 1024 * 1024


@csrf_exempt  # checked by _upload after the size check: reading the token would read the body
@require_POST
def portal_evidence_upload(request, pk: int):
    """A body far over the limit is refused by its Content-Length, before it is read."""
    contact = selectors.contact_of(request)
    rfp = selectors.round_for_contact(contact, pk)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.EVIDENCE_MAX_BYTES
    if length > limit + ENVELOPE_BYTES:
        messages.error(
            request,
            f"Document: the upload is {size_label(length)}; the limit is {size_label(limit)}.",
        )
        return redirect("sourcing:portal_response", rfp.pk)
    return _upload(request, contact, rfp)


@csrf_protect
def _upload(request, contact, rfp):
    certificate = "certification" in request.POST
    form = EvidenceForm(request.POST, request.FILES, certificate=certificate)
    if form.is_valid():
        question_pk = form.cleaned_data["question"]
        question = next((q for q in selectors.round_questions(rfp) if q.pk == question_pk), None)
        if question is None and not certificate:
            form.add_error("file", "Upload it at the question it answers or as a certificate.")
        else:
            try:
                evidence = services_evidence.evidence_upload(
                    rfp=rfp,
                    contact=contact,
                    file=form.cleaned_data["file"],
                    question=question,
                    certification=form.cleaned_data.get("certification"),
                    valid_until=form.cleaned_data.get("valid_until"),
                )
            except RoundError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, f"{evidence.name} uploaded ({evidence.size_label}).")
                return redirect("sourcing:portal_response", rfp.pk)
    posted = "" if certificate else str(form.data.get("question", ""))
    response = selectors.own_response(rfp, contact)
    return render_response_page(
        request,
        contact,
        rfp,
        response,
        upload=form,
        upload_for=int(posted) if posted.isdigit() else None,
    )


@require_POST
def portal_evidence_delete(request, pk: int, evidence_pk: int):
    contact = selectors.contact_of(request)
    rfp = selectors.round_for_contact(contact, pk)
    evidence = selectors.evidence_for_contact(contact, rfp, evidence_pk)
    try:
        services_evidence.evidence_delete(rfp=rfp, contact=contact, evidence=evidence)
    except RoundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{evidence.name} deleted.")
    return redirect("sourcing:portal_response", rfp.pk)


@require_GET
def portal_evidence(request, pk: int, evidence_pk: int):
    contact = selectors.contact_of(request)
    rfp = selectors.round_for_contact(contact, pk)
    return _download(selectors.evidence_for_contact(contact, rfp, evidence_pk))


@require_GET
def evidence_download(request, pk: int, evidence_pk: int):
    evaluation, _editable = evaluation_for_page(request, pk)
    return _download(selectors.evidence_for_team(evaluation, evidence_pk))


def _download(evidence: Evidence) -> FileResponse:
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
