"""Who reaches a team's files through the pages that now link to them (the workbench application page, the
review page, the money page), and who does not: every role, here and at another funder, and the team's
neighbours. A page that links to a file its reader may not download is a dead end; a download that opens
for someone no page links it to is a leak. Both are checked for every reader, and the pages' queries stay
the same however many files there are."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import Attachment, Report
from tests.factories import ApplicationFactory, FunderFactory, ReviewFactory, SchemeFactory, force_status, staff
from tests.factories.apply import MINIMAL_PDF, team_with_member
from workflow.states import Role

pytestmark = pytest.mark.django_db


def attach(application, name, report=None):
    return Attachment.objects.create(
        application=application,
        report=report,
        file=ContentFile(MINIMAL_PDF, name=name),
        original_name=name,
        content_type="application/pdf",
        size=len(MINIMAL_PDF),
        sha256="0" * 64,
        uploaded_by=application.team.contact,
    )


@pytest.fixture
def files():
    application = ApplicationFactory(active=True)
    report = Report.objects.create(
        application=application, kind="interim", due_date=datetime.date(2026, 6, 1), status="submitted"
    )
    return application, attach(application, "offerte.pdf"), attach(application, "tussenrapport.pdf", report)


def readers(application) -> dict:
    funder = application.scheme.funder
    other_funder = FunderFactory()
    _, other_team_member, _ = team_with_member()
    elsewhere = ReviewFactory(application=ApplicationFactory(in_review=True, scheme=SchemeFactory(funder=funder)))
    force_status(elsewhere, "no_conflict")
    return {
        "officer": staff(funder, Role.OFFICER),
        "decider": staff(funder, Role.DECIDER),
        "finance": staff(funder, Role.FINANCE),
        "funder administrator": staff(funder, Role.ADMIN),
        "officer of another funder": staff(other_funder, Role.OFFICER),
        "finance of another funder": staff(other_funder, Role.FINANCE),
        "reviewer of another application": elsewhere.reviewer,
        "reviewer without an assignment": staff(funder, Role.REVIEWER),
        "member of another team": other_team_member,
    }


# (the workbench page shows the application's file, the download of it opens, the money page shows the
# report's file, the download of that opens)
EXPECTED = {
    "officer": (True, True, True, True),
    "decider": (True, True, True, True),
    "finance": (True, True, True, True),
    "funder administrator": (True, True, False, True),  # no money page for Beheer's role; the report is theirs
    "officer of another funder": (False, False, False, False),
    "finance of another funder": (False, False, False, False),
    "reviewer of another application": (False, False, False, False),
    "reviewer without an assignment": (False, False, False, False),
    "member of another team": (False, False, False, False),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_reader_sees_a_link_exactly_where_the_download_opens(client, files, who):
    application, own_file, report_file = files
    client.force_login(readers(application)[who])
    own_url = reverse("apply:attachment_download", args=[own_file.pk])
    report_url = reverse("apply:attachment_download", args=[report_file.pk])
    workbench = client.get(reverse("workbench:application", args=[application.pk]))
    money = client.get(reverse("finance:application", args=[application.pk]))
    seen = (
        workbench.status_code == 200 and f'href="{own_url}"' in workbench.content.decode(),
        client.get(own_url).status_code == 200,
        money.status_code == 200 and f'href="{report_url}"' in money.content.decode(),
        client.get(report_url).status_code == 200,
    )
    assert seen == EXPECTED[who]
    if not seen[0]:
        assert b"offerte.pdf" not in workbench.content
    if not seen[2]:
        assert b"tussenrapport.pdf" not in money.content


@pytest.mark.parametrize("status", ["assigned", "conflict_declared"])
def test_a_reviewer_before_declaring_or_with_a_conflict_gets_neither_link_nor_file(client, status):
    application = ApplicationFactory(in_review=True)
    own_file = attach(application, "offerte.pdf")
    review = ReviewFactory(application=application)
    force_status(review, status)
    client.force_login(review.reviewer)
    page = client.get(reverse("workbench:review", args=[review.pk]))
    assert page.status_code == 200
    assert b"offerte.pdf" not in page.content
    assert client.get(reverse("apply:attachment_download", args=[own_file.pk])).status_code == 404
    assert client.get(reverse("workbench:application", args=[application.pk])).status_code == 404


def test_a_reviewer_cannot_open_a_colleagues_review_page_of_the_same_application(client):
    application = ApplicationFactory(in_review=True)
    attach(application, "offerte.pdf")
    mine, theirs = ReviewFactory(application=application), ReviewFactory(application=application)
    force_status(theirs, "no_conflict")
    client.force_login(mine.reviewer)
    assert client.get(reverse("workbench:review", args=[theirs.pk])).status_code == 404


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_pages_ask_the_database_as_often_for_one_file_as_for_many(client, files):
    application, _, report_file = files
    review = ReviewFactory(application=application)
    force_status(review, "no_conflict")
    officer = staff(application.scheme.funder, Role.OFFICER)
    pages = {
        officer: [
            reverse("workbench:application", args=[application.pk]),
            reverse("finance:application", args=[application.pk]),
        ],
        review.reviewer: [reverse("workbench:review", args=[review.pk])],
    }
    before = {}
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            queries(client, url)  # once to fill the caches (content types) that a later request finds full
            before[url] = queries(client, url)
    second_report = Report.objects.create(application=application, kind="final", due_date=datetime.date(2026, 9, 1))
    for number in range(4):
        attach(application, f"bijlage-{number}.pdf")
        attach(application, f"verslag-{number}.pdf", report_file.report)
        attach(application, f"eindverslag-{number}.pdf", second_report)
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            assert queries(client, url) == before[url], url


def test_a_reviewer_who_has_joined_an_applicant_school_since_declaring_no_longer_reads_or_scores_it(client):
    """The rules count membership of a school, its board or a partner as a conflict, whatever was declared:
    the download refused the files, yet the review page still showed the plan, linked the files and took
    scores. Now the page asks for the declaration instead."""
    from grants.models import ReviewScore

    application = ApplicationFactory(in_review=True)
    own_file = attach(application, "offerte.pdf")
    review = ReviewFactory(application=application)
    force_status(review, "no_conflict")
    application.schools.get().members.add(review.reviewer)
    client.force_login(review.reviewer)
    page = client.get(reverse("workbench:review", args=[review.pk])).content.decode()
    assert 'data-testid="member-of-a-party"' in page
    for secret in ("offerte.pdf", application.summary, application.goals, "Ontwikkeltijd leerkrachten"):
        assert secret not in page
    assert client.get(reverse("apply:attachment_download", args=[own_file.pk])).status_code == 404

    client.post(
        reverse("workbench:review_action", args=[review.pk, "scores"]),
        {
            **{f"criterion_{criterion.pk}": "3" for criterion in application.scheme.criteria.all()},
            "recommendation": "award",
            "submit": "1",
        },
    )
    review.refresh_from_db()
    assert review.status == "no_conflict"
    assert not ReviewScore.objects.filter(review=review).exists()

    client.post(reverse("workbench:review_action", args=[review.pk, "conflict"]), {"reason": "Lid van de MR."})
    review.refresh_from_db()
    assert review.status == "conflict_declared"


def test_a_reviewer_who_belongs_to_an_applicant_cannot_declare_no_conflict(client, settings):
    """Assigned before they joined the applying school's board: "no conflict" went through, and only the
    review page and the scores stopped them afterwards."""
    application = ApplicationFactory(in_review=True)
    review = ReviewFactory(application=application)
    board = application.schools.get().board
    board.members.add(review.reviewer)
    client.force_login(review.reviewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("workbench:review_action", args=[review.pk, "no_conflict"]), follow=True)
    review.refresh_from_db()
    assert review.status == "assigned"
    assert f"You belong to {board.name}, which takes part in this application" in response.content.decode()


def test_a_report_the_team_has_not_submitted_stays_the_teams_own(client, settings):
    """The money page showed staff what the team was still writing in a report, and its files opened."""
    application = ApplicationFactory(active=True)
    draft = Report.objects.create(
        application=application, kind="interim", due_date=datetime.date(2026, 6, 1), results="Nog een ruwe versie."
    )
    draft_file = attach(application, "concept-verslag.pdf", draft)
    download = reverse("apply:attachment_download", args=[draft_file.pk])
    client.force_login(staff(application.scheme.funder, Role.OFFICER))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("finance:application", args=[application.pk])).content.decode()
    assert "Nog een ruwe versie." not in page
    assert "concept-verslag.pdf" not in page
    assert "Not submitted yet (due 1 June 2026)" in page
    assert client.get(download).status_code == 404
    client.force_login(application.team.contact)
    assert client.get(download).status_code == 200  # the team's own draft
