"""My account (/accounts/me/): the signed-in user's own e-mail address, name, password, teams and roles.

New texts are asserted in English (language cookie "en"): their Dutch is in the catalogue to come.
Django's own texts (the wrong current password) are asserted in Dutch.
"""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from grants.accounts.models import FunderInvitation
from grants.models import AuditEvent, User
from tests.factories import PASSWORD, FunderFactory, TeamFactory, UserFactory, staff
from workflow.states import Role

pytestmark = pytest.mark.django_db

ACCOUNT = "/accounts/me/"
PASSWORD_CHANGE = "/accounts/me/password/"
NEW_PASSWORD = "fietsen-langs-de-dijk-2026"


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_account_pages_have_these_addresses():
    assert reverse("accounts:account") == ACCOUNT
    assert reverse("accounts:password_change") == PASSWORD_CHANGE


@pytest.mark.parametrize("role", ["teacher", *Role.values])
def test_every_kind_of_user_reaches_their_account_and_sees_only_their_own(client, role):
    funder, other_funder = FunderFactory(name="Gemeente Eigenstad"), FunderFactory(name="Gemeente Anderstad")
    other_teacher = UserFactory(email="ander@school.nl")
    TeamFactory(name="Team van een ander", contact=other_teacher)
    staff(other_funder, Role.DECIDER, email="andere.beslisser@anderstad.nl")
    if role == "teacher":
        user = UserFactory(email="ik@school.nl", first_name="Sanne", last_name="Bakker")
        TeamFactory(name="Cultuurteam De Esch", contact=user)
        TeamFactory(name="Techniekteam De Esch", members=[user])
    else:
        user = staff(funder, role, email="ik@eigenstad.nl", first_name="Sanne", last_name="Bakker")
    in_english(client).force_login(user)

    response = client.get(ACCOUNT)
    page = response.content.decode()
    assert response.status_code == 200
    assert user.email in page
    assert 'value="Sanne"' in page
    assert 'value="Bakker"' in page
    if role == "teacher":
        assert "Cultuurteam De Esch <span" in page  # and that they are its contact person
        assert "(contact person)" in page
        assert "Techniekteam De Esch" in page
        assert "You hold no role at a funder." in page
    else:
        assert f"{Role(role).label} at Gemeente Eigenstad" in page
        assert "You are not a member of any team." in page
    for someone_elses in ("ander@school.nl", "Team van een ander", "andere.beslisser@anderstad.nl", "Anderstad"):
        assert someone_elses not in page
    # The e-mail address is shown, never a field: it is the sign-in name.
    assert 'name="email"' not in page
    assert "ask the administrator of Grantdesk" in page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for url in (ACCOUNT, PASSWORD_CHANGE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    assert client.post(ACCOUNT, {"first_name": "A", "last_name": "B"})["Location"].startswith("/accounts/login/")


def test_every_page_links_to_my_account_when_signed_in(client):
    teacher = UserFactory()
    TeamFactory(contact=teacher)
    assert 'href="/accounts/me/"' not in client.get("/accounts/login/").content.decode()
    client.force_login(teacher)
    for url in ("/portal/", "/accounts/team/", ACCOUNT):
        assert 'href="/accounts/me/"' in client.get(url).content.decode(), url


def test_beheer_and_the_admin_link_to_my_account(client):
    admin = staff(FunderFactory(), Role.ADMIN)
    client.force_login(admin)
    assert 'href="/accounts/me/"' in client.get("/beheer/").content.decode()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert 'href="/accounts/me/"' in client.get("/admin/").content.decode()


def test_the_change_password_links_of_beheer_and_the_admin_lead_to_the_sites_own_page(client):
    """Django's admin form checked the current password without django-axes and left no audit event."""
    client.force_login(staff(FunderFactory(), Role.ADMIN))
    assert client.get("/beheer/password_change/")["Location"] == PASSWORD_CHANGE
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/password_change/")["Location"] == PASSWORD_CHANGE


def test_a_funder_administrator_without_a_name_sets_it_and_their_invitations_carry_it(
    client, django_capture_on_commit_callbacks
):
    """The platform's superuser made the administrator with an address only: invitations said
    "beheer@… nodigt u uit". Now the administrator sets their name, audited, and the e-mail says who."""
    funder = FunderFactory()
    admin = staff(funder, Role.ADMIN, email="beheer@teststad.nl", first_name="", last_name="")
    client.force_login(admin)

    response = client.post(ACCOUNT, {"first_name": " Marieke ", "last_name": "de Vries"})
    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    admin.refresh_from_db()
    assert (admin.first_name, admin.last_name) == ("Marieke", "de Vries")
    event = AuditEvent.objects.get(action="account_name_changed")
    assert (event.subject, event.actor) == (admin, admin)
    assert event.data == {
        "from": {"first_name": "", "last_name": ""},
        "to": {"first_name": "Marieke", "last_name": "de Vries"},
    }

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("beheer:accounts_funderinvitation_add"),
            {"email": "nieuwe.collega@teststad.nl", "funder": funder.pk, "role": Role.OFFICER},
        )
    assert FunderInvitation.objects.filter(email="nieuwe.collega@teststad.nl").exists()
    (message,) = mail.outbox
    assert "Marieke de Vries nodigt u uit" in message.body
    assert "beheer@teststad.nl nodigt" not in message.body


