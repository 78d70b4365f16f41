"""The co-funder's personal link: a signed, expiring token that opens one pledge, without an account.

The token carries the pledge id and a digest of the address it was sent to, signed with
the project's SECRET_KEY under its own salt (so no other signed value of Grantdesk can be
replayed here). It expires after LINK_DAYS; changing the contact address invalidates it.
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from grants.models import CoFundingPledge
from workflow.states import ApplicationStatus, PledgeStatus

SALT = "grantdesk.portal.pledge-link"
LINK_DAYS = 30


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def make_token(pledge: CoFundingPledge) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"p": pledge.pk, "e": _digest(pledge.contact_email)})


def pledge_url(pledge: CoFundingPledge) -> str:
    return settings.SITE_URL + reverse("portal:pledge", args=[make_token(pledge)])


def pledge_for_token(token: str) -> CoFundingPledge:
    """The pledge the token opens; LinkExpired or LinkInvalid (tampered, unknown, address changed)."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        payload = signer.unsign_object(token, max_age=LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkInvalid from None
    if not isinstance(payload, dict) or not isinstance(payload.get("p"), int):
        raise LinkInvalid
    pledge = with_related(CoFundingPledge.objects.filter(pk=payload["p"])).first()
    if pledge is None or not pledge.contact_email or _digest(pledge.contact_email) != payload.get("e"):
        raise LinkInvalid
    return pledge


def queue_pledge_link(pledge: CoFundingPledge, *, again_on: str = ""):
    """Queue the e-mail with the pledge's link; the key makes it once per address (and per day when sent again)."""
    from documents.emails import queue_email

    application = pledge.application
    context = {
        "cofunder": pledge.cofunder.name,
        "amount": format_amount(pledge.amount),
        "title": application.title,
        "reference": application.reference,
        "team": application.team.name,
        "scheme": application.scheme.name,
        "funder": application.scheme.funder.name,
        "url": pledge_url(pledge),
        "days": LINK_DAYS,
    }
    key = _link_key(pledge, again_on)
    return queue_email(key=key, to=[pledge.contact_email], template="pledge_link", context=context)


def _link_key(pledge: CoFundingPledge, again_on: str | None = None) -> str:
    return f"pledge-link:{pledge.pk}:{_digest(pledge.contact_email)}" + (f":again:{again_on}" if again_on else "")


def with_related(queryset):
    return queryset.select_related("application__scheme__funder", "application__team", "cofunder")


def queue_pledge_links(application_id: int) -> list:
    """Queue one e-mail per open pledge with a contact address; a second call queues nothing new."""
    pledges = with_related(
        CoFundingPledge.objects.filter(application_id=application_id, status=PledgeStatus.PLEDGED).exclude(
            contact_email=""
        )
    )
    return [queue_pledge_link(pledge) for pledge in pledges]


def link_can_be_sent(pledge: CoFundingPledge) -> bool:
    return (
        pledge.status == PledgeStatus.PLEDGED
        and bool(pledge.contact_email)
        and pledge.application.status != ApplicationStatus.DRAFT
    )


def send_link_again(pledge: CoFundingPledge) -> bool:
    """The team asks for a fresh link (the first expired or got lost): at most one e-mail a day.

    False when today's has been sent already, so the page does not promise a second one.
    """
    from config.celery import enqueue_on_commit
    from documents.models import OutgoingEmail

    from .tasks import send_pledge_link_again

    today = timezone.localdate().isoformat()
    if OutgoingEmail.objects.filter(key=_link_key(pledge, today)).exists():
        return False
    enqueue_on_commit(send_pledge_link_again, pledge.pk, today)
    return True


def format_amount(amount) -> str:
    from grants.money import format_euro

    return format_euro(amount, "nl")
