"""The pages the application page sends a user to lead back to it: the team's bank details and project
dates, and the officer's money page. They were dead ends, left only through the menu."""

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory, staff
from workflow.states import Role

pytestmark = pytest.mark.django_db


def back_link(html: str) -> str:
    start = html.index('data-testid="back"')
    tag = html[html.rindex("<a ", 0, start) : start]
    return tag.split('href="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("page", ["finance:bank_details", "deadlines:project"])
def test_the_teams_pages_lead_back_to_the_application(client, page):
    application = ApplicationFactory(active=True)
    client.force_login(application.team.contact)
    link = back_link(client.get(reverse(page, args=[application.pk])).content.decode())
    assert link == reverse("portal:application", args=[application.pk])
    assert client.get(link).status_code == 200


def test_the_officers_money_page_leads_back_to_the_application(client):
    application = ApplicationFactory(active=True)
    client.force_login(staff(application.scheme.funder, Role.OFFICER))
    link = back_link(client.get(reverse("finance:application", args=[application.pk])).content.decode())
    assert link == reverse("workbench:application", args=[application.pk])
    assert client.get(link).status_code == 200
