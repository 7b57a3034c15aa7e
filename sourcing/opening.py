"""The opening of an RFP round: at its deadline (Celery beat, `manage.py open_due_rounds`, or the
team's next page view) or by the analyst after it. Submitted responses become the evaluation's
quotes and measured values, a response lacking a mandatory answer excludes its candidate, and the
evaluation's history records it: all or none."""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from scoring.access import status_refusal
from scoring.models import Candidate, Criterion, Evaluation
from scoring.services.candidates import candidate_exclude, quote_save
from scoring.services.common import SetupError
from scoring.services.criteria import measurement_save
from sourcing.compare import answers_by_response, knockout_reason, missing_mandatory
from sourcing.models import Question, Response, RfpRound
from sourcing.selectors import round_questions
from sourcing.services import RoundError, check_team, quote_fields

log = logging.getLogger("bpo_select.sourcing")


def _measure_from_answers(evaluation: Evaluation, response: Response, user: User | None) -> None:
    """A number answer whose question names a measured criterion of the evaluation becomes the
    vendor's value of it (through the measurement service, with its range checks)."""
    measured = {
        w.criterion.name.lower(): w.criterion
        for w in evaluation.weights.select_related("criterion").filter(
            criterion__source=Criterion.Source.MEASURED
        )
    }
    answers = (
        response.answers.select_related("question")
        .filter(question__kind=Question.Kind.NUMBER)
        .exclude(value="")
    )
    for answer in answers:
        criterion = measured.get(answer.question.criterion_name.lower())
        if criterion is None or not answer.question.criterion_name:
            continue
        try:
            measurement_save(
                evaluation=evaluation,
                user=user,  # type: ignore[arg-type]  # None: at the deadline, by nobody
                vendor=response.vendor,
                criterion=criterion,
                value=answer.value,
            )
        except SetupError as exc:
            raise RoundError(
                f"{response.vendor.name}'s answer cannot become a measurement: {exc}"
            ) from exc


def _knock_out(evaluation: Evaluation, rfp: RfpRound, submitted: list[Response]) -> list[str]:
    """Exclude the candidates whose submitted response lacks a mandatory answer, through the
    candidate-exclusion service (its history names the questions); returns the vendors' names.
    A candidate the team already excluded keeps its own reason."""
    questions = round_questions(rfp)
    given = answers_by_response(submitted)
    competing = set(
        Candidate.objects.filter(
            evaluation=evaluation, vendor__in=[r.vendor_id for r in submitted], excluded_reason=""
        ).values_list("vendor_id", flat=True)
    )
    knocked = []
    for response in submitted:
        missing = missing_mandatory(questions, given.get(response.pk, {}))
        if not missing or response.vendor_id not in competing:
            continue
        candidate_exclude(
            evaluation=evaluation, vendor=response.vendor, reason=knockout_reason(missing)
        )
        knocked.append(response.vendor.name)
    return knocked


def opening_outcome(count: int) -> str:
    """What an opening did, in words: "no response was submitted", "1 response became a quote"."""
    if count == 0:
        return "no response was submitted, so no quote changed"
    if count == 1:
        return "1 submitted response became a quote"
    return f"{count} submitted responses became quotes"


def knockout_outcome(vendor_names: list[str]) -> str:
    """ "Beta BPO excluded for missing mandatory answers" (empty when nobody was)."""
    if not vendor_names:
        return ""
    return f"{', '.join(sorted(vendor_names))} excluded for missing mandatory answers"


def opened_by_words(rfp: RfpRound) -> str:
    """ "opened at the deadline" (by nobody: the deadline passed) or "opened by Ann Smith"."""
    if rfp.opened_by is None:
        return "opened at the deadline"
    return f"opened by {rfp.opened_by.get_full_name() or rfp.opened_by.username}"


