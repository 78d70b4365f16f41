"""What an administrator types in Beheer must fit where the rest of Grantdesk stores it."""

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory

from .conftest import form_data

pytestmark = pytest.mark.django_db

LONG_TRACK = ("Samenwerking op leergebied met de culturele partners uit de wijk, " * 3).strip()  # 197 characters


@pytest.mark.parametrize("field", ["tracks", "learning_areas"])
def test_a_track_or_learning_area_longer_than_a_plan_can_hold_is_refused_and_kept(beheer, world, field):
    """A team's plan stores its choice in 100 characters: a longer line would break every team's plan step."""
    url = reverse("beheer:grants_scheme_change", args=[world.scheme.pk])
    typed = f"Co-creatie\n{LONG_TRACK}"
    response = beheer.post(url, form_data(beheer.get(url)) | {field: typed})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field], errors
    assert "100" in errors[field][0], errors
    assert "197" in errors[field][0], errors
    assert LONG_TRACK[:60] in response.content.decode()  # the text is still in the box to shorten
    world.scheme.refresh_from_db()
    assert LONG_TRACK not in getattr(world.scheme, field)


def test_a_track_of_the_longest_length_a_plan_holds_is_saved_and_a_team_can_choose_it(beheer, world, client):
    track = "T" * 100
    url = reverse("beheer:grants_scheme_change", args=[world.scheme.pk])
    response = beheer.post(url, form_data(beheer.get(url)) | {"tracks": f"Co-creatie\n{track}"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    application = ApplicationFactory(scheme=world.scheme)
    client.force_login(application.team.contact)
    response = client.post(reverse("apply:step", args=[application.pk, "plan"]), {"title": "Plan", "track": track})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.track == track


@pytest.mark.parametrize("field", ["tracks", "learning_areas"])
def test_a_nul_character_in_a_track_or_learning_area_is_refused_not_a_500(beheer, world, field):
    """Kept as a JSON list, which PostgreSQL refuses with a NUL in it: CharField's own check missed it."""
    url = reverse("beheer:grants_scheme_change", args=[world.scheme.pk])
    before = getattr(world.scheme, field)
    response = beheer.post(url, form_data(beheer.get(url)) | {field: "Co-creatie\nHelikopter\x00view"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors[field] == ["Null-tekens zijn niet toegestaan."], errors
    world.scheme.refresh_from_db()
    assert getattr(world.scheme, field) == before
