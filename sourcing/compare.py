"""Responses side by side: one row per question, one column per submitted response, with the
missing answers and red flags (a "no" to a must-have) marked, a summary per vendor, and the
knock-outs (missing mandatory answers) the opening applies. Sealed like every other content:
the comparison exists only once the round is opened (sourcing.selectors)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from scoring.reports.exports import escape_formula
from sourcing.models import Answer, Evidence, Question, Response, RfpRound
from sourcing.selectors import Sealed, opened_evidence, opened_responses, round_questions


@dataclass(frozen=True)
class Cell:
    value: str  # "" when unanswered; a file question's value names its documents
    question: Question
    documents: tuple[Evidence, ...] = ()

    @property
    def missing(self) -> bool:
        return self.value == ""

    @property
    def missing_mandatory(self) -> bool:
        return self.missing and self.question.mandatory

    @property
    def red_flag(self) -> bool:
        return is_red_flag(self.question, self.value)


@dataclass(frozen=True)
class Row:
    question: Question
    cells: tuple[Cell, ...]  # one per response, in the responses' order


@dataclass(frozen=True)
class Section:
    name: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class VendorSummary:
    vendor_name: str
    red_flags: tuple[Question, ...]
    missing_mandatory: tuple[Question, ...]
    missing_optional: int

    @property
    def sentence(self) -> str:
        return summary_sentence(
            len(self.red_flags), len(self.missing_mandatory), self.missing_optional
        )


@dataclass(frozen=True)
class Comparison:
    responses: tuple[Response, ...]
    sections: tuple[Section, ...]
    summaries: tuple[VendorSummary, ...]  # in the responses' order


def is_red_flag(question: Question, value: str) -> bool:
    return question.must_have and value == "no"


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary_sentence(red_flags: int, missing_mandatory: int, missing_optional: int = 0) -> str:
    """ "No red flag, no mandatory answer missing" / "2 red flags, 1 mandatory answer
    missing, 3 other questions unanswered"."""
    parts = [
        _count(red_flags, "red flag", "red flags") if red_flags else "No red flag",
        _count(missing_mandatory, "mandatory answer", "mandatory answers") + " missing"
        if missing_mandatory
        else "no mandatory answer missing",
    ]
    if missing_optional:
        parts.append(_count(missing_optional, "other question", "other questions") + " unanswered")
    return ", ".join(parts)


def missing_mandatory(questions: Iterable[Question], given: dict[int, str]) -> list[Question]:
    """The mandatory questions without an answer in ``given`` (question id -> value)."""
    return [q for q in questions if q.mandatory and not given.get(q.pk, "")]


def knockout_reason(missing: list[Question]) -> str:
    """The exclusion reason the opening records: "Missing mandatory answers: A, B"."""
    label = "Missing mandatory answer" if len(missing) == 1 else "Missing mandatory answers"
    return f"{label}: {', '.join(q.text for q in missing)}"


def portal_warning(missing: list[Question], *, submitted: bool = False) -> str:
    """What the contact reads before submitting; empty when every mandatory question is answered."""
    if not missing:
        return ""
    count = _count(len(missing), "mandatory question", "mandatory questions")
    consequence = (
        "your submitted response will be excluded when the round is opened"
        if submitted
        else "if you submit like this, your response will be excluded when the round is opened"
    )
    return f"{count} unanswered: {consequence}. Answer: {'; '.join(q.text for q in missing)}"


def question_hint(question: Question) -> str:
    """The rules a contact reads under a question: "Mandatory. The buyer needs “yes”."."""
    rules = [
        word
        for word, applies in (
            ("Mandatory: without an answer the response is excluded.", question.mandatory),
            ("The buyer needs “yes”.", question.must_have),
        )
        if applies
    ]
    return " ".join(rules)


def answers_by_response(responses: Iterable[Response]) -> dict[int, dict[int, str]]:
    """Response id -> question id -> value, in one query whatever the number of responses."""
    given: dict[int, dict[int, str]] = {}
    ids = [r.pk for r in responses]
    rows = Answer.objects.filter(response_id__in=ids).values_list(
        "response_id", "question_id", "value"
    )
    for response_id, question_id, value in rows:
        given.setdefault(response_id, {})[question_id] = value
    return given


def comparison(rfp: RfpRound) -> Comparison:
    """Every question against every submitted response, once the round is opened (else Sealed).
    Five queries, however many vendors, questions and documents."""
    if not rfp.is_open:
        raise Sealed("The responses are sealed until the round is opened after its deadline.")
    responses = tuple(opened_responses(rfp))
    questions = round_questions(rfp)
    given = answers_by_response(responses)
    documents: dict[tuple[int, int | None], list[Evidence]] = {}
    for evidence in opened_evidence(rfp, list(responses)):
        documents.setdefault((evidence.response_id, evidence.question_id), []).append(evidence)
    rows = [
        Row(
            q,
            tuple(
                Cell(given.get(r.pk, {}).get(q.pk, ""), q, tuple(documents.get((r.pk, q.pk), ())))
                for r in responses
            ),
        )
        for q in questions
    ]
    sections: dict[str, list[Row]] = {}
    for row in rows:
        sections.setdefault(row.question.section, []).append(row)
    summaries = []
    for index, response in enumerate(responses):
        cells = [row.cells[index] for row in rows]
        summaries.append(
            VendorSummary(
                vendor_name=response.vendor.name,
                red_flags=tuple(c.question for c in cells if c.red_flag),
                missing_mandatory=tuple(c.question for c in cells if c.missing_mandatory),
                missing_optional=sum(1 for c in cells if c.missing and not c.question.mandatory),
            )
        )
    return Comparison(
        responses=responses,
        sections=tuple(Section(name, tuple(section)) for name, section in sections.items()),
        summaries=tuple(summaries),
    )


def knock_outs(rfp: RfpRound) -> list[str]:
    """After the opening, one sentence per submitted response lacking a mandatory answer:
    "Beta BPO is excluded: Missing mandatory answer: Attrition %"."""
    result = comparison(rfp)
    return [
        _sentence(f"{s.vendor_name} is excluded. {knockout_reason(list(s.missing_mandatory))}")
        for s in result.summaries
        if s.missing_mandatory
    ]


def _sentence(text: str) -> str:
    return text if text.endswith(("?", ".", "!")) else text + "."


def _cell_text(cell: Cell) -> str:
    if cell.missing:
        return "No answer (mandatory)" if cell.question.mandatory else "No answer"
    if cell.red_flag:
        return f"{cell.value} (red flag: must be yes)"
    return cell.value


def comparison_csv(result: Comparison) -> bytes:
    """The comparison as CSV (UTF-8 with BOM for spreadsheets), every text formula-escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    vendors = [r.vendor.name for r in result.responses]
    writer.writerow([escape_formula(t) for t in ["Section", "Question", "Rule", *vendors]])
    for section in result.sections:
        for row in section.rows:
            rule = ", ".join(
                word
                for word, applies in (
                    ("mandatory", row.question.mandatory),
                    ("must be yes", row.question.must_have),
                )
                if applies
            )
            texts = [section.name, row.question.text, rule, *map(_cell_text, row.cells)]
            writer.writerow([escape_formula(t) for t in texts])
    writer.writerow(
        [escape_formula(t) for t in ["Summary", "", "", *(s.sentence for s in result.summaries)]]
    )
    return ("\ufeff" + buffer.getvalue()).encode()
