"""Scores from answers: the proposals the opened answers make (sourcing.proposals does the maths),
an evaluator using one as their score, and the citations linking a score to the answers it rests
on. Every rule (round opened, evaluation not frozen, sheet not submitted) holds here."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from scoring.models import Criterion, Evaluation, Score, ScoreSheet
from scoring.selectors_scores import manual_criteria, score_grid
from scoring.services.scores import ScoreError, score_save
from sourcing.models import Answer, Question, Response, RfpRound, ScoreCitation
from sourcing.proposals import SCORED_KINDS, AnswerFact, Proposal, proposals
from sourcing.selectors import Sealed
from vendors.models import Vendor


class CitationError(Exception):
    """A score cannot use a proposal or cite an answer; the message says why."""


def _opened_answers(rfp: RfpRound) -> list[Answer]:
    """Every answer of the round's submitted responses, once it is opened. 1 query."""
    if not rfp.is_open:
        raise Sealed("The answers are sealed until the round is opened after its deadline.")
    return list(
        Answer.objects.filter(response__round=rfp, response__status=Response.Status.SUBMITTED)
        .exclude(value="")
        .select_related("question", "response")
    )


def _fact(answer: Answer) -> AnswerFact:
    question = answer.question
    return AnswerFact(
        answer_id=answer.pk,
        vendor_id=answer.response.vendor_id,
        criterion=question.score_criterion_name,
        question=question.text,
        kind=question.kind,
        options=tuple(question.options),
        value=answer.value,
    )


def _proposals(answers: list[Answer], criteria: list[Criterion]) -> dict[tuple[int, int], Proposal]:
    """(vendor id, criterion id) -> proposal, for the evaluation's manual criteria."""
    by_name = {c.name.strip().lower(): c for c in criteria}
    found = proposals(
        _fact(a)
        for a in answers
        if a.question.score_criterion_name and a.question.kind in SCORED_KINDS
    )
    return {
        (vendor_id, by_name[name].pk): proposal
        for (vendor_id, name), proposal in found.items()
        if name in by_name
    }


@dataclass(frozen=True)
class Cell:
    criterion: Criterion
    proposal: Proposal | None
    score: Score | None  # the viewer's own score, never anyone else's
    citations: tuple[ScoreCitation, ...]


@dataclass(frozen=True)
class VendorRow:
    vendor: Vendor
    cells: tuple[Cell, ...]
    answers: tuple[Answer, ...]  # the vendor's opened answers, for citing one by hand


def answer_scores_page(evaluation: Evaluation, rfp: RfpRound, viewer: User) -> list[VendorRow]:
    """Per competing vendor that answered the round, and manual criterion: the proposal (the same for everyone) beside the
    viewer's own score and citations. A fixed number of queries, whatever the size."""
    grid = score_grid(evaluation, viewer)
    answers = _opened_answers(rfp)
    found = _proposals(answers, grid.criteria)
    cited: dict[int, list[ScoreCitation]] = {}
    for citation in ScoreCitation.objects.filter(
        score__in=[s.pk for s in grid.scores.values()]
    ).select_related("answer__question"):
        cited.setdefault(citation.score_id, []).append(citation)
    by_vendor: dict[int, list[Answer]] = {}
    for answer in answers:
        by_vendor.setdefault(answer.response.vendor_id, []).append(answer)
    rows = []
    for vendor in grid.vendors:
        if vendor.pk not in by_vendor:
            continue  # no opened response: nothing to propose or cite
        cells = []
        for criterion in grid.criteria:
            score = grid.scores.get((vendor.pk, criterion.pk))
            cells.append(
                Cell(
                    criterion,
                    found.get((vendor.pk, criterion.pk)),
                    score,
                    tuple(cited.get(score.pk, ())) if score else (),
                )
            )
        own = sorted(by_vendor.get(vendor.pk, []), key=lambda a: (a.question.order, a.question.pk))
        rows.append(VendorRow(vendor, tuple(cells), tuple(own)))
    return rows


# --------------------------------------------------------------------------- writes


