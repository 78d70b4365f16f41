"""Bank details of a payee: entered by the team or an officer, confirmed by another (four eyes)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finance import selectors, services
from finance.models import Payment
from grants.audit import record_event
from grants.models import Application, Organisation
from workflow.states import COMMITTED_STATES, PaymentStatus

from ...exceptions import ActionRefused, PermissionRefused
from ...transitions import perform
from ..base import lock, lock_application, require

P = PaymentStatus


# --- Bank details -------------------------------------------------------------------------------
def _payee_or_refuse(application: Application) -> Organisation:
    payee = services.payee_for(application)
    if payee is None:
        raise ActionRefused(_("Add a participating school first: payments go to its school board."))
    return payee


def bank_details_enter(
    *, application: Application, actor, iban: str, account_holder: str, bic: str = ""
) -> Organisation:
    """The team, or the funder's officer, enters the payee's bank account, which then waits for confirmation.

    The BIC is derived from the IBAN where schwifty knows the bank; `bic`, when given, is the bank's
    own, needed for an account outside the EEA whose bank schwifty does not know (`services.payee_bic`).

    The payee is a school board that other teams' grants may share, so a team may enter its details
    only for an awarded grant and only while none are confirmed: a team could otherwise take over a
    board's account that other grants are paid to. Confirmed details are changed by an officer.
    """
    with transaction.atomic():
        application = lock_application(application)
        as_officer = actor is not None and actor.has_perm("grants.screen_application", application)
        if not as_officer:
            require(actor, "grants.act_for_team", application)
        payee = lock(_payee_or_refuse(application))
        if application.status not in COMMITTED_STATES:
            raise ActionRefused(_("Bank details can be entered once the grant has been awarded."))
        if payee.bank_details_confirmed_at and not as_officer:
            raise ActionRefused(
                _(
                    "The funder has confirmed the bank details of %(payee)s; other grants may be paid to "
                    "this account too. Ask the funder's officer to change them."
                )
                % {"payee": payee}
            )
        problems = []
        try:
            iban, derived_bic = services.normalise_iban(iban)
        except ValidationError as error:
            problems.extend(error.messages)
        else:
            try:
                bic = services.payee_bic(iban, derived=derived_bic, typed=bic)
            except ValidationError as error:
                problems.extend(error.messages)
        try:
            account_holder = services.clean_account_holder(account_holder)
        except ValidationError as error:
            problems.extend(error.messages)
        if problems:
            raise ActionRefused(problems)
        if (payee.iban, payee.account_holder, payee.bic) == (iban, account_holder, bic):
            return payee
        previous = {"iban": services.mask_iban(payee.iban), "account_holder": payee.account_holder, "bic": payee.bic}
        was_confirmed = payee.bank_details_confirmed_at is not None
        payee.iban, payee.bic, payee.account_holder = iban, bic, account_holder
        payee.bank_details_confirmed_at = payee.bank_details_confirmed_by = None
        try:
            payee.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ActionRefused([m for messages in error.message_dict.values() for m in messages]) from error
        payee.save(
            update_fields=["iban", "bic", "account_holder", "bank_details_confirmed_at", "bank_details_confirmed_by"]
        )
        record_event(
            payee,
            actor=actor,
            action="bank_details_changed" if previous["iban"] or previous["account_holder"] else "bank_details_entered",
            from_state="confirmed" if was_confirmed else "",
            to_state="unconfirmed",
            application=application,
            data={
                "previous": previous,
                "iban": services.mask_iban(iban),
                "account_holder": account_holder,
                "bic": bic,
            },
        )
        _approvals_withdrawn(payee, actor=actor)
    return payee


def _approvals_withdrawn(payee: Organisation, *, actor) -> list[Payment]:
    """The payee's account changed: its approved payments not yet in a batch go back to scheduled.

    A batch copies the payee's details when it is built, so an approval given while the old account
    was confirmed would otherwise carry the money to the new one. Approved again once someone other
    than the one who changed the account has confirmed it, nothing approved against one account is
    paid to another. Payments of every grant paid to this payee (a board that grants share) count.
    """
    reason = _("The payee's bank details changed; approve this payment again once the new details are confirmed.")
    payments = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("application__scheme__funder")
        .filter(payee=payee, kind__in=Payment.OUTGOING, status=P.APPROVED, batch__isnull=True)
        .order_by("pk")
    )
    withdrawn = []
    for payment in payments:
        perform(
            payment,
            "withdraw_approval",
            actor=actor,
            reason=reason,
            data={"approved_by": payment.approved_by_id, "iban": services.mask_iban(payee.iban)},
            application=payment.application,
        )
        withdrawn.append(payment)
    return withdrawn


# The bank details on the page had no entry event; `bank_details_confirm` takes it as seen only then.
NO_ENTRY = 0


def bank_details_confirm(*, application: Application, actor, seen_entry: int | None = None) -> Organisation:
    """The officer confirms the payee's bank details (checked against e.g. a bank statement).

    Four eyes: whoever entered or last changed the details may not confirm them, or one officer
    alone could send the payments of every grant to this payee to an account of his choosing.
    `seen_entry` is the bank-details event the officer had on screen (`NO_ENTRY` when the details
    have none: stored before such events, by the demo or in /admin/): details changed since (by a
    colleague, or a team of another grant to this payee) are not confirmed unseen.
    """
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        payee = lock(_payee_or_refuse(application))
        if not payee.iban or not payee.account_holder:
            raise ActionRefused(_("%(payee)s has no bank details to confirm yet.") % {"payee": payee})
        if payee.bank_details_confirmed_at:
            raise ActionRefused(_("These bank details are already confirmed."))
        entry = selectors.bank_details_entry(payee)
        if seen_entry is not None and seen_entry != (entry.pk if entry is not None else NO_ENTRY):
            raise ActionRefused(
                _("The bank details were changed while you had the page open; check the new ones and confirm again.")
            )
        if entry is not None and entry.actor_id == actor.pk:
            raise PermissionRefused(
                _("You entered these bank details yourself; another officer must check and confirm them (four eyes).")
            )
        payee.bank_details_confirmed_at = timezone.now()
        payee.bank_details_confirmed_by = actor
        payee.save(update_fields=["bank_details_confirmed_at", "bank_details_confirmed_by"])
        record_event(
            payee,
            actor=actor,
            action="bank_details_confirmed",
            from_state="unconfirmed",
            to_state="confirmed",
            application=application,
            data={"iban": services.mask_iban(payee.iban), "account_holder": payee.account_holder},
        )
    return payee
