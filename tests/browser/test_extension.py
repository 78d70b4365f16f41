"""A team asks for the one extension, an officer prepares, a decider grants, the team sees the new dates."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from grants.models import Report, add_months
from tests.browser.conftest import sign_in
from tests.factories import ApplicationFactory, SchemeFactory, staff
from workflow.actions import application_start
from workflow.states import ExtensionStatus, Role

pytestmark = pytest.mark.django_db(transaction=True)


def dutch(day: datetime.date) -> str:
    with translation.override("nl"):
        return date_format(day, "j F Y")


def test_team_requests_extension_decider_grants_team_sees_new_dates(page, live_server, axe):
    scheme = SchemeFactory(interim_report_months=6, final_report_weeks=8, max_extension_months=6)
    today = timezone.localdate()
    application = ApplicationFactory(
        awarded=True,
        scheme=scheme,
        project_start=today,  # the period has begun: the project can start
        project_end=today + datetime.timedelta(days=300),
    )
    application_start(application=application, actor=application.team.contact)
    officer = staff(scheme.funder, Role.OFFICER)
    decider = staff(scheme.funder, Role.DECIDER)
    new_end = add_months(application.project_end, 3)
    new_final_due = new_end + datetime.timedelta(weeks=8)

    # The team asks.
    sign_in(page, live_server, application.team.contact)
    page.goto(f"{live_server.url}/deadlines/projects/{application.pk}/")
    expect(page.get_by_test_id("project-end")).to_have_text(dutch(application.project_end))
    axe(page)
    page.get_by_role("link", name="Verlenging aanvragen").click()
    axe(page)
    page.get_by_label("Nieuwe einddatum").fill(new_end.isoformat())
    page.get_by_label("Motivering").fill("Twee scholen willen aansluiten; de lessenreeks loopt door tot de zomer.")
    page.get_by_role("button", name="Verzoek versturen").click()
    expect(page.get_by_text("Uw verzoek om verlenging is verstuurd.")).to_be_visible()

    # The officer prepares a recommendation.
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/deadlines/")
    axe(page)
    page.get_by_role("link", name=f"{application.reference} {application.title}").click()
    page.get_by_label("Verlenging toekennen").check()
    page.get_by_label("Motivering van het advies").fill(
        "Tussenresultaten zijn goed; verlenging past binnen de regeling."
    )
    page.get_by_role("button", name="Naar een besluitnemer sturen").click()
    expect(page.get_by_text("Uw advies ligt klaar voor een besluitnemer.")).to_be_visible()

    # The decider grants.
    sign_in(page, live_server, decider)
    page.goto(f"{live_server.url}/deadlines/extensions/{application.extension.pk}/")
    axe(page)
    page.get_by_label("Verlenging toekennen").check()
    page.get_by_role("button", name="Beslissen en brief versturen").click()
    expect(page.get_by_text("Op de verlenging is beslist; de brief gaat naar het team.")).to_be_visible()
    page.goto(f"{live_server.url}/deadlines/applications/{application.pk}/")
    axe(page)

    # The team sees the new end date and the moved final report.
    sign_in(page, live_server, application.team.contact)
    page.goto(f"{live_server.url}/deadlines/projects/{application.pk}/")
    expect(page.get_by_test_id("project-end")).to_have_text(dutch(new_end))
    final_row = page.get_by_role("row").filter(has_text=dutch(new_final_due))
    expect(final_row).to_have_count(1)
    application.extension.refresh_from_db()
    assert application.extension.status == ExtensionStatus.GRANTED
    assert application.reports.get(kind=Report.Kind.FINAL).due_date == new_final_due
