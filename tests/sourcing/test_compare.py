"""Responses side by side: sealed before the opening, one column per submitted response, missing
answers and red flags marked in words, a true summary per vendor, knock-outs at the opening for
missing mandatory answers (recorded in the history, all or none), the contact warned before
submitting, and a query count that does not grow with vendors x questions."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from scoring.models import Candidate, Criterion
from scoring.services.criteria import criterion_add_own
from sourcing.compare import comparison, knockout_reason, summary_sentence
from sourcing.models import Answer, Question, Questionnaire, Response, RfpRound
from sourcing.opening import round_open
from sourcing.selectors import Sealed
from sourcing.services import RoundError, response_save, response_submit
from tests.factories import DeliveryCentreFactory, delivery_model, rankable_evaluation
from tests.sourcing.factories import VendorContactFactory, invite

ISO = "Which sites and services does your ISO 27001 certificate cover?"
PEN_TEST = "Did an independent penetration test run in the last 12 months?"
ATTRITION = "Agent attrition over the last 12 months (%)"
PCI = "What is your PCI DSS role?"
QUOTE = {"pricing_model": "per_fte_month", "unit_price": Decimal("1800"), "currency": "USD"}


@pytest.fixture
def questions(rfp) -> dict[str, Question]:
    questionnaire = Questionnaire.objects.get(name="BPO due diligence")
    RfpRound.objects.filter(pk=rfp.pk).update(questionnaire=questionnaire)
    rfp.refresh_from_db()
    return {q.text: q for q in questionnaire.questions.all()}


def _contact_of(evaluation, name: str):
    vendor = evaluation.candidates.get(vendor__name=name).vendor
    contact = VendorContactFactory(vendor=vendor)
    invite(evaluation, vendor, contact=contact)
    return contact


def _answer(rfp, contact, questions, answers: dict[str, str]) -> Response:
    """The contact saves the quote with ``answers`` (by question text) and submits."""
    response_save(
        rfp=rfp,
        contact=contact,
        answers={questions[text].pk: value for text, value in answers.items()},
        delivery_model=delivery_model("offshore"),
        **QUOTE,
    )
    return response_submit(rfp=rfp, contact=contact)


def _open(rfp: RfpRound) -> RfpRound:
    RfpRound.objects.filter(pk=rfp.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1),
        opened_at=timezone.now(),
        opened_by=rfp.created_by,
    )
    rfp.refresh_from_db()
    return rfp


def _past_deadline(rfp: RfpRound) -> None:
    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))


COMPLETE = {ISO: "All Manila sites", PEN_TEST: "yes", ATTRITION: "21"}


@pytest.fixture
def two_responses(rfp, questions, contact, evaluation):
    """Alpha answers every mandatory question; Beta says "no" to the pen test, skips attrition."""
    _answer(rfp, contact, questions, COMPLETE | {PCI: "Level 1 service provider"})
    beta = _contact_of(evaluation, "Beta BPO")
    _answer(rfp, beta, questions, {ISO: "Cebu only", PEN_TEST: "no"})
    return rfp


def test_the_seeded_questionnaire_marks_what_the_buyer_cannot_do_without(questions):
    rules = {text: (q.mandatory, q.must_have) for text, q in questions.items()}

    assert rules[ISO] == (True, False)
    assert rules[PEN_TEST] == (True, True)
    assert rules[ATTRITION] == (True, False)
    assert rules[PCI] == (False, False)


def test_only_a_yes_no_question_can_be_a_must_have(questions):
    attrition = questions[ATTRITION]
    attrition.must_have = True

    with pytest.raises(ValidationError) as raised:
        attrition.full_clean()
    assert "Only a yes / no question" in raised.value.message_dict["must_have"][0]
    questions[PEN_TEST].full_clean()  # a yes / no must-have is fine


def test_before_the_opening_the_page_shows_only_who_responded(client, two_responses, evaluation):
    client.force_login(evaluation.owner)

    page = client.get(reverse("sourcing:compare", args=[evaluation.pk])).text

    assert "All Manila sites" not in page and "Cebu only" not in page
    assert "Alpha BPO: responded" in page and "Beta BPO: responded" in page
    assert "sealed until the round is opened" in page
    with pytest.raises(Sealed):
        comparison(two_responses)
    export = client.get(reverse("sourcing:compare_csv", args=[evaluation.pk]))
    assert export.status_code == 302 and b"Cebu" not in export.content


def test_after_the_opening_every_vendor_has_a_column_and_gaps_and_flags_are_marked(
    client, two_responses, evaluation
):
    _open(two_responses)
    client.force_login(evaluation.owner)

    page = client.get(reverse("sourcing:compare", args=[evaluation.pk])).text

    header = page[page.index("<thead>") : page.index("</thead>")]
    assert "Alpha BPO" in header and "Beta BPO" in header and "Gamma BPO" not in header
    assert "All Manila sites" in page and "Cebu only" in page
    assert page.count("Red flag: must be yes") == 1
    assert page.count("Mandatory answer missing") == 1  # Beta's attrition
    assert "Alpha BPO</strong>: No red flag, no mandatory answer missing, " in page
    assert "Beta BPO</strong>: 1 red flag, 1 mandatory answer missing, " in page
    assert "Data security" in page and "Staffing" in page  # grouped by section
    result = comparison(two_responses)
    beta = result.summaries[1]
    assert [q.text for q in beta.red_flags] == [PEN_TEST]
    assert [q.text for q in beta.missing_mandatory] == [ATTRITION]


def test_the_round_page_links_the_comparison_once_opened(client, two_responses, evaluation):
    client.force_login(evaluation.owner)
    url = reverse("sourcing:compare", args=[evaluation.pk])
    assert url not in client.get(reverse("sourcing:round", args=[evaluation.pk])).text

    _open(two_responses)

    assert url in client.get(reverse("sourcing:round", args=[evaluation.pk])).text


@pytest.mark.parametrize(
    ("flags", "missing", "optional", "sentence"),
    [
        (0, 0, 0, "No red flag, no mandatory answer missing"),
        (1, 1, 1, "1 red flag, 1 mandatory answer missing, 1 other question unanswered"),
        (2, 2, 2, "2 red flags, 2 mandatory answers missing, 2 other questions unanswered"),
    ],
)
def test_the_summary_is_true_for_none_one_and_many(flags, missing, optional, sentence):
    assert summary_sentence(flags, missing, optional) == sentence


def test_missing_mandatory_answers_exclude_the_vendor_at_the_opening(
    client, rfp, questions, contact, evaluation
):
    _answer(rfp, contact, questions, COMPLETE)
    beta = _contact_of(evaluation, "Beta BPO")
    _answer(rfp, beta, questions, {PEN_TEST: "no"})
    invite(evaluation, evaluation.candidates.get(vendor__name="Gamma BPO").vendor)  # no response
    _past_deadline(rfp)
    client.force_login(evaluation.owner)

    page = client.post(reverse("sourcing:round_open", args=[evaluation.pk]), follow=True).text

    reason = f"Missing mandatory answers: {ISO}, {ATTRITION}"
    assert f"Beta BPO is excluded. {reason}." in page
    excluded = dict(evaluation.candidates.values_list("vendor__name", "excluded_reason"))
    assert excluded == {"Alpha BPO": "", "Beta BPO": reason, "Gamma BPO": ""}
    beta_candidate = Candidate.objects.get(evaluation=evaluation, vendor=beta.vendor)
    # The round opened at its deadline on the owner's request: nobody opened it, nobody excluded.
    assert beta_candidate.history.first().history_user is None
    history = client.get(reverse("scoring:history", args=[evaluation.pk])).text
    assert "Excluded" in history and "Missing mandatory answers" in history
    compared = client.get(reverse("sourcing:compare", args=[evaluation.pk])).text
    assert f'Excluded</span> <span class="text-break">{reason}' in compared
    assert compared.count(">Excluded</span>") == 1
    assert "Beta BPO excluded for missing mandatory answers" in history
    # A "no" on a must-have is a red flag for the team to weigh, not a knock-out by itself.
    assert evaluation.quotes.filter(vendor=beta.vendor).exists()


def test_one_missing_answer_is_named_in_the_singular(questions):
    assert knockout_reason([questions[ATTRITION]]) == f"Missing mandatory answer: {ATTRITION}"


def test_a_failed_opening_excludes_nobody(rfp, questions, contact, evaluation):
    criterion_add_own(
        evaluation=evaluation,
        user=evaluation.owner,
        name="Attrition %",
        source=Criterion.Source.MEASURED,
        direction=Criterion.Direction.COST,
        unit="%",
        low="0",
        high="60",
    )
    beta = _contact_of(evaluation, "Beta BPO")
    _answer(rfp, beta, questions, {PEN_TEST: "yes"})  # would be knocked out
    _answer(rfp, contact, questions, COMPLETE | {ATTRITION: "99"})  # outside the range
    _past_deadline(rfp)

    with pytest.raises(RoundError):
        round_open(rfp=RfpRound.objects.get(), user=evaluation.owner)

    assert not evaluation.candidates.exclude(excluded_reason="").exists()
    assert RfpRound.objects.get().opened_at is None


def test_the_contact_sees_what_is_mandatory_and_is_warned_before_submitting(
    client, rfp, questions, contact
):
    client.force_login(contact.user)
    url = reverse("sourcing:portal_response", args=[rfp.pk])
    page = client.get(url).text
    assert f"{ISO} (mandatory)" in page and f"{PCI} (mandatory)" not in page
    assert "The buyer needs “yes”" in page
    assert "3 mandatory questions unanswered" in page

    response_save(
        rfp=rfp,
        contact=contact,
        answers={questions[ISO].pk: "Manila", questions[PEN_TEST].pk: "yes"},
        delivery_model=delivery_model("offshore"),
        **QUOTE,
    )
    page = client.get(url).text
    assert "1 mandatory question unanswered" in page and ATTRITION in page
    client.post(reverse("sourcing:portal_submit", args=[rfp.pk]))  # allowed: a knock-out later
    assert Response.objects.get().status == Response.Status.SUBMITTED
    assert "your submitted response will be excluded" in client.get(url).text

    response_save(rfp=rfp, contact=contact, answers={questions[ATTRITION].pk: "18"}, **QUOTE)
    assert "mandatory question" not in client.get(url).text.replace("(mandatory)", "")


def test_the_csv_marks_gaps_and_flags_and_defuses_formulas(
    client, rfp, questions, contact, evaluation
):
    _answer(rfp, contact, questions, {ISO: '=HYPERLINK("http://x")', PEN_TEST: "no"})
    _open(rfp)
    client.force_login(evaluation.owner)

    export = client.get(reverse("sourcing:compare_csv", args=[evaluation.pk]))

    assert export["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    by_question = {row[1]: row for row in rows}
    assert rows[0] == ["Section", "Question", "Rule", "Alpha BPO"]
    assert by_question[ISO][3] == '\'=HYPERLINK("http://x")'
    assert by_question[PEN_TEST][2:] == ["mandatory, must be yes", "no (red flag: must be yes)"]
    assert by_question[ATTRITION][3] == "No answer (mandatory)"
    assert by_question[PCI][3] == "No answer"
    assert rows[-1][3].startswith("1 red flag, 1 mandatory answer missing")


@pytest.fixture
def many(db):
    def build(count: int):
        names = [f"Vendor {n}" for n in range(count)]
        evaluation = rankable_evaluation(vendor_names=names)
        questionnaire = Questionnaire.objects.get(name="BPO due diligence")
        for index, candidate in enumerate(evaluation.candidates.select_related("vendor")):
            DeliveryCentreFactory(vendor=candidate.vendor)
            invite(evaluation, candidate.vendor)
            response = Response.objects.create(
                round=evaluation.rfp_round,
                vendor=candidate.vendor,
                status=Response.Status.SUBMITTED,
                submitted_at=timezone.now(),
                updated_by=evaluation.owner,
            )
            Answer.objects.bulk_create(
                Answer(response=response, question=q, value="yes" if index % 2 else "no")
                for q in questionnaire.questions.filter(kind=Question.Kind.YES_NO)
            )
        RfpRound.objects.filter(evaluation=evaluation).update(questionnaire=questionnaire)
        _open(evaluation.rfp_round)
        return evaluation

    return build


@pytest.mark.parametrize("vendors", [2, 5])
def test_the_comparison_takes_the_same_queries_however_many_vendors(
    client, many, vendors, django_assert_num_queries
):
    evaluation = many(vendors)
    client.force_login(evaluation.owner)
    page_url = reverse("sourcing:compare", args=[evaluation.pk])
    csv_url = reverse("sourcing:compare_csv", args=[evaluation.pk])
    client.get(page_url)

    with django_assert_num_queries(11):
        page = client.get(page_url)
    with django_assert_num_queries(9):
        export = client.get(csv_url)

    assert page.text.count("Red flag: must be yes") == (vendors + 1) // 2
    assert len(export.content.decode("utf-8-sig").splitlines()[0].split(",")) == 3 + vendors


def test_a_hostile_answer_is_shown_as_text(client, rfp, questions, contact, evaluation):
    _answer(rfp, contact, questions, {ISO: "<script>alert(1)</script>"})
    _open(rfp)
    client.force_login(evaluation.owner)

    page = client.get(reverse("sourcing:compare", args=[evaluation.pk])).text

    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
