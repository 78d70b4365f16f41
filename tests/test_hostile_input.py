"""Hostile input in every form a demo user reaches answers with a message, never with a 500.

`seed_demo` builds applications in every state; for a user of each kind (as in test_crawl), every
form their pages offer is posted once per field with that field, and only that field, made hostile:
a NUL character (PostgreSQL refuses it in text and in JSON), 100,000 characters, and an e-mail address
valid by RFC 3696 but longer than the 254 characters an address column holds. The other fields keep
what the page showed, so the post reaches the save, where the database has its say. Each post runs in
a transaction that is rolled back, so one form's post does not change what the next one sees.
"""

from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import Resolver404, resolve

from grants.models import FunderRole, Team, User
from workflow.states import Role

from .test_crawl import links_of

pytestmark = pytest.mark.django_db

PAGES_PER_USER = 80
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".nl"
NOT_POSTED = ("/accounts/logout/", "/i18n/", "/beheer/logout/", "/admin/")
TEXT_TYPES = {"text", "textarea", "email", "search", "url", "tel"}


class Forms(HTMLParser):
    """The POST forms of a page: action and fields as the browser would post them untouched."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {"action": a.get("action") or "", "post": (a.get("method") or "").lower() == "post"}
            self.form["fields"] = []
            self.forms.append(self.form)
        elif self.form is None or not a.get("name"):
            if tag == "option" and self.select is not None and ("selected" in a or self.select[2] is None):
                self.select[2] = a.get("value", "")
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind not in ("submit", "button", "file", "image", "reset") and (
                kind not in ("checkbox", "radio") or "checked" in a
            ):
                self.form["fields"].append([a["name"], kind, a.get("value", "")])
        elif tag == "select":
            self.select = [a["name"], "select", None]
            self.form["fields"].append(self.select)
        elif tag == "textarea":
            self.textarea = [a["name"], "textarea", ""]
            self.form["fields"].append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def rolled_back(call):
    with transaction.atomic():
        try:
            return call()
        finally:
            transaction.set_rollback(True)


def forms_reached(client) -> dict:
    """Every distinct POST form (by view and field names) on the pages reachable by links from "/"."""
    seen, queue, found, pages = {"/"}, deque(["/"]), {}, 0
    while queue and pages < PAGES_PER_USER:
        url = queue.popleft()
        response = rolled_back(lambda url=url: client.get(url, follow=True))
        pages += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html, path = response.content.decode(), response.request["PATH_INFO"]
        parser = Forms()
        parser.feed(html)
        for form in parser.forms:
            action = urlsplit(urljoin(path, form["action"] or path)).path
            if not form["post"] or action.startswith(NOT_POSTED):
                continue
            try:
                view = resolve(action).view_name
            except Resolver404:
                continue
            found.setdefault((view, tuple(sorted(f[0] for f in form["fields"]))), (action, form["fields"]))
        for link in links_of(path, html):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return found


def hostile_posts(fields):
    """(what was made hostile, the post): one field at a time, the others as the page showed them."""
    base = defaultdict(list)
    for name, _kind, value in fields:
        if name != "csrfmiddlewaretoken" and value is not None:
            base[name].append(value)
    for name, kind, value in fields:
        if kind not in TEXT_TYPES:
            continue
        for label, hostile in (
            ("NUL", f"{value or 'tekst'}\x00"),
            ("100,000 characters", "x" * 100_000),
            ("a 311-character e-mail address", LONG_EMAIL),
        ):
            yield f"{name}: {label}", {**base, name: [hostile]}


def demo_users():
    funder = FunderRole.objects.order_by("funder__pk").values_list("funder", flat=True).first()
    staff = [
        User.objects.get(pk=FunderRole.objects.filter(funder=funder, role=role).values("user")[:1])
        for role in (Role.OFFICER, Role.DECIDER, Role.FINANCE, Role.ADMIN)
    ]
    team = Team.objects.filter(applications__status="draft").order_by("pk").first()
    return [*staff, team.contact]


def test_every_form_of_the_demo_takes_hostile_input_without_an_error_page(client):
    call_command("seed_demo", verbosity=0)
    client.raise_request_exception = False
    errors, views = [], set()
    for user in demo_users():
        client.force_login(user)
        for (view, _names), (action, fields) in forms_reached(client).items():
            views.add(view)
            for what, data in hostile_posts(fields):
                response = rolled_back(lambda action=action, data=data: client.post(action, data))
                if response.status_code >= 500:
                    errors.append(f"{user.email} {view} {action} {what}: {response.status_code}")
        client.logout()
    assert not errors, "\n".join(errors)
    # The walk reached the forms that matter: the editor, the workbench, finance and Beheer.
    assert {"apply:step", "workbench:application_action", "finance:batch_build", "beheer:grants_scheme_change"} <= views
