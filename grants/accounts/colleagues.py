"""A funder's administrator invites a colleague to a staff role (Beheer); the role is theirs once they accept.

The administrator gives an e-mail address and a role, never an account: the same invitation goes
out whether or not the address has an account (so Beheer does not tell who has one), and the
colleague accepts with their own password or makes an account then (grants/accounts/actions.py).
"""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.letters import dutch_date
from grants.audit import record_event
from grants.models import Funder, FunderRole
from workflow.actions.base import lock, require
from workflow.exceptions import ActionRefused
from workflow.states import Role

from .actions import State, _mail, invitation_url, mailbox, new_invitation, withdraw
from .models import FunderInvitation

PERMISSION = "grants.administer_funder"


def invitation_problems(*, funder: Funder, role: str, email: str, actor) -> list[str]:
    """Why this invitation cannot be sent; the form shows them beside what was typed."""
    email = mailbox(email)
    if mailbox(actor.email) == email:
        # Or one administrator could hold both sides of four eyes (prepare and take, enter and confirm).
        return [_("You cannot give yourself a role; another administrator does that.")]
    if FunderRole.objects.filter(funder=funder, role=role, user__email__iexact=email).exists():
        return [
            _("%(email)s already has the role %(role)s at %(funder)s.")
            % {"email": email, "role": Role(role).label, "funder": funder.name}
        ]
    return []


def colleague_invite(*, funder: Funder, role: str, email: str, actor) -> FunderInvitation:
    """Invite `email` to `role` at `funder`; an open invitation to the same address and role is replaced.

    The invitation keeps the address the e-mail goes to (`mailbox`): what Beheer lists, and what the
    colleague accepts with, is where the link went, not a look-alike spelling of it."""
    email = mailbox(email)
    with transaction.atomic():
        funder = lock(funder)
        require(actor, PERMISSION, funder, _("Only an administrator of this funder can invite colleagues."))
        if problems := invitation_problems(funder=funder, role=role, email=email, actor=actor):
            raise ActionRefused(problems)
        invitation, replaced = new_invitation(FunderInvitation, actor=actor, funder=funder, role=role, email=email)
        record_event(
            invitation,
            actor=actor,
            action="funder_invitation_sent",
            to_state=State.PENDING,
            funder=funder,
            data={"role": role, "email": email, "replaces": replaced},
        )
        with translation.override("nl"):  # the e-mail is Dutch, as every e-mail Grantdesk sends
            role_label = str(Role(role).label).lower()
        _mail(
            key=f"funder-invitation:{invitation.pk}",
            to=[email],
            template="funder_invitation",
            context={
                "funder": funder.name,
                "role": role_label,
                "inviter": str(actor),  # the full name, or the e-mail address
                "url": invitation_url(invitation),
                "expires": dutch_date(timezone.localtime(invitation.expires_at)),
            },
        )
    return invitation


def colleague_invitation_revoke(*, invitation: FunderInvitation, actor) -> FunderInvitation:
    """Withdraw an invitation not yet accepted: its link stops working."""
    with transaction.atomic():
        invitation = lock(invitation)
        require(actor, PERMISSION, invitation.funder, _("Only an administrator of this funder can do this."))
        data = {"role": invitation.role, "email": invitation.email}
        return withdraw(
            invitation, actor=actor, action="funder_invitation_revoked", funder=invitation.funder, data=data
        )


def withdraw_invitations_sent_by(role: FunderRole, *, actor) -> None:
    """An administrator's role taken: the invitations they sent for that funder and that are still open
    are withdrawn (their links would no longer give a role anyway: `refusal_of`), so the list says so.
    Within the caller's transaction."""
    sent = FunderInvitation.objects.still_open().filter(funder_id=role.funder_id, invited_by_id=role.user_id)
    for invitation in sent.select_for_update().order_by("pk"):
        data = {"role": invitation.role, "email": invitation.email, "why": "inviter_no_longer_admin"}
        withdraw(invitation, actor=actor, action="funder_invitation_revoked", funder=role.funder, data=data)
