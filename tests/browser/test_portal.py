"""The team follows its application in the portal; a co-funder confirms through its link. axe on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from grants.models import Application, CoFundingPledge
from tests.browser.conftest import answer_next_dialog, sign_in
from tests.factories import ApplicationFactory, SchemeFactory, force_status, staff
from workflow import actions
from workflow.states import Role

pytestmark = pytest.mark.django_db(transaction=True)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_team_follows_answers_downloads_starts_and_reports(page, live_server, axe):
    scheme = SchemeFactory(interim_report_months=0, final_report_weeks=8)
    application = ApplicationFactory(scheme=scheme, title="Onderzoekend leren in de wijk")
    team_member = application.team.contact
    officer = staff(scheme.funder, Role.OFFICER)
    actions.application_submit(application=application, actor=team_member)
    actions.application_request_info(application=application, actor=officer, message="Welke cultuuraanbieder doet mee?")

    sign_in(page, live_server, team_member)
    page.goto(f"{live_server.url}/portal/")
    expect(page.get_by_role("heading", name="Mijn aanvragen")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Onderzoekend leren in de wijk").click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("De aanvraag is ingediend.")
    expect(timeline).to_contain_text("De subsidieverstrekker heeft om meer informatie gevraagd.")
    expect(page.get_by_test_id("decision-term")).to_contain_text("Opgeschort")
    axe(page)

    # The information request came as a letter: download it.
    with page.expect_download() as download_info:
        page.get_by_test_id("letters").get_by_role("link").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    # Answer and resubmit.
    page.get_by_label("Uw antwoord").fill("Theater De Lampegiet geeft vijf workshops.")
    page.get_by_role("button", name="Antwoord versturen en opnieuw indienen").click()
    expect(page.get_by_text("Uw antwoord is verstuurd")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Ingediend")
    expect(page.get_by_test_id("timeline")).to_contain_text("Theater De Lampegiet geeft vijf workshops.")

    # Awarded (the funder's side is tested in the workbench): the team starts and reports.
    force_status(application, "awarded")
    Application.objects.filter(pk=application.pk).update(awarded_amount=application.requested_amount)
    CoFundingPledge.objects.filter(application=application).update(status="confirmed")
    page.reload()
    asked = answer_next_dialog(page, accept=False)  # not yet: nothing happens
    page.get_by_role("button", name="Project starten").click()
    expect(page.get_by_test_id("status")).to_have_text("Verleend")
    assert len(asked) == 1
    assert asked[0].startswith("Is het project begonnen?")
    answer_next_dialog(page)
    page.get_by_role("button", name="Project starten").click()
    expect(page.get_by_text("Het project is gestart.").first).to_be_visible()
    page.get_by_role("link", name="Eindverslag schrijven").click()
    axe(page)
    for field in page.get_by_label(re.compile("^Werkelijke kosten")).all():
        field.fill("19800.00")
    page.get_by_label("Gerealiseerde cofinanciering (€)").fill("10000.00")
    page.get_by_label("Resultaten").fill("Vijf workshops, 58 leerlingen, een tentoonstelling in de bibliotheek.")
    page.get_by_role("button", name="Eindverslag indienen").click()
    expect(page.get_by_text("Uw eindverslag is ingediend.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Eindverslag ingediend")
    axe(page)


def test_cofunder_confirms_through_the_link_without_account(page, live_server, axe):
    application = ApplicationFactory(title="Muziek in groep 5")
    CoFundingPledge.objects.filter(application=application).update(contact_email="bestuur@primair.nl")
    actions.application_submit(application=application, actor=application.team.contact)
    message = next(m for m in mail.outbox if m.to == ["bestuur@primair.nl"])
    path = re.search(r"/portal/pledges/\S+/", message.body).group(0)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", name="Uw toezegging van cofinanciering")).to_be_visible()
    expect(page.get_by_test_id("pledge")).to_contain_text("Muziek in groep 5")
    axe(page)
    page.get_by_label("Bewijs (niet verplicht)").set_input_files(
        files=[{"name": "besluit-bestuur.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Cofinanciering bevestigen").click()
    expect(page.get_by_text("U heeft de cofinanciering bevestigd.")).to_be_visible()
    expect(page.get_by_test_id("pledge-status")).to_have_text("Bevestigd")
    assert CoFundingPledge.objects.get(application=application).evidence.original_name == "besluit-bestuur.pdf"
    axe(page)

    page.goto(f"{live_server.url}/portal/pledges/niet-geldig/")
    expect(page.get_by_role("heading", name="Deze link werkt niet")).to_be_visible()
    axe(page)


# Every text node of the cells whose words the line breaker split: a word drawn on two lines has
# two client rects for its range.
SPLIT_WORDS = """(table) => {
  const split = [];
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (range.getClientRects().length > 1) split.push(match[0]);
    }
  }
  return split;
}"""


@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
def test_the_applications_table_breaks_lines_between_words_on_a_phone_and_a_desktop(page, live_server, width):
    """The design system's root style let tables split words ("In beoordel ing"; a letter a line on a phone)."""
    application = ApplicationFactory(title="Leesbevorderingsprogramma bovenbouw")
    force_status(application, "in_review")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, application.team.contact)
    page.goto(f"{live_server.url}/portal/")
    table = page.get_by_test_id("applications")
    expect(table).to_contain_text("In beoordeling")
    assert table.evaluate(SPLIT_WORDS) == []


def test_on_a_phone_the_applications_are_cards_with_the_status_and_next_step_in_view(page, live_server, axe):
    """At 390 px the table was 909 px wide: the status cut off, the next step a sideways scroll away."""
    application = ApplicationFactory(title="Leesbevorderingsprogramma bovenbouw")
    force_status(application, "in_review")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, application.team.contact)
    page.goto(f"{live_server.url}/portal/")
    table = page.get_by_test_id("applications")
    assert table.evaluate("t => t.scrollWidth") <= 390
    for text in ("In beoordeling", "Niets te doen"):
        expect(table.get_by_role("cell").filter(has_text=text).first).to_be_in_viewport()
    # Each line names its column, as the hidden table header did.
    step = table.get_by_role("cell").filter(has_text="Niets te doen").first
    assert step.evaluate("td => getComputedStyle(td, '::before').content") == '"Volgende stap: "'
    axe(page)
