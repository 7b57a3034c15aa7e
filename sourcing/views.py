"""The round as the team sees it (request, invitations, statuses, opening) and the portal where a
vendor contact accepts an invitation and answers. Access: scoring.access for the team's pages,
sourcing.selectors.contact_of / round_for_contact for the portal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from scoring.views.setup import add_service_error, disable, evaluation_for_page
from sourcing import compare, opening, selectors, services
from sourcing.forms import AnswersForm, EvidenceForm, InvitationForm, ResponseForm, RoundForm
from sourcing.models import Question, Response


def round_page(request, pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    rfp = selectors.round_of(evaluation)
    changeable = editable and (rfp is None or not (rfp.is_open or rfp.is_past_deadline))
    form = RoundForm(request.POST or None, instance=rfp)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_save(evaluation=evaluation, user=request.user, **form.cleaned_data)
        except services.RoundError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "RFP round saved.")
            return redirect("sourcing:round", evaluation.pk)
    return _render_round(request, evaluation, rfp, editable, form if changeable else disable(form))


def _render_round(request, evaluation, rfp, editable, form, invite_form=None):
    context = {
        "evaluation": evaluation,
        "rfp": rfp,
        "editable": editable,
        "form": form,
        "invite_form": invite_form or InvitationForm(evaluation=evaluation),
        "statuses": selectors.vendor_statuses(rfp) if rfp else [],
        # Set by scoring.access.evaluation_for_user when the round failed to open by itself.
        "opening_refusal": getattr(evaluation, "opening_refusal", ""),
        "tab": "rfp",
    }
    if rfp is not None and rfp.is_open:
        responses = selectors.opened_responses(rfp)
        documents = selectors.opened_evidence(rfp, responses)
        context |= {
            "responses": responses,
            "certificates": [d for d in documents if d.certification_id],
        }
    return render(request, "sourcing/round.html", context)


@require_POST
def round_invite(request, pk: int):
    evaluation, editable = evaluation_for_page(request, pk)
    rfp = selectors.round_of(evaluation)
    form = InvitationForm(request.POST, evaluation=evaluation)
    if rfp is None:
        form.add_error(None, "Save the round's request first, then invite vendors.")
    elif form.is_valid():
        try:
            services.invitation_send(
                rfp=rfp,
                user=request.user,
                link_for=lambda token: request.build_absolute_uri(
                    reverse("sourcing:portal_accept", args=[token])
                ),
                **form.cleaned_data,
            )
        except services.RoundError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Invitation e-mailed to {form.cleaned_data['email']}.")
            return redirect("sourcing:round", evaluation.pk)
    return _render_round(request, evaluation, rfp, editable, disable(RoundForm(instance=rfp)), form)


@require_POST
def round_open(request, pk: int):
    evaluation, _editable = evaluation_for_page(request, pk)
    rfp = selectors.round_of(evaluation)
    if rfp is None:
        messages.error(request, "This evaluation has no RFP round.")
        return redirect("sourcing:round", evaluation.pk)
    if rfp.is_open:  # evaluation_for_page opened it just now, at its deadline
        count = rfp.responses.filter(status=Response.Status.SUBMITTED).count()
        messages.success(
            request,
            f"The round {opening.opened_by_words(rfp)}: {opening.opening_outcome(count)}.",
        )
        for knock_out in compare.knock_outs(rfp):
            messages.warning(request, knock_out)
        return redirect("sourcing:round", evaluation.pk)
    try:
        count = opening.round_open(rfp=rfp, user=request.user)
    except services.RoundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Round opened: {opening.opening_outcome(count)}.")
        rfp.refresh_from_db()
        for knock_out in compare.knock_outs(rfp):
            messages.warning(request, knock_out)
    return redirect("sourcing:round", evaluation.pk)


# --- The portal ------------------------------------------------------------------------------------


def portal(request):
    contact = selectors.contact_of(request)
    rounds = selectors.contact_rounds(contact)
    return render(request, "sourcing/portal.html", {"contact": contact, "rounds": rounds})


def portal_response(request, pk: int):
    contact = selectors.contact_of(request)
    rfp = selectors.round_for_contact(contact, pk)
    response = selectors.own_response(rfp, contact)
    form = ResponseForm(
        request.POST or None,
        instance=response,
        evaluation=rfp.evaluation,
        vendor=contact.vendor,
        initial={} if response else {"currency": rfp.evaluation.base_currency},
    )
    questions = selectors.round_questions(rfp)
    saved_answers = selectors.own_answers(response)
    answers_form = AnswersForm(request.POST or None, questions=questions, answers=saved_answers)
    if request.method == "POST" and form.is_valid() and answers_form.is_valid():
        try:
            services.response_save(
                rfp=rfp, contact=contact, answers=answers_form.answers(), **form.cleaned_data
            )
        except services.RoundError as exc:
            add_service_error(answers_form if exc.field in answers_form.fields else form, exc)
        else:
            messages.success(request, "Draft saved. Submit it before the deadline.")
            return redirect("sourcing:portal_response", rfp.pk)
    return render_response_page(request, contact, rfp, response, form, answers_form)


def render_response_page(
    request, contact, rfp, response, form=None, answers_form=None, upload=None, upload_for=None
):
    """The contact's response page; ``upload`` is a refused EvidenceForm shown again with its
    errors, at the question whose pk is ``upload_for`` or (None) in the certificates block."""
    questions = selectors.round_questions(rfp)
    if form is None:
        form = ResponseForm(instance=response, evaluation=rfp.evaluation, vendor=contact.vendor)
        answers_form = AnswersForm(questions=questions, answers=selectors.own_answers(response))
    closed = rfp.is_open or rfp.is_past_deadline
    submitted = response is not None and response.status == Response.Status.SUBMITTED
    documents = selectors.own_evidence(response)
    asked = [q for q in questions if q.kind == Question.Kind.FILE]
    at_question = upload is not None and upload_for in {q.pk for q in asked}
    file_questions = [
        (
            q,
            [d for d in documents if d.question_id == q.pk],
            upload
            if at_question and upload_for == q.pk
            else EvidenceForm(initial={"question": q.pk}),
        )
        for q in asked
    ]
    # A file question is answered by its documents.
    given = {a.question_id: a.value for a in selectors.own_answers(response)}
    given |= {d.question_id: d.name for d in documents if d.question_id}
    missing = compare.missing_mandatory(questions, given)
    context = {
        "contact": contact,
        "rfp": rfp,
        "evaluation": rfp.evaluation,
        "response": response,
        "form": disable(form) if closed else form,
        "answers_form": disable(answers_form) if closed else answers_form,
        "closed": closed,
        "submitted": submitted,
        "mandatory_warning": compare.portal_warning(missing, submitted=submitted),
        "may_change_documents": not closed and not submitted,
        "file_questions": file_questions,
        "certificates": [d for d in documents if d.certification_id],
        "certificate_form": (
            upload if upload is not None and not at_question else EvidenceForm(certificate=True)
        ),
    }
    return render(request, "sourcing/response.html", context)


def _portal_action(request, pk: int, action, done: str):
    contact = selectors.contact_of(request)
    rfp = selectors.round_for_contact(contact, pk)
    try:
        action(rfp=rfp, contact=contact)
    except services.RoundError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("sourcing:portal_response", rfp.pk)


@require_POST
def portal_submit(request, pk: int):
    return _portal_action(
        request,
        pk,
        services.response_submit,
        "Response submitted. It stays sealed until the deadline.",
    )


@require_POST
def portal_withdraw(request, pk: int):
    return _portal_action(
        request,
        pk,
        services.response_withdraw,
        "Response withdrawn. You may resubmit before the deadline.",
    )


@login_not_required
def portal_accept(request, token: str):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationRefused as exc:
        return render(
            request, "sourcing/invitation_refused.html", {"reason": str(exc)}, status=exc.status
        )
    form = SetPasswordForm(
        User(username=invitation.email, email=invitation.email), request.POST or None
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except services.InvitationRefused as exc:
            return render(
                request, "sourcing/invitation_refused.html", {"reason": str(exc)}, status=exc.status
            )
        login(request, contact.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome. Sign in next time as {contact.user.username}.")
        return redirect("sourcing:portal")
    return render(request, "sourcing/accept.html", {"invitation": invitation, "form": form})
