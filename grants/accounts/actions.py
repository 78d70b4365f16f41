"""Every change accounts makes: atomic, locked, permitted, audited, e-mail after commit.

Same pattern as workflow/actions/: the view binds a form, calls one of these, and shows
an `ActionRefused`'s messages to the user.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.encoding import punycode
from django.utils.translation import gettext as _

from config.celery import enqueue_on_commit
from documents.emails import queue_email
from documents.letters import dutch_date
from grants.audit import record_event
from grants.models import AuditEvent, FunderRole, Team, TeamMembership, User
from workflow.actions.base import lock, require
from workflow.exceptions import ActionRefused

from .models import INVITATION_DAYS, FunderInvitation, Invitation, TeamInvitation

State = Invitation.State


def _mail(**email) -> None:
    """Queue an e-mail (`documents.emails.queue_email`) and deliver it once the transaction commits."""
    from documents.tasks import deliver_outgoing_email  # late, as before: it loads the letter services

    enqueue_on_commit(deliver_outgoing_email, queue_email(**email).pk)


def normalise_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def mailbox(email: str) -> str:
    """The address mail to `email` reaches: its domain as Django's mail sends it (IDNA, `punycode`),
    which drops invisible characters (a soft hyphen, a zero-width space) and narrows wide letters.
    Two spellings of one mailbox, however different they look in a form, give the same answer."""
    email = normalise_email(email)
    local, at, domain = email.rpartition("@")
    try:
        return f"{local}{at}{punycode(domain)}".lower()
    except UnicodeError:  # no IDNA form (an empty or overlong label): no mail goes there; left as typed
        return email


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("accounts:accept_invitation", args=[invitation.token])


def find_invitation(token: str) -> Invitation | None:
    """The team or colleague invitation a link's token names (tokens are random: one table has it)."""
    token = token[:64]
    return (
        TeamInvitation.objects.select_related("team", "invited_by").filter(token=token).first()
        or FunderInvitation.objects.select_related("funder", "invited_by").filter(token=token).first()
    )


def refusal_of(invitation: Invitation) -> str | None:
    """Why this link cannot be used (any more), or None when it can."""
    state = invitation.state
    if state == State.ACCEPTED:
        return _("This invitation has already been used. Sign in with your e-mail address and password.")
    staff = isinstance(invitation, FunderInvitation)
    if state == State.REVOKED and _replaced(invitation):
        return _("A newer invitation has been sent to this address since. Use the link in the latest e-mail.")
    if state == State.REVOKED:
        if staff:
            return _("This invitation has been withdrawn. Ask your funder's administrator for a new one if needed.")
        return _("This invitation has been withdrawn. Ask the team's contact person for a new one if needed.")
    if state == State.EXPIRED:
        if staff:
            return _("This invitation has expired. Ask your funder's administrator to send you a new one.")
        return _("This invitation has expired. Ask the team's contact person to send you a new one.")
    if staff and not _inviter_still_administers(invitation):
        return _(
            "This invitation is no longer valid: whoever sent it is no longer an administrator of %(funder)s. "
            "Ask another administrator for a new one if needed."
        ) % {"funder": invitation.funder.name}
    return None


def _replaced(invitation: Invitation) -> bool:
    """Whether an invitation sent later for the same target is still open: inviting again withdraws the
    earlier link, and its reader should look for the newer e-mail."""
    newer = (
        type(invitation)
        .objects.still_open()
        .filter(**invitation.target(), created_at__gt=invitation.created_at, expires_at__gt=timezone.now())
    )
    return newer.exists()


def new_invitation(model: type[Invitation], *, actor, **target) -> tuple[Invitation, list[int]]:
    """A new invitation of `model` for `target` (its fields: the address, and the team or funder and role),
    and the ids of the open ones for the same target, which it replaces (withdrawn now)."""
    now = timezone.now()
    open_ones = model.objects.still_open().filter(**target).select_for_update()
    replaced = list(open_ones.values_list("pk", flat=True))
    model.objects.filter(pk__in=replaced).update(revoked_at=now)
    invitation = model.objects.create(
        **target, invited_by=actor, created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS)
    )
    return invitation, replaced


