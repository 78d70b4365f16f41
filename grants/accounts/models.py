"""Invitations by e-mail: to join a team (its contact person sends them) or to take a staff role at a funder
(its administrator sends them)."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from workflow.states import Role

INVITATION_DAYS = 14


def new_token() -> str:
    return secrets.token_urlsafe(32)


def default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def still_open(self):
        """Neither accepted nor withdrawn (expired ones too: a new invitation replaces them as well)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class FunderInvitationQuerySet(InvitationQuerySet):
    def with_sender_standing(self):
        """Annotate `sender_administers`: whether whoever sent it is still an active administrator of the
        funder. Only then does accepting give the role (grants/accounts/actions.py)."""
        from grants.models import FunderRole

        return self.annotate(
            sender_administers=models.Exists(
                FunderRole.objects.filter(
                    user_id=models.OuterRef("invited_by_id"),
                    funder_id=models.OuterRef("funder_id"),
                    role=Role.ADMIN,
                    user__is_active=True,
                )
            )
        )


class Invitation(models.Model):
    """One link for one e-mail address, used once, until it expires or is revoked.

    A team's contact person invites colleagues to the team (`TeamInvitation`); a funder's
    administrator invites colleagues to a staff role (`FunderInvitation`). Accepting is the same
    for both (grants/accounts/actions.py): signed in with the address, with the existing
    account's password, or with a new account.
    """

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("invitation", "Pending")
        ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
        REVOKED = "revoked", pgettext_lazy("invitation", "Revoked")
        EXPIRED = "expired", pgettext_lazy("invitation", "Expired")

    email = models.EmailField(_("e-mail address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), default=default_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return self.State(self.state).label

    def target(self) -> dict:
        """What an invitation is for, as field lookups: inviting the same target again replaces it."""
        raise NotImplementedError


class TeamInvitation(Invitation):
    """To join one team, sent by its contact person."""

    team = models.ForeignKey(
        "grants.Team", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("team")
    )

    class Meta(Invitation.Meta):
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        constraints = [
            # One open invitation per address and team: inviting again replaces the old link.
            models.UniqueConstraint(
                fields=["team", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="accounts_one_open_invitation_per_email",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="accounts_invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.team}"

    def target(self) -> dict:
        return {"team_id": self.team_id, "email": self.email}


class FunderInvitation(Invitation):
    """To take a staff role at one funder, sent by one of its administrators (Beheer).

    A role is given only when the colleague accepts, with their own account: the administrator
    never learns whether an address has one, and never sets a password.
    """

    funder = models.ForeignKey(
        "grants.Funder", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("funder")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    objects = FunderInvitationQuerySet.as_manager()

    class Meta(Invitation.Meta):
        verbose_name = _("colleague invitation")
        verbose_name_plural = _("colleague invitations")
        constraints = [
            # Inviting again replaces the open link for the same address and role.
            models.UniqueConstraint(
                fields=["funder", "role", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="accounts_one_open_funder_invitation",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="accounts_funder_invitation_not_accepted_and_revoked",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.get_role_display()} · {self.funder}"

    def target(self) -> dict:
        return {"funder_id": self.funder_id, "role": self.role, "email": self.email}
