"""Browser tests: Playwright driving Debian's Chromium against Django's live server."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp only lets axe-core be injected; the pages keep their CSP header.
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam", "bypass_csp": True}


AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe():
    """axe(page) runs axe-core (WCAG 2.1 AA rules) and fails on serious or critical violations."""

    def check(page):
        page.add_script_tag(path=str(AXE_SOURCE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        summary = [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in serious
        ]
        assert not serious, f"axe-core on {page.url}: " + json.dumps(summary, indent=1)

    return check


def login(page, live_server, email: str, password: str) -> None:
    """Sign in through the real sign-in page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def sign_in(page, live_server, user, password: str | None = None) -> None:
    """Sign `user` in through the real sign-in page in a fresh session (whoever was signed in is gone)."""
    from tests.factories import PASSWORD

    page.context.clear_cookies()
    login(page, live_server, user.email, password or PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def answer_next_dialog(page, *, accept: bool = True) -> list[str]:
    """Answer the page's next confirm() (Playwright would dismiss it) and keep its question for asserts."""
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    return asked
