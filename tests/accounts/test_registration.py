"""Team self-registration: an inactive account and its team, an e-mailed link that works once for three days,
and pages that never tell whether an address already has an account."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client

from grants.accounts import actions
from grants.models import AuditEvent, Team, TeamMembership, User
from tests.factories import PASSWORD, SchoolFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD_NEW = "klei-en-kwast-2026"
REGISTRATION = {
    "first_name": "Sanne",
    "last_name": "Bakker",
    "email": "S.Bakker@School.nl ",
    "password1": PASSWORD_NEW,
    "password2": PASSWORD_NEW,
    "team_name": "Cultuurteam De Linde",
}
SENT_PAGE = "Kijk in uw e-mail"


def register(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/accounts/register/", {**REGISTRATION, **changes}, follow=True)


def link_in(message) -> str:
    return re.search(r"https?://\S+(/accounts/register/verify/\S+/)", message.body).group(1)


def test_the_sign_in_page_links_to_registering_a_team(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Staat uw team nog niet in Grantdesk?" in page
    assert 'href="/accounts/register/">Meld uw team aan</a>' in page


def test_registering_creates_an_inactive_account_with_its_team_and_mails_a_link(
    client, django_capture_on_commit_callbacks
):
    school = SchoolFactory(name="Basisschool De Linde", city="Zwolle", brin="12AB")
    SchoolFactory(name="Obs Het Anker", city="Kampen", brin="34CD")
    form = client.get("/accounts/register/").content.decode()
    assert "Basisschool De Linde (Zwolle, 12AB)" in form
    response = register(client, django_capture_on_commit_callbacks, schools=[school.pk])

    assert response.redirect_chain == [("/accounts/register/sent/", 302)]
    page = response.content.decode()
    assert SENT_PAGE in page
    assert "Wij hebben een e-mail gestuurd naar s.bakker@school.nl." in page
    user = User.objects.get(email="s.bakker@school.nl")
    assert not user.is_active
    assert (user.first_name, user.last_name) == ("Sanne", "Bakker")
    assert user.check_password(PASSWORD_NEW)
    team = Team.objects.get(name="Cultuurteam De Linde")
    assert team.contact == user
    assert list(team.members.all()) == [user]
    assert list(team.schools.all()) == [school]
    assert AuditEvent.objects.filter(action="team_registered", subject_id=team.pk, actor=user).exists()
    assert "_auth_user_id" not in client.session

    (message,) = mail.outbox
    assert message.to == ["s.bakker@school.nl"]
    assert message.subject == "Bevestig uw e-mailadres voor Grantdesk"
    assert "Beste Sanne," in message.body
    assert 'het team "Cultuurteam De Linde"' in message.body
    assert link_in(message) in message.alternatives[0][0]
    # Grantdesk serves education innovation as well as culture education: the e-mail names neither.
    assert "Daar vraagt uw team subsidie aan en volgt u de aanvragen." in message.body
    assert "cultuuronderwijs" not in message.body + message.alternatives[0][0]


def test_the_link_activates_signs_in_and_lands_in_the_portal(client, django_capture_on_commit_callbacks):
    register(client, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])

    page = client.get(link).content.decode()
    assert "Bevestig uw e-mailadres" in page
    assert "Bevestig dat s.bakker@school.nl uw adres is" in page
    user = User.objects.get(email="s.bakker@school.nl")
    assert not user.is_active  # opening the link (as a mail scanner does) changes nothing

    response = client.post(link, follow=True)
    assert response.redirect_chain == [("/portal/", 302)]
    assert "Welkom bij Grantdesk. Uw e-mailadres is bevestigd" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action="team_registration_confirmed", subject_id=user.pk).exists()

    # Signing in with the password works from now on.
    other = Client()
    assert (
        other.post("/accounts/login/", {"username": "s.bakker@school.nl", "password": PASSWORD_NEW}).status_code == 302
    )


def test_a_used_link_is_refused_clearly(client, django_capture_on_commit_callbacks):
    register(client, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    client.post(link)
    client.post("/accounts/logout/")

    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 410
        page = response.content.decode()
        assert "Deze link werkt niet" in page
        assert "Deze link is al gebruikt. Log in met uw e-mailadres en wachtwoord." in page
        assert "Stuur een nieuwe link" in page
    assert "_auth_user_id" not in client.session


def test_a_tampered_link_is_refused_clearly(client, django_capture_on_commit_callbacks):
    register(client, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    for broken in (link[:-3] + "x/", "/accounts/register/verify/niet-echt/", "/accounts/register/verify/%ff:a:b/"):
        response = client.post(broken)
        assert response.status_code == 410, broken
        assert "Deze link is niet geldig." in response.content.decode()
    assert client.post("/accounts/register/verify/%00%ff:a:b/").status_code == 400  # no address has a NUL
    # Another user's id under a valid-looking token is refused too: the signature covers the id.
    forged = actions.registration_token(UserFactory(is_active=False)).split(":")[0]
    assert client.post(f"/accounts/register/verify/{forged}:x:y/").status_code == 410
    assert not User.objects.get(email="s.bakker@school.nl").is_active


def test_a_link_older_than_three_days_is_refused_and_a_new_one_can_be_requested(
    client, django_capture_on_commit_callbacks
):
    register(client, django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    with time_machine.travel(datetime.timedelta(days=3, minutes=1)):
        response = client.post(link)
        assert response.status_code == 410
        assert "Deze link is verlopen: hij is drie dagen geldig." in response.content.decode()
        assert not User.objects.get(email="s.bakker@school.nl").is_active

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/register/new-link/", {"email": "s.bakker@school.nl"}, follow=True)
        assert SENT_PAGE in response.content.decode()
        assert len(mail.outbox) == 2
        response = client.post(link_in(mail.outbox[1]), follow=True)
        assert response.redirect_chain == [("/portal/", 302)]
    assert User.objects.get(email="s.bakker@school.nl").is_active


def test_an_address_with_an_account_gets_an_e_mail_and_the_page_says_the_same(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="s.bakker@school.nl", first_name="Sanne")
    response = register(client, django_capture_on_commit_callbacks, email="S.Bakker@school.nl")
    assert response.redirect_chain == [("/accounts/register/sent/", 302)]
    page = response.content.decode()
    assert SENT_PAGE in page
    assert "Wij hebben een e-mail gestuurd naar s.bakker@school.nl." in page
    assert User.objects.count() == 1
    assert not Team.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["s.bakker@school.nl"]
    assert message.subject == "U heeft al een account bij Grantdesk"
    assert "/accounts/login/" in message.body
    assert "/accounts/password-reset/" in message.body
    assert "/accounts/register/verify/" not in message.body


def test_registering_again_before_confirming_sends_the_link_again_and_creates_nothing(
    client, django_capture_on_commit_callbacks
):
    register(client, django_capture_on_commit_callbacks)
    with time_machine.travel(datetime.timedelta(minutes=10)):
        register(Client(), django_capture_on_commit_callbacks, team_name="Nog een team")
    assert User.objects.count() == 1
    assert list(Team.objects.values_list("name", flat=True)) == ["Cultuurteam De Linde"]
    assert [m.subject for m in mail.outbox] == ["Bevestig uw e-mailadres voor Grantdesk"] * 2


def test_the_form_cannot_flood_a_mailbox(client, django_capture_on_commit_callbacks):
    UserFactory(email="s.bakker@school.nl")
    for _attempt in range(3):
        register(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_a_new_link_for_an_unknown_address_shows_the_same_page_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    page = client.get("/accounts/register/new-link/").content.decode()
    assert "Nieuwe bevestigingslink aanvragen" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/register/new-link/", {"email": "niemand@school.nl"}, follow=True)
    assert SENT_PAGE in response.content.decode()
    assert mail.outbox == []
    response = client.post("/accounts/register/new-link/", {"email": "geen adres"})
    assert response.status_code == 200
    assert "Voer een geldig e-mailadres in." in response.content.decode()


def test_input_errors_keep_what_was_entered_except_the_passwords(client):
    response = client.post(
        "/accounts/register/",
        {**REGISTRATION, "email": "s.bakker@", "password1": "kort", "password2": "kort", "team_name": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Sanne"' in page
    assert 'value="Bakker"' in page
    assert 'value="s.bakker@"' in page
    assert "kort" not in re.findall(r'<input[^>]*type="password"[^>]*>', page)[0]
    assert "Voer een geldig e-mailadres in." in page
    assert "Dit veld is verplicht." in page
    assert "Dit wachtwoord is te kort." in page
    assert page.count('aria-invalid="true"') >= 3
    assert not User.objects.exists()
    assert not Team.objects.exists()

    school = SchoolFactory(name="Basisschool De Linde")
    response = client.post(
        "/accounts/register/", {**REGISTRATION, "password2": "iets-anders-2026", "schools": [school.pk]}
    )
    page = response.content.decode()
    assert "De twee wachtwoorden zijn niet gelijk." in page
    assert re.search(rf'value="{school.pk}"[^>]*checked', page)
    assert 'value="Cultuurteam De Linde"' in page


def test_a_password_like_the_address_or_the_name_is_refused_in_dutch(client):
    response = client.post(
        "/accounts/register/",
        {
            **REGISTRATION,
            "email": "sannebakker2026@school.nl",
            "password1": "sannebakker2026",
            "password2": "sannebakker2026",
        },
    )
    assert "Het wachtwoord lijkt te veel op" in response.content.decode()
    assert not User.objects.exists()


def test_an_unknown_school_is_an_error_next_to_the_field_not_a_crash(client):
    response = client.post("/accounts/register/", {**REGISTRATION, "schools": ["999999", "x"]})
    assert response.status_code == 200
    assert not User.objects.exists()


def test_posts_need_the_csrf_token(django_capture_on_commit_callbacks):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/accounts/register/", REGISTRATION).status_code == 403
    assert client.post("/accounts/register/new-link/", {"email": "s.bakker@school.nl"}).status_code == 403
    register(Client(), django_capture_on_commit_callbacks)
    assert client.post(link_in(mail.outbox[0])).status_code == 403
    assert not User.objects.get(email="s.bakker@school.nl").is_active
    assert not User.objects.filter(email="s.bakker@school.nl").count() > 1


def test_signing_in_before_confirming_says_to_confirm_first_but_only_with_the_right_password(
    client, django_capture_on_commit_callbacks
):
    register(client, django_capture_on_commit_callbacks)
    response = client.post("/accounts/login/", {"username": "s.bakker@school.nl", "password": PASSWORD_NEW})
    page = response.content.decode()
    assert "Bevestig eerst uw e-mailadres" in page
    assert "Vraag een nieuwe bevestigingslink aan." in page
    assert "_auth_user_id" not in client.session

    wrong = client.post("/accounts/login/", {"username": "s.bakker@school.nl", "password": "fout-wachtwoord"})
    unknown = client.post("/accounts/login/", {"username": "niemand@school.nl", "password": PASSWORD_NEW})
    for response in (wrong, unknown):
        page = response.content.decode()
        assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in page
        assert "Bevestig eerst" not in page

    # An account staff switched off keeps the generic answer.
    UserFactory(email="uit@school.nl", is_active=False)
    page = client.post("/accounts/login/", {"username": "uit@school.nl", "password": PASSWORD}).content.decode()
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in page


def test_a_signed_in_user_is_sent_home_from_the_registration_page(client):
    teacher = UserFactory()
    TeamFactory(members=[teacher])
    client.force_login(teacher)
    assert client.get("/accounts/register/")["Location"] == "/"


def test_the_action_refuses_nothing_quietly_and_sends_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user = actions.team_register(
            first_name="Sanne",
            last_name="Bakker",
            email="s.bakker@school.nl",
            password=PASSWORD_NEW,
            team_name="Cultuurteam De Linde",
        )
    assert mail.outbox == []
    assert len(callbacks) == 1
    assert TeamMembership.objects.filter(user=user, team__contact=user).exists()
    assert actions.awaiting_confirmation(user)


def test_with_the_sign_in_throttle_on_the_confirm_first_answer_still_comes(
    client, settings, django_capture_on_commit_callbacks
):
    settings.AXES_ENABLED = True
    register(client, django_capture_on_commit_callbacks)
    response = client.post("/accounts/login/", {"username": "s.bakker@school.nl", "password": PASSWORD_NEW})
    assert "Bevestig eerst uw e-mailadres" in response.content.decode()
