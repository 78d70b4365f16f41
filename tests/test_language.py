"""Dutch first, English available: the browser's language does not decide, the language switch does."""

import re

import pytest
from django.conf import settings
from django.urls import reverse


def test_a_page_is_dutch_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("accounts:login"), headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()
    assert "Wachtwoord" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_chooses_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in page
    assert "Password" in page
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Wachtwoord" in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_a_signed_in_users_choice_follows_them_to_another_device(client):
    from django.test import Client

    from tests.factories import PASSWORD, TeamFactory, UserFactory

    teacher = UserFactory()
    TeamFactory(members=[teacher])
    client.post(reverse("accounts:login"), {"username": teacher.email, "password": PASSWORD})
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    teacher.refresh_from_db()
    assert teacher.preferred_language == "en"

    other_device = Client()
    assert "Wachtwoord" in other_device.get(reverse("accounts:login")).content.decode()
    response = other_device.post(reverse("accounts:login"), {"username": teacher.email, "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in other_device.get(reverse("portal:index")).content.decode()


@pytest.mark.django_db
def test_a_choice_made_on_the_sign_in_page_becomes_the_accounts(client):
    from tests.factories import PASSWORD, TeamFactory, UserFactory

    teacher = UserFactory(preferred_language="en")
    TeamFactory(members=[teacher])
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    client.post(reverse("accounts:login"), {"username": teacher.email, "password": PASSWORD})
    teacher.refresh_from_db()
    assert teacher.preferred_language == "nl"
    assert 'lang="nl"' in client.get(reverse("portal:index")).content.decode()


@pytest.mark.django_db
def test_at_a_shared_computer_the_next_teacher_gets_their_own_language(client):
    from tests.factories import PASSWORD, TeamFactory, UserFactory

    english, dutch = UserFactory(preferred_language="en"), UserFactory(preferred_language="nl")
    TeamFactory(members=[english, dutch])
    client.post(reverse("accounts:login"), {"username": english.email, "password": PASSWORD})
    assert 'lang="en"' in client.get(reverse("portal:index")).content.decode()
    client.post(reverse("accounts:logout"))
    assert 'lang="nl"' in client.get(reverse("accounts:login")).content.decode()  # signing out forgets it
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # even a cookie left behind
    client.post(reverse("accounts:login"), {"username": dutch.email, "password": PASSWORD})
    assert 'lang="nl"' in client.get(reverse("portal:index")).content.decode()
    dutch.refresh_from_db()
    english.refresh_from_db()
    assert (dutch.preferred_language, english.preferred_language) == ("nl", "en")


@pytest.mark.django_db
@pytest.mark.parametrize("site", ["beheer", "admin"])
def test_beheer_and_the_admin_have_the_language_switch_and_stay_on_the_page(client, site):
    """Both admin sites had no switch: a funder's administrator could not choose English (or back) there."""
    from tests.factories import SchemeFactory, UserFactory, staff
    from workflow.states import Role

    scheme = SchemeFactory()
    if site == "beheer":
        client.force_login(staff(scheme.funder, Role.ADMIN))
    else:
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = f"/{site}/grants/scheme/{scheme.pk}/change/"
    html = client.get(page).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert f'name="next" value="{page}"' in html
    assert 'name="language" value="en"' in html

    response = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert response.url == page
    english = client.get(page).content.decode()
    assert 'lang="en"' in english
    assert 'name="language" value="nl"' in english


@pytest.mark.django_db
def test_the_switch_cannot_be_posted_from_another_site_nor_send_the_reader_there():
    """Another site's form cannot change the account's language (CSRF), and neither `next` nor the Referer
    can send the reader off this site after switching."""
    from django.test import Client

    from tests.factories import UserFactory

    user = UserFactory(preferred_language="nl")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 403
    user.refresh_from_db()
    assert user.preferred_language == "nl"

    page = browser.get("/", follow=True).content.decode()  # the switch on the page the reader lands on
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    for outside in ("https://kwaadwillend.example/", "//kwaadwillend.example/", "/\\kwaadwillend.example/"):
        response = browser.post(
            reverse("set_language"),
            {"language": "en", "next": outside, "csrfmiddlewaretoken": token},
            headers={"Referer": "https://kwaadwillend.example/"},
        )
        assert response.status_code == 302, outside
        assert response["Location"] == "/", outside
    user.refresh_from_db()
    assert user.preferred_language == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "switch"), [("/accounts/login/", True), ("/beheer/", True), ("/admin/login/", False)])
def test_a_signed_out_reader_finds_the_switch_on_the_sites_sign_in_page(client, url, switch):
    """Beheer sends a signed-out reader to the site's sign-in page, which has the switch and no account's
    name; Django's own /admin/login/ (the superuser's) has none, as its header shows only to the signed in."""
    page = client.get(url, follow=True)
    html = page.content.decode()
    assert page.status_code == 200
    assert (f'action="{reverse("set_language")}"' in html) is switch
    if switch:
        assert page.request["PATH_INFO"] == reverse("accounts:login")
        assert f'name="next" value="{page.request["PATH_INFO"]}' in html
