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


# Keeps the page where it is after the switch's own submit listener has run, to read what it stored.
HOLD_AND_READ = """() => {
  document.addEventListener("submit", event => event.preventDefault());
  document.querySelector("form.gd-language button").click();
  return JSON.parse(sessionStorage.getItem("grantdesk-language-switch"));
}"""


def test_the_switch_keeps_no_password_token_or_hidden_field_and_fills_only_the_same_page(page, live_server):
    """What the switch stores lives in this tab only, until the next page is shown: never a password or
    the CSRF token; and another page (the next one a colleague opens in this tab) gets none of it."""
    from tests.factories import UserFactory

    UserFactory(email="leerkracht@school.nl")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill("leerkracht@school.nl")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord")
    stored = page.evaluate(HOLD_AND_READ)
    assert stored["page"] == "/accounts/login/"
    carried = {name: value for _form, name, _nth, value in stored["values"]}
    assert carried == {"username": "leerkracht@school.nl"}
    assert "geheim-wachtwoord" not in page.evaluate("() => JSON.stringify(sessionStorage)")

    # Left in storage (the switch's page never loaded), then another page opens: it fills nothing, and
    # forgets what was stored, so the sign-in page opened later shows no address either.
    page.goto(f"{live_server.url}/accounts/password-reset/")
    expect(page.get_by_label("E-mailadres")).to_have_value("")
    assert page.evaluate("() => sessionStorage.length") == 0
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("E-mailadres")).to_have_value("")


def test_a_typed_value_is_put_back_as_text_never_as_markup(page, live_server):
    application, member, _ = empty_draft()
    sign_in(page, live_server, member)
    plan = f"{live_server.url}/apply/{application.pk}/plan/"
    page.goto(plan)
    markup = '<img src=x id="injected"><script>window.ran = 1</script>'
    page.get_by_label("Titel van uw project").fill(markup)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_label("Title of your project")).to_have_value(markup)
    assert page.locator("#injected").count() == 0
    assert page.evaluate("() => window.ran") is None


def test_a_ticked_row_stays_the_same_row_when_a_colleague_adds_one_meanwhile(page, live_server):
    """Ticked boxes are put back by what they stand for, not by their place: in Beheer's list a colleague's
    new invitation moved every row down one, and the switch ticked the row above the chosen one, ready for
    'withdraw'."""
    from grants.accounts.models import FunderInvitation
    from tests.factories import SchemeFactory, staff
    from workflow.states import Role

    funder = SchemeFactory().funder
    admin = staff(funder, Role.ADMIN)
    older, chosen = (
        FunderInvitation.objects.create(funder=funder, role=Role.OFFICER, email=email, invited_by=admin)
        for email in ("eerste@example.nl", "tweede@example.nl")
    )
    sign_in(page, live_server, admin)
    page.goto(f"{live_server.url}/beheer/accounts/funderinvitation/")
    page.locator(f'input[name="_selected_action"][value="{chosen.pk}"]').check()
    page.locator('select[name="action"]').select_option("withdraw")

    newest = FunderInvitation.objects.create(
        funder=funder, role=Role.OFFICER, email="derde@example.nl", invited_by=admin
    )
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    ticked = page.locator('input[name="_selected_action"]:checked')
    expect(ticked).to_have_count(1)
    expect(ticked).to_have_value(str(chosen.pk))
    assert {older.pk, newest.pk}.isdisjoint({int(ticked.get_attribute("value"))})
    expect(page.locator('select[name="action"]')).to_have_value("withdraw")
