"""Every change accounts makes: atomic, locked, permitted, audited, e-mail after commit.

Same pattern as workflow/actions/: the view binds a form, calls one of these, and shows
an `ActionRefused`'s messages to the user.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from config.celery import enqueue_on_commit
from documents.emails import queue_email
from grants.audit import record_event
from grants.models import Team, TeamMembership, User
from workflow.actions.base import lock, require
from workflow.exceptions import ActionRefused

from .models import INVITATION_DAYS, TeamInvitation

State = TeamInvitation.State


def normalise_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def invitation_url(invitation: TeamInvitation) -> str:
    return settings.SITE_URL + reverse("accounts:accept_invitation", args=[invitation.token])


def refusal_of(invitation: TeamInvitation) -> str | None:
    """Why this link cannot be used (any more), or None when it can."""
    state = invitation.state
    if state == State.ACCEPTED:
        return _("This invitation has already been used. Sign in with your e-mail address and password.")
    if state == State.REVOKED:
        return _("This invitation has been withdrawn. Ask the team's contact person for a new one if needed.")
    if state == State.EXPIRED:
        return _("This invitation has expired. Ask the team's contact person to send you a new one.")
    return None


def invitation_send(*, team: Team, email: str, actor) -> TeamInvitation:
    """Invite `email` to `team`; an open invitation to the same address is replaced by this one."""
    email = normalise_email(email)
    with transaction.atomic():
        team = lock(team)
        require(actor, "accounts.invite_to_team", team, _("Only the team's contact person can invite colleagues."))
        if team.memberships.filter(user__email__iexact=email).exists():
            raise ActionRefused(_("%(email)s is already a member of this team.") % {"email": email})
        now = timezone.now()
        replaced = list(
            TeamInvitation.objects.select_for_update()
            .filter(team=team, email=email, accepted_at__isnull=True, revoked_at__isnull=True)
            .values_list("pk", flat=True)
        )
        TeamInvitation.objects.filter(pk__in=replaced).update(revoked_at=now)
        invitation = TeamInvitation.objects.create(
            team=team, email=email, invited_by=actor, created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS)
        )
        record_event(
            invitation,
            actor=actor,
            action="team_invitation_sent",
            to_state=State.PENDING,
            data={"team": team.pk, "email": email, "replaces": replaced},
        )
        with translation.override("nl"):
            expires = formats.date_format(timezone.localtime(invitation.expires_at), "j F Y")
        outgoing = queue_email(
            key=f"team-invitation:{invitation.pk}",
            to=[email],
            template="team_invitation",
            context={
                "team": team.name,
                "inviter": actor.get_full_name() or actor.email,
                "url": invitation_url(invitation),
                "expires": expires,
            },
        )
        from documents.tasks import deliver_outgoing_email

        enqueue_on_commit(deliver_outgoing_email, outgoing.pk)
    return invitation


def invitation_revoke(*, invitation: TeamInvitation, actor) -> TeamInvitation:
    with transaction.atomic():
        invitation = lock(invitation)
        require(actor, "accounts.invite_to_team", invitation.team, _("Only the team's contact person can do this."))
        if invitation.state not in (State.PENDING, State.EXPIRED):
            raise ActionRefused(_("This invitation is no longer open."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_event(
            invitation,
            actor=actor,
            action="team_invitation_revoked",
            from_state=State.PENDING,
            to_state=State.REVOKED,
            data={"team": invitation.team_id, "email": invitation.email},
        )
    return invitation


def _accept(invitation: TeamInvitation, user: User) -> TeamInvitation:
    invitation = lock(invitation)
    refusal = refusal_of(invitation)
    if refusal:
        raise ActionRefused(refusal)
    if normalise_email(user.email) != invitation.email:
        raise ActionRefused(
            _("This invitation is for %(email)s. Sign out and open the link again.") % {"email": invitation.email}
        )
    TeamMembership.objects.get_or_create(team_id=invitation.team_id, user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event(
        invitation,
        actor=user,
        action="team_invitation_accepted",
        from_state=State.PENDING,
        to_state=State.ACCEPTED,
        data={"team": invitation.team_id, "email": invitation.email},
    )
    return invitation


def invitation_accept(*, invitation: TeamInvitation, actor: User) -> TeamInvitation:
    """A signed-in user (whose address the invitation names) joins the team."""
    with transaction.atomic():
        return _accept(invitation, actor)


def invitation_accept_with_new_account(
    *, invitation: TeamInvitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the invitee's account and make them a member, in one transaction."""
    try:
        with transaction.atomic():
            if refusal := refusal_of(invitation):
                raise ActionRefused(refusal)
            user = User.objects.create_user(
                email=invitation.email, password=password, first_name=first_name, last_name=last_name
            )
            _accept(invitation, user)
    except IntegrityError as error:
        raise ActionRefused(
            _("An account with this e-mail address already exists. Sign in with its password to accept.")
        ) from error
    return user