def _locked_round(evaluation: Evaluation, evaluator: User) -> tuple[Evaluation, RfpRound]:
    """The evaluation locked, if its scores may still change and its round is open."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if not locked.is_editable:
        raise CitationError(
            f"This evaluation is {locked.get_status_display().lower()}; scores and the answers "
            "they cite can no longer change."
        )
    if ScoreSheet.objects.filter(
        evaluation=locked, evaluator=evaluator, submitted_at__isnull=False
    ).exists():
        raise CitationError("You submitted your sheet: reopen it to change your scores.")
    rfp = RfpRound.objects.filter(evaluation=locked).first()
    if rfp is None or not rfp.is_open:
        raise CitationError(
            "The RFP round is not open: its answers are sealed, so no score can rest on them."
        )
    return locked, rfp


@transaction.atomic
def proposal_use(
    *, evaluation: Evaluation, evaluator: User, vendor: Vendor, criterion: Criterion
) -> Score:
    """Make the answers' proposal the evaluator's own score, citing exactly those answers."""
    locked, rfp = _locked_round(evaluation, evaluator)
    proposal = _proposals(_opened_answers(rfp), manual_criteria(locked)).get(
        (vendor.pk, criterion.pk)
    )
    if proposal is None:
        raise CitationError(f"No answer of {vendor.name} proposes a score on {criterion.name}.")
    try:
        score = score_save(
            evaluation=locked,
            evaluator=evaluator,
            vendor=vendor,
            criterion=criterion,
            value=proposal.value,
            comment=proposal.comment,
        )
    except ScoreError as exc:
        raise CitationError(str(exc)) from exc
    assert score is not None  # a proposal is a number
    ScoreCitation.objects.filter(score=score).delete()
    ScoreCitation.objects.bulk_create(
        ScoreCitation(score=score, answer_id=a.answer_id, cited_by=evaluator)
        for a in proposal.answers
    )
    return score


@transaction.atomic
def citation_add(
    *, evaluation: Evaluation, evaluator: User, vendor: Vendor, criterion: Criterion, answer: Answer
) -> ScoreCitation:
    """Cite one of the vendor's opened answers behind the evaluator's own score of the cell."""
    locked, rfp = _locked_round(evaluation, evaluator)
    score = Score.objects.filter(
        evaluation=locked, evaluator=evaluator, vendor=vendor, criterion=criterion
    ).first()
    if score is None:
        raise CitationError(
            f"Score {vendor.name} on {criterion.name} first, then cite the answer it rests on."
        )
    response = answer.response
    if (
        response.round_id != rfp.pk
        or response.vendor_id != vendor.pk
        or response.status != Response.Status.SUBMITTED
    ):
        raise CitationError(f"That answer is not one of {vendor.name}'s opened answers.")
    citation, _ = ScoreCitation.objects.get_or_create(
        score=score, answer=answer, defaults={"cited_by": evaluator}
    )
    return citation


@transaction.atomic
def citation_remove(*, evaluation: Evaluation, evaluator: User, citation: ScoreCitation) -> None:
    locked, _rfp = _locked_round(evaluation, evaluator)
    if citation.score.evaluation_id != locked.pk or citation.score.evaluator_id != evaluator.pk:
        raise CitationError("Only your own scores' citations can be removed.")
    citation.delete()


# --------------------------------------------------------------------------- the snapshot's evidence


def _person(user) -> str:
    return user.get_full_name() or user.get_username()  # as decision_inputs names evaluators


def cited_answers(evaluation: Evaluation, decision) -> dict | None:
    """(vendor id, criterion key) -> the answers its scores cite, for the scores the decision
    holds (blind scoring: only those its viewer may see). None when there is no RFP round.
    2 queries."""
    from scoring.decision_types import CitedAnswer

    rfp = RfpRound.objects.filter(evaluation=evaluation).first()
    if rfp is None:
        return None
    if not rfp.is_open:
        return {}  # nothing can be cited before the opening
    visible = {(s.vendor_id, s.criterion, s.evaluator) for s in decision.inputs.scores}
    citations = ScoreCitation.objects.filter(score__evaluation=evaluation).select_related(
        "answer__question", "score__criterion", "score__evaluator"
    )
    found: dict[tuple[int, str], list[CitedAnswer]] = {}
    for citation in citations:
        score = citation.score
        cell = (score.vendor_id, score.criterion.key)
        if (*cell, _person(score.evaluator)) not in visible:
            continue
        answer = citation.answer
        is_file = answer.question.kind == Question.Kind.FILE
        cited = CitedAnswer(
            question=answer.question.text,
            answer="" if is_file else answer.value,
            document=answer.value if is_file else "",
        )
        if cited not in found.setdefault(cell, []):
            found[cell].append(cited)
    return {cell: tuple(answers) for cell, answers in found.items()}
