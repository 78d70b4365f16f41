"""The team's list and application page: what a teacher sees, and a query count that does not grow."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from grants.audit import record_event
from grants.models import Report, Review
from tests.factories import ApplicationFactory, ReviewFactory, TeamFactory, force_status, staff
from tests.factories.portal import budget_lines, information_request, member_of, sent_letter
from workflow import actions
from workflow.states import ApplicationStatus, DecisionKind, ReviewStatus, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Lerarenteam De Linde")


def client_for(client, user):
    client.force_login(user)
    return client


def test_index_lists_the_active_teams_applications_in_dutch(client, team):
    awarded = ApplicationFactory(team=team, awarded=True, amount=Decimal("194950.00"))
    awarded.scheme.max_per_application = Decimal("200000.00")
    submitted = ApplicationFactory(team=team, submitted=True, title="Wiskunde buiten")
    other = ApplicationFactory(title="Van een ander team")
    response = client_for(client, team.contact).get(reverse("portal:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert awarded.title in html
    assert submitted.title in html
    assert other.title not in html
    assert "€ 194.950,00" in html
    assert "Ingediend" in html  # status label in Dutch
    assert "56 dagen" in html  # decision term days left of the submitted one (eight weeks)
    assert "Start het project" in html  # next action of the awarded one


def test_index_for_a_user_without_team_says_so(client):
    officer = staff(ApplicationFactory().scheme.funder, Role.OFFICER)
    response = client_for(client, officer).get(reverse("portal:index"))
    assert response.status_code == 200
    assert "nog geen lid van een lerarenteam" in response.content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_index_query_count_does_not_grow_with_applications(client, team):
    states = [{"submitted": True}, {"active": True}, {"awarded": True}, {"info_requested": True}, {}]
    for n in range(3):
        ApplicationFactory(team=team, **states[n % len(states)])
    client_for(client, team.contact)
    url = reverse("portal:index")
    client.get(url)  # warm the session and content types
    few = count_queries(client, url)
    for n in range(27):
        application = ApplicationFactory(team=team, **states[n % len(states)])
        if application.status == "info_requested":
            information_request(application)
        if application.status == "active":
            Report.objects.create(application=application, kind="final", due_date=timezone.localdate())
    many = count_queries(client, url)
    assert few == many


def test_application_page_shows_timeline_term_letters_and_plan(client, team):
    application = ApplicationFactory(team=team, amount=Decimal("12500.00"))
    actions.application_submit(application=application, actor=team.contact)
    officer = staff(application.scheme.funder, Role.OFFICER)
    actions.application_request_info(application=application, actor=officer, message="Welke scholen doen mee?")
    response = client_for(client, team.contact).get(reverse("portal:application", args=[application.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "De aanvraag is ingediend." in html
    assert "De subsidieverstrekker heeft om meer informatie gevraagd." in html
    assert "Welke scholen doen mee?" in html
    assert team.contact.get_full_name() in html
    today = timezone.localdate()
    with translation.override("nl"):
        assert date_format(today, "j F Y") in html  # e.g. 22 november 2026
    assert "Opgeschort" in html  # decision term paused while information is requested
    assert "€ 12.500,00" in html
    assert "€ 25.000,00" in html
    assert "Ontwikkeltijd leerkrachten" in html


def test_internal_steps_and_reviewer_names_stay_out_of_the_timeline(client, team):
    application = ApplicationFactory(team=team, in_review=True)
    review = ReviewFactory(application=application)
    record_event(review, actor=review.reviewer, action="declare_no_conflict", application=application)
    response = client_for(client, team.contact).get(reverse("portal:application", args=[application.pk]))
    html = response.content.decode()
    assert review.reviewer.get_full_name() not in html
    assert review.reviewer.email not in html


def test_review_outcome_only_once_decided_and_without_names(client, team):
    application = ApplicationFactory(team=team, reviewed=True)
    reviews = [ReviewFactory(application=application) for _ in range(2)]
    for review, score, advice in zip(reviews, ("80.00", "60.00"), ("award", "reject"), strict=True):
        Review.objects.filter(pk=review.pk).update(weighted_score=Decimal(score), recommendation=advice)
        force_status(review, ReviewStatus.SUBMITTED)
    url = reverse("portal:application", args=[application.pk])
    client_for(client, team.contact)
    assert "Uitkomst van de beoordeling" not in client.get(url).content.decode()
    force_status(application, "awarded")
    application.__class__.objects.filter(pk=application.pk).update(decided_at=timezone.now())
    html = client.get(url).content.decode()
    assert "Uitkomst van de beoordeling" in html
    assert "gemiddeld 70,0" in html
    for review in reviews:
        assert review.reviewer.get_full_name() not in html


def test_application_page_query_count_does_not_grow(client, team):
    application = ApplicationFactory(team=team, awarded=True)
    officer = staff(application.scheme.funder, Role.OFFICER)
    sent_letter(application, officer=officer)
    budget_lines(application, 2)
    client_for(client, team.contact)
    url = reverse("portal:application", args=[application.pk])
    client.get(url)
    few = count_queries(client, url)
    for _ in range(10):
        sent_letter(application, kind=DecisionKind.TERM_EXTENSION, officer=officer)
        record_event(application, actor=officer, action="extend_term", data={"to": "2027-01-01"})
    budget_lines(application, 25)
    many = count_queries(client, url)
    assert few == many


def test_letter_download_for_team_members(client, team):
    application = ApplicationFactory(team=team, awarded=True)
    letter = sent_letter(application)
    colleague = member_of(team)
    page = client_for(client, colleague).get(reverse("portal:application", args=[application.pk]))
    download = reverse("documents:letter_download", args=[letter.pk])
    assert download in page.content.decode()
    assert "Subsidieverlening" in page.content.decode()
    assert "Brief verstuurd: Subsidieverlening." in page.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_objection_deadline_is_shown_within_six_weeks(client, team):
    application = ApplicationFactory(team=team, rejected=True)
    letter_date = timezone.localdate() - datetime.timedelta(days=10)
    sent_letter(application, kind=DecisionKind.REJECTION, letter_date=letter_date)
    html = client_for(client, team.contact).get(reverse("portal:application", args=[application.pk])).content.decode()
    assert "bezwaar maken tot" in html
    assert "Bezwaar indienen" in html


def test_an_award_whose_project_starts_later_offers_the_start_button_only_from_the_start_date(client, team, settings):
    """The start button was offered two months before the project period began; a team that clicked it
    ran a project that had not begun (reports due, an extension offered)."""
    later = timezone.localdate() + datetime.timedelta(days=60)
    application = ApplicationFactory(team=team, awarded=True, project_start=later)
    url = reverse("portal:application", args=[application.pk])
    client_for(client, team.contact)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    assert (
        f"The project period starts on {date_format(later, 'j F Y')}; you can start the project from that day." in html
    )
    assert reverse("portal:application_action", args=[application.pk, "start"]) not in html
    application.project_start = timezone.localdate()
    application.save(update_fields=["project_start"])
    html = client.get(url).content.decode()
    assert 'data-testid="start-refusals"' not in html
    assert reverse("portal:application_action", args=[application.pk, "start"]) in html


def test_while_an_extension_is_asked_the_application_page_says_what_was_asked(client, team, settings):
    """The page said only "Extension requested": not when, until when, or what happens next."""
    application = ApplicationFactory(team=team, active=True)
    new_end = application.project_end + datetime.timedelta(days=60)
    actions.application_request_extension(
        application=application, actor=team.contact, motivation="Twee scholen sluiten aan.", new_end_date=new_end
    )
    client_for(client, team.contact)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    asked = date_format(timezone.localdate(), "j F Y")
    assert (
        f"Asked on {asked}: the project to end on {date_format(new_end, 'j F Y')}. "
        "The funder decides and sends you a letter."
    ) in " ".join(html.split())


def test_application_page_in_english(client, team, settings):
    application = ApplicationFactory(team=team, awarded=True)
    client_for(client, team.contact)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert "What you can do now" in html
    assert "€10,000.00" in html


@pytest.mark.parametrize("status", [s for s, _label in ApplicationStatus.choices])
def test_every_status_renders_list_and_page(client, team, status):
    application = ApplicationFactory(team=team)
    if status != "draft":
        force_status(application, status)
    client_for(client, team.contact)
    assert client.get(reverse("portal:index")).status_code == 200
    response = client.get(reverse("portal:application", args=[application.pk]))
    assert response.status_code == 200
    assert application.get_status_display() in response.content.decode()
