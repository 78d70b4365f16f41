"""The site's look: the header by role, the form renderer's Utrecht markup, amounts and dates, error pages."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import path
from django.utils import translation

from config.urls import urlpatterns as site_urlpatterns
from tests.factories import PASSWORD, ApplicationFactory, FunderFactory, TeamFactory, UserFactory, staff
from workflow.states import Role

pytestmark = pytest.mark.django_db


class SampleForm(forms.Form):
    name = forms.CharField(label="Naam", help_text="Zoals op uw legitimatie.")
    kind = forms.ChoiceField(label="Soort", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea)


def test_form_renderer_puts_errors_next_to_the_field_and_ties_them_with_aria():
    form = SampleForm(data={"name": "", "kind": "a"})
    html = str(form)
    assert 'class="utrecht-form-field' in html
    assert "utrecht-form-field--invalid" in html
    assert 'class="utrecht-textbox utrecht-textbox--html-input utrecht-textbox--invalid"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_error"' in html
    assert "utrecht-form-fieldset" in html  # the radio group is a fieldset with a legend
    assert 'class="utrecht-textarea utrecht-textarea--html-textarea"' in html
    assert "(optional)" in html or "(niet verplicht)" in html


def test_euro_and_long_date_filters_in_dutch_and_english():
    template = Template("{% load grantdesk %}{{ amount|euro }} | {{ day|longdate }}")
    context = Context({"amount": Decimal("194950"), "day": datetime.date(2026, 11, 22)})
    with translation.override("nl"):
        assert template.render(context) == "€ 194.950,00 | 22 november 2026"
    with translation.override("en"):
        assert template.render(context) == "€194,950.00 | 22 November 2026"


def test_header_for_a_member_of_two_teams_offers_the_switch_and_team_pages(client):
    teacher = UserFactory()
    first, second = TeamFactory(name="Team Noord", members=[teacher]), TeamFactory(name="Team Zuid", members=[teacher])
    client.force_login(teacher)
    page = client.get("/accounts/team/").content.decode()
    assert "Mijn aanvragen" in page
    assert "Regelingen" in page
    assert 'action="/accounts/team/switch/"' in page
    assert f'<option value="{first.pk}" selected>Team Noord</option>' in page
    assert f'<option value="{second.pk}">Team Zuid</option>' in page
    assert "Werkbank" not in page
    assert "Workbench" not in page
    assert 'action="/i18n/setlang/"' in page
    assert ">English</button>" in page
    assert "Uitloggen" in page


def test_header_for_staff_links_the_workbench_and_no_team(client):
    officer = staff(FunderFactory(), Role.OFFICER, password=PASSWORD)
    client.force_login(officer)
    page = client.get("/accounts/password-reset/").content.decode()
    assert 'href="/workbench/"' in page
    assert "Mijn aanvragen" not in page
    assert "/accounts/team/switch/" not in page


# --- Error pages: the site's own, in the reader's language, with a way back ---------------------------


def failing_view(request):
    raise RuntimeError("database connection lost in the middle of a page")


# This module doubles as a URL configuration (pytest.mark.urls) with one page that fails.
urlpatterns = [path("failing-page/", failing_view), *site_urlpatterns]


def error_client(user=None, language=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    "url", ["/no-such-page/", "/portal/reports/999999/"], ids=["unknown-address", "unknown-object"]
)
def test_a_missing_page_has_the_sites_header_and_a_way_home_not_djangos_english_page(url):
    teacher = UserFactory()
    TeamFactory(members=[teacher])
    response = error_client(teacher).get(url)
    page = response.content.decode()
    assert response.status_code == 404
    assert 'lang="nl"' in page
    assert "Mijn aanvragen" in page  # the navigation
    assert "Uitloggen" in page
    assert 'href="/"' in page
    assert "The requested resource was not found on this server." not in page
    # Django's own messages are technical and English: never shown.
    assert "Resolver404" not in page
    assert "matches the given query" not in page
    assert "Pagina niet gevonden" in page
    assert "Naar de startpagina" in page


def test_a_404_shows_the_reason_the_view_gives_in_the_readers_language():
    lonely = UserFactory()  # signed in, but in no team; the Dutch page: tests/accounts/test_teams.py
    page = error_client(lonely, language="en").get("/accounts/team/").content.decode()
    assert 'lang="en"' in page
    assert "You are not a member of any team." in page


def test_a_403_has_the_sites_header_not_djangos_bare_forbidden():
    application = ApplicationFactory(submitted=True)
    reviewer = staff(application.scheme.funder, Role.REVIEWER)
    response = error_client(reviewer).get("/deadlines/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "403 Forbidden" not in page
    assert "Geen toegang" in page
    assert 'lang="nl"' in page
    assert "Uitloggen" in page
    assert 'href="/"' in page


@pytest.mark.urls(__name__)
def test_a_failing_page_shows_the_sites_500_page_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = error_client().get("/failing-page/")
    page = response.content.decode()
    assert response.status_code == 500
    assert 'lang="nl"' in page
    assert "Subsidies voor onderwijsvernieuwing" in page  # the site's footer, in Dutch
    assert 'href="/"' in page
    assert "database connection lost" not in page
    assert "Er ging iets mis" in page
    assert 'lang="en"' in error_client(language="en").get("/failing-page/").content.decode()


def test_a_form_without_a_valid_csrf_token_gets_the_sites_page_in_the_readers_language():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "iemand@example.nl", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert 'lang="nl"' in page
    assert "Het formulier is verlopen" in page
    assert "CSRF verification failed" not in page
    assert 'href="/"' in page
