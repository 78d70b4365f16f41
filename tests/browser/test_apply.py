"""A teacher drafts an application, meets validation errors, fixes them without losing input, and submits.

axe-core runs on every page of the editor: schemes, scheme, each step, the summary.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import Application
from tests.browser.conftest import sign_in
from tests.factories import SchemeFactory
from tests.factories.apply import ELF_BYTES, MINIMAL_PDF, cofunder, team_with_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_teacher_drafts_fixes_errors_and_submits(page, live_server, axe, tmp_path):
    team, teacher, school = team_with_member()
    SchemeFactory(
        name="Cultuureducatie met Kwaliteit", text="## Voor wie\n\nLerarenteams in het **primair** onderwijs."
    )
    board = cofunder("Stichting Schoolbestuur Noord")
    start = timezone.localdate() + datetime.timedelta(days=30)

    sign_in(page, live_server, teacher)
    page.goto(f"{live_server.url}/apply/")
    expect(page.get_by_role("heading", name="Open regelingen")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Cultuureducatie met Kwaliteit").click()
    expect(page.locator("strong", has_text="primair")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Een aanvraag starten").click()

    # Plan: an end before the start is refused; what was typed stays.
    expect(page.get_by_role("heading", name="Uw plan")).to_be_visible()
    axe(page)
    page.get_by_label("Titel van uw project").fill("Samen de wijk in")
    page.get_by_label("Samenvatting").fill("Leerlingen onderzoeken hun wijk met een kunstenaar.")
    page.get_by_label("Doelen").fill("Vijf onderzoekslessen per groep.")
    page.get_by_label("Spoor").select_option("co-creatie")
    page.get_by_label("Start van het project").fill(start.isoformat())
    page.get_by_label("Einde van het project").fill((start - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_text("De einddatum moet na de startdatum liggen.")).to_be_visible()
    expect(page.get_by_label("Titel van uw project")).to_have_value("Samen de wijk in")
    expect(page.get_by_label("Samenvatting")).to_have_value("Leerlingen onderzoeken hun wijk met een kunstenaar.")
    axe(page)
    page.get_by_label("Einde van het project").fill((start + datetime.timedelta(days=300)).isoformat())
    page.get_by_role("button", name="Opslaan en verder").click()

    # Schools and partners.
    expect(page.get_by_role("heading", name="Scholen en partners")).to_be_visible()
    expect(page.get_by_test_id("step-plan")).to_contain_text("(compleet)")
    axe(page)
    page.get_by_label(school.name).check()
    page.get_by_role("button", name="Opslaan en verder").click()

    # Budget: a live total; a bad amount is refused and both rows stay.
    expect(page.get_by_role("heading", name="Begroting", exact=True)).to_be_visible()
    axe(page)
    page.locator('[name="lines-0-category"]').select_option("personnel")
    page.locator('[name="lines-0-description"]').fill("Ontwikkeltijd leerkrachten")
    page.locator('[name="lines-0-amount"]').fill("15.000")
    page.get_by_role("button", name="Begrotingspost toevoegen").click()
    page.locator('[name="lines-1-category"]').select_option("cultural_fees")
    page.locator('[name="lines-1-description"]').fill("Kunstenaar in de klas")
    page.locator('[name="lines-1-amount"]').fill("vijfduizend")
    expect(page.locator("[data-total]")).to_have_text("—")
    page.get_by_role("button", name="Opslaan en verder").click()
    expect(page.get_by_text("Vul een bedrag in euro's in, bijvoorbeeld 1.250,00.")).to_be_visible()
    expect(page.locator('[name="lines-0-description"]')).to_have_value("Ontwikkeltijd leerkrachten")
    expect(page.locator('[name="lines-1-description"]')).to_have_value("Kunstenaar in de klas")
    expect(page.locator('[name="lines-1-amount"]')).to_have_value("vijfduizend")
    axe(page)
    page.locator('[name="lines-1-amount"]').fill("5.000,00")
    expect(page.locator("[data-total]")).to_have_text("€ 20.000,00")
    expect(page.locator("[data-requested]")).to_have_text("€ 20.000,00")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Co-funding.
    expect(page.get_by_role("heading", name="Cofinanciering", exact=True)).to_be_visible()
    axe(page)
    page.locator('[name="pledges-0-cofunder"]').select_option(str(board.pk))
    page.locator('[name="pledges-0-amount"]').fill("10.000")
    page.locator('[name="pledges-0-contact_email"]').fill("bestuur@noord.example.nl")
    page.get_by_role("button", name="Opslaan en verder").click()

    # Attachments: a renamed executable is refused, a real PDF is accepted.
    expect(page.get_by_role("heading", name="Bijlagen", exact=True)).to_be_visible()
    axe(page)
    fake = tmp_path / "begroting.pdf"
    fake.write_bytes(ELF_BYTES)
    page.get_by_label("Wat is dit bestand?").fill("Begroting")
    page.get_by_label("Bestand", exact=True).set_input_files(str(fake))
    page.get_by_role("button", name="Uploaden").click()
    expect(page.get_by_text(re.compile("is geen PDF-, Word-"))).to_have_count(2)  # alert and next to the field
    expect(page.get_by_label("Wat is dit bestand?")).to_have_value("Begroting")
    axe(page)
    real = tmp_path / "steunbrief.pdf"
    real.write_bytes(MINIMAL_PDF)
    page.get_by_label("Bestand", exact=True).set_input_files(str(real))
    page.get_by_role("button", name="Uploaden").click()
    expect(page.get_by_text("“steunbrief.pdf” is toegevoegd.")).to_be_visible()
    expect(page.get_by_role("link", name="steunbrief.pdf")).to_be_visible()
    page.get_by_role("link", name="Verder naar controleren en indienen").click()

    # Summary and submit.
    expect(page.get_by_role("heading", name="Controleren en indienen", exact=True)).to_be_visible()
    expect(page.get_by_test_id("complete")).to_be_visible()
    expect(page.get_by_test_id("requested")).to_have_text("€ 10.000,00")
    axe(page)
    page.get_by_role("button", name="Aanvraag indienen").click()
    application = Application.objects.get(team=team)
    expect(page.get_by_text(f"Uw aanvraag {application.reference} is ingediend.")).to_be_visible()
    assert application.status == "submitted"
    assert application.title == "Samen de wijk in"


def test_a_visitor_reads_the_open_schemes_and_finds_the_way_to_register(page, live_server, axe):
    SchemeFactory(name="Onderwijsinnovatiefonds Teststad", text="Voor lerarenteams in het **primair** onderwijs.")
    page.goto(f"{live_server.url}/apply/")
    expect(page.get_by_role("heading", name="Open regelingen")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Onderwijsinnovatiefonds Teststad").click()
    expect(page.locator("strong", has_text="primair")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Meld uw team aan").click()
    expect(page).to_have_url(re.compile(r"/accounts/register/$"))
