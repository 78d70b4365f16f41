"""The team a signed-in teacher is working for: one at a time, switchable, kept in the session."""

from grants.models import Team

SESSION_KEY = "active_team_id"


def teams_of(user):
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).order_by("name")


def user_teams(request) -> list[Team]:
    """The user's teams, read once per request (the page and its header both need them)."""
    teams = getattr(request, "_grantdesk_teams", None)
    if teams is None:
        teams = request._grantdesk_teams = list(teams_of(request.user))
    return teams


def current_team(request) -> Team | None:
    """The session's team if the user still belongs to it, else the user's first team, else None."""
    teams = user_teams(request)
    chosen = request.session.get(SESSION_KEY)
    return next((team for team in teams if team.pk == chosen), teams[0] if teams else None)


def active_team(request) -> Team | None:
    """`current_team`, remembered in the session for the pages that act for it."""
    team = current_team(request)
    if team is not None and team.pk != request.session.get(SESSION_KEY):
        request.session[SESSION_KEY] = team.pk
    return team


def switch_team(request, team_id: int) -> Team | None:
    """Make `team_id` the active team if the user is a member; None (and no change) otherwise."""
    team = teams_of(request.user).filter(pk=team_id).first()  # read fresh: the user may just have joined it
    if team is not None:
        request.session[SESSION_KEY] = team.pk
        request.__dict__.pop("_grantdesk_teams", None)
    return team
