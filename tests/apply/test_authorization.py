"""Every apply URL with real ids, as a member of another team, staff of another funder, and signed out."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from grants.models import Application, Attachment
from tests.factories import ApplicationFactory, FunderFactory, ReviewFactory, SchemeFactory, force_status, staff
from tests.factories.apply import MINIMAL_PDF, team_with_member, upload
from workflow.states import Role

pytestmark = pytest.mark.django_db

SECRET = "Geheim plan van team Noord"
STEPS = ("plan", "parties", "budget", "cofunding")


@pytest.fixture
def target(client):
    application = ApplicationFactory(title=SECRET)
    client.force_login(application.team.contact)
    client.post(reverse("apply:step_attachments", args=[application.pk]), {"file": upload("geheim.pdf", MINIMAL_PDF)})
    client.logout()
    return application, Attachment.objects.get(application=application)


def requests_for(application, attachment):
    pk = application.pk
    gets = [reverse("apply:editor", args=[pk]), reverse("apply:summary", args=[pk])]
    gets += [reverse("apply:step", args=[pk, step]) for step in (*STEPS, "attachments")]
    gets.append(reverse("apply:attachment_download", args=[attachment.pk]))
    posts = [reverse("apply:step", args=[pk, step]) for step in STEPS]
    posts += [
        reverse("apply:step_attachments", args=[pk]),
        reverse("apply:attachment_delete", args=[pk, attachment.pk]),
        reverse("apply:submit", args=[pk]),
    ]
    return gets, posts


def outsiders():
    _, other_member, _ = team_with_member()
    other_staff = staff(FunderFactory(), Role.OFFICER)
    return {"other team": other_member, "staff of another funder": other_staff, "signed out": None}


@pytest.mark.parametrize("who", ["other team", "staff of another funder", "signed out"])
def test_outsiders_never_see_or_change_the_application(client, target, who):
    application, attachment = target
    user = outsiders()[who]
    if user is not None:
        client.force_login(user)
    gets, posts = requests_for(application, attachment)
    for url in gets:
        response = client.get(url)
        if user is None:
            assert response.status_code == 302, url
            assert "login" in response.url, url
        else:
            assert response.status_code == 404, url
        assert SECRET.encode() not in response.content, url
    for url in posts:
        response = client.post(url, {"title": "Overgenomen", "file": upload("x.pdf", MINIMAL_PDF)})
        assert response.status_code in (302, 404), url
        if user is None:
            assert "login" in response.url, url
        else:
            assert response.status_code == 404, url
    application.refresh_from_db()
    assert application.title == SECRET
    assert application.status == "draft"
    assert Attachment.objects.filter(application=application).count() == 1


def test_staff_of_the_funder_see_no_drafts_but_may_download_a_submitted_applications_file(client, target):
    application, attachment = target
    officer = staff(application.scheme.funder, Role.OFFICER)
    client.force_login(officer)
    url = reverse("apply:attachment_download", args=[attachment.pk])
    assert client.get(url).status_code == 404  # a draft is the team's own business
    assert client.get(reverse("apply:summary", args=[application.pk])).status_code == 404
    Application.objects.filter(pk=application.pk).update(status="submitted")
    assert client.get(url).status_code == 200


def test_a_reviewer_downloads_the_files_only_after_declaring_no_conflict_of_interest(client, target):
    application, attachment = target
    Application.objects.filter(pk=application.pk).update(status="in_review")
    review = ReviewFactory(application=application)
    client.force_login(review.reviewer)
    url = reverse("apply:attachment_download", args=[attachment.pk])
    review_page = client.get(reverse("workbench:review", args=[review.pk]))
    assert review_page.status_code == 200  # the reviewer opens the review to declare
    assert "geheim.pdf" not in review_page.content.decode()
    response = client.get(url)
    assert response.status_code == 404  # no file before the declaration, like the plan itself
    assert b"%PDF" not in response.content

    client.post(reverse("workbench:review_action", args=[review.pk, "no_conflict"]))
    assert client.get(url).status_code == 200

    client.post(reverse("workbench:review_action", args=[review.pk, "conflict"]), {"reason": "Mijn zus is directeur."})
    assert client.get(url).status_code == 404  # a conflict found later closes the files again


def test_a_reports_files_are_for_the_team_and_the_funders_staff_not_for_reviewers(client, target):
    from grants.models import Report

    application, attachment = target
    Application.objects.filter(pk=application.pk).update(status="active")
    report = Report.objects.create(
        application=application, kind="interim", due_date=datetime.date(2026, 6, 1), status="submitted"
    )  # a draft's files are the team's alone (tests/workflow/test_staff_files_access.py)
    Attachment.objects.filter(pk=attachment.pk).update(report=report)
    review = ReviewFactory(application=application)
    force_status(review, "submitted")
    url = reverse("apply:attachment_download", args=[attachment.pk])
    client.force_login(review.reviewer)
    assert client.get(url).status_code == 404
    for reader in (application.team.contact, staff(application.scheme.funder, Role.OFFICER)):
        client.force_login(reader)
        assert client.get(url).status_code == 200


def test_malformed_and_unknown_ids_are_404(client, target):
    application, _ = target
    client.force_login(application.team.contact)
    assert client.get(f"/apply/{application.pk}/nonsense/").status_code == 404
    assert client.get("/apply/99999999/plan/").status_code == 404
    assert client.get("/apply/attachments/99999999/").status_code == 404
    assert client.get("/apply/schemes/99999999/").status_code == 404


def test_uploads_are_not_served_by_any_url(client, target):
    _, attachment = target
    assert str(settings.MEDIA_ROOT) not in str(settings.STATIC_ROOT)
    client.force_login(attachment.application.team.contact)
    assert client.get(f"{settings.MEDIA_URL}{attachment.file.name}").status_code == 404
    assert client.get(f"/static/{attachment.file.name}").status_code == 404


def test_signed_out_visitors_read_the_open_schemes_and_are_offered_sign_in_and_registration(client):
    scheme = SchemeFactory(name="Onderwijsinnovatiefonds Teststad")
    for url in (reverse("apply:schemes"), reverse("apply:scheme", args=[scheme.pk])):
        page = client.get(url).content.decode()
        assert "Onderwijsinnovatiefonds Teststad" in page, url
        assert reverse("accounts:register") in page, url
        assert f'href="{reverse("accounts:login")}' in page, url
        assert reverse("apply:start", args=[scheme.pk]) not in page, url
    response = client.post(reverse("apply:start", args=[scheme.pk]))
    assert response.status_code == 302
    assert "login" in response.url
