"""Colleagues get a staff role by invitation: the administrator names an address, the colleague accepts.

Beheer answers the same whether or not the address has an account, and the role is given only when
the person behind the address accepts, with their own password or a new account.
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grants.accounts.models import FunderInvitation
from grants.models import AuditEvent, FunderRole, User
from tests.factories import PASSWORD, UserFactory
from workflow.states import Role

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {
    "first_name": "Sanne",
    "last_name": "van der Heijden",
    "password1": "subsidie-en-stempel-2026",
    "password2": "subsidie-en-stempel-2026",
}


def invite(beheer, world, email, role=Role.OFFICER, capture=None):
    with capture(execute=True):
        response = beheer.post(
            reverse("beheer:accounts_funderinvitation_add"),
            {"email": email, "funder": world.funder.pk, "role": role},
            follow=True,
        )
    assert response.status_code == 200
    return response


def accept_url(invitation) -> str:
    return reverse("accounts:accept_invitation", args=[invitation.token])


def test_beheer_says_the_same_whether_or_not_the_address_has_an_account(
    beheer, world, django_capture_on_commit_callbacks
):
    UserFactory(email="heeft.account@example.nl")
    pages = [
        invite(beheer, world, email, capture=django_capture_on_commit_callbacks).content.decode()
        for email in ("heeft.account@example.nl", "nog.geen.account@example.nl")
    ]
    assert "Wij hebben een uitnodiging gestuurd naar heeft.account@example.nl." in pages[0]
    assert "Wij hebben een uitnodiging gestuurd naar nog.geen.account@example.nl." in pages[1]
    assert [message.to for message in mail.outbox] == [["heeft.account@example.nl"], ["nog.geen.account@example.nl"]]
    first, second = (
        FunderInvitation.objects.get(email=email)
        for email in ("heeft.account@example.nl", "nog.geen.account@example.nl")
    )
    assert mail.outbox[0].body.replace(first.token, "…") == mail.outbox[1].body.replace(second.token, "…")
    assert not FunderRole.objects.filter(funder=world.funder).exclude(user=world.admin).exists()


def test_the_form_starts_at_the_administrators_funder_and_only_sends(beheer, world):
    form = beheer.get(reverse("beheer:accounts_funderinvitation_add"))
    assert form.context["adminform"].form.initial["funder"] == world.funder.pk
    page = form.content.decode()
    assert "<title>Uitnodiging voor een collega toevoegen | " in page  # Django's Dutch gives "uitnodiging …"
    assert "<h1>Uitnodiging voor een collega toevoegen</h1>" in page
    assert 'name="_save"' in page
    assert 'name="_addanother"' not in page
    assert 'name="_continue"' not in page


def test_the_invitation_e_mail_is_dutch_and_names_the_role_and_the_funder(
    beheer, world, django_capture_on_commit_callbacks
):
    invite(beheer, world, "Nieuwe.Collega@Example.NL ", Role.DECIDER, capture=django_capture_on_commit_callbacks)
    invitation = FunderInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "nieuwe.collega@example.nl",
        Role.DECIDER,
        world.admin,
    )
    (message,) = mail.outbox
    assert message.subject == f"{world.admin} nodigt u uit als besluitnemer bij {world.funder.name} in Grantdesk"
    assert accept_url(invitation) in message.body
    assert accept_url(invitation) in message.alternatives[0][0]
    assert AuditEvent.objects.filter(action="funder_invitation_sent", funder=world.funder).exists()


def test_a_colleague_without_an_account_makes_one_and_has_the_role(beheer, world, django_capture_on_commit_callbacks):
    invite(beheer, world, "sanne@example.nl", capture=django_capture_on_commit_callbacks)
    invitation = FunderInvitation.objects.get()
    visitor = Client()
    page = visitor.get(accept_url(invitation)).content.decode()
    assert f"Word behandelaar bij {world.funder.name}" in page
    short = visitor.post(accept_url(invitation), {**NEW_ACCOUNT, "password2": "iets-anders"})
    assert short.status_code == 200
    assert 'value="Sanne"' in short.content.decode()  # what was typed stays
    response = visitor.post(accept_url(invitation), NEW_ACCOUNT, follow=True)
    sanne = User.objects.get(email="sanne@example.nl")
    assert FunderRole.objects.filter(user=sanne, funder=world.funder, role=Role.OFFICER).exists()
    assert f"U bent nu behandelaar bij {world.funder.name}." in response.content.decode()
    assert response.context["user"] == sanne
    given = AuditEvent.objects.get(action="role_given", funder=world.funder)
    assert (given.actor, given.data["email"]) == (world.admin, "sanne@example.nl")
    # The link works once.
    assert Client().get(accept_url(invitation)).status_code == 410


def test_a_colleague_with_an_account_accepts_with_its_password(beheer, world, django_capture_on_commit_callbacks):
    colleague = UserFactory(email="bram@example.nl")
    invite(beheer, world, "bram@example.nl", Role.FINANCE, capture=django_capture_on_commit_callbacks)
    invitation = FunderInvitation.objects.get()
    visitor = Client()
    wrong = visitor.post(accept_url(invitation), {"password": "niet-goed"})
    assert "Dit wachtwoord klopt niet" in wrong.content.decode()
    assert not FunderRole.objects.filter(user=colleague).exists()
    visitor.post(accept_url(invitation), {"password": PASSWORD})
    assert FunderRole.objects.filter(user=colleague, funder=world.funder, role=Role.FINANCE).exists()


def test_someone_signed_in_with_another_address_cannot_take_the_role(beheer, world, django_capture_on_commit_callbacks):
    invite(beheer, world, "bedoeld@example.nl", capture=django_capture_on_commit_callbacks)
    invitation = FunderInvitation.objects.get()
    other = Client()
    other.force_login(UserFactory(email="iemand.anders@example.nl"))
    assert other.get(accept_url(invitation)).status_code == 403
    assert other.post(accept_url(invitation)).status_code == 403
    assert not FunderRole.objects.filter(funder=world.funder).exclude(user=world.admin).exists()


def test_a_withdrawn_or_replaced_invitation_no_longer_works(beheer, world, django_capture_on_commit_callbacks):
    invite(beheer, world, "later@example.nl", capture=django_capture_on_commit_callbacks)
    first = FunderInvitation.objects.get()
    invite(beheer, world, "later@example.nl", capture=django_capture_on_commit_callbacks)  # sent again
    first.refresh_from_db()
    second = FunderInvitation.objects.exclude(pk=first.pk).get()
    assert first.revoked_at is not None
    # The first e-mail's link points to the newer one while that is open.
    page = Client().get(accept_url(first)).content.decode()
    assert "Er is sindsdien een nieuwere uitnodiging naar dit adres gestuurd." in page
    response = beheer.post(
        reverse("beheer:accounts_funderinvitation_changelist"),
        {"action": "withdraw", "_selected_action": [second.pk]},
        follow=True,
    )
    assert "Eén uitnodiging ingetrokken." in response.content.decode()
    for invitation in (first, second):
        page = Client().get(accept_url(invitation))
        assert page.status_code == 410
        assert "Vraag de beheerder van uw subsidieverstrekker zo nodig om een nieuwe." in page.content.decode()
    assert AuditEvent.objects.filter(action="funder_invitation_revoked", subject_id=second.pk).exists()


def test_an_invitation_expires_after_two_weeks(beheer, world, django_capture_on_commit_callbacks):
    invite(beheer, world, "traag@example.nl", capture=django_capture_on_commit_callbacks)
    invitation = FunderInvitation.objects.get()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        page = Client().get(accept_url(invitation))
    assert page.status_code == 410
    assert "verlopen" in page.content.decode()


def test_taking_an_administrators_role_withdraws_the_invitations_they_sent(
    beheer, world, django_capture_on_commit_callbacks
):
    second_admin = UserFactory(email="tweede.beheerder@example.nl")
    their_role = FunderRole.objects.create(user=second_admin, funder=world.funder, role=Role.ADMIN)
    theirs = FunderInvitation.objects.create(
        funder=world.funder, role=Role.DECIDER, email="via.tweede@example.nl", invited_by=second_admin
    )
    invite(beheer, world, "via.eerste@example.nl", capture=django_capture_on_commit_callbacks)
    beheer.post(reverse("beheer:grants_funderrole_delete", args=[their_role.pk]), {"post": "yes"})
    theirs.refresh_from_db()
    assert theirs.state == FunderInvitation.State.REVOKED
    assert FunderInvitation.objects.get(email="via.eerste@example.nl").state == FunderInvitation.State.PENDING
    event = AuditEvent.objects.get(action="funder_invitation_revoked", subject_id=theirs.pk)
    assert (event.actor, event.data["why"]) == (world.admin, "inviter_no_longer_admin")


def test_the_list_says_when_an_open_invitation_no_longer_gives_the_role(beheer, world):
    """The link refuses once its sender's account is switched off; the list of invitations says so too,
    instead of calling it pending. One query for the standing of every row's sender."""
    switched_off = UserFactory(email="vertrokken.beheerder@example.nl")
    FunderRole.objects.create(user=switched_off, funder=world.funder, role=Role.ADMIN)
    for number in range(3):
        FunderInvitation.objects.create(
            funder=world.funder, role=Role.OFFICER, email=f"collega{number}@example.nl", invited_by=switched_off
        )
    FunderInvitation.objects.create(
        funder=world.funder, role=Role.OFFICER, email="nog.geldig@example.nl", invited_by=world.admin
    )
    switched_off.is_active = False
    switched_off.save(update_fields=["is_active"])

    page = beheer.get(reverse("beheer:accounts_funderinvitation_changelist"))
    rows = page.content.decode().split("<tr")

    def row_of(email):
        (row,) = [row for row in rows if f">{email}<" in row]
        return row

    for number in range(3):
        assert "Niet meer geldig: de afzender is geen beheerder meer" in row_of(f"collega{number}@example.nl")
    assert "Niet meer geldig" not in row_of("nog.geldig@example.nl")
    assert ">Open<" in row_of("nog.geldig@example.nl")


