"""The whole workbench flow in headless Chromium, with axe-core on every page it visits.

Officer screens and assigns (a conflicted reviewer is refused with the reason), three
reviewers: one declares a conflict and drops out, two score (the scheme needs two),
the officer completes the review, confirms co-funding on the co-funder's behalf with
evidence and prepares a lower award; the preparer, although also a decider, cannot
take it; another decider awards. A ranking round of 30 is prepared and decided.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from documents.models import Letter
from grants.models import Application, FunderRole
from tests.browser.conftest import answer_next_dialog, sign_in
from tests.factories import ApplicationFactory, FunderFactory, SchemeFactory, staff
from tests.workflow.test_workbench_ranking import round_world  # noqa: F401  (fixture)
from workflow.states import ApplicationStatus, Role

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHECKLIST = [
    "De aanvraag is volledig (plan, begroting, scholen).",
    "Elke deelnemende school heeft een toegestane schoolsoort.",
    "Het aangevraagde bedrag blijft binnen het maximum van de regeling.",
    "De toegezegde cofinanciering voldoet aan de verhouding van de regeling.",
    "De activiteiten passen bij de doelen en het spoor van de regeling.",
]


def score(page, live_server, reviewer, application, values, axe):
    sign_in(page, live_server, reviewer)
    page.goto(f"{live_server.url}/workbench/reviews/")
    axe(page)
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_text(application.summary)).to_have_count(0)  # not before the declaration
    page.get_by_role("button", name="Ik heb geen belangenconflict").click()
    expect(page.get_by_text(application.summary)).to_be_visible()
    page.get_by_label("Innovatief karakter").fill(str(values[0]))
    page.get_by_role("button", name="Concept opslaan").click()
    expect(page.get_by_text("Concept opgeslagen.")).to_be_visible()
    axe(page)
    page.get_by_label("Haalbaarheid").fill(str(values[1]))
    page.get_by_label("Advies").select_option("award")
    page.get_by_role("button", name="Beoordeling indienen").click()
    expect(page.get_by_text("Beoordeling ingediend.")).to_be_visible()


def test_officer_reviewers_and_decider_take_an_application_from_screening_to_award(page, live_server, axe, tmp_path):
    funder = FunderFactory()
    scheme = SchemeFactory(funder=funder, min_reviews=2)
    officer, decider = staff(funder, Role.OFFICER), staff(funder, Role.DECIDER)
    preparer = staff(funder, Role.OFFICER)
    FunderRole.objects.create(user=preparer, funder=funder, role=Role.DECIDER)
    reviewers = [staff(funder, Role.REVIEWER) for _ in range(3)]
    conflicted = staff(funder, Role.REVIEWER)
    application = ApplicationFactory(scheme=scheme, submitted=True, amount=Decimal("10000.00"))
    board = application.schools.get().board
    board.members.add(conflicted)
    url = f"{live_server.url}/workbench/applications/{application.pk}/"

    # The officer screens and assigns.
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/workbench/")
    expect(page.get_by_role("heading", name="Actie nodig")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=application.reference).click()
    axe(page)
    for label in CHECKLIST:
        page.get_by_label(label).check()
    page.get_by_role("button", name="Ontvankelijkheid bevestigen").click()
    expect(page.get_by_text("Ontvankelijkheid bevestigd.")).to_be_visible()
    page.get_by_label("Beoordelaar").select_option(str(conflicted.pk))
    page.get_by_role("button", name="Toewijzen", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text(board.name)
    axe(page)
    for reviewer in reviewers:
        page.get_by_label("Beoordelaar").select_option(str(reviewer.pk))
        page.get_by_role("button", name="Toewijzen", exact=True).click()
        expect(page.get_by_text("Beoordelaar toegewezen.")).to_be_visible()
    page.get_by_role("button", name="Beoordeling starten").click()
    expect(page.get_by_text("Beoordeling gestart.")).to_be_visible()

    # One reviewer declares a conflict and drops out; two score.
    sign_in(page, live_server, reviewers[2])
    page.goto(f"{live_server.url}/workbench/reviews/")
    page.get_by_role("link", name=application.reference).click()
    axe(page)
    page.get_by_label("Beschrijf het belangenconflict").fill("Mijn partner werkt op deze school.")
    page.get_by_role("button", name="Conflict melden en afzien van beoordeling").click()
    expect(page.get_by_text("Belangenconflict vastgelegd")).to_be_visible()
    score(page, live_server, reviewers[0], application, (8, 7), axe)
    score(page, live_server, reviewers[1], application, (9, 6), axe)

    # The officer completes the review, checks co-funding and confirms on the co-funder's behalf.
    sign_in(page, live_server, officer)
    page.goto(url)
    page.get_by_role("button", name="Beoordeling afronden").click()
    expect(page.get_by_text("Beoordeling afgerond.")).to_be_visible()
    expect(page.get_by_text("Gemiddelde gewogen score")).to_be_visible()
    page.get_by_role("button", name="Naar de controle van de cofinanciering").click()
    evidence = tmp_path / "toezegging.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("Bewijs van de toezegging van de cofinancier").set_input_files(str(evidence))
    page.get_by_role("button", name="Toezegging bevestigen").click()
    expect(page.get_by_text("Toezegging bevestigd.")).to_be_visible()
    axe(page)

    # An officer who is also a decider prepares a lower award, and cannot take it.
    sign_in(page, live_server, preparer)
    page.goto(url)
    page.get_by_role("radio", name="Verlenen").check()
    page.get_by_label("Te verlenen bedrag (€)").fill("8000.00")
    page.get_by_label("Voorwaarden en verplichtingen").fill("Eindverslag binnen acht weken na afloop.")
    page.get_by_role("button", name="Voorbereiden voor de besluitnemer").click()
    expect(page.get_by_text("Besluit voorbereid; een besluitnemer kan het nu nemen.")).to_be_visible()
    expect(page.get_by_text("U heeft dit besluit voorbereid")).to_be_visible()
    expect(page.get_by_role("button", name="Dit besluit nemen")).to_have_count(0)

    # Another decider awards.
    sign_in(page, live_server, decider)
    page.goto(url)
    axe(page)
    asked = answer_next_dialog(page)
    page.get_by_role("button", name="Dit besluit nemen").click()
    expect(page.get_by_text("Besluit genomen; de brief staat klaar.")).to_be_visible()
    assert asked == [
        f"Dit besluit nemen (Verlenen, € 8.000,00)? De brief gaat direct per e-mail naar het team "
        f"{application.team.name} en is niet terug te halen."
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWARDED
    assert application.awarded_amount == Decimal("8000.00")
    assert Letter.objects.filter(decision__application=application, decision__kind="award").exists()
    expect(page.get_by_role("heading", name="Logboek van deze aanvraag")).to_be_visible()

    # The other workbench pages pass axe too.
    sign_in(page, live_server, officer)
    for path in ("/workbench/audit/", "/workbench/", "/workbench/queue/"):
        page.goto(f"{live_server.url}{path}?funder={funder.slug}")
        axe(page)

    # A bulk action on an application that cannot take it reports why, per application.
    page.get_by_label(f"{application.reference} selecteren").check()
    page.get_by_label("Actie").select_option("start_review")
    page.get_by_role("button", name="Toepassen op selectie").click()
    expect(page.get_by_text("Niet gedaan")).to_be_visible()
    axe(page)


def test_ranking_round_of_thirty_against_a_ceiling_for_twelve(page, live_server, axe, round_world):  # noqa: F811
    scheme = round_world["scheme"]
    sign_in(page, live_server, round_world["officer"])
    page.goto(f"{live_server.url}/workbench/schemes/{scheme.pk}/ranking/")
    page.get_by_role("button", name="Deze rangschikkingsronde voorbereiden").click()
    expect(page.get_by_text("Rangschikkingsronde voorbereid")).to_be_visible()
    expect(page.locator("tr.wb-above")).to_have_count(12)
    expect(page.locator("tr.wb-below")).to_have_count(18)
    expect(page.get_by_text("Streep: hier is het subsidieplafond bereikt")).to_be_visible()
    axe(page)
    sign_in(page, live_server, round_world["decider"])
    page.goto(f"{live_server.url}/workbench/schemes/{scheme.pk}/ranking/")
    asked = answer_next_dialog(page)
    page.get_by_role("button", name="Besluit over deze ronde").click()
    expect(page.get_by_text("de brieven staan klaar")).to_be_visible()
    # The letters' progress is one status region, read as a whole sentence (not twice, not in pieces).
    expect(page.get_by_role("status").filter(has_text="brieven gemaakt")).to_have_attribute("aria-atomic", "true")
    expect(page.get_by_role("status").filter(has_text="brieven gemaakt").get_by_role("status")).to_have_count(0)
    assert asked == [
        "Besluiten over deze ronde? Er gaan nu 30 brieven per e-mail naar de teams (12 toegekend, de rest "
        "afgewezen). Verstuurde brieven zijn niet terug te halen."
    ]
    axe(page)
    assert Application.objects.filter(scheme=scheme, status=ApplicationStatus.AWARDED).count() == 12
    assert Application.objects.filter(scheme=scheme, status=ApplicationStatus.REJECTED).count() == 18
    assert Letter.objects.filter(decision__application__scheme=scheme).count() == 30


def test_filters_update_the_queue_in_place_with_htmx(page, live_server, axe):
    funder = FunderFactory()
    scheme = SchemeFactory(funder=funder)
    officer = staff(funder, Role.OFFICER)
    wanted = ApplicationFactory(scheme=scheme, submitted=True, title="Muziek in de klas")
    other = ApplicationFactory(scheme=scheme, submitted=True, title="Techniek voor iedereen")
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/workbench/?funder={funder.slug}")
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Zoeken").fill("muziek")
    page.get_by_role("button", name="Toepassen").click()
    expect(page.get_by_role("link", name=other.reference)).to_have_count(0)
    expect(page.get_by_role("link", name=wanted.reference)).to_be_visible()
    assert page.evaluate("window.notReloaded") is True  # swapped in place, not a page load
    assert "q=muziek" in page.url
    expect(page.locator("#queue")).to_have_count(1)
    axe(page)
