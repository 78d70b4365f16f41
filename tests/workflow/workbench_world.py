"""A funder with one user per role, applications in each workbench state, and a second funder."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from grants.models import AllocationMethod
from tests.factories import (
    ApplicationFactory,
    DecisionFactory,
    FunderFactory,
    ReviewFactory,
    SchemeFactory,
    UserFactory,
    staff,
)
from workflow.states import Role


@dataclass
class World:
    funder: object
    scheme: object
    ranking_scheme: object
    ranking_round: object
    users: dict
    submitted: object
    in_review: object
    review: object
    cofunding: object
    decision: object
    other_funder: object


def build_world() -> World:
    funder = FunderFactory()
    scheme = SchemeFactory(funder=funder)
    today = timezone.localdate()
    ranking_scheme = SchemeFactory(
        funder=funder,
        allocation_method=AllocationMethod.RANKING,
        opens_on=today - datetime.timedelta(days=90),
        closes_on=today - datetime.timedelta(days=10),
    )
    users = {
        role: staff(funder, role) for role in (Role.OFFICER, Role.REVIEWER, Role.DECIDER, Role.FINANCE, Role.ADMIN)
    }
    submitted = ApplicationFactory(scheme=scheme, submitted=True)
    in_review = ApplicationFactory(scheme=scheme, in_review=True)
    review = ReviewFactory(application=in_review, reviewer=users[Role.REVIEWER], assigned_by=users[Role.OFFICER])
    cofunding = ApplicationFactory(scheme=scheme, cofunding_check=True, amount=Decimal("5000.00"))
    decision = DecisionFactory(application=cofunding, prepared_by=users[Role.OFFICER])
    from workflow.models import RankingRound

    ranking_round = RankingRound.objects.create(
        scheme=ranking_scheme,
        ranking=[],
        available_budget=ranking_scheme.budget_ceiling,
        prepared_by=users[Role.OFFICER],
    )
    users["team"] = submitted.team.contact
    other_funder = FunderFactory()
    users["other_officer"] = staff(other_funder, Role.OFFICER)
    users["anonymous"] = None
    users["plain"] = UserFactory()
    return World(
        funder,
        scheme,
        ranking_scheme,
        ranking_round,
        users,
        submitted,
        in_review,
        review,
        cofunding,
        decision,
        other_funder,
    )
