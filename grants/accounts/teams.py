"""The team a signed-in teacher is working for: one at a time, switchable, kept in the session."""

from grants.models import Team

SESSION_KEY = "active_team_id"


def teams_of(user):
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).order_by("name")


def active_team(request) -> Team | None:
    """The session's team if the user still belongs to it, else the user's first team, else None."""
    teams = teams_of(request.user)
    chosen = request.session.get(SESSION_KEY)
    team = teams.filter(pk=chosen).first() if chosen else None
    if team is None:
        team = teams.first()
        if team is not None:
            request.session[SESSION_KEY] = team.pk
    return team


def switch_team(request, team_id: int) -> Team | None:
    """Make `team_id` the active team if the user is a member; None (and no change) otherwise."""
    team = teams_of(request.user).filter(pk=team_id).first()
    if team is not None:
        request.session[SESSION_KEY] = team.pk
    return team