def test_only_an_administrator_role_at_the_invitations_own_funder_keeps_it_valid(beheer, world):
    """The standing is the sender's at this funder and as administrator: an administrator of another funder,
    or an officer here, gives this funder's role to nobody. Another funder's invitations stay out of the list."""
    elsewhere = UserFactory(email="beheerder.elders@example.nl")
    FunderRole.objects.create(user=elsewhere, funder=world.other_funder, role=Role.ADMIN)
    officer_here = UserFactory(email="behandelaar.hier@example.nl")
    FunderRole.objects.create(user=officer_here, funder=world.funder, role=Role.OFFICER)
    for sender, email in ((elsewhere, "via.elders@example.nl"), (officer_here, "via.behandelaar@example.nl")):
        FunderInvitation.objects.create(funder=world.funder, role=Role.OFFICER, email=email, invited_by=sender)
    FunderInvitation.objects.create(
        funder=world.other_funder, role=Role.OFFICER, email="ander.fonds@example.nl", invited_by=world.other_admin
    )
    html = beheer.get(reverse("beheer:accounts_funderinvitation_changelist")).content.decode()
    rows = {email: row for row in html.split("<tr") for email in ("via.elders", "via.behandelaar") if email in row}
    assert len(rows) == 2
    assert all("Niet meer geldig" in row for row in rows.values())
    assert "ander.fonds@example.nl" not in html
