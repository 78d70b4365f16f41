"""The language switch keeps the reader on the page, and keeps what they typed but did not save yet."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories.apply import empty_draft

pytestmark = pytest.mark.django_db(transaction=True)


def test_switching_language_halfway_through_a_form_keeps_what_was_typed(page, live_server):
    application, member, _ = empty_draft()
    sign_in(page, live_server, member)
    plan = f"{live_server.url}/apply/{application.pk}/plan/"
    page.goto(plan)
    page.get_by_label("Titel van uw project").fill("Samen de wijk in")
    page.get_by_label("Samenvatting").fill("Leerlingen onderzoeken hun wijk.")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == plan
    expect(page.get_by_label("Title of your project")).to_have_value("Samen de wijk in")
    expect(page.get_by_label("Summary")).to_have_value("Leerlingen onderzoeken hun wijk.")

    page.get_by_label("Summary").fill("Pupils explore their neighbourhood.")
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_label("Titel van uw project")).to_have_value("Samen de wijk in")
    expect(page.get_by_label("Samenvatting")).to_have_value("Pupils explore their neighbourhood.")

    page.reload()  # only the switch carries values over; a plain reload shows what is saved
    expect(page.get_by_label("Samenvatting")).to_have_value("")