@contextmanager
def _nobody_in_history():
    """Record the deadline's writes as nobody's, not as the user whose page view triggered them
    (simple_history otherwise takes the request's user for rows without ``_history_user``)."""
    context = HistoricalRecords.context
    request = getattr(context, "request", None)
    if request is not None:
        del context.request
    try:
        yield
    finally:
        if request is not None:
            context.request = request


def _open(locked: RfpRound, evaluation: Evaluation, user: User | None) -> int:
    """Unseal ``locked`` (row-locked with its evaluation): every submitted response becomes the
    evaluation's quote through the quote service (frozen-evaluation and history rules), a response
    lacking a mandatory answer excludes its candidate, and the evaluation's history records the
    opening. All or none (the caller's transaction)."""
    submitted = list(
        locked.responses.filter(status=Response.Status.SUBMITTED).select_related("vendor")
    )
    for response in submitted:
        try:
            quote_save(evaluation=evaluation, vendor=response.vendor, **quote_fields(response))
        except SetupError as exc:
            raise RoundError(
                f"{response.vendor.name}'s response cannot become a quote: {exc}"
            ) from exc
        _measure_from_answers(evaluation, response, user)
    knocked = _knock_out(evaluation, locked, submitted)
    locked.opened_at, locked.opened_by = timezone.now(), user
    locked._history_user = user  # type: ignore[attr-defined]
    locked.save()
    count = len(submitted)
    evaluation._history_user = user
    evaluation._change_reason = f"RFP round {opened_by_words(locked)}: {opening_outcome(count)}"
    if knocked:
        evaluation._change_reason += f"; {knockout_outcome(knocked)}"
    evaluation.save()
    return count


@transaction.atomic
def round_open(*, rfp: RfpRound, user: User) -> int:
    """After the deadline, the analyst unseals the round (when it could not open by itself).
    Returns how many submitted responses became quotes."""
    locked = RfpRound.objects.select_for_update().select_related("evaluation").get(pk=rfp.pk)
    evaluation = Evaluation.objects.select_for_update().get(pk=locked.evaluation_id)
    check_team(user, evaluation)
    if locked.is_open:
        raise RoundError("The round is already open.")
    if not locked.is_past_deadline:
        raise RoundError("The responses stay sealed until the deadline.")
    return _open(locked, evaluation, user)


def open_round_at_deadline(round_pk: int, now: dt.datetime | None = None) -> bool:
    """Open one round whose deadline has passed, as nobody ("opened at the deadline"). The row
    lock and the re-check under it make two callers (beat, cron, a page view) open it once.
    Returns whether this call opened it; RoundError (the round stays sealed) when it cannot."""
    now = now or timezone.now()
    try:
        with transaction.atomic(), _nobody_in_history():
            locked = (
                RfpRound.objects.select_for_update()
                .filter(pk=round_pk, opened_at__isnull=True, deadline__lte=now)
                .first()
            )
            if locked is None:
                return False  # opened meanwhile, or not due
            evaluation = Evaluation.objects.select_for_update().get(pk=locked.evaluation_id)
            refusal = status_refusal(evaluation)
            if refusal:
                raise RoundError(refusal)
            _open(locked, evaluation, None)
    except RoundError as exc:
        log.warning("RFP round %s stays sealed at its deadline: %s", round_pk, exc)
        raise
    return True


def open_due_rounds(now: dt.datetime | None = None) -> int:
    """Open every round whose deadline has passed (Celery beat each minute, `manage.py
    open_due_rounds`, and a team's page view). A round that cannot open stays sealed and is
    logged; the analyst sees why on the round page. Returns how many rounds opened."""
    now = now or timezone.now()
    due = RfpRound.objects.filter(opened_at__isnull=True, deadline__lte=now).values_list(
        "pk", flat=True
    )
    opened = 0
    for pk in list(due):
        try:
            opened += open_round_at_deadline(pk, now)
        except RoundError:
            continue  # logged; the round page shows why
    return opened
