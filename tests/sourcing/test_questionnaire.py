"""The round's due-diligence questionnaire: the contact answers it with the quote, answers are
checked by kind, sealed like the quote, shown side by side after the opening, and a number answer
becomes the value of the evaluation's measured criterion of the question's name."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import Criterion, Measurement
from scoring.services.criteria import criterion_add_own
from sourcing.models import Answer, Question, Questionnaire, RfpRound
from sourcing.opening import round_open
from sourcing.selectors import Sealed, opened_answers, opened_responses
from sourcing.services import RoundError, response_save, response_submit, round_save
from tests.factories import delivery_model

QUOTE = {
    "delivery_model": None,
    "pricing_model": "per_fte_month",
    "unit_price": Decimal("1777.77"),
    "currency": "USD",
}


@pytest.fixture
def due_diligence(rfp):
    questionnaire = Questionnaire.objects.get(name="BPO due diligence")
    RfpRound.objects.filter(pk=rfp.pk).update(questionnaire=questionnaire)
    rfp.refresh_from_db()
    return {q.text: q for q in questionnaire.questions.all()}


def _attrition(questions) -> Question:
    return questions["Agent attrition over the last 12 months (%)"]


def _quote() -> dict:
    return QUOTE | {"delivery_model": delivery_model("offshore")}


def test_the_seeded_set_covers_security_compliance_and_staffing(due_diligence):
    texts = " ".join(due_diligence)
    for topic in ("ISO 27001", "SOC 2 Type II", "PCI DSS", "EEA", "penetration test", "attrition"):
        assert topic in texts
    assert _attrition(due_diligence).kind == Question.Kind.NUMBER
    assert _attrition(due_diligence).criterion_name == "Attrition %"


def test_the_contact_answers_with_the_quote_on_the_portal(client, contact, rfp, due_diligence):
    pci = due_diligence["What is your PCI DSS role?"]
    client.force_login(contact.user)
    page = client.get(reverse("sourcing:portal_response", args=[rfp.pk]))

    client.post(
        reverse("sourcing:portal_response", args=[rfp.pk]),
        {
            "delivery_model": delivery_model("offshore").pk,
            "pricing_model": "per_fte_month",
            "unit_price": "1777.77",
            "currency": "USD",
            f"q{_attrition(due_diligence).pk}": "18.5",
            f"q{pci.pk}": "Level 1 service provider",
        },
    )

    assert "BPO due diligence" in page.text and "PCI DSS" in page.text
    values = dict(Answer.objects.values_list("question__text", "value"))
    assert values[_attrition(due_diligence).text] == "18.5"
    assert values[pci.text] == "Level 1 service provider"


@pytest.mark.parametrize(
    ("text", "value", "message"),
    [
        ("Agent attrition over the last 12 months (%)", "a lot", "enter a number"),
        ("What is your PCI DSS role?", "Level 9", "choose one of Level 1 service provider"),
        ("Did an independent penetration test run in the last 12 months?", "maybe", "yes, no"),
    ],
)
def test_an_answer_that_does_not_fit_its_kind_is_refused_naming_the_question(
    contact, rfp, due_diligence, text, value, message
):
    question = due_diligence[text]

    with pytest.raises(RoundError, match=message) as caught:
        response_save(rfp=rfp, contact=contact, answers={question.pk: value}, **_quote())

    assert text in str(caught.value)
    assert not Answer.objects.exists()


def test_answers_are_sealed_then_side_by_side_and_feed_the_measured_criterion(
    client, contact, rfp, due_diligence, evaluation
):
    attrition = criterion_add_own(
        evaluation=evaluation,
        user=evaluation.owner,
        name="Attrition %",
        source=Criterion.Source.MEASURED,
        direction=Criterion.Direction.COST,
        unit="%",
        low="0",
        high="60",
    )
    response_save(
        rfp=rfp, contact=contact, answers={_attrition(due_diligence).pk: "18.5"}, **_quote()
    )
    response_submit(rfp=rfp, contact=contact)
    with pytest.raises(Sealed):
        opened_answers(rfp, [])
    client.force_login(evaluation.owner)
    assert "18.5" not in client.get(reverse("sourcing:round", args=[evaluation.pk])).text

    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    round_open(rfp=RfpRound.objects.get(), user=evaluation.owner)

    measurement = Measurement.objects.get(evaluation=evaluation, criterion=attrition)
    assert measurement.vendor == contact.vendor and measurement.value == Decimal("18.5")
    rfp.refresh_from_db()
    rows = {row.question.text: row.answers for row in opened_answers(rfp, opened_responses(rfp))}
    assert rows[_attrition(due_diligence).text] == ("18.5",)
    page = client.get(reverse("sourcing:round", args=[evaluation.pk])).text
    assert reverse("sourcing:compare", args=[evaluation.pk]) in page
    compared = client.get(reverse("sourcing:compare", args=[evaluation.pk])).text
    assert "18.5" in compared and "No answer" in compared


def test_an_answer_outside_the_criterions_range_stops_the_whole_opening(
    contact, rfp, due_diligence, evaluation
):
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
    response_save(
        rfp=rfp, contact=contact, answers={_attrition(due_diligence).pk: "75"}, **_quote()
    )
    response_submit(rfp=rfp, contact=contact)
    RfpRound.objects.filter(pk=rfp.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))

    with pytest.raises(RoundError, match="Alpha BPO's answer cannot become a measurement"):
        round_open(rfp=RfpRound.objects.get(), user=evaluation.owner)

    assert RfpRound.objects.get().opened_at is None
    assert evaluation.quotes.get(vendor=contact.vendor).unit_price == Decimal("2000.00")
    assert not Measurement.objects.exists()


def test_the_questionnaire_cannot_change_once_a_vendor_answered(contact, rfp, due_diligence):
    response_save(
        rfp=rfp, contact=contact, answers={_attrition(due_diligence).pk: "10"}, **_quote()
    )

    with pytest.raises(RoundError, match="Questionnaire: vendors have started answering") as caught:
        round_save(
            evaluation=rfp.evaluation,
            user=rfp.evaluation.owner,
            scope=rfp.scope,
            deadline=rfp.deadline,
            questionnaire=None,
        )

    assert caught.value.field == "questionnaire"
    assert RfpRound.objects.get().questionnaire is not None


def test_a_new_round_offers_the_due_diligence_set(client, evaluation):
    client.force_login(evaluation.owner)

    page = client.get(reverse("sourcing:round", args=[evaluation.pk]))

    assert page.context["form"].initial["questionnaire"].name == "BPO due diligence"
