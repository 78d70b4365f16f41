"""The header offers each person the places their work is, and nothing else."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from grants.models import FunderRole
from tests.factories import PASSWORD, ApplicationFactory, FunderFactory, UserFactory, staff
from workflow.states import Role

pytestmark = pytest.mark.django_db


def header_links(client, user, page=None) -> set[str]:
    client.force_login(user)
    page = client.get(page or reverse("accounts:login"), follow=True).content.decode()
    header = page.split("<main", 1)[0]
    places = {
        "workbench": reverse("workbench:dashboard"),
        "deadlines": reverse("deadlines:overview"),
        "finance": reverse("finance:index"),
        "portal": reverse("portal:index"),
        "beheer": reverse("beheer:index"),
    }
    return {name for name, url in places.items() if f'href="{url}"' in header}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.OFFICER, {"workbench", "deadlines"}),
        (Role.DECIDER, {"workbench", "deadlines", "finance"}),
        (Role.FINANCE, {"workbench", "deadlines", "finance"}),
        (Role.REVIEWER, {"workbench"}),
    ],
)
def test_staff_see_the_places_of_their_role(client, role, expected):
    assert header_links(client, staff(FunderFactory(), role)) == expected


def test_a_funder_administrator_sees_beheer(client):
    # Signed in, an administrator lands on Beheer itself (Django's admin pages); the site's header is elsewhere.
    admin = staff(FunderFactory(), Role.ADMIN)
    assert header_links(client, admin, reverse("workbench:dashboard")) == {"workbench", "deadlines", "beheer"}


def test_a_teacher_sees_the_portal_only(client):
    assert header_links(client, ApplicationFactory().team.contact) == {"portal"}


def signed_in_landing(client, user) -> str:
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


def test_a_user_who_only_administers_a_funder_lands_on_beheer(client):
    admin = staff(FunderFactory(), Role.ADMIN)
    FunderRole.objects.create(user=admin, funder=FunderFactory(), role=Role.ADMIN)  # of two funders
    assert signed_in_landing(client, admin) == reverse("beheer:index")


def test_the_platforms_superuser_without_a_team_or_role_lands_on_the_django_admin(client):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert signed_in_landing(client, superuser) == reverse("admin:index")


def test_an_administrator_with_another_role_lands_on_the_workbench(client):
    funder = FunderFactory()
    admin = staff(funder, Role.ADMIN)
    FunderRole.objects.create(user=admin, funder=funder, role=Role.OFFICER)
    assert signed_in_landing(client, admin) == reverse("workbench:dashboard")


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])  # the site's pages, and /admin/ and Beheer's
def test_every_page_has_an_icon_and_the_browsers_own_request_for_one_finds_it(client, url):
    """Every page asked for /favicon.ico and got a 404."""
    from django.contrib.staticfiles import finders

    page = client.get(url).content.decode()
    (icon,) = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert finders.find(icon.removeprefix(settings.STATIC_URL))
    response = client.get("/favicon.ico")
    assert (response.status_code, response.url) == (302, icon)
