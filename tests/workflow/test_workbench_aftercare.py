"""From a decided application on the workbench into its aftercare, and no stale decision term.

The officer's page of an awarded or running project used to show "Beslistermijn nog 56 dagen"
and no way to its reports, money, extension or objection.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.models import Decision, Extension, Objection, Report
from tests.factories import ApplicationFactory, FunderFactory, SchemeFactory, staff
from workflow.states import DecisionKind, DecisionStatus, Role

pytestmark = pytest.mark.django_db

SECTION = "Project en geld"
STAFF = (Role.OFFICER, Role.DECIDER, Role.FINANCE, Role.ADMIN)


@pytest.fixture
def funder():
    return FunderFactory()


def page(client, user, application):
    client.force_login(user)
    response = client.get(reverse("workbench:application", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section_links(body: str) -> list[str]:
    """The hrefs in the "Project en geld" section (empty when it is not there)."""
    match = re.search(r'<section aria-labelledby="project-heading".*?</section>', body, re.S)
    return re.findall(r'href="([^"]+)"', match.group(0)) if match else []


def objection_against_award(application) -> Objection:
    award = Decision.objects.create(
        application=application,
        kind=DecisionKind.AWARD,
        status=DecisionStatus.TAKEN,
        amount=application.awarded_amount,
        prepared_by=staff(application.scheme.funder, Role.OFFICER),
        letter_date=timezone.localdate() - datetime.timedelta(days=10),
    )
    return Objection.objects.create(
        application=application,
        decision=award,
        grounds="Het bedrag is lager dan gevraagd.",
        submitted_by=application.team.contact,
        due_date=timezone.localdate() + datetime.timedelta(days=60),
    )


@pytest.fixture
def running(funder):
    """A running project whose team asked for an extension and objected to the award."""
    application = ApplicationFactory(scheme=SchemeFactory(funder=funder), extension_requested=True)
    extension = Extension.objects.create(
        application=application,
        motivation="De pilot loopt goed.",
        new_end_date=application.project_end + datetime.timedelta(days=90),
        requested_by=application.team.contact,
    )
    return {"application": application, "extension": extension, "objection": objection_against_award(application)}


@pytest.mark.parametrize("status", ["awarded", "active", "extension_requested", "settled", "rejected"])
def test_a_decided_application_shows_no_decision_term(client, funder, status):
    application = ApplicationFactory(scheme=SchemeFactory(funder=funder), status_=status)
    body = page(client, staff(funder, Role.OFFICER), application)
    assert "Beslistermijn" not in body
    assert "nog 56 dagen" not in body


@pytest.mark.parametrize("status", ["submitted", "in_review", "reviewed", "cofunding_check"])
def test_a_pending_application_shows_its_decision_term_and_no_aftercare(client, funder, status):
    application = ApplicationFactory(scheme=SchemeFactory(funder=funder), status_=status)
    body = page(client, staff(funder, Role.OFFICER), application)
    assert "<dt>Beslistermijn</dt><dd>nog 56 dagen" in body
    assert SECTION not in body


def test_a_paused_decision_term_still_shows_while_information_is_requested(client, funder):
    application = ApplicationFactory(scheme=SchemeFactory(funder=funder), info_requested=True)
    body = page(client, staff(funder, Role.OFFICER), application)
    assert "<dt>Beslistermijn</dt>" in body
    assert "(opgeschort)" in body


def test_each_role_gets_the_aftercare_links_it_may_open_and_each_one_opens(client, funder, running):
    application, extension, objection = running["application"], running["extension"], running["objection"]
    terms = reverse("deadlines:application", args=[application.pk])
    extension_page = reverse("deadlines:extension", args=[extension.pk])
    objection_page = reverse("deadlines:objection", args=[objection.pk])
    money = reverse("finance:application", args=[application.pk])
    expected = {
        Role.OFFICER: [terms, extension_page, objection_page, money],
        Role.DECIDER: [terms, extension_page, objection_page, money],
        Role.FINANCE: [terms, extension_page, objection_page, money],
        Role.ADMIN: [terms, extension_page, objection_page],  # the money page answers an administrator 403
    }
    for role in STAFF:
        user = staff(funder, role)
        body = page(client, user, application)
        assert SECTION in body
        assert section_links(body) == expected[role], role
        for url in section_links(body):
            assert client.get(url).status_code == 200, (role, url)
    body = page(client, staff(funder, Role.OFFICER), application)
    day = f"{extension.new_end_date.day} "
    assert f">Verzoek om verlenging tot {day}" in body
    assert ": Aangevraagd</a>" in body
    assert ">Open bezwaar: beslissen uiterlijk op " in body
    assert ">Geld: betalingen, bankgegevens en beoordeling van verslagen</a>" in body
    assert ">Project: looptijd, verslagen, bezwaartermijn en intrekking</a>" in body


def test_a_decided_objection_is_not_linked_as_open(client, funder, running):
    Objection.objects.filter(pk=running["objection"].pk).update(status="upheld")
    body = page(client, staff(funder, Role.OFFICER), running["application"])
    assert reverse("deadlines:objection", args=[running["objection"].pk]) not in section_links(body)


def test_a_rejection_under_objection_links_the_objection_but_no_money(client, funder):
    application = ApplicationFactory(scheme=SchemeFactory(funder=funder), rejected=True)
    objection = objection_against_award(application)  # the kind does not matter to the link
    type(application).objects.filter(pk=application.pk).update(
        status="objection", status_before_objection="rejected", awarded_amount=None
    )
    links = section_links(page(client, staff(funder, Role.OFFICER), application))
    assert reverse("deadlines:objection", args=[objection.pk]) in links
    assert reverse("finance:application", args=[application.pk]) not in links


def test_the_officer_gets_the_settlement_of_a_submitted_final_report(client, funder):
    application = ApplicationFactory(scheme=SchemeFactory(funder=funder), final_report_submitted=True)
    report = Report.objects.create(
        application=application, kind=Report.Kind.FINAL, due_date=timezone.localdate(), status="submitted"
    )
    settlement = reverse("finance:settlement", args=[report.pk])
    officer_body = page(client, staff(funder, Role.OFFICER), application)
    assert f'<a href="{settlement}">Kosten beoordelen en subsidie vaststellen</a>' in officer_body
    assert client.get(settlement).status_code == 200
    decider = staff(funder, Role.DECIDER)  # the settlement page is the officer's (403 for a decider)
    assert settlement not in section_links(page(client, decider, application))


def test_the_aftercare_links_cost_no_query_per_objection(client, funder, running):
    application = running["application"]
    officer = staff(funder, Role.OFFICER)
    url = reverse("workbench:application", args=[application.pk])
    client.force_login(officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(3):
        objection_against_award(application)
    assert queries() == one
    assert len([u for u in section_links(page(client, officer, application)) if "/objections/" in u]) == 4
