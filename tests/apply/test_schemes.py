"""The open schemes page, a scheme's page and starting an application."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, AuditEvent
from grants.selectors import remaining_budget
from tests.factories import ApplicationFactory, FunderFactory, SchemeFactory, UserFactory
from tests.factories.apply import team_with_member

pytestmark = pytest.mark.django_db


def test_lists_open_schemes_with_their_figures(client):
    _, member, _ = team_with_member()
    scheme = SchemeFactory(cofunding_ratio=Decimal("1.00"), budget_ceiling=Decimal("194950.00"))
    ApplicationFactory(scheme=scheme, awarded=True, amount=Decimal("10000.00"))
    half = SchemeFactory(cofunding_ratio=Decimal("0.50"), eligible_school_types=["vo"])
    closed = SchemeFactory(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(member)
    page = client.get(reverse("apply:schemes")).content.decode()
    assert scheme.name in page
    assert half.name in page
    assert closed.name not in page
    assert "€ 184.950,00" in page  # the ceiling less the award
    assert remaining_budget(scheme) == Decimal("184950.00")
    assert "zoveel bij als het fonds geeft" in page
    assert "Cofinanciers leggen 50% bij van wat het fonds geeft." in page
    assert "Voortgezet onderwijs (vo)" in page
    assert scheme.closes_on.strftime("%Y") in page


def test_schemes_page_runs_the_same_number_of_queries_however_many_schemes(client):
    _, member, _ = team_with_member()
    client.force_login(member)
    SchemeFactory()
    client.get(reverse("apply:schemes"))  # warm up the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("apply:schemes"))
    funder = FunderFactory()
    for _ in range(6):
        scheme = SchemeFactory(funder=funder)
        ApplicationFactory(scheme=scheme, awarded=True)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("apply:schemes"))
    assert response.content.decode().count('class="gd-card apply-scheme"') == 7
    assert len(many) == len(few)


def test_scheme_page_renders_markdown_safely(client):
    _, member, _ = team_with_member()
    scheme = SchemeFactory(text="## Wie\n\n**Lerarenteams** <script>alert(1)</script> [x](javascript:alert(1))")
    client.force_login(member)
    page = client.get(reverse("apply:scheme", args=[scheme.pk])).content.decode()
    assert "<strong>Lerarenteams</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript:' not in page
    assert "Een aanvraag starten" in page


def test_start_creates_a_draft_for_the_active_team(client):
    team, member, _ = team_with_member()
    scheme = SchemeFactory()
    client.force_login(member)
    response = client.post(reverse("apply:start", args=[scheme.pk]))
    application = Application.objects.get(team=team, scheme=scheme)
    assert response.url == reverse("apply:step", args=[application.pk, "plan"])
    assert application.status == "draft"
    assert application.created_by == member
    assert AuditEvent.objects.filter(application=application, action="create").exists()


def test_starting_twice_opens_the_empty_draft_again_instead_of_making_a_second(client):
    """A double click on "start" (or a second tab) gave the team two identical empty drafts, without a word."""
    team, member, _ = team_with_member()
    scheme = SchemeFactory()
    client.force_login(member)
    first = client.post(reverse("apply:start", args=[scheme.pk]))
    second = client.post(reverse("apply:start", args=[scheme.pk]), follow=True)
    application = Application.objects.get(team=team, scheme=scheme)  # one draft only
    assert first.url == reverse("apply:step", args=[application.pk, "plan"])
    assert second.redirect_chain[-1][0] == first.url
    # Said, not silent: "... already has an empty draft ...; you continue in that one."
    said = [m.message for m in second.context["messages"] if m.level_tag == "info"]
    assert len(said) == 1
    assert scheme.name in said[0]
    assert AuditEvent.objects.filter(application=application, action="create").count() == 1
    # Once something is entered, "start" makes a new application: a team may apply twice in a scheme.
    client.post(first.url, {"title": "Samen de wijk in"})
    client.post(reverse("apply:start", args=[scheme.pk]))
    assert Application.objects.filter(team=team, scheme=scheme).count() == 2


def test_a_user_without_a_team_is_told_so(client):
    scheme = SchemeFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("apply:start", args=[scheme.pk]), follow=True)
    assert "U bent nog geen lid van een lerarenteam" in response.content.decode()
    assert not Application.objects.filter(scheme=scheme).exists()


def test_a_closed_scheme_cannot_be_started(client):
    _, member, _ = team_with_member()
    scheme = SchemeFactory(
        opens_on=timezone.localdate() - datetime.timedelta(days=60),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(member)
    response = client.post(reverse("apply:start", args=[scheme.pk]), follow=True)
    assert "Deze regeling neemt nu geen aanvragen aan." in response.content.decode()
    assert not Application.objects.filter(scheme=scheme).exists()


def test_a_schemes_page_names_its_tracks_and_its_learning_areas(client):
    """The page listed the tracks a team chooses from, but not the learning areas."""
    _, member, _ = team_with_member()
    scheme = SchemeFactory(tracks=["Co-creatie"], learning_areas=["Kunstzinnige oriëntatie", "Burgerschap"])
    client.force_login(member)
    page = client.get(reverse("apply:scheme", args=[scheme.pk])).content.decode()
    assert "Co-creatie" in page
    assert "Kunstzinnige oriëntatie, Burgerschap" in page
