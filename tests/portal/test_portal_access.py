"""Every team-facing URL, with real ids, as someone who may not see it: never the data.

Visitors: a member of another team, a staff member (every role) of another funder, and
someone signed out. Each gets 403/404 or the sign-in page, and the response never holds
the application's title or the team's name. The team itself gets every page (so the ids
are real and the URLs work).
"""

import contextlib
import datetime

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from grants.models import Attachment, Report
from grants.portal import pledge_links
from tests.factories import ApplicationFactory, FunderFactory, TeamFactory, staff
from tests.factories.portal import PDF, sent_letter
from workflow.states import Role

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Geheim project van De Linde"
SECRET_TEAM = "Lerarenteam Geheime Linde"


@pytest.fixture
def world():
    team = TeamFactory(name=SECRET_TEAM)
    application = ApplicationFactory(team=team, active=True, title=SECRET_TITLE)
    report = Report.objects.create(application=application, kind="final", due_date=timezone.localdate())
    letter = sent_letter(application, letter_date=timezone.localdate() - datetime.timedelta(days=3))
    draft = ApplicationFactory(team=team, title=SECRET_TITLE + " (concept)")
    attachment = Attachment(
        application=draft,
        original_name=SECRET_TITLE + ".pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=team.contact,
    )
    attachment.file.save("bijlage.pdf", ContentFile(PDF), save=True)
    return {
        "team": team,
        "application": application,
        "report": report,
        "letter": letter,
        "draft": draft,
        "attachment": attachment,
    }


def get_urls(world) -> list[str]:
    pk = world["application"].pk
    urls = [
        reverse("portal:application", args=[pk]),
        reverse("portal:application", args=[world["draft"].pk]),
        reverse("portal:report", args=[world["report"].pk]),
        reverse("documents:letter_download", args=[world["letter"].pk]),
        reverse("deadlines:project", args=[pk]),
        reverse("deadlines:request_extension", args=[pk]),
        reverse("finance:bank_details", args=[pk]),
    ]
    with contextlib.suppress(NoReverseMatch):
        urls.append(reverse("apply:attachment_download", args=[world["attachment"].pk]))
    return urls + apply_urls(world["draft"])


def post_urls(world) -> list[tuple[str, dict]]:
    pk = world["application"].pk
    posts = [
        (reverse("portal:application_action", args=[pk, action]), data)
        for action, data in (
            ("answer", {"answer": "x"}),
            ("withdraw", {"reason": "x"}),
            ("object", {"grounds": "x"}),
            ("start", {}),
        )
    ]
    posts.append((reverse("portal:report", args=[world["report"].pk]), {"results": "x", "submit": "1"}))
    posts.append((reverse("deadlines:request_extension", args=[pk]), {"motivation": "x", "new_end_date": "2030-01-01"}))
    posts.append((reverse("finance:bank_details", args=[pk]), {"iban": "NL91ABNA0417164300", "account_holder": "x"}))
    with contextlib.suppress(NoReverseMatch):
        posts.append((reverse("apply:submit", args=[world["draft"].pk]), {}))
    return posts


# The apply helper's editor pages for a draft (grants/apply/urls.py), as far as they exist.
APPLY_URLS = (
    ("apply:editor", ()),
    ("apply:summary", ()),
    ("apply:step_attachments", ()),
    ("apply:step", ("plan",)),
    ("apply:step", ("budget",)),
)


def apply_urls(draft) -> list[str]:
    urls = []
    for name, extra in APPLY_URLS:
        try:
            urls.append(reverse(name, args=[draft.pk, *extra]))
        except NoReverseMatch:
            continue
    return urls


def visitors(world):
    other_team_member = ApplicationFactory().team.contact
    other_funder = FunderFactory()
    staff_members = [staff(other_funder, role) for role in Role.values]
    return {"other team": other_team_member, **{f"staff {u.funder_roles.get().role}": u for u in staff_members}}


def refused(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].startswith(login)


def assert_no_data(response, where):
    body = b"" if response.streaming else response.content
    assert SECRET_TITLE.encode() not in body, where
    assert SECRET_TEAM.encode() not in body, where


def test_the_team_reaches_every_page(client, world):
    client.force_login(world["team"].contact)
    for url in [reverse("portal:index"), *get_urls(world)]:
        response = client.get(url)
        assert response.status_code == 200 or (url.startswith("/apply/") and response.status_code == 302), url


@pytest.mark.parametrize("who", ["other team", "staff", "anonymous"])
def test_outsiders_never_see_the_data(client, world, who):
    people = visitors(world)
    if who == "anonymous":
        users = [None]
    elif who == "staff":
        users = [user for name, user in people.items() if name.startswith("staff")]
    else:
        users = [people["other team"]]
    for user in users:
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in get_urls(world):
            response = client.get(url)
            assert refused(response), (who, url, response.status_code)
            assert_no_data(response, (who, url))
        for url, data in post_urls(world):
            response = client.post(url, data)
            assert refused(response), (who, url, response.status_code)
            assert_no_data(response, (who, url))
        index = client.get(reverse("portal:index"))
        assert index.status_code == 200 or refused(index)
        assert_no_data(index, (who, "index"))
    application = world["application"]
    application.refresh_from_db()
    assert application.status == "active"
    world["report"].refresh_from_db()
    assert world["report"].status == "due"
    world["draft"].refresh_from_db()
    assert world["draft"].status == "draft"


def test_pledge_link_only_with_the_real_token(client, world):
    pledge = world["application"].pledges.get()
    pledge.__class__.objects.filter(pk=pledge.pk).update(contact_email="bestuur@example.nl")
    pledge.refresh_from_db()
    token = pledge_links.make_token(pledge)
    assert client.get(reverse("portal:pledge", args=[token])).status_code == 200
    for bad in (f"{pledge.pk}", token + "0", token.rsplit(":", 1)[0] + ":AAAA"):
        response = client.get(reverse("portal:pledge", args=[bad]))
        assert response.status_code == 404
        assert_no_data(response, bad)


def test_malformed_and_huge_ids_are_404(client, world):
    client.force_login(world["team"].contact)
    huge = "9" * 25
    for url in (
        f"/portal/applications/{huge}/",
        f"/portal/applications/{huge}/answer/",
        f"/portal/reports/{huge}/",
        f"/portal/applications/{world['application'].pk}/pledges/{huge}/link/",
        "/portal/applications/abc/",
    ):
        response = client.post(url) if url.endswith(("answer/", "link/")) else client.get(url)
        assert response.status_code == 404, url
    assert client.get("/portal/pledges/%00/").status_code == 400  # no address has a NUL
