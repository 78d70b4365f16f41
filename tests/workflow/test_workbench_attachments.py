"""The files a team uploads reach those who judge them: the officer, the reviewers (after declaring no
conflict of interest) and, for a report, the officer assessing it. Before, the download allowed them
but no page linked to it, so an officer asked for a quote could not read the quote the team sent."""

import datetime

import pytest
from django.urls import reverse

from grants.models import Application, Attachment, Report
from tests.factories import ApplicationFactory, ReviewFactory, staff
from tests.factories.apply import MINIMAL_PDF, upload
from workflow.states import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(client):
    application = ApplicationFactory()
    client.force_login(application.team.contact)
    client.post(
        reverse("apply:step_attachments", args=[application.pk]),
        {"file": upload("offerte.pdf", MINIMAL_PDF), "description": "Offerte bouwpakketten"},
    )
    client.logout()
    return application, Attachment.objects.get(application=application)


def test_the_officer_finds_the_teams_files_on_the_application_page_and_downloads_them(client, target):
    application, attachment = target
    Application.objects.filter(pk=application.pk).update(status="submitted")
    client.force_login(staff(application.scheme.funder, Role.OFFICER))
    html = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    download = reverse("apply:attachment_download", args=[attachment.pk])
    assert f'href="{download}"' in html
    assert "offerte.pdf" in html
    assert "Offerte bouwpakketten" in html
    assert client.get(download).status_code == 200


def test_a_reviewer_finds_the_files_once_no_conflict_is_declared(client, target):
    application, attachment = target
    Application.objects.filter(pk=application.pk).update(status="in_review")
    review = ReviewFactory(application=application)
    client.force_login(review.reviewer)
    page = reverse("workbench:review", args=[review.pk])
    download = reverse("apply:attachment_download", args=[attachment.pk])
    assert download not in client.get(page).content.decode()
    client.post(reverse("workbench:review_action", args=[review.pk, "no_conflict"]))
    html = client.get(page).content.decode()
    assert f'href="{download}"' in html
    assert client.get(download).status_code == 200


def test_a_reports_file_is_linked_on_the_money_page_and_not_shown_to_reviewers(client, target):
    application, attachment = target
    Application.objects.filter(pk=application.pk).update(status="final_report_submitted")
    report = Report.objects.create(
        application=application, kind="final", due_date=datetime.date(2026, 6, 1), status="submitted"
    )
    Attachment.objects.filter(pk=attachment.pk).update(report=report)
    download = reverse("apply:attachment_download", args=[attachment.pk])
    client.force_login(staff(application.scheme.funder, Role.OFFICER))
    html = client.get(reverse("finance:application", args=[application.pk])).content.decode()
    assert f'href="{download}"' in html
    # The application page lists the application's own files; the report's file is with the report.
    assert download not in client.get(reverse("workbench:application", args=[application.pk])).content.decode()
