"""Scheme settings the form used to accept that then broke a page for teams or said nothing useful."""

import pytest
from django.conf import settings
from django.urls import reverse

from .conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_english(beheer):
    """Our new messages have no Dutch yet in the catalogue: read them as the English switch shows them."""
    beheer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return beheer


def post_scheme(client, scheme, changes):
    url = reverse("beheer:grants_scheme_change", args=[scheme.pk])
    return client.post(url, form_data(client.get(url)) | changes)


def test_a_closing_date_before_the_opening_date_is_refused_beside_the_field_in_words(in_english, world):
    """It used to say only "Constraint 'scheme_closes_after_opening' is violated." above the form."""
    before = (world.scheme.opens_on, world.scheme.closes_on)
    response = post_scheme(in_english, world.scheme, {"opens_on": "2027-03-01", "closes_on": "2026-12-01"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {"closes_on": ["The closing date cannot be before the opening date."]}, errors
    assert "scheme_closes_after_opening" not in response.content.decode()
    assert response.context["adminform"].form["closes_on"].value() == "2026-12-01"  # kept as typed
    world.scheme.refresh_from_db()
    assert (world.scheme.opens_on, world.scheme.closes_on) == before


@pytest.mark.parametrize("field", ["decision_term_weeks", "information_term_days", "max_project_months"])
def test_a_term_of_zero_is_refused(in_english, world, field):
    """0 saved: every decision was late on the day it came in, or no project fitted in the scheme."""
    before = getattr(world.scheme, field)
    response = post_scheme(in_english, world.scheme, {field: "0"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {field: ["This must be at least 1."]}, errors
    world.scheme.refresh_from_db()
    assert getattr(world.scheme, field) == before


def test_every_problem_of_the_scheme_is_said_at_once(in_english, world):
    response = post_scheme(
        in_english,
        world.scheme,
        {"opens_on": "2027-03-01", "closes_on": "2026-12-01", "budget_ceiling": "1000", "max_per_application": "5000"},
    )
    assert set(response.context["adminform"].form.errors) == {"closes_on", "max_per_application"}


def test_a_ranking_scheme_without_a_rubric_is_refused_and_the_rows_are_kept(in_english, world):
    """Every score was 0 without a criterion: the ranking round then awarded in order of submission."""
    url = reverse("beheer:grants_scheme_change", args=[world.scheme.pk])
    data = form_data(in_english.get(url)) | {"allocation_method": "ranking"}
    data |= {f"criteria-{row}-DELETE": "on" for row in range(world.scheme.criteria.count())}
    response = in_english.post(url, data)
    assert response.status_code == 200
    rubric = response.context["inline_admin_formsets"][0].formset
    assert rubric.non_form_errors() == [
        "A scheme that ranks its applications needs at least one rubric criterion: the ranking follows the scores."
    ]
    world.scheme.refresh_from_db()
    assert (world.scheme.allocation_method, world.scheme.criteria.count()) == ("first_come", 2)
    # With its rubric the scheme ranks; a first-come scheme may do without one.
    response = in_english.post(url, form_data(in_english.get(url)) | {"allocation_method": "ranking"})
    assert response.status_code == 302
    world.scheme.refresh_from_db()
    assert world.scheme.allocation_method == "ranking"


def test_a_rubric_weight_of_zero_is_refused_in_words_without_a_decimal_point(beheer, world):
    """Django's message said "groter dan of gelijk aan 0.01": an English decimal point on a Dutch page."""
    url = reverse("beheer:grants_scheme_change", args=[world.scheme.pk])
    response = beheer.post(url, form_data(beheer.get(url)) | {"criteria-0-weight": "0"})
    assert response.status_code == 200
    rubric = response.context["inline_admin_formsets"][0].formset
    assert rubric.forms[0].errors == {"weight": ["Een gewicht moet groter zijn dan 0."]}
