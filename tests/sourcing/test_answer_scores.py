"""Scores from answers: the proposal maths (pure), an evaluator using a proposal (their own score
with a "From answers" comment and its citations), citing an answer by hand, and the rules: sealed
before the opening, refused on frozen evaluations and submitted sheets, blind scoring kept."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from scoring.models import Criterion, Evaluation, Score, ScoreSheet
from scoring.reports import decision_for, render_report_pdf
from scoring.services import evaluation_approve
from scoring.services.scores import score_save
from sourcing.answer_scores import (
    CitationError,
    citation_add,
    citation_remove,
    proposal_use,
)
from sourcing.models import Answer, Question, Questionnaire, RfpRound, ScoreCitation
from sourcing.opening import round_open
from sourcing.proposals import AnswerFact, points, proposals
from sourcing.services import response_save, response_submit
from tests.factories import AnalystFactory, delivery_model

PCI = "What is your PCI DSS role?"
EEA = "On what basis would personal data leave the EEA?"
PEN_TEST = "Did an independent penetration test run in the last 12 months?"
QUOTE = {"pricing_model": "per_fte_month", "unit_price": Decimal("1777.77"), "currency": "USD"}


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def fact(value, *, kind="choice", options=("Best", "Middle", "Worst"), vendor=1, criterion="X"):
    return AnswerFact(
        answer_id=hash((value, vendor, kind)) % 10_000,
        vendor_id=vendor,
        criterion=criterion,
        question=f"Q {value}?",
        kind=kind,
        options=options,
        value=value,
    )


# --------------------------------------------------------------------------- pure maths


def test_yes_is_ten_no_is_zero_and_anything_else_proposes_nothing():
    assert points("yes_no", (), "yes") == 10 and points("yes_no", (), "No") == 0
    assert points("yes_no", (), "") is None and points("yes_no", (), "maybe") is None
    assert points("number", (), "12") is None and points("text", (), "ISO 27001") is None


def test_choice_options_listed_best_first_spread_linearly_from_ten_to_zero():
    four = ("A", "B", "C", "D")
    assert [points("choice", four, o).quantize(Decimal("0.01")) for o in four] == [
        Decimal("10.00"),
        Decimal("6.67"),
        Decimal("3.33"),
        Decimal("0.00"),
    ]
    assert points("choice", ("Only",), "Only") == 10
    assert points("choice", four, "E") is None


def test_a_proposal_is_the_mean_of_the_cells_answers_to_two_decimals():
    found = proposals(
        [
            fact("Best", criterion="Data security"),  # 10
            fact("yes", kind="yes_no", options=(), criterion="data security "),  # 10, same cell
            fact("Middle", options=("Best", "Middle", "Worst", "None"), criterion="Data security"),
            fact("Worst", vendor=2, criterion="Data security"),  # 0, another vendor
            fact("", vendor=3, criterion="Data security"),  # blank: no proposal for vendor 3
            fact("Best", criterion=""),  # mapped to nothing
        ]
    )

    assert set(found) == {(1, "data security"), (2, "data security")}
    one = found[(1, "data security")]
    assert one.value == Decimal("8.89")  # (10 + 10 + 6.67) / 3
    assert [a.value for a in one.answers] == ["Best", "yes", "Middle"]
    assert (
        one.comment
        == "From answers: “Q Best?” Best (10); “Q yes?” yes (10); “Q Middle?” Middle (6.67)"
    )
    assert found[(2, "data security")].value == Decimal("0.00")


def test_no_answer_no_proposal():
    assert proposals([]) == {}


# --------------------------------------------------------------------------- the question


def test_only_yes_no_and_choice_questions_can_propose_a_score(db):
    questionnaire = Questionnaire.objects.create(name="Short set")
    number = Question(
        questionnaire=questionnaire,
        section="Staffing",
        text="Attrition (%)",
        kind=Question.Kind.NUMBER,
        score_criterion_name="Data security",
    )
    with pytest.raises(ValidationError) as refused:
        number.full_clean()
    assert "number question" in str(refused.value.message_dict["score_criterion_name"])
    yes_no = Question(
        questionnaire=questionnaire,
        section="Security",
        text="Pen test?",
        kind=Question.Kind.YES_NO,
        score_criterion_name="Data security",
    )
    yes_no.full_clean()


def test_the_seeded_due_diligence_maps_three_questions_to_data_security(db):
    mapped = Question.objects.filter(
        questionnaire__name="BPO due diligence", score_criterion_name="Data security"
    )
    assert set(mapped.values_list("text", flat=True)) == {PCI, EEA, PEN_TEST}


# --------------------------------------------------------------------------- the round


@pytest.fixture
def questions(rfp):
    questionnaire = Questionnaire.objects.get(name="BPO due diligence")
    RfpRound.objects.filter(pk=rfp.pk).update(questionnaire=questionnaire)
    rfp.refresh_from_db()
    return {q.text: q for q in questionnaire.questions.all()}


@pytest.fixture
def security(evaluation):
    return Criterion.objects.get(name="Data security", evaluation__isnull=True)


@pytest.fixture
def answered(contact, rfp, questions):
    """Alpha answered PCI "Level 2" (5) and the pen test "yes" (10), left the EEA blank, and
    submitted: the proposal on Data security is 7.50. The other mandatory answers are given, so
    the opening does not knock Alpha out."""
    given = {questions[PCI].pk: "Level 2 service provider", questions[PEN_TEST].pk: "yes"}
    filler = {Question.Kind.TEXT: "Whole delivery centre", Question.Kind.NUMBER: "12"}
    for question in questions.values():
        if question.mandatory and question.pk not in given:
            given[question.pk] = filler[question.kind]
    response_save(
        rfp=rfp,
        contact=contact,
        answers=given,
        delivery_model=delivery_model("offshore"),
        **QUOTE,
    )
    return response_submit(rfp=rfp, contact=contact)


@pytest.fixture
def opened(answered, rfp, evaluation):
    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    round_open(rfp=RfpRound.objects.get(pk=rfp.pk), user=evaluation.owner)
    rfp.refresh_from_db()
    return rfp


def _own(evaluation, user, vendor, criterion):
    return Score.objects.get(
        evaluation=evaluation, evaluator=user, vendor=vendor, criterion=criterion
    )


def test_using_the_proposal_saves_the_evaluators_score_citing_its_answers(
    opened, evaluation, alpha, security, questions
):
    score = proposal_use(
        evaluation=evaluation, evaluator=evaluation.owner, vendor=alpha, criterion=security
    )

    score.refresh_from_db()
    assert score.value == Decimal("7.50")
    assert score.comment == (
        f"From answers: “{PCI}” Level 2 service provider (5); “{PEN_TEST}” yes (10)"
    )
    cited = ScoreCitation.objects.filter(score=score).order_by("answer__question__order")
    assert [c.answer.question.text for c in cited] == [PCI, PEN_TEST]
    assert {c.cited_by for c in cited} == {evaluation.owner}


def test_using_it_again_replaces_the_citations_and_clearing_the_score_removes_them(
    opened, evaluation, alpha, security, questions
):
    owner = evaluation.owner
    score = proposal_use(evaluation=evaluation, evaluator=owner, vendor=alpha, criterion=security)
    proposal_use(evaluation=evaluation, evaluator=owner, vendor=alpha, criterion=security)
    assert ScoreCitation.objects.filter(score=score).count() == 2

    score_save(evaluation=evaluation, evaluator=owner, vendor=alpha, criterion=security, value="")

    assert not Score.objects.filter(pk=score.pk).exists()
    assert ScoreCitation.objects.count() == 0


def test_a_score_cites_an_answer_by_hand_and_drops_it_again(
    opened, evaluation, alpha, security, questions
):
    owner = evaluation.owner
    score_save(evaluation=evaluation, evaluator=owner, vendor=alpha, criterion=security, value="6")
    answer = Answer.objects.get(question=questions[PEN_TEST])

    citation = citation_add(
        evaluation=evaluation, evaluator=owner, vendor=alpha, criterion=security, answer=answer
    )

    assert citation.score == _own(evaluation, owner, alpha, security)
    assert _own(evaluation, owner, alpha, security).value == Decimal("6.00")  # unchanged
    citation_remove(evaluation=evaluation, evaluator=owner, citation=citation)
    assert ScoreCitation.objects.count() == 0


def test_citing_needs_a_score_and_that_vendors_answer(
    opened, evaluation, alpha, security, questions
):
    owner, beta = evaluation.owner, evaluation.candidates.get(vendor__name="Beta BPO").vendor
    Score.objects.filter(evaluation=evaluation, vendor=alpha, criterion=security).delete()
    answer = Answer.objects.get(question=questions[PEN_TEST])

    with pytest.raises(CitationError, match="Score Alpha BPO on Data security first"):
        citation_add(
            evaluation=evaluation, evaluator=owner, vendor=alpha, criterion=security, answer=answer
        )
    with pytest.raises(CitationError, match="not one of Beta BPO's opened answers"):
        citation_add(
            evaluation=evaluation, evaluator=owner, vendor=beta, criterion=security, answer=answer
        )
    assert ScoreCitation.objects.count() == 0


def test_before_the_opening_the_answers_propose_and_support_nothing(
    answered, evaluation, alpha, security, questions
):
    before = _own(evaluation, evaluation.owner, alpha, security).value

    with pytest.raises(CitationError, match="sealed"):
        proposal_use(
            evaluation=evaluation, evaluator=evaluation.owner, vendor=alpha, criterion=security
        )
    with pytest.raises(CitationError, match="sealed"):
        citation_add(
            evaluation=evaluation,
            evaluator=evaluation.owner,
            vendor=alpha,
            criterion=security,
            answer=Answer.objects.get(question=questions[PEN_TEST]),
        )

    assert _own(evaluation, evaluation.owner, alpha, security).value == before
    assert ScoreCitation.objects.count() == 0


@pytest.mark.parametrize("status", [Evaluation.Status.IN_REVIEW, Evaluation.Status.APPROVED])
def test_a_frozen_evaluation_refuses_proposals_and_citations(
    opened, evaluation, alpha, security, questions, status
):
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)

    with pytest.raises(CitationError, match="can no longer change"):
        proposal_use(
            evaluation=evaluation, evaluator=evaluation.owner, vendor=alpha, criterion=security
        )
    with pytest.raises(CitationError, match="can no longer change"):
        citation_add(
            evaluation=evaluation,
            evaluator=evaluation.owner,
            vendor=alpha,
            criterion=security,
            answer=Answer.objects.get(question=questions[PEN_TEST]),
        )
    assert ScoreCitation.objects.count() == 0


def test_a_submitted_sheet_refuses_them(opened, evaluation, alpha, security):
    ScoreSheet.objects.create(
        evaluation=evaluation, evaluator=evaluation.owner, submitted_at=timezone.now()
    )

    with pytest.raises(CitationError, match="submitted your sheet"):
        proposal_use(
            evaluation=evaluation, evaluator=evaluation.owner, vendor=alpha, criterion=security
        )


# --------------------------------------------------------------------------- the page


def test_the_page_offers_use_7_50_and_the_post_saves_it(
    client, opened, evaluation, alpha, security
):
    client.force_login(evaluation.owner)
    url = reverse("sourcing:answer_scores", args=[evaluation.pk])

    page = client.get(url).text
    assert "Use 7.50" in page and "from 2 answers" in page
    response = client.post(
        reverse("sourcing:answer_score_use", args=[evaluation.pk]),
        {"vendor": alpha.pk, "criterion": security.pk},
        follow=True,
    )

    assert "Your score of Alpha BPO on Data security is 7.50." in response.text
    assert "Data security</strong> · your score 7.50" in response.text
    assert _own(evaluation, evaluation.owner, alpha, security).value == Decimal("7.50")
    assert "Your score rests on:" in response.text and PCI in response.text


def test_blind_scoring_a_member_sees_the_same_proposal_and_nobody_elses_score(
    client, opened, evaluation, alpha, security
):
    member = AnalystFactory()
    evaluation.team.add(member)
    proposal_use(
        evaluation=evaluation, evaluator=evaluation.owner, vendor=alpha, criterion=security
    )
    client.force_login(member)

    page = client.get(reverse("sourcing:answer_scores", args=[evaluation.pk])).text
    client.post(
        reverse("sourcing:answer_score_use", args=[evaluation.pk]),
        {"vendor": alpha.pk, "criterion": security.pk},
    )

    assert "Use 7.50" in page
    # The owner's 7.50 and its citations stay theirs: the member has scored nothing yet.
    assert "not scored by you yet" in page and "· your score" not in page
    assert "Your score rests on" not in page
    assert _own(evaluation, member, alpha, security).value == Decimal("7.50")
    assert ScoreCitation.objects.filter(score__evaluator=member).count() == 2
    assert ScoreCitation.objects.filter(score__evaluator=evaluation.owner).count() == 2


def test_the_page_costs_the_same_queries_whatever_the_answers_and_citations(
    client, opened, questions, evaluation, alpha, security, django_assert_num_queries
):
    client.force_login(evaluation.owner)
    url = reverse("sourcing:answer_scores", args=[evaluation.pk])
    client.get(url)  # the session and caches settle
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    response = Answer.objects.first().response
    Answer.objects.create(response=response, question=questions[EEA], value="Adequacy decision")
    proposal_use(
        evaluation=evaluation, evaluator=evaluation.owner, vendor=alpha, criterion=security
    )
    for score in Score.objects.filter(evaluation=evaluation, evaluator=evaluation.owner):
        for answer in Answer.objects.all():
            ScoreCitation.objects.get_or_create(
                score=score, answer=answer, defaults={"cited_by": evaluation.owner}
            )

    with django_assert_num_queries(len(few)):
        page = client.get(url).text

    assert "Use 7.22" in page  # (5 + 6.67 + 10) / 3


def test_before_the_opening_the_page_says_the_answers_are_sealed(client, answered, evaluation):
    client.force_login(evaluation.owner)

    page = client.get(reverse("sourcing:answer_scores", args=[evaluation.pk])).text

    assert "sealed until it is opened" in page and "Use " not in page


# --------------------------------------------------------------------------- the approved PDF


def test_the_approved_snapshot_and_pdf_cite_the_answers_behind_the_decisive_score(
    opened, evaluation, alpha, security, manager
):
    beta = evaluation.candidates.get(vendor__name="Beta BPO").vendor
    Score.objects.filter(evaluation=evaluation, vendor=beta, criterion=security).update(
        value=Decimal(2)
    )
    proposal_use(
        evaluation=evaluation, evaluator=evaluation.owner, vendor=alpha, criterion=security
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Evaluation.Status.IN_REVIEW)

    evaluation_approve(evaluation=evaluation, manager=manager, comment="Signed off")

    evaluation.refresh_from_db()
    lines = {(e["vendor"], e["name"]): e for e in evaluation.snapshot["evidence"]}
    cited = lines[("Alpha BPO", "Data security")]["answers"]
    assert [a["question"] for a in cited] == [PCI, PEN_TEST]
    assert lines[("Beta BPO", "Data security")]["answers"] == []
    text = re.sub(r"\s+", " ", pdf_text(render_report_pdf(evaluation.snapshot)))
    assert "Evidence behind the decisive scores" in text
    assert f"Alpha BPO 7.50 rests on: “{PCI}” Level 2 service provider; “{PEN_TEST}” yes." in text
    assert "Beta BPO 2.00 cites no answer." in text


def test_on_the_page_an_answer_is_cited_by_hand_then_removed(
    client, opened, evaluation, alpha, security, questions
):
    client.force_login(evaluation.owner)
    answer = Answer.objects.get(question=questions[PEN_TEST])

    cited = client.post(
        reverse("sourcing:answer_cite", args=[evaluation.pk]),
        {"vendor": alpha.pk, "criterion": security.pk, "answer": answer.pk},
        follow=True,
    ).text
    citation = ScoreCitation.objects.get()
    removed = client.post(
        reverse("sourcing:answer_uncite", args=[evaluation.pk]),
        {"citation": citation.pk},
        follow=True,
    ).text

    assert "Your score of Alpha BPO on Data security cites it." in cited
    assert "Your score rests on:</p>" in cited and PEN_TEST in cited
    assert "Citation removed." in removed and "Your score cites no answer." in removed
    assert ScoreCitation.objects.count() == 0


def test_another_evaluators_citation_cannot_be_removed(client, opened, evaluation, alpha, security):
    proposal_use(
        evaluation=evaluation, evaluator=evaluation.owner, vendor=alpha, criterion=security
    )
    member = AnalystFactory()
    evaluation.team.add(member)
    client.force_login(member)

    response = client.post(
        reverse("sourcing:answer_uncite", args=[evaluation.pk]),
        {"citation": ScoreCitation.objects.first().pk},
        follow=True,
    )

    assert "that citation is not one of your scores" in response.text
    assert ScoreCitation.objects.count() == 2


def test_a_blind_evaluators_draft_report_cites_nothing_of_the_others_scores(
    opened, evaluation, alpha, security
):
    beta = evaluation.candidates.get(vendor__name="Beta BPO").vendor
    Score.objects.filter(evaluation=evaluation, vendor=beta, criterion=security).update(
        value=Decimal(2)
    )
    member = AnalystFactory()
    evaluation.team.add(member)
    proposal_use(
        evaluation=evaluation, evaluator=evaluation.owner, vendor=alpha, criterion=security
    )
    ScoreSheet.objects.create(
        evaluation=evaluation, evaluator=evaluation.owner, submitted_at=timezone.now()
    )

    owners = decision_for(evaluation, evaluation.owner).evidence
    members = decision_for(evaluation, member).evidence

    assert any(line.answers for line in owners)  # the owner submitted: they see the team's
    assert not any(line.answers for line in members)  # the owner's citations stay hidden
