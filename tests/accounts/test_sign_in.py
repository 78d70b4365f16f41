"""Signing in by e-mail address, signing out, the password reset e-mail and the lockout page."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail

from grants.models import AuditEvent
from tests.factories import PASSWORD, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_dutch_with_the_labels_people_expect(client):
    page = client.get("/accounts/login/").content.decode()
    assert ">E-mailadres</label>" in page
    assert ">Wachtwoord</label>" in page
    assert ">Inloggen</button>" in page
    assert 'autocomplete="email"' in page


def test_sign_in_by_e_mail_address_sends_a_team_member_to_their_applications(client):
    teacher = UserFactory(email="leraar@school.nl")
    TeamFactory(members=[teacher])
    response = client.post("/accounts/login/", {"username": "leraar@school.nl", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/portal/"


def test_a_wrong_password_keeps_the_address_and_says_what_is_wrong(client):
    UserFactory(email="leraar@school.nl")
    response = client.post("/accounts/login/", {"username": "leraar@school.nl", "password": "fout"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in page
    assert 'value="leraar@school.nl"' in page
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_says_so(client):
    client.force_login(UserFactory())
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/", follow=True)
    assert "_auth_user_id" not in client.session
    assert "U bent uitgelogd." in response.content.decode()


def test_signed_out_visitors_of_the_team_page_go_to_sign_in(client):
    response = client.get("/accounts/team/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/team/")


def test_password_reset_sends_a_dutch_e_mail_with_a_working_link(client):
    user = UserFactory(email="leraar@school.nl", first_name="Sanne", last_name="Bakker")
    response = client.post("/accounts/password-reset/", {"email": "leraar@school.nl"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    (message,) = mail.outbox
    assert message.to == ["leraar@school.nl"]
    assert message.subject == "Kies een nieuw wachtwoord voor Grantdesk"
    assert "Beste Sanne Bakker," in message.body
    html = message.alternatives[0][0]
    assert "Kies een nieuw wachtwoord" in html
    link = next(word for word in message.body.split() if "/accounts/password-reset/" in word)
    path = link.split("localhost:8000", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Nieuw wachtwoord nog een keer" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "nieuw-en-lang-2026", "new_password2": "nieuw-en-lang-2026"},
    )
    assert done["Location"] == "/accounts/password-reset/done/"
    user.refresh_from_db()
    assert user.check_password("nieuw-en-lang-2026")


def test_password_reset_for_an_unknown_address_sends_nothing_and_does_not_tell(client):
    response = client.post("/accounts/password-reset/", {"email": "niemand@school.nl"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_too_many_wrong_passwords_show_a_dutch_lockout_page(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="leraar@school.nl")
    for _attempt in range(2):
        response = client.post("/accounts/login/", {"username": "leraar@school.nl", "password": "fout"})
        assert response.status_code == 200
    response = client.post("/accounts/login/", {"username": "leraar@school.nl", "password": "fout"})
    page = response.content.decode()
    assert response.status_code == 429
    assert "Te veel pogingen om in te loggen" in page
    assert "15 minuten niet inloggen" in page
    assert 'href="/accounts/password-reset/"' in page
    # Even the right password is refused during the cool-off.
    response = client.post("/accounts/login/", {"username": "leraar@school.nl", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_on_the_sign_in_page_goes_home_whatever_next_says(client):
    client.force_login(UserFactory())
    for url in ["/accounts/login/", "/accounts/login/?next=/accounts/login/", "/login/?next=https://evil.example/"]:
        response = client.get(url)
        assert response.status_code in (302, 404)
    assert client.get("/accounts/login/?next=/accounts/login/%3Fx=1")["Location"] == "/"
    assert client.get("/accounts/login/?next=https://evil.example/")["Location"] == "/"


class CountingHasher(MD5PasswordHasher):
    """Django's test hasher, counting the passwords it hashes (each a full PBKDF2 in production)."""

    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("who", ["wrong password", "unknown address", "switched off", "awaiting confirmation"])
def test_a_refused_sign_in_hashes_the_password_once(client, settings, who):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_sign_in.CountingHasher"]
    UserFactory(email="actief@school.nl")
    UserFactory(email="uit@school.nl", is_active=False)
    waiting = UserFactory(email="nieuw@school.nl", is_active=False)
    AuditEvent.objects.create(subject=waiting, actor=waiting, action="team_registered")
    email, password, answer = {
        "wrong password": ("actief@school.nl", "fout-wachtwoord", "horen niet bij elkaar"),
        "unknown address": ("niemand@school.nl", PASSWORD, "horen niet bij elkaar"),
        "switched off": ("uit@school.nl", PASSWORD, "horen niet bij elkaar"),
        "awaiting confirmation": ("nieuw@school.nl", PASSWORD, "Bevestig eerst uw e-mailadres"),
    }[who]
    CountingHasher.hashed = 0
    response = client.post("/accounts/login/", {"username": email, "password": password})
    assert answer in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert CountingHasher.hashed == 1


def test_an_account_switched_off_while_signed_in_is_signed_out(client):
    teacher = UserFactory()
    TeamFactory(members=[teacher])
    client.post("/accounts/login/", {"username": teacher.email, "password": PASSWORD})
    assert client.get("/portal/").status_code == 200
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    assert client.get("/portal/")["Location"].startswith("/accounts/login/")


def test_the_admin_gives_a_switched_off_account_the_answer_of_a_wrong_password(client):
    UserFactory(email="oud-beheer@gemeente.nl", is_active=False, is_staff=True, is_superuser=True)
    UserFactory(email="beheer@gemeente.nl", is_staff=True, is_superuser=True)
    answers = []
    for email, password in (("oud-beheer@gemeente.nl", PASSWORD), ("beheer@gemeente.nl", "fout-wachtwoord")):
        response = client.post("/admin/login/?next=/admin/", {"username": email, "password": password})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        answers.append(response.context["form"].non_field_errors())
    assert answers[0] == answers[1]


@pytest.mark.parametrize("right_password", [False, True])
def test_guesses_at_a_switched_off_account_count_towards_the_lockout_right_or_wrong(client, settings, right_password):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="uit@school.nl", is_active=False)
    for _attempt in range(2):
        assert client.post("/accounts/login/", {"username": "uit@school.nl", "password": "fout"}).status_code == 200
    guess = PASSWORD if right_password else "nog-steeds-fout"
    response = client.post("/accounts/login/", {"username": "uit@school.nl", "password": guess})
    assert response.status_code == 429  # the same answer: the lockout does not tell a right guess


def test_a_session_signed_in_before_the_sign_in_backend_stays_signed_in(client):
    teacher = UserFactory()
    TeamFactory(members=[teacher])
    client.force_login(teacher, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/portal/").status_code == 200
