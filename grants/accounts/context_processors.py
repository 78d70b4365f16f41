"""What the page header needs: the user's teams, the active one and whether they work for a funder."""

from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject

from grants.models import Team
from grants.rules import roles_of

from .teams import SESSION_KEY, teams_of


@dataclass
class Header:
    teams: list[Team] = field(default_factory=list)
    active_team: Team | None = None
    is_staff_member: bool = False

    @property
    def is_team_member(self) -> bool:
        return bool(self.teams)


def header_for(request) -> Header:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Header()
    teams = list(teams_of(user))
    chosen = request.session.get(SESSION_KEY)
    active = next((team for team in teams if team.pk == chosen), teams[0] if teams else None)
    return Header(teams=teams, active_team=active, is_staff_member=bool(roles_of(user)))


def portal(request):
    """Lazily: pages that do not render the header (PDFs, e-mails, partials) run no query."""
    return {"portal_header": SimpleLazyObject(lambda: header_for(request))}
