"""The site's look: the header by role, the form renderer's Utrecht markup, amounts and dates."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from tests.factories import PASSWORD, FunderFactory, TeamFactory, UserFactory, staff
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
