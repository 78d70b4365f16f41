"""The header offers each person the places their work is, and nothing else."""

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory, FunderFactory, staff
from workflow.states import Role

pytestmark = pytest.mark.django_db


def header_links(client, user) -> set[str]:
    client.force_login(user)
    page = client.get(reverse("accounts:login"), follow=True).content.decode()
    header = page.split("<main", 1)[0]
    places = {
        "workbench": reverse("workbench:dashboard"),
        "deadlines": reverse("deadlines:overview"),
        "finance": reverse("finance:index"),
        "portal": reverse("portal:index"),
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


def test_a_teacher_sees_the_portal_only(client):
    assert header_links(client, ApplicationFactory().team.contact) == {"portal"}
