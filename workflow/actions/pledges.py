"""Co-funding pledges: confirmed or withdrawn by the co-funder (or an officer for them)."""

from django.db import transaction
from django.utils.translation import gettext as _

from grants.models import CoFundingPledge

from ..exceptions import ActionRefused
from ..transitions import perform
from .base import lock, require


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
        perform(
            pledge,
            "withdraw",
            actor=actor,
            reason=reason,
            application=pledge.application,
            data={"via_token": via_token},
        )
    return pledge
