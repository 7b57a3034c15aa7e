"""The sourcing admin keeps the seal: a response's quote and answers stay out of it until the round
is opened; an invitation never shows its token's hash; answered questions keep their wording; a
contact cannot be moved to another vendor there."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sourcing.models import Answer, Invitation, Questionnaire, RfpRound
from sourcing.opening import open_due_rounds
from sourcing.services import response_save, response_submit
from tests.factories import UserFactory, delivery_model
from tests.sourcing.factories import invite

SECRET_PRICE = Decimal("1888.88")
ATTRITION = "Agent attrition over the last 12 months (%)"


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def questionnaire(rfp):
    questionnaire = Questionnaire.objects.get(name="BPO due diligence")
    RfpRound.objects.filter(pk=rfp.pk).update(questionnaire=questionnaire)
    rfp.refresh_from_db()
    return questionnaire


@pytest.fixture
def submitted(contact, rfp, questionnaire):
    question = questionnaire.questions.get(text=ATTRITION)
    response_save(
        rfp=rfp,
        contact=contact,
        answers={question.pk: "17.25"},
        delivery_model=delivery_model("offshore"),
        pricing_model="per_fte_month",
        unit_price=SECRET_PRICE,
        currency="USD",
        notes="Secret sauce",
    )
    return response_submit(rfp=rfp, contact=contact)


def _secrets_in(body: bytes) -> list[bytes]:
    return [part for part in (b"1888", b"1,888", b"Secret sauce", b"17.25") if part in body]


def test_before_the_opening_the_response_admin_shows_status_only(client, superuser, submitted):
    client.force_login(superuser)
    pages = [
        reverse("admin:sourcing_response_changelist"),
        reverse("admin:sourcing_response_change", args=[submitted.pk]),
        reverse("admin:sourcing_response_history", args=[submitted.pk]),
    ]

    bodies = {url: client.get(url) for url in pages}

    assert all(page.status_code == 200 for page in bodies.values())
    leaked = {url: _secrets_in(page.content) for url, page in bodies.items()}
    assert [url for url, parts in leaked.items() if parts] == []
    assert "Submitted" in bodies[pages[1]].text
    # Filtering on the content would tell whether a bid has a price: the admin refuses it.
    probe = client.get(reverse("admin:sourcing_response_changelist"), {"unit_price": "1888.88"})
    assert probe.status_code == 400


def test_after_the_opening_the_response_admin_shows_the_quote_and_answers(
    client, superuser, submitted
):
    RfpRound.objects.filter(pk=submitted.round_id).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    assert open_due_rounds() == 1
    client.force_login(superuser)

    page = client.get(reverse("admin:sourcing_response_change", args=[submitted.pk]))

    assert b"1888.88" in page.content and b"Secret sauce" in page.content
    assert b"17.25" in page.content and ATTRITION.encode() in page.content


def test_the_invitation_admin_never_shows_the_tokens_hash(client, superuser, evaluation, alpha):
    invitation = invite(evaluation, alpha, email="new@alpha.example")
    client.force_login(superuser)

    page = client.get(reverse("admin:sourcing_invitation_change", args=[invitation.pk]))

    assert page.status_code == 200 and "new@alpha.example" in page.text
    assert invitation.token_hash not in page.text
    assert "token_hash" not in page.text and "Token hash" not in page.text
    assert Invitation.objects.get(pk=invitation.pk).token_hash == invitation.token_hash


def test_answered_questions_are_read_only_in_the_questionnaire_admin(
    client, superuser, submitted, questionnaire
):
    client.force_login(superuser)
    url = reverse("admin:sourcing_questionnaire_change", args=[questionnaire.pk])

    page = client.get(url)

    [questions] = page.context["inline_admin_formsets"]
    assert not (questions.has_add_permission or questions.has_change_permission)
    assert not questions.has_delete_permission
    assert Answer.objects.filter(question__questionnaire=questionnaire).exists()


def test_an_unanswered_questionnaire_can_be_edited_in_the_admin(client, superuser, questionnaire):
    client.force_login(superuser)

    page = client.get(reverse("admin:sourcing_questionnaire_change", args=[questionnaire.pk]))

    [questions] = page.context["inline_admin_formsets"]
    assert questions.has_change_permission and questions.has_add_permission


def test_a_contact_cannot_be_moved_to_another_vendor_in_the_admin(
    client, superuser, contact, evaluation
):
    other = evaluation.candidates.exclude(vendor=contact.vendor).first().vendor
    client.force_login(superuser)
    url = reverse("admin:sourcing_vendorcontact_change", args=[contact.pk])

    client.post(url, {"vendor": other.pk, "user": superuser.pk})

    contact.refresh_from_db()
    assert contact.vendor != other and contact.user.username == "alpha.sales"


@pytest.mark.parametrize("invited", [1, 3])
def test_the_response_changelist_takes_the_same_queries_however_many_responses(
    client, superuser, evaluation, contact, rfp, invited, django_assert_num_queries
):
    for candidate in evaluation.candidates.select_related("vendor")[:invited]:
        response_save(
            rfp=rfp,
            contact=contact.__class__(vendor=candidate.vendor, user=contact.user),
            notes="draft",
        )
    client.force_login(superuser)
    url = reverse("admin:sourcing_response_changelist")
    client.get(url)

    with django_assert_num_queries(6):
        page = client.get(url)
    assert len(page.context["cl"].result_list) == invited
