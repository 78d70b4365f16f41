"""Switching the active team: only to a team you are a member of."""

import pytest

from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_switch_to_another_own_team(client):
    teacher = UserFactory()
    first, second = TeamFactory(name="Team Noord", members=[teacher]), TeamFactory(name="Team Zuid", members=[teacher])
    client.force_login(teacher)
    client.get("/accounts/team/")
    assert client.session["active_team_id"] == first.pk
    response = client.post("/accounts/team/switch/", {"team": second.pk}, follow=True)
    assert client.session["active_team_id"] == second.pk
    assert "U werkt nu voor Team Zuid." in response.content.decode()
    assert "Team Team Zuid" in client.get("/accounts/team/").content.decode()


@pytest.mark.parametrize("value", ["not-a-number", "", "-1", "99999999999999999999"])
def test_malformed_team_ids_are_404(client, value):
    teacher = UserFactory()
    TeamFactory(members=[teacher])
    client.force_login(teacher)
    assert client.post("/accounts/team/switch/", {"team": value}).status_code == 404


def test_switch_to_a_team_you_are_not_in_is_refused(client):
    teacher = UserFactory()
    own = TeamFactory(members=[teacher])
    other = TeamFactory()
    client.force_login(teacher)
    client.get("/accounts/team/")
    assert client.post("/accounts/team/switch/", {"team": other.pk}).status_code == 404
    assert client.session["active_team_id"] == own.pk


def test_switch_is_post_only_and_needs_sign_in(client):
    team = TeamFactory()
    assert client.post("/accounts/team/switch/", {"team": team.pk})["Location"].startswith("/accounts/login/")
    client.force_login(team.contact)
    response = client.get("/accounts/team/switch/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()  # the site's page, not an empty one
    assert "Dit adres is niet als pagina te openen" in page
    assert 'lang="nl"' in page
    assert "Uitloggen" in page
    assert 'href="/"' in page


def test_someone_without_a_team_gets_a_404_on_the_team_page_that_says_why(client):
    client.force_login(UserFactory())
    response = client.get("/accounts/team/")
    assert response.status_code == 404
    assert "U bent geen lid van een team." in response.content.decode()
