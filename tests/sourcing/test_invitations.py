"""The team writes the request and invites a candidate's contact; the e-mailed link sets a password
once, is refused after use and after expiry, and the contact then sees the portal and nothing else."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from bpo_select.roles import Role
from sourcing.models import Invitation, RfpRound
from sourcing.services import RoundError, round_save
from tests.factories import AnalystFactory, VendorFactory, rankable_evaluation
from tests.sourcing.factories import VendorContactFactory, invite


def _deadline(days: int = 5) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _round_and_invite(client, evaluation, vendor, email="ops@alpha.example"):
    client.force_login(evaluation.owner)
    client.post(
        reverse("sourcing:round", args=[evaluation.pk]),
        {"scope": "Inbound care in German", "sla_targets": "80/20", "deadline": _deadline()},
    )
    return client.post(
        reverse("sourcing:round_invite", args=[evaluation.pk]),
        {"vendor": vendor.pk, "email": email},
    )


def _link(mail) -> str:
    return re.search(r"https?://\S+/portal/invitation/\S+/", mail.body).group(0)


def test_the_analyst_saves_the_round_and_an_invitation_is_emailed_with_a_link(
    client, evaluation, alpha, mailoutbox
):
    response = _round_and_invite(client, evaluation, alpha)

    assert response.status_code == 302
    rfp = RfpRound.objects.get(evaluation=evaluation)
    assert rfp.scope == "Inbound care in German" and rfp.deadline > timezone.now()
    [mail] = mailoutbox
    assert mail.to == ["ops@alpha.example"] and "Customer care 2027" in mail.subject
    token = _link(mail).rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(round=rfp)
    assert token not in invitation.token_hash  # only the hash is stored
    assert invitation.expires_at <= rfp.deadline


def test_the_link_sets_a_password_once_and_signs_the_contact_in(
    client, evaluation, alpha, mailoutbox
):
    _round_and_invite(client, evaluation, alpha)
    client.logout()
    link = _link(mailoutbox[0])

    page = client.get(link)
    done = client.post(link, {"new_password1": "Quote-2027-ok", "new_password2": "Quote-2027-ok"})

    assert page.status_code == 200 and "Alpha BPO" in page.text
    assert done.status_code == 302 and done["Location"] == reverse("sourcing:portal")
    user = User.objects.get(username="ops@alpha.example")
    assert user.check_password("Quote-2027-ok")
    assert user.groups.filter(name=Role.VENDOR_CONTACT).exists()
    assert user.vendor_contact.vendor == alpha
    assert Invitation.objects.get().accepted_at is not None
    again = client.get(link)
    assert again.status_code == 410 and "already used" in again.text


def test_an_expired_link_is_refused_on_a_page_and_creates_nobody(
    client, evaluation, alpha, mailoutbox
):
    _round_and_invite(client, evaluation, alpha)
    client.logout()
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    link = _link(mailoutbox[0])

    response = client.post(
        link, {"new_password1": "Quote-2027-ok", "new_password2": "Quote-2027-ok"}
    )

    assert response.status_code == 410 and "expired" in response.text
    assert not User.objects.filter(username="ops@alpha.example").exists()


def test_an_unknown_link_is_a_404_page(client, db):
    response = client.get(reverse("sourcing:portal_accept", args=["made-up-token"]))

    assert response.status_code == 404 and "not valid" in response.text


def test_a_weak_password_is_refused_with_the_reason(client, evaluation, alpha, mailoutbox):
    _round_and_invite(client, evaluation, alpha)
    client.logout()

    response = client.post(_link(mailoutbox[0]), {"new_password1": "123", "new_password2": "123"})

    assert response.status_code == 200 and "too short" in response.text
    assert Invitation.objects.get().accepted_at is None


def test_only_candidates_may_be_invited_and_each_email_once(client, evaluation, alpha, mailoutbox):
    _round_and_invite(client, evaluation, alpha)
    stranger = VendorFactory(name="Stranger BPO")

    twice = client.post(
        reverse("sourcing:round_invite", args=[evaluation.pk]),
        {"vendor": alpha.pk, "email": "OPS@alpha.example"},
    )
    outside = client.post(
        reverse("sourcing:round_invite", args=[evaluation.pk]),
        {"vendor": stranger.pk, "email": "x@stranger.example"},
    )

    assert "already invited" in twice.text
    assert outside.status_code == 200 and "Candidate vendor" in outside.text
    assert Invitation.objects.count() == 1 and len(mailoutbox) == 1


def test_a_deadline_in_the_past_is_refused_naming_the_field(evaluation):
    with pytest.raises(RoundError, match="Deadline: choose a moment in the future") as caught:
        round_save(
            evaluation=evaluation,
            user=evaluation.owner,
            scope="Care",
            deadline=timezone.now() - dt.timedelta(hours=1),
        )
    assert caught.value.field == "deadline"
    assert not RfpRound.objects.exists()


def test_another_teams_analyst_gets_a_404_and_cannot_invite(client, evaluation, alpha):
    client.force_login(AnalystFactory())

    page = client.get(reverse("sourcing:round", args=[evaluation.pk]))
    post = client.post(
        reverse("sourcing:round_invite", args=[evaluation.pk]),
        {"vendor": alpha.pk, "email": "a@b.c"},
    )

    assert page.status_code == 404 and post.status_code == 404
    assert not Invitation.objects.exists()


def test_a_contact_sees_only_the_portal(client, contact):
    client.force_login(contact.user)

    assert client.get(reverse("dashboard"))["Location"] == reverse("sourcing:portal")
    assert client.get(reverse("vendors:directory")).status_code == 403
    assert client.get(reverse("vendors:detail", args=[contact.vendor.pk])).status_code == 403
    assert client.get(reverse("scoring:evaluation_list")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 403
    portal = client.get(reverse("sourcing:portal"))
    assert portal.status_code == 200 and "Customer care 2027" in portal.text
    assert "Vendors</a>" not in portal.text  # the main navigation is the portal's only


def test_a_contact_never_sees_another_vendors_round(client, contact):
    other = rankable_evaluation(("Zeta BPO",), title="Someone else's round")
    zeta = other.candidates.get().vendor
    invite(other, zeta)
    beta_contact = VendorContactFactory(vendor=zeta)
    client.force_login(contact.user)

    portal = client.get(reverse("sourcing:portal"))
    foreign = client.get(reverse("sourcing:portal_response", args=[other.rfp_round.pk]))

    assert "Someone else" not in portal.text
    assert foreign.status_code == 404
    client.force_login(beta_contact.user)
    assert (
        client.get(
            reverse("sourcing:portal_response", args=[contact.invitations.get().round.pk])
        ).status_code
        == 404
    )


def test_an_existing_contact_is_told_to_sign_in_and_gets_no_link(
    client, evaluation, contact, mailoutbox
):
    beta = evaluation.candidates.get(vendor__name="Beta BPO").vendor
    colleague = VendorContactFactory(vendor=beta, user__username="beta.ops")

    _round_and_invite(client, evaluation, beta, email=colleague.user.email)

    [mail] = mailoutbox
    assert "sign in" in mail.body and "/portal/invitation/" not in mail.body
    assert Invitation.objects.get(email=colleague.user.email).contact == colleague


def test_an_email_of_another_vendors_contact_is_refused(client, evaluation, alpha):
    beta = evaluation.candidates.get(vendor__name="Beta BPO").vendor
    contact = VendorContactFactory(vendor=alpha)

    response = _round_and_invite(client, evaluation, beta, email=contact.user.email)

    assert "is a contact of Alpha BPO, not Beta BPO" in response.text
    assert not Invitation.objects.filter(vendor=beta).exists()


def test_two_vendors_in_one_round_never_see_each_others_response(client, evaluation, contact, rfp):
    from sourcing.services import response_save
    from tests.factories import delivery_model

    beta = evaluation.candidates.get(vendor__name="Beta BPO").vendor
    beta_contact = VendorContactFactory(vendor=beta)
    invite(evaluation, beta, contact=beta_contact)
    response_save(
        rfp=rfp,
        contact=contact,
        delivery_model=delivery_model("offshore"),
        pricing_model="per_fte_month",
        unit_price="1777.77",
        currency="USD",
        notes="Alpha only",
    )
    client.force_login(beta_contact.user)

    page = client.get(reverse("sourcing:portal_response", args=[rfp.pk]))

    assert page.status_code == 200
    assert "1777.77" not in page.text and "Alpha only" not in page.text
