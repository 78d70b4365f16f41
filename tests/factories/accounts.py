"""Factories for grants/accounts: team invitations."""

import datetime

import factory
from django.utils import timezone

from grants.accounts.models import TeamInvitation
from tests.factories import TeamFactory


class TeamInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamInvitation

    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"collega{n}@school.nl")
    invited_by = factory.SelfAttribute("team.contact")

    class Params:
        expired = factory.Trait(expires_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1)))
        accepted = factory.Trait(accepted_at=factory.LazyFunction(timezone.now))
        revoked = factory.Trait(revoked_at=factory.LazyFunction(timezone.now))