def _inviter_still_administers(invitation: FunderInvitation) -> bool:
    """The role is the administrator's to give when it is taken, not only when it was offered: an
    administrator whose role was taken away, or whose account was switched off, gives none."""
    standing = FunderInvitation.objects.with_sender_standing().filter(pk=invitation.pk)
    return bool(standing.values_list("sender_administers", flat=True).first())


def invitation_send(*, team: Team, email: str, actor) -> TeamInvitation:
    """Invite `email` to `team`; an open invitation to the same address is replaced by this one."""
    email = normalise_email(email)
    with transaction.atomic():
        team = lock(team)
        require(actor, "accounts.invite_to_team", team, _("Only the team's contact person can invite colleagues."))
        if team.memberships.filter(user__email__iexact=email).exists():
            raise ActionRefused(_("%(email)s is already a member of this team.") % {"email": email})
        invitation, replaced = new_invitation(TeamInvitation, actor=actor, team=team, email=email)
        record_event(
            invitation,
            actor=actor,
            action="team_invitation_sent",
            to_state=State.PENDING,
            data={"team": team.pk, "email": email, "replaces": replaced},
        )
        expires = dutch_date(timezone.localtime(invitation.expires_at))
        _mail(
            key=f"team-invitation:{invitation.pk}",
            to=[email],
            template="team_invitation",
            context={
                "team": team.name,
                "inviter": str(actor),  # the full name, or the e-mail address
                "url": invitation_url(invitation),
                "expires": expires,
            },
        )
    return invitation


def invitation_revoke(*, invitation: TeamInvitation, actor) -> TeamInvitation:
    with transaction.atomic():
        invitation = lock(invitation)
        require(actor, "accounts.invite_to_team", invitation.team, _("Only the team's contact person can do this."))
        data = {"team": invitation.team_id, "email": invitation.email}
        return withdraw(invitation, actor=actor, action="team_invitation_revoked", data=data)


def withdraw(invitation: Invitation, *, actor, action: str, **event) -> Invitation:
    """Close an invitation not yet accepted, so its link stops working; the caller holds its lock and
    has checked that `actor` may. `event`: the audit event's own fields (data, funder)."""
    if invitation.state not in (State.PENDING, State.EXPIRED):
        raise ActionRefused(_("This invitation is no longer open."))
    previous = invitation.state
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_event(invitation, actor=actor, action=action, from_state=previous, to_state=State.REVOKED, **event)
    return invitation


