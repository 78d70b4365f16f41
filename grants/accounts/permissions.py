"""Who may manage a team: its contact person (grants.Team.contact)."""

import rules

from grants.models import Team


@rules.predicate
def is_team_contact(user, team) -> bool:
    return user.is_authenticated and isinstance(team, Team) and team.contact_id == user.pk


rules.add_perm("accounts.invite_to_team", is_team_contact)
