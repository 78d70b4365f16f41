"""Dutch first, English available: the browser's language does not decide, the language switch does."""

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
