"""Team invitations: only the contact person invites; links expire, work once, can be withdrawn."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from grants.accounts import actions
from grants.accounts.models import TeamInvitation
from grants.models import AuditEvent, TeamMembership, User
from tests.factories import PASSWORD, TeamFactory, UserFactory
from tests.factories.accounts import TeamInvitationFactory
from workflow.exceptions import ActionRefused, PermissionRefused

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {
    "first_name": "Bram",
    "last_name": "Jansen",
    "password1": "klei-en-kwast-2026",
    "password2": "klei-en-kwast-2026",
}


@pytest.fixture
def team():
    return TeamFactory(name="Cultuurteam De Esch", contact=UserFactory(first_name="Anna", last_name="de Vries"))


def test_the_contact_person_invites_by_e_mail_in_dutch_after_commit(client, team, django_capture_on_commit_callbacks):
    client.force_login(team.contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/team/invite/", {"email": "Docent@School.NL "})
    assert response["Location"] == "/accounts/team/"
    invitation = TeamInvitation.objects.get()
    assert invitation.email == "docent@school.nl"
    assert invitation.invited_by == team.contact
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    (message,) = mail.outbox
    assert message.to == ["docent@school.nl"]
    assert message.subject == "Anna de Vries nodigt u uit voor het team Cultuurteam De Esch in Grantdesk"
    assert f"/accounts/invitation/{invitation.token}/" in message.body
    assert f"/accounts/invitation/{invitation.token}/" in message.alternatives[0][0]
    assert "Daar vraagt uw team subsidie aan en volgt u de aanvragen." in message.body
    assert "cultuuronderwijs" not in message.body + message.alternatives[0][0]  # not every funder's subject
    assert AuditEvent.objects.filter(action="team_invitation_sent", subject_id=invitation.pk).exists()
    page = client.get("/accounts/team/").content.decode()
    assert "docent@school.nl" in page
    assert "Intrekken" in page


def test_a_member_who_is_not_the_contact_person_cannot_invite(client, team):
    colleague = UserFactory()
    TeamMembership.objects.create(team=team, user=colleague)
    client.force_login(colleague)
    page = client.get("/accounts/team/").content.decode()
    assert "Uitnodiging versturen" not in page
    assert "Alleen de contactpersoon van het team, Anna de Vries, kan collega\u2019s uitnodigen." in page
    response = client.post("/accounts/team/invite/", {"email": "docent@school.nl"}, follow=True)
    assert "Alleen de contactpersoon van het team kan collega\u2019s uitnodigen." in response.content.decode()
    assert not TeamInvitation.objects.exists()
    with pytest.raises(PermissionRefused):
        actions.invitation_send(team=team, email="docent@school.nl", actor=colleague)
    assert mail.outbox == []


def test_nothing_is_sent_when_the_invitation_is_refused(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ActionRefused):
        actions.invitation_send(team=team, email=team.contact.email, actor=team.contact)
    assert callbacks == []
    assert mail.outbox == []


def test_inviting_again_replaces_the_open_link(client, team):
    first = actions.invitation_send(team=team, email="docent@school.nl", actor=team.contact)
    second = actions.invitation_send(team=team, email="docent@school.nl", actor=team.contact)
    first.refresh_from_db()
    assert first.state == TeamInvitation.State.REVOKED
    assert second.state == TeamInvitation.State.PENDING
    page = client.get(f"/accounts/invitation/{first.token}/").content.decode()
    assert "Er is sindsdien een nieuwere uitnodiging naar dit adres gestuurd." in page  # not "ask for a new one"
    actions.invitation_revoke(invitation=second, actor=team.contact)
    page = client.get(f"/accounts/invitation/{first.token}/").content.decode()
    assert "Vraag de contactpersoon van het team zo nodig om een nieuwe." in page


def test_a_new_colleague_sets_name_and_password_and_is_signed_in_as_member(client, team):
    invitation = TeamInvitationFactory(team=team, email="docent@school.nl")
    url = f"/accounts/invitation/{invitation.token}/"
    page = client.get(url).content.decode()
    assert "Word lid van team Cultuurteam De Esch" in page
    response = client.post(url, {**NEW_ACCOUNT, "password2": "iets-anders-2026"})
    page = response.content.decode()
    assert "De twee wachtwoorden zijn niet gelijk." in page
    assert 'value="Bram"' in page
    assert 'value="Jansen"' in page
    response = client.post(url, NEW_ACCOUNT)
    assert response["Location"] == "/"
    user = User.objects.get(email="docent@school.nl")
    assert user.get_full_name() == "Bram Jansen"
    assert user.check_password("klei-en-kwast-2026")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session["active_team_id"] == team.pk
    assert TeamMembership.objects.filter(team=team, user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    assert AuditEvent.objects.filter(action="team_invitation_accepted", subject_id=invitation.pk).exists()


def test_an_existing_account_joins_with_its_password(client, team):
    teacher = UserFactory(email="docent@school.nl")
    invitation = TeamInvitationFactory(team=team, email="docent@school.nl")
    url = f"/accounts/invitation/{invitation.token}/"
    assert "U heeft al een Grantdesk-account" in client.get(url).content.decode()
    response = client.post(url, {"password": "fout"})
    assert "Dit wachtwoord klopt niet." in response.content.decode()
    assert not TeamMembership.objects.filter(team=team, user=teacher).exists()
    response = client.post(url, {"password": PASSWORD})
    assert response["Location"] == "/"
    assert TeamMembership.objects.filter(team=team, user=teacher).exists()


def test_a_switched_off_account_cannot_join_even_with_its_password(client, team):
    teacher = UserFactory(email="oud@school.nl", is_active=False)
    invitation = TeamInvitationFactory(team=team, email="oud@school.nl")
    response = client.post(f"/accounts/invitation/{invitation.token}/", {"password": PASSWORD})
    assert "Dit wachtwoord klopt niet." in response.content.decode()
    assert not TeamMembership.objects.filter(team=team, user=teacher).exists()
    assert "_auth_user_id" not in client.session


def test_a_signed_in_invitee_joins_with_one_click_and_another_user_is_told_to_sign_out(client, team):
    teacher = UserFactory(email="docent@school.nl")
    invitation = TeamInvitationFactory(team=team, email="docent@school.nl")
    url = f"/accounts/invitation/{invitation.token}/"
    client.force_login(UserFactory(email="iemand.anders@school.nl"))
    response = client.get(url)
    assert response.status_code == 403
    assert "maar u bent ingelogd als iemand.anders@school.nl" in response.content.decode()
    assert client.post(url).status_code == 403
    client.force_login(teacher)
    assert client.post(url)["Location"] == "/"
    assert TeamMembership.objects.filter(team=team, user=teacher).exists()


def test_an_expired_link_says_so_and_creates_nothing(client, team):
    invitation = TeamInvitationFactory(team=team, email="docent@school.nl")
    url = f"/accounts/invitation/{invitation.token}/"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=14, minutes=1)):
        response = client.post(url, NEW_ACCOUNT)
    assert response.status_code == 410
    assert "Deze uitnodiging is verlopen." in response.content.decode()
    assert not User.objects.filter(email="docent@school.nl").exists()


def test_a_used_link_works_once(client, team):
    invitation = TeamInvitationFactory(team=team, email="docent@school.nl")
    url = f"/accounts/invitation/{invitation.token}/"
    client.post(url, NEW_ACCOUNT)
    client.logout()
    response = client.post(url, NEW_ACCOUNT)
    assert response.status_code == 410
    assert "Deze uitnodiging is al gebruikt." in response.content.decode()
    with pytest.raises(ActionRefused):
        actions.invitation_accept(invitation=invitation, actor=User.objects.get(email="docent@school.nl"))


def test_a_withdrawn_link_says_so(client, team):
    invitation = TeamInvitationFactory(team=team, email="docent@school.nl")
    client.force_login(team.contact)
    response = client.post(f"/accounts/team/invitations/{invitation.pk}/revoke/", follow=True)
    assert "De uitnodiging aan docent@school.nl is ingetrokken." in response.content.decode()
    client.logout()
    response = client.get(f"/accounts/invitation/{invitation.token}/")
    assert response.status_code == 410
    assert "Deze uitnodiging is ingetrokken." in response.content.decode()


def test_an_unknown_link_is_404_with_a_clear_message(client):
    response = client.get("/accounts/invitation/niet-echt/")
    assert response.status_code == 404
    assert "Deze uitnodigingslink is niet geldig." in response.content.decode()


def test_a_link_with_a_nul_or_a_character_no_token_has_never_reaches_the_lookup(client):
    response = client.get("/accounts/invitation/abc%00def/")
    assert response.status_code == 400  # the site's page, not a 500 from PostgreSQL
    assert 'href="/"' in response.content.decode()
    response = client.get("/accounts/invitation/abc.def/")
    assert response.status_code == 404
    assert 'href="/"' in response.content.decode()


def test_only_this_teams_contact_may_withdraw_its_invitations(client, team):
    invitation = TeamInvitationFactory(team=team)
    other_contact = TeamFactory().contact
    client.force_login(other_contact)
    assert client.post(f"/accounts/team/invitations/{invitation.pk}/revoke/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_malformed_invitation_ids_are_404(client, team):
    client.force_login(team.contact)
    assert client.post("/accounts/team/invitations/99999999999999999999/revoke/").status_code == 404


def test_the_admin_lists_invitations_read_only(admin_client):
    invitation = TeamInvitationFactory()
    page = admin_client.get("/admin/accounts/teaminvitation/").content.decode()
    assert invitation.email in page
    detail = admin_client.get(f"/admin/accounts/teaminvitation/{invitation.pk}/change/").content.decode()
    assert invitation.token not in detail
