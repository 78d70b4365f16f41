"""The pages run under their own Content-Security-Policy: no script, style or request it blocks.

The other browser tests open pages with `bypass_csp` (so axe-core can be injected), which would hide
a script without the nonce or an inline handler. Here a context of its own keeps the policy, and
every violation the browser reports (`securitypolicyviolation`, and its console message) fails.
"""

import pytest

from tests.browser.conftest import sign_in
from tests.factories import ApplicationFactory, staff
from workflow.states import Role

pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = """() => { window.__violations = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'))); }"""


@pytest.fixture
def enforcing_page(browser):
    context = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(f"({LISTEN})()")
    page.console_messages = console
    yield page
    context.close()


def violations(page) -> list[str]:
    reported = page.evaluate("() => window.__violations")
    in_console = [text for text in page.console_messages if "Content Security Policy" in text]
    return reported + in_console


def test_staff_and_team_pages_break_no_rule_of_their_policy(enforcing_page, live_server):
    page = enforcing_page
    application = ApplicationFactory(submitted=True)
    officer = staff(application.scheme.funder, Role.OFFICER)
    sign_in(page, live_server, officer)
    header = page.context.request.get(f"{live_server.url}/workbench/").headers
    assert "nonce-" in header.get("content-security-policy", "")  # the policy is really there
    for path in ("/workbench/", f"/workbench/applications/{application.pk}/", "/deadlines/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
    page.goto(f"{live_server.url}/workbench/queue/")
    page.get_by_label("Zoeken").first.fill(application.reference)  # htmx swaps the table in
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    sign_in(page, live_server, application.team.contact)
    for path in ("/portal/", "/apply/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path


def test_the_language_switch_carries_typed_values_under_the_policy_in_the_site_and_in_beheer(
    enforcing_page, live_server
):
    """language-switch.js runs with the page's nonce on the site's pages and in Beheer (admin/base_site.html),
    and puts values back without anything the policy blocks."""
    from playwright.sync_api import expect

    from tests.factories.apply import empty_draft

    page = enforcing_page
    application, member, _ = empty_draft()
    sign_in(page, live_server, member)
    page.goto(f"{live_server.url}/apply/{application.pk}/plan/")
    page.get_by_label("Titel van uw project").fill("Samen de wijk in")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_label("Title of your project")).to_have_value("Samen de wijk in")
    assert violations(page) == []

    admin = staff(application.scheme.funder, Role.ADMIN)
    sign_in(page, live_server, admin)
    page.goto(f"{live_server.url}/beheer/accounts/funderinvitation/add/")
    page.locator('input[name="email"]').fill("nieuwe.collega@example.nl")
    page.locator("form.gd-language button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator('input[name="email"]')).to_have_value("nieuwe.collega@example.nl")
    assert violations(page) == []
