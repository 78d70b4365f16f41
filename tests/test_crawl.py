"""A 500 is a bug, and so is a link to a page its reader may not see.

`seed_demo` builds applications in every state, letters, payments and batches; then, for one
user per role (and a team contact, a team member and the superuser), a breadth-first walk
over the links of every page (GET only, same site, sign-out and the Django admin left out)
must meet no error: no 5xx, and no 403 or 404 either (a page offering a link its reader may
not follow shows what it should not, or offers what it cannot).
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command

from grants.models import FunderRole, Team, User
from workflow.states import Role

pytestmark = pytest.mark.django_db

PAGES_PER_USER = 120
SKIPPED_PREFIXES = ("/accounts/logout/", "/admin/", "/i18n/", "/static/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(url: str, html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        absolute = urlsplit(urldefrag(urljoin(url, href))[0])
        if absolute.scheme not in ("", "http") or absolute.netloc not in ("", "testserver"):
            continue
        path = absolute.path + (f"?{absolute.query}" if absolute.query else "")
        if not path.startswith(SKIPPED_PREFIXES):
            found.append(path)
    return found


def crawl(client, start: str = "/") -> dict[str, int]:
    seen, queue, statuses = {start}, deque([start]), {}
    while queue and len(statuses) < PAGES_PER_USER:
        url = queue.popleft()
        response = client.get(url, follow=True)
        statuses[url] = response.status_code
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for link in links_of(response.request["PATH_INFO"], response.content.decode()):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return statuses


def demo_users():
    funder_staff = FunderRole.objects.filter(funder__slug=FunderRole.objects.values("funder__slug")[:1])
    users = [User.objects.get(pk=funder_staff.filter(role=role).values("user")[:1]) for role in Role.values]
    team = Team.objects.filter(applications__isnull=False).order_by("pk").first()
    users.append(team.contact)
    users.extend(team.members.exclude(pk=team.contact_id)[:1])
    users.append(User.objects.filter(is_superuser=True).first())
    return users


def test_every_page_a_demo_user_reaches_by_links_answers_without_error(client):
    call_command("seed_demo", verbosity=0)
    assert crawl(client)["/"] == 200  # the sign-in page, signed out
    for user in demo_users():
        client.force_login(user)
        # The superuser's home is /admin/ (Django's own pages, left out): the site's pages from /apply/.
        statuses = crawl(client, "/apply/" if user.is_superuser else "/")
        errors = {url: status for url, status in statuses.items() if status >= 400}
        assert not errors, f"{user.email}: {errors}"
        assert sum(status == 200 for status in statuses.values()) > 3, (user.email, statuses)
        if FunderRole.objects.filter(user=user, role=Role.ADMIN).exists():  # the demo's funder admins
            assert statuses.get("/beheer/grants/scheme/") == 200, statuses
        client.logout()
