"""What a keyboard, a screen reader or a 400 % zoom meets (WCAG 2.1 AA), beyond axe-core's rules.

- A refused form takes the focus to what went wrong: its error message, or its first invalid field.
- At 320 px wide (1280 px at 400 %) nothing but a data table makes the page scroll sideways.
- The queue's filters announce the new count through a live region that stays on the page.
"""

import pytest
from playwright.sync_api import expect

from grants.models import FunderRole
from tests.browser.conftest import sign_in
from tests.factories import ApplicationFactory, FunderFactory, SchemeFactory, staff
from tests.factories.apply import empty_draft
from workflow.states import Role

pytestmark = pytest.mark.django_db(transaction=True)

# Elements (not inside a data table, which may scroll: WCAG 1.4.10's exception) wider than the window.
TOO_WIDE = """() => [...document.body.querySelectorAll('*')]
  .filter(e => !e.closest('table') && e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ')[0] : ''))"""


def focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, role: document.activeElement.getAttribute('role'),"
        " text: document.activeElement.textContent.trim(),"
        " describedby: document.activeElement.getAttribute('aria-describedby')})"
    )


def test_a_refused_form_takes_the_focus_to_what_went_wrong(page, live_server, axe):
    page.goto(f"{live_server.url}/accounts/register/")
    page.get_by_role("button", name="Team aanmelden").click()
    expect(page.get_by_text("Dit veld is verplicht.").first).to_be_visible()
    first = focused(page)
    assert first["id"] == "id_first_name"  # the first invalid field, its error read with it
    assert "id_first_name_error" in first["describedby"].split()
    axe(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill("niemand@school.nl")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    alert = focused(page)
    assert alert["role"] == "alert"
    assert "horen niet bij elkaar" in alert["text"]


def test_a_refused_form_low_on_a_long_page_is_scrolled_to_and_focused(page, live_server):
    funder = FunderFactory()
    application = ApplicationFactory(scheme=SchemeFactory(funder=funder), submitted=True)
    sign_in(page, live_server, staff(funder, Role.OFFICER))
    page.set_viewport_size({"width": 1280, "height": 400})
    page.goto(f"{live_server.url}/deadlines/applications/{application.pk}/extend-term/")
    page.get_by_label("Verdagen met (weken)").fill("2")
    page.get_by_role("button", name="Verdagen en brief versturen").click()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_in_viewport()
    assert focused(page)["id"] == "id_reasons"


def test_the_queue_reflows_at_320_px_and_announces_its_new_count(page, live_server, axe):
    funder = FunderFactory()
    scheme = SchemeFactory(funder=funder, name="Onderwijsinnovatiefonds 's-Hertogenbosch voor lerarenteams 2026")
    ApplicationFactory(scheme=scheme, submitted=True, title="Muziek in de klas")
    ApplicationFactory(scheme=scheme, submitted=True, title="Techniek voor iedereen")
    sign_in(page, live_server, staff(funder, Role.OFFICER))
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/workbench/queue/?funder={funder.slug}")
    assert page.evaluate(TOO_WIDE) == []
    axe(page)

    page.get_by_label("Zoeken").fill("muziek")
    page.get_by_role("button", name="Toepassen", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("1 aanvraag")
    page.get_by_label("Zoeken").fill("")
    page.get_by_role("button", name="Toepassen", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("2 aanvragen")  # the same region, told again


def test_the_co_funding_step_reflows_at_320_px(page, live_server):
    application, member, _ = empty_draft()
    sign_in(page, live_server, member)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_server.url}/apply/{application.pk}/cofunding/")
    expect(page.get_by_role("heading", name="Cofinanciering", exact=True)).to_be_visible()
    assert page.evaluate(TOO_WIDE) == []


def test_beheer_passes_axe_on_its_lists_and_forms(page, live_server, axe):
    funder = FunderFactory()
    scheme = SchemeFactory(funder=funder)
    sign_in(page, live_server, staff(funder, Role.ADMIN))
    for path in ("/beheer/", "/beheer/grants/scheme/", f"/beheer/grants/scheme/{scheme.pk}/change/"):
        page.goto(f"{live_server.url}{path}")
        axe(page)  # the breadcrumbs' links were told from their text by colour alone (1.4:1)


def test_my_account_refuses_an_empty_name_with_the_focus_on_it_and_reflows_at_320_px(page, live_server, axe):
    """The account page, for a staff member of two roles: its name form's refusal is focused, axe passes,
    and at 320 px the header (one link more) and the page do not scroll sideways."""
    funder = FunderFactory()
    officer = staff(funder, Role.OFFICER, first_name="Sanne", last_name="Bakker")
    FunderRole.objects.create(user=officer, funder=funder, role=Role.FINANCE)
    sign_in(page, live_server, officer)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/accounts/me/")
    page.locator("#id_last_name").fill("")
    page.locator("#id_last_name").press("Enter")
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()
    assert focused(page)["id"] == "id_last_name"
    assert page.locator("#id_first_name").input_value() == "Sanne"
    assert page.evaluate(TOO_WIDE) == []
    axe(page)
