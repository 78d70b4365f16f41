"""Co-funding pledges: confirmed or withdrawn by the co-funder (or an officer for them)."""

from django.db import transaction
from django.utils.translation import gettext as _

from config.celery import enqueue_on_commit
from grants.models import CoFundingPledge
from workflow.states import COMMITTED_STATES, ApplicationStatus

from ..exceptions import ActionRefused
from ..transitions import perform
from .base import lock, require

# From the co-funding check on, a withdrawn pledge changes what was checked or awarded.
CO_FUNDING_COUNTS_STATES = (ApplicationStatus.REVIEWED, ApplicationStatus.COFUNDING_CHECK, *COMMITTED_STATES)


def pledge_confirm(*, pledge: CoFundingPledge, actor=None, via_token: bool = False, evidence=None) -> CoFundingPledge:
    """Confirm a pledge. `via_token`: the co-funder used its signed personal link (no account)."""
    with transaction.atomic():
        pledge = lock(pledge)
        if not via_token:
            require(actor, "grants.confirm_pledge", pledge)
            if evidence is None and pledge.evidence_id is None and actor.has_perm("grants.screen_application", pledge):
                raise ActionRefused(_("Attach the co-funder's evidence when confirming on its behalf."))
        if evidence is not None:
            pledge.evidence = evidence
            pledge.save(update_fields=["evidence"])
        perform(
            pledge,
            "confirm",
            actor=actor,
            kwargs={"by": actor if actor and actor.is_authenticated else None},
            application=pledge.application,
            data={"via_token": via_token},
        )
    return pledge


def pledge_withdraw(
    *, pledge: CoFundingPledge, actor=None, via_token: bool = False, reason: str = ""
) -> CoFundingPledge:
    with transaction.atomic():
        pledge = lock(pledge)
        if not via_token:
            require(actor, "grants.withdraw_pledge", pledge)
        was = pledge.status
        perform(
            pledge,
            "withdraw",
            actor=actor,
            reason=reason,
            application=pledge.application,
            data={"via_token": via_token},
        )
        if pledge.application.status in CO_FUNDING_COUNTS_STATES:
            # The co-funding an award rests on (or is about to) is gone: the officers must know.
            from ..tasks import send_pledge_withdrawn

            enqueue_on_commit(send_pledge_withdrawn, pledge.pk, was)
    return pledge