def test_saving_the_same_name_again_records_nothing(client):
    user = UserFactory(first_name="Sanne", last_name="Bakker")
    client.force_login(user)
    assert client.post(ACCOUNT, {"first_name": "Sanne", "last_name": "Bakker"}).status_code == 302
    assert not AuditEvent.objects.filter(action="account_name_changed").exists()


def test_a_refused_name_answers_422_keeps_what_was_typed_and_changes_nothing(client):
    user = UserFactory(first_name="", last_name="")
    in_english(client).force_login(user)
    response = client.post(ACCOUNT, {"first_name": "Marieke", "last_name": "   "})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'value="Marieke"' in page
    assert page.count('aria-invalid="true"') == 1
    assert response.context["form"].errors == {"last_name": ["This field is required."]}
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("", "")
    assert not AuditEvent.objects.filter(action="account_name_changed").exists()


def test_the_name_form_needs_the_csrf_token():
    user = UserFactory(first_name="Sanne")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(ACCOUNT, {"first_name": "Mallory", "last_name": "X"}).status_code == 403
    user.refresh_from_db()
    assert user.first_name == "Sanne"


def change_password(client, old, new=NEW_PASSWORD, again=None):
    return client.post(PASSWORD_CHANGE, {"old_password": old, "new_password1": new, "new_password2": again or new})


def test_a_password_change_keeps_this_session_signed_in_and_the_new_password_signs_in(client):
    user = UserFactory(email="leraar@school.nl")
    TeamFactory(contact=user)
    client.post("/accounts/login/", {"username": "leraar@school.nl", "password": PASSWORD})
    other_browser = Client()
    other_browser.force_login(user)

    response = change_password(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    assert client.get(ACCOUNT).status_code == 200  # still signed in here
    assert other_browser.get(ACCOUNT).status_code == 302  # elsewhere signed out
    event = AuditEvent.objects.get(action="account_password_changed")
    assert (event.subject, event.actor, event.data) == (user, user, {})

    client.post("/accounts/logout/")
    refused = client.post("/accounts/login/", {"username": "leraar@school.nl", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert refused.status_code == 200
    client.post("/accounts/login/", {"username": "leraar@school.nl", "password": NEW_PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_password_change_is_told_to_the_accounts_address_once_it_is_saved(client, django_capture_on_commit_callbacks):
    """Someone at a computer left signed in could change the password, and its owner heard nothing."""
    user = UserFactory(email="leraar@school.nl", first_name="Sanne", last_name="de Wit")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        change_password(client, "niet-mijn-wachtwoord")  # refused: nothing to tell
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        change_password(client, PASSWORD)
    (message,) = mail.outbox
    assert (message.to, message.subject) == (["leraar@school.nl"], "Uw wachtwoord voor Grantdesk is gewijzigd")
    assert message.body.startswith("Beste Sanne de Wit,")
    assert "is het wachtwoord van uw Grantdesk-account (leraar@school.nl) gewijzigd" in message.body
    assert settings.SITE_URL + reverse("accounts:password_reset") in message.body
    assert NEW_PASSWORD not in message.body


def test_a_wrong_current_password_is_refused_in_dutch_and_nothing_changes(client):
    user = UserFactory()
    client.force_login(user)
    response = change_password(client, "niet-mijn-wachtwoord")
    page = response.content.decode()
    assert response.status_code == 422
    assert "Uw oude wachtwoord is niet juist ingevoerd. Voer het opnieuw in." in page
    assert "niet-mijn-wachtwoord" not in page
    assert NEW_PASSWORD not in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="account_password_changed").exists()


def test_a_new_password_must_meet_the_rules(client):
    user = UserFactory(email="sanne.bakker@school.nl")
    client.force_login(user)
    for new, again in (("12345678", None), ("sanne.bakker", None), (NEW_PASSWORD, NEW_PASSWORD + "x")):
        response = change_password(client, PASSWORD, new, again)
        assert response.status_code == 422, new
        assert response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_wrong_current_passwords_count_towards_the_sign_in_lockout(client, settings):
    """A session left open cannot be used to guess the password: django-axes counts these guesses."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(email="leraar@school.nl")
    client.force_login(user)
    for _attempt in range(2):
        assert change_password(client, "fout").status_code == 422
    response = change_password(client, "nog-steeds-fout")
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()
    assert change_password(client, PASSWORD).status_code == 429  # the right one too, during the cool-off
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_with_the_lockout_on_a_password_change_and_the_next_sign_in_work(client, settings):
    settings.AXES_ENABLED = True
    user = UserFactory(email="leraar@school.nl")
    client.post("/accounts/login/", {"username": "leraar@school.nl", "password": PASSWORD})
    assert change_password(client, "fout").status_code == 422
    assert change_password(client, PASSWORD).status_code == 302
    assert client.get(ACCOUNT).status_code == 200
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "leraar@school.nl", "password": NEW_PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_password_change_page_says_what_to_type(client):
    client.force_login(UserFactory())
    page = in_english(client).get(PASSWORD_CHANGE).content.decode()
    assert 'autocomplete="current-password"' in page
    assert page.count('autocomplete="new-password"') == 2
    assert 'href="/accounts/password-reset/"' in page
    assert User.objects.count() == 1
