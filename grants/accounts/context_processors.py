"""What the page header needs: the user's teams, the active one and whether they work for a funder."""

from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject

from grants.models import Team
from grants.rules import roles_of
from workflow.deadlines import STAFF_ROLES as DEADLINE_ROLES
from workflow.states import Role

from .teams import current_team, user_teams


@dataclass
class Header:
    teams: list[Team] = field(default_factory=list)
    active_team: Team | None = None
    roles: frozenset[str] = frozenset()

    @property
    def is_team_member(self) -> bool:
        return bool(self.teams)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles)

    @property
    def sees_deadlines(self) -> bool:
        return bool(self.roles & set(DEADLINE_ROLES))

    @property
    def sees_finance(self) -> bool:
        return bool(self.roles & {Role.FINANCE, Role.DECIDER})

    @property
    def administers(self) -> bool:
        """Beheer (/beheer/): the funder's settings, for its administrators."""
        return Role.ADMIN in self.roles


def header_for(request) -> Header:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Header()
    roles = frozenset(role for funder_roles in roles_of(user).values() for role in funder_roles)
    return Header(teams=user_teams(request), active_team=current_team(request), roles=roles)


def portal(request):
    """Lazily: pages that do not render the header (PDFs, e-mails, partials) run no query."""
    return {"portal_header": SimpleLazyObject(lambda: header_for(request))}
