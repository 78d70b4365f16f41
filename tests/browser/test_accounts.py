"""Accounts in headless Chromium, with axe-core on every accounts page.

The contact person signs in and invites a colleague; the colleague opens the link from
the e-mail, chooses a name and password, lands signed in as a member of the team and
switches the site to English. Also: the password reset pages and a used invitation link.
"""

import os
import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from grants.models import TeamMembership
from tests.browser.conftest import login
from tests.factories import PASSWORD, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def screenshot(page, name):
    """GRANTDESK_SCREENSHOTS=/some/dir keeps a picture of each page for a human look."""
    folder = os.environ.get("GRANTDESK_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def test_teacher_accepts_an_invitation_sets_a_password_and_switches_language(page, live_server, axe):
    contact = UserFactory(email="contact@school.nl", first_name="Anna", last_name="de Vries")
    team = TeamFactory(name="Cultuurteam De Esch", contact=contact)

    page.goto(f"{live_server.url}/accounts/login/")
    # The look is really there: the Utrecht stylesheets and the font are served (axe checks contrast with them).
    assert "Noto Sans" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.evaluate("getComputedStyle(document.querySelector('.utrecht-button')).cursor") == "pointer"
    axe(page)
    screenshot(page, "login")
    login(page, live_server, contact.email, PASSWORD)
    page.goto(f"{live_server.url}/accounts/team/")
    expect(page.get_by_role("heading", name="Team Cultuurteam De Esch")).to_be_visible()
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()  # next to the field
    axe(page)
    page.get_by_label("E-mailadres van uw collega").fill("Docent@School.nl")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("Wij hebben een uitnodiging gestuurd naar docent@school.nl.")).to_be_visible()
    expect(page.get_by_role("cell", name="docent@school.nl", exact=True)).to_be_visible()
    axe(page)
    screenshot(page, "team")
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()

    (invitation_mail,) = [message for message in mail.outbox if message.to == ["docent@school.nl"]]
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", invitation_mail.body).group(0)
    page.goto(link.replace(settings.SITE_URL, live_server.url))
    expect(page.get_by_role("heading", name="Word lid van team Cultuurteam De Esch")).to_be_visible()
    axe(page)
    page.get_by_label("Voornaam").fill("Bram")
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("Kies een wachtwoord").fill("kort")
    page.get_by_label("Wachtwoord nog een keer").fill("kort")
    page.get_by_role("button", name="Account aanmaken en lid worden").click()
    expect(page.get_by_label("Voornaam")).to_have_value("Bram")  # nothing entered is lost
    expect(page.get_by_label("Kies een wachtwoord")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Dit wachtwoord is te kort.")).to_be_visible()
    axe(page)
    screenshot(page, "invitation-errors")
    page.get_by_label("Kies een wachtwoord").fill("klei-en-kwast-2026")
    page.get_by_label("Wachtwoord nog een keer").fill("klei-en-kwast-2026")
    page.get_by_role("button", name="Account aanmaken en lid worden").click()

    expect(page.get_by_text("Welkom bij Cultuurteam De Esch.")).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    assert TeamMembership.objects.filter(team=team, user__email="docent@school.nl").exists()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("link", name="My applications")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.goto(link.replace(settings.SITE_URL, live_server.url))  # used once: a clear message
    expect(page.get_by_text("This invitation has already been used.")).to_be_visible()
    axe(page)


def test_password_reset_pages_pass_axe(page, live_server, axe):
    UserFactory(email="leraar@school.nl")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    axe(page)
    page.get_by_label("E-mailadres").fill("leraar@school.nl")
    page.get_by_role("button", name="Stuur de link").click()
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    axe(page)
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link.replace(settings.SITE_URL, live_server.url))
    expect(page.get_by_role("heading", name="Kies een nieuw wachtwoord")).to_be_visible()
    axe(page)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("nieuw-en-lang-2026")
    page.get_by_label("Nieuw wachtwoord nog een keer").fill("nieuw-en-lang-2026")
    page.get_by_role("button", name="Nieuw wachtwoord opslaan").click()
    expect(page.get_by_role("heading", name="Uw wachtwoord is gewijzigd")).to_be_visible()
    axe(page)
    login(page, live_server, "leraar@school.nl", "nieuw-en-lang-2026")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def test_the_lockout_page_after_too_many_wrong_passwords_passes_axe(page, live_server, axe, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="leraar@school.nl")
    for _attempt in range(2):
        login(page, live_server, "leraar@school.nl", "fout")
    expect(page.get_by_role("heading", name="Te veel pogingen om in te loggen")).to_be_visible()
    expect(page.get_by_role("link", name="Kies een nieuw wachtwoord")).to_be_visible()
    axe(page)
