"""Team self-registration in headless Chromium, with axe-core on every page of it.

A teacher without an account registers a team (a mistake first: the input stays), is told to
confirm before signing in, opens the link from the e-mail, confirms and lands in the portal.
The link then no longer works.
"""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from grants.models import Team
from tests.browser.conftest import login
from tests.browser.test_accounts import screenshot
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_teacher_registers_a_team_confirms_the_e_mail_and_lands_in_the_portal(page, live_server, axe):
    SchoolFactory(name="Basisschool De Linde", city="Zwolle", brin="12AB")
    SchoolFactory(name="Obs Het Anker", city="Kampen", brin="34CD")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Meld uw team aan").click()
    expect(page.get_by_role("heading", name="Meld uw team aan")).to_be_visible()
    axe(page)
    page.get_by_label("Voornaam").fill("Sanne")
    page.get_by_label("Achternaam").fill("Bakker")
    page.get_by_label("E-mailadres").fill("s.bakker@school.nl")
    page.get_by_label("Kies een wachtwoord").fill("kort")
    page.get_by_label("Wachtwoord nog een keer").fill("kort")
    page.get_by_label("Basisschool De Linde (Zwolle, 12AB)").check()
    page.get_by_role("button", name="Team aanmelden").click()

    expect(page.get_by_text("Dit wachtwoord is te kort.")).to_be_visible()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()  # the team name, next to it
    expect(page.get_by_label("Voornaam")).to_have_value("Sanne")
    expect(page.get_by_label("E-mailadres")).to_have_value("s.bakker@school.nl")
    expect(page.get_by_label("Basisschool De Linde (Zwolle, 12AB)")).to_be_checked()
    expect(page.get_by_label("Kies een wachtwoord")).to_have_value("")
    axe(page)
    screenshot(page, "register-errors")
    page.get_by_label("Kies een wachtwoord").fill("klei-en-kwast-2026")
    page.get_by_label("Wachtwoord nog een keer").fill("klei-en-kwast-2026")
    page.get_by_label("Naam van het team").fill("Cultuurteam De Linde")
    page.get_by_role("button", name="Team aanmelden").click()

    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    expect(page.get_by_text("Wij hebben een e-mail gestuurd naar s.bakker@school.nl.")).to_be_visible()
    axe(page)

    login(page, live_server, "s.bakker@school.nl", "klei-en-kwast-2026")
    expect(page.get_by_text("Bevestig eerst uw e-mailadres")).to_be_visible()
    screenshot(page, "register-sign-in-too-early")
    page.get_by_role("link", name="Geen e-mail ontvangen? Vraag een nieuwe bevestigingslink aan.").click()
    expect(page.get_by_role("heading", name="Nieuwe bevestigingslink aanvragen")).to_be_visible()
    axe(page)

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/register/verify/\S+/", message.body).group(0)
    page.goto(link.replace(settings.SITE_URL, live_server.url))
    expect(page.get_by_role("heading", name="Bevestig uw e-mailadres")).to_be_visible()
    axe(page)
    screenshot(page, "register-confirm")
    page.get_by_role("button", name="Bevestigen en inloggen").click()

    expect(page).to_have_url(f"{live_server.url}/portal/")
    expect(page.get_by_text("Welkom bij Grantdesk. Uw e-mailadres is bevestigd")).to_be_visible()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    axe(page)
    team = Team.objects.get(name="Cultuurteam De Linde")
    assert [school.name for school in team.schools.all()] == ["Basisschool De Linde"]

    page.goto(link.replace(settings.SITE_URL, live_server.url))
    expect(page.get_by_text("Deze link is al gebruikt.")).to_be_visible()
    axe(page)
    screenshot(page, "register-link-used")


def test_a_long_list_of_schools_gets_a_search_field_that_keeps_ticked_schools(page, live_server, axe):
    for number in range(30):
        SchoolFactory(name=f"Basisschool Nummer {number:02}", city="Deventer", brin=f"{number:02}XY")
    SchoolFactory(name="Obs De Sterrenkijker", city="Zwolle", brin="77ZZ")
    SchoolFactory(name="Daltonschool Één", city="Kampen", brin="88QQ")

    page.goto(f"{live_server.url}/accounts/register/")
    search = page.get_by_role("searchbox", name="Zoek op naam, plaats of BRIN-code")
    expect(search).to_be_visible()
    page.get_by_label("Basisschool Nummer 03 (Deventer, 03XY)").check()
    search.fill("zwolle")
    expect(page.get_by_label("Obs De Sterrenkijker (Zwolle, 77ZZ)")).to_be_visible()
    expect(page.get_by_label("Basisschool Nummer 04 (Deventer, 04XY)")).to_be_hidden()
    expect(page.get_by_label("Basisschool Nummer 03 (Deventer, 03XY)")).to_be_visible()  # ticked: stays
    expect(page.get_by_text("2 van 32 getoond")).to_be_visible()
    search.fill("een kampen")  # accents ignored, every word must match
    expect(page.get_by_label("Daltonschool Één (Kampen, 88QQ)")).to_be_visible()
    expect(page.get_by_label("Obs De Sterrenkijker (Zwolle, 77ZZ)")).to_be_hidden()
    search.press("Enter")  # does not submit the form
    expect(page.get_by_role("heading", name="Meld uw team aan")).to_be_visible()
    axe(page)
    search.fill("")
    expect(page.get_by_label("Basisschool Nummer 29 (Deventer, 29XY)")).to_be_visible()