def _accept(invitation: Invitation, user: User) -> Invitation:
    invitation = lock(invitation)
    refusal = refusal_of(invitation)
    if refusal:
        raise ActionRefused(refusal)
    if mailbox(user.email) != mailbox(invitation.email):
        raise ActionRefused(
            _("This invitation is for %(email)s. Sign out and open the link again.") % {"email": invitation.email}
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if isinstance(invitation, FunderInvitation):
        _take_role(invitation, user)
        return invitation
    TeamMembership.objects.get_or_create(team_id=invitation.team_id, user=user)
    record_event(
        invitation,
        actor=user,
        action="team_invitation_accepted",
        from_state=State.PENDING,
        to_state=State.ACCEPTED,
        data={"team": invitation.team_id, "email": invitation.email},
    )
    return invitation


def _take_role(invitation: FunderInvitation, user: User) -> None:
    """The role the administrator offered is the colleague's now; given by the administrator, in the audit log."""
    funder = invitation.funder
    record_event(
        invitation,
        actor=user,
        action="funder_invitation_accepted",
        from_state=State.PENDING,
        to_state=State.ACCEPTED,
        funder=funder,
        data={"role": invitation.role, "email": invitation.email},
    )
    role, created = FunderRole.objects.get_or_create(funder=funder, user=user, role=invitation.role)
    if created:
        record_event(
            role,
            actor=invitation.invited_by,
            action="role_given",
            funder=funder,
            data={"user": user.pk, "email": user.email, "role": role.role, "invitation": invitation.pk},
        )


def invitation_accept(*, invitation: Invitation, actor: User) -> Invitation:
    """A signed-in user (whose address the invitation names) joins the team or takes the role."""
    with transaction.atomic():
        return _accept(invitation, actor)


def invitation_accept_with_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    """Create the invitee's account and accept with it (member, or the role), in one transaction."""
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


# --- Team self-registration ------------------------------------------------------------------------
#
# A teacher without an account registers themself and a new team. The account stays inactive
# until the e-mailed link is used: a signed, timestamped token (no table) that carries the user's id
# and their account state (active flag, last sign-in), so it stops working once used. The page never
# says whether an address already has an account: that address gets an e-mail saying so instead.

REGISTRATION_SALT = "grants.accounts.team-registration"
REGISTRATION_MAX_AGE = timedelta(days=3)
# One e-mail per address per five minutes at most: the form cannot be used to flood a mailbox.
REGISTRATION_MAIL_WINDOW_SECONDS = 300


def _registration_state(user: User) -> str:
    last_login = user.last_login.isoformat() if user.last_login else ""
    return f"{int(user.is_active)}:{last_login}"


def registration_token(user: User) -> str:
    return signing.TimestampSigner(salt=REGISTRATION_SALT).sign_object({"u": user.pk, "s": _registration_state(user)})


def registration_url(user: User) -> str:
    return settings.SITE_URL + reverse("accounts:register_confirm", args=[registration_token(user)])


def awaiting_confirmation(user: User) -> bool:
    """Registered themself and has not used the e-mailed link yet (not an account staff switched off)."""
    return (
        not user.is_active
        and user.last_login is None
        and AuditEvent.objects.filter(action="team_registered", actor=user).exists()
    )


def _registration_claim(token: str) -> dict:
    """What a registration link says (account and its state then); ActionRefused when it is no good."""
    try:
        value = signing.TimestampSigner(salt=REGISTRATION_SALT).unsign_object(token, max_age=REGISTRATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ActionRefused(
            _("This link has expired: it is valid for three days. Request a new link below.")
        ) from error
    except signing.BadSignature as error:
        raise ActionRefused(
            _(
                "This link is not valid. Check that you copied the whole link from the e-mail, "
                "or request a new link below."
            )
        ) from error
    return value if isinstance(value, dict) else {}


def _registration_account(claim: dict, users) -> User:
    """The account of `claim` among `users`, if it is still in the state the link was made for."""
    user = users.filter(pk=claim.get("u")).first() if claim.get("u") is not None else None
    if user is None or claim.get("s") != _registration_state(user):
        raise ActionRefused(_("This link has already been used. Sign in with your e-mail address and password."))
    return user


def registration_user(token: str) -> User:
    """The not yet confirmed account a registration link is for; ActionRefused says why a link is no good."""
    return _registration_account(_registration_claim(token), User.objects.all())


def _mail_key(kind: str, user: User) -> str:
    window = int(timezone.now().timestamp()) // REGISTRATION_MAIL_WINDOW_SECONDS
    return f"{kind}:{user.pk}:{window}"


def _send_registration_mail(user: User, team: Team | None = None) -> None:
    team = team or user.teams_contacted.order_by("pk").first()
    with translation.override("nl"):
        expires = formats.date_format(timezone.localtime(timezone.now() + REGISTRATION_MAX_AGE), "j F Y, H:i")
    _mail(
        key=_mail_key("team-registration", user),
        to=[user.email],
        template="team_registration",
        context={
            "name": user.first_name or user.email,
            "team": team.name if team else "",
            "url": registration_url(user),
            "expires": expires,
        },
    )


def _send_account_exists_mail(user: User) -> None:
    _mail(
        key=_mail_key("team-registration-account-exists", user),
        to=[user.email],
        template="team_registration_account_exists",
        context={
            "name": user.first_name or user.email,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        },
    )


def _answer_existing(user: User) -> None:
    """Someone registered with an address that has an account: tell that address, create nothing."""
    if awaiting_confirmation(user):
        _send_registration_mail(user)
        return
    record_event(user, actor=None, action="team_registration_refused", data={"reason": "account_exists"})
    _send_account_exists_mail(user)


def team_register(
    *, first_name: str, last_name: str, email: str, password: str, team_name: str, schools=()
) -> User | None:
    """Create an inactive account and its team, and e-mail the confirmation link after commit.

    Returns the new user, or None when the address already had an account (that address is
    e-mailed instead; the caller shows the same page either way).
    """
    email = normalise_email(email)
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            _answer_existing(existing)
            return None
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email, password=password, first_name=first_name, last_name=last_name, is_active=False
                )
        except IntegrityError:  # registered at the same moment by another request
            _answer_existing(User.objects.get(email__iexact=email))
            return None
        team = Team.objects.create(name=team_name, contact=user)
        TeamMembership.objects.create(team=team, user=user)
        schools = list(schools)
        team.schools.set(schools)
        record_event(
            team,
            actor=user,
            action="team_registered",
            to_state="pending",
            data={"user": user.pk, "email": email, "schools": [school.pk for school in schools]},
        )
        _send_registration_mail(user, team)
    return user


def team_registration_resend(*, email: str) -> None:
    """A new link for an account awaiting confirmation; an active account is told it exists; else nothing."""
    with transaction.atomic():
        user = User.objects.filter(email__iexact=normalise_email(email)).first()
        if user is not None:
            _answer_existing(user)


def team_registration_confirm(*, token: str) -> User:
    """Activate the account the link is for; a link works once."""
    claim = _registration_claim(token)
    with transaction.atomic():
        # Read under the lock: of two clicks at once, the second finds the account active.
        user = _registration_account(claim, User.objects.select_for_update())
        user.is_active = True
        user.save(update_fields=["is_active"])
        record_event(user, actor=user, action="team_registration_confirmed", from_state="pending", to_state="active")
    return user


# --- The signed-in user's own account ("Mijn account") ---------------------------------------------


def account_name_change(*, actor: User, first_name: str, last_name: str) -> bool:
    """The user's own name, as invitations they send, letters they sign (without a signatory entry)
    and audit trails show it. Returns whether anything changed; only a change is audited."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)  # request.user is a lazy object
        before = {"first_name": user.first_name, "last_name": user.last_name}
        after = {"first_name": first_name, "last_name": last_name}
        if before == after:
            return False
        user.first_name, user.last_name = first_name, last_name
        user.save(update_fields=["first_name", "last_name"])
        record_event(user, actor=user, action="account_name_changed", data={"from": before, "to": after})
    actor.first_name, actor.last_name = first_name, last_name  # the page after this shows the new name
    return True


def account_password_change(*, actor: User, password: str) -> None:
    """A new password chosen while signed in (the caller checked the current one and the rules)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)  # request.user is a lazy object
        user.set_password(password)
        user.save(update_fields=["password"])
        event = record_event(user, actor=user, action="account_password_changed")
        # To the account's address: whoever found a session left open and changed the password is
        # not the only one to know.
        with translation.override("nl"):
            when = formats.date_format(timezone.localtime(event.created_at), "j F Y, H:i")
        _mail(
            key=f"password-changed:{event.pk}",
            to=[user.email],
            template="password_changed",
            context={
                "name": str(user),
                "email": user.email,
                "when": when,
                "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
            },
        )
    actor.password = user.password  # the session's hash is renewed from this (update_session_auth_hash)
