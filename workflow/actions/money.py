"""Money actions: bank details, the payment schedule, approval, payout batches, reports, settlement.

The finance app holds the models, the calculation and the exports; these functions are the
only way their state changes: atomic, row locks, permission, transition, audit event.
"""

import datetime
import itertools
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from finance import selectors, services
from finance.models import Payment, PayoutBatch
from finance.settlement import CostLine, Settlement, SettlementInputError, calculate_settlement
from grants.audit import record_event
from grants.models import Application, AuditEvent, Decision, Funder, Organisation, Report
from grants.money import format_euro, share_of
from grants.terms import banking_day_on_or_after
from workflow.states import COMMITTED_STATES, DecisionKind, PaymentStatus, ReportStatus

from ..exceptions import ActionRefused, PermissionRefused
from ..transitions import perform, refusals
from .base import lock, lock_application, require
from .screening import take_decision

P = PaymentStatus


# --- Bank details -------------------------------------------------------------------------------
def _payee_or_refuse(application: Application) -> Organisation:
    payee = services.payee_for(application)
    if payee is None:
        raise ActionRefused(_("Add a participating school first: payments go to its school board."))
    return payee


def bank_details_enter(*, application: Application, actor, iban: str, account_holder: str) -> Organisation:
    """The team, or the funder's officer, enters the payee's bank account, which then waits for confirmation.

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
            iban, bic = services.normalise_iban(iban)
        except ValidationError as error:
            problems.extend(error.messages)
        try:
            account_holder = services.clean_account_holder(account_holder)
        except ValidationError as error:
            problems.extend(error.messages)
        if problems:
            raise ActionRefused(problems)
        if (payee.iban, payee.account_holder) == (iban, account_holder):
            return payee
        previous = {"iban": services.mask_iban(payee.iban), "account_holder": payee.account_holder}
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
            data={"previous": previous, "iban": services.mask_iban(iban), "account_holder": account_holder},
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


# --- Schedule -----------------------------------------------------------------------------------
def payment_schedule_advance(
    application: Application, *, actor, decision: Decision, already_paid: Decimal = Decimal("0.00")
) -> Payment | None:
    """On award: the scheme's advance percentage of the award, due when the project starts.

    Runs inside decision_take's transaction; the decider who took the award prepared it,
    so someone else approves it (four eyes). `already_paid` is advance money the bank already
    has (an award raised on objection): only the rest is scheduled.
    """
    amount = share_of(application.awarded_amount, application.scheme.advance_percentage) - already_paid
    award_date = decision.letter_date or timezone.localdate()
    payment = services.schedule_payment(
        application,
        kind=Payment.Kind.ADVANCE,
        amount=amount,
        due_date=services.advance_due_date(application, award_date),
        actor=actor,
        decision=decision,
    )
    if payment is not None:
        _record_scheduled(payment, actor)
    return payment


def payments_after_award_raised(application: Application, *, actor, decision: Decision) -> dict:
    """An award raised on objection: the advance follows the new amount.

    An advance not yet with the bank is cancelled and scheduled again at the new amount; one the
    bank already has (exported or paid) stays, and the difference is scheduled as an extra advance.
    Returns what changed, for the letter.
    """
    cancelled = services.cancel_pending(
        application, actor=actor, reason=_("Replaced by the decision on the objection.")
    )
    payment = payment_schedule_advance(
        application, actor=actor, decision=decision, already_paid=services.disbursed_amount(application)
    )
    return payment_effects(cancelled=cancelled, scheduled=[payment] if payment else [])


def payments_after_revocation_undone(application: Application, *, actor, decision: Decision) -> dict:
    """A revocation undone on objection: the grant is paid as if it had never been revoked.

    Payments the revocation cancelled (never paid, so never with the bank) are scheduled again as
    new rows, on their old due date or today if that passed; a recovery not yet collected is
    cancelled. Returns what changed, for the letter.
    """
    reason = _("The revocation was undone on objection.")
    revocation = (
        application.decisions.filter(kind=DecisionKind.REVOCATION, letter_date__isnull=False).order_by("-pk").first()
    )
    scheduled = []
    for old in _payments_cancelled_by(application, revocation):
        payment = services.schedule_payment(
            application,
            kind=old.kind,
            amount=old.amount,
            due_date=max(old.due_date, timezone.localdate()),
            actor=actor,
            decision=decision,
        )
        if payment is not None:
            _record_scheduled(payment, actor, replaces=old)
            scheduled.append(payment)
    recoveries = services.cancel_pending(application, actor=actor, reason=reason, kinds=(Payment.Kind.RECOVERY,))
    repaid = _recovered_paid_back(application, actor=actor, decision=decision, revocation=revocation)
    return payment_effects(scheduled=scheduled, recoveries_cancelled=recoveries, repaid=[repaid] if repaid else [])


def _recovered_paid_back(application: Application, *, actor, decision: Decision, revocation) -> Payment | None:
    """What the team already paid back under the revocation is paid to it again, tied to the decision
    on the objection (its letter says so): the grant stands, so the recovery has lost its ground.

    It is the advance the team had and returned, so it is scheduled as one: approved by someone other
    than the decider (four eyes), counted as paid at settlement beside the recovery received.
    """
    if revocation is None:
        return None
    # Claimed by the revocation's own recovery decision (`data.revocation`), or, for revocations taken
    # before recoveries had a decision of their own, by the revocation itself.
    under_revocation = Q(decision=revocation) | Q(
        decision__kind=DecisionKind.RECOVERY, decision__data__revocation=revocation.pk
    )
    received = application.payments.filter(under_revocation, kind=Payment.Kind.RECOVERY, status=P.PAID)
    recovered = received.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    payment = services.schedule_payment(
        application,
        kind=Payment.Kind.ADVANCE,
        amount=recovered,
        due_date=timezone.localdate(),
        actor=actor,
        decision=decision,
    )
    if payment is not None:
        _record_scheduled(payment, actor, data={"repays": sorted(received.values_list("pk", flat=True))})
    return payment


def payments_after_settlement_changed(application: Application, *, actor, decision: Decision) -> dict:
    """A settlement raised on objection: the settlement's money again, from the new settled amount.

    A recovery not yet collected and a remainder not yet with the bank are cancelled; then
    `payments_after_settlement` pays the new remainder or claims a (smaller) recovery with its own
    decision, as at settlement. Returns what changed, for the letter.
    """
    reason = _("Replaced by the decision on the objection.")
    recoveries = services.cancel_pending(application, actor=actor, reason=reason, kinds=(Payment.Kind.RECOVERY,))
    cancelled = services.cancel_pending(application, actor=actor, reason=reason)
    payment = payments_after_settlement(application, actor=actor, decision=decision)
    outgoing = [payment] if payment is not None and payment.is_outgoing else []
    effects = payment_effects(cancelled=cancelled, scheduled=outgoing, recoveries_cancelled=recoveries)
    if payment is not None and not payment.is_outgoing:
        effects["recovery"] = str(payment.amount)
    return effects


def _payments_cancelled_by(application: Application, revocation: Decision | None):
    """The outgoing payments `revocation` cancelled: recorded on it, or (revoked before that was
    recorded) the payments whose cancel event follows the revoke event in the audit trail."""
    if revocation is None:
        return Payment.objects.none()
    ids = (revocation.data or {}).get("cancelled_payments")
    if ids is None:
        revoked = AuditEvent.objects.filter(application=application, action="revoke").order_by("-pk").first()
        events = AuditEvent.objects.filter(
            application=application,
            action="cancel",
            subject_type=ContentType.objects.get_for_model(Payment),
            pk__gt=revoked.pk if revoked else 0,
        )
        ids = list(events.values_list("subject_id", flat=True))
    return application.payments.filter(pk__in=ids, kind__in=Payment.OUTGOING, status=P.CANCELLED).order_by("pk")


def payment_effects(*, cancelled=(), scheduled=(), recoveries_cancelled=(), repaid=()) -> dict:
    """What a decision did to the payments, as JSON for its data (the letter states it).

    `repaid`: payments that return a recovery the team already paid back (a revocation undone).
    """

    def describe(payments):
        return [_payment_summary(payment) for payment in payments]

    effects = {"cancelled": describe(cancelled), "scheduled": describe(scheduled)}
    if recoveries_cancelled:
        effects["recoveries_cancelled"] = describe(recoveries_cancelled)
    if repaid:
        effects["repaid"] = describe(repaid)
    return effects


def _payment_summary(payment: Payment) -> dict:
    return {"kind": payment.kind, "amount": str(payment.amount), "due_date": payment.due_date.isoformat()}


def _record_scheduled(payment: Payment, actor, replaces: Payment | None = None, data: dict | None = None) -> None:
    data = {**_payment_summary(payment), **(data or {})}
    if replaces is not None:
        data["replaces"] = replaces.pk
    record_event(
        payment,
        actor=actor,
        action="schedule_payment",
        to_state=payment.status,
        application=payment.application,
        data=data,
    )


def payments_after_settlement(application: Application, *, actor, decision: Decision) -> Payment | None:
    """After the settlement: pay the remainder, or recover what was paid above the settled amount.

    Outgoing payments not yet with the bank are cancelled first; what the bank already has
    (exported or paid) counts as paid. A recovery gets its own decision and letter.
    """
    settled = application.settled_amount
    services.cancel_pending(application, actor=actor, reason=_("Replaced by the settlement."))
    net_paid = services.net_paid(application)
    difference = settled - net_paid
    if difference > 0:
        payment = services.schedule_payment(
            application,
            kind=Payment.Kind.REMAINDER,
            amount=difference,
            due_date=decision.letter_date or timezone.localdate(),
            actor=actor,
            decision=decision,
        )
        _record_scheduled(payment, actor)
        return payment
    if difference < 0:
        return _recover(
            application,
            actor=actor,
            amount=-difference,
            target_amount=settled,
            reasons=_("The grant was settled at %(settled)s; %(paid)s was paid.")
            % {"settled": format_euro(settled, "nl"), "paid": format_euro(net_paid, "nl")},
            data={
                "settlement": decision.pk,
                "settled": str(settled),
                "paid": str(net_paid),
                # Taken with a decision on objection: part of it, so appeal, not objection (letter, guard).
                **({"on_objection": True} if decision.kind == DecisionKind.OBJECTION_OVERTURNED else {}),
            },
        )
    return None


def payments_after_revocation(application: Application, *, actor, decision: Decision) -> Payment | None:
    """After a revocation (Awb 4:48): what was not yet paid is cancelled, and what was paid is recovered
    by a recovery decision of its own (Awb 4:57), whose letter names the amount and the day it is due.

    The revocation's data keeps what was paid (its letter says whether a recovery follows) and the
    payments it cancelled (what an objection that undoes it schedules again). Running it again
    recovers nothing twice: what is claimed already counts as recovered.
    """
    cancelled = services.cancel_pending(application, actor=actor, reason=decision.reasons)
    net_paid = services.net_paid(application)
    decision.data = {
        **(decision.data or {}),
        "paid": str(net_paid),
        # Also when empty: a payment the bank refuses later is added to it (`_remember_cancelled_by_revocation`).
        "cancelled_payments": [payment.pk for payment in cancelled],
    }
    decision.save(update_fields=["data"])
    if net_paid <= 0:
        return None
    return _recover(
        application,
        actor=actor,
        amount=net_paid,
        target_amount=Decimal("0.00"),
        reasons=_("The grant award was revoked; %(paid)s was paid.") % {"paid": format_euro(net_paid, "nl")},
        data={"revocation": decision.pk, "paid": str(net_paid)},
    )


def _recover(
    application: Application, *, actor, amount: Decimal, target_amount: Decimal, reasons: str, data
) -> Payment:
    """The recovery decision (its own letter, due in six weeks) and the recovery payment it claims."""
    recovery = take_decision(
        application,
        kind=DecisionKind.RECOVERY,
        actor=actor,
        amount=amount,
        due_date=timezone.localdate() + services.RECOVERY_TERM,
        reasons=reasons,
        data=data,
    )
    payment = services.schedule_recovery(
        application=application, actor=actor, reason=reasons, target_amount=target_amount, decision=recovery
    )
    _record_scheduled(payment, actor)
    return payment


# --- Approval -----------------------------------------------------------------------------------
def payment_approve(*, payment: Payment, actor) -> Payment:
    """A finance officer or decider approves a scheduled payment; never the one who prepared it."""
    with transaction.atomic():
        application = lock_application(payment.application_id)
        # The payee before the payment (the order bank-details changes take): an account changed while
        # this approval runs either withdraws it afterwards or is seen unconfirmed here, never neither.
        if payment.payee_id is not None:
            Organisation.objects.select_for_update().filter(pk=payment.payee_id).first()
        payment = lock(payment)
        require(actor, "grants.approve_payment", application)
        if payment.prepared_by_id == actor.pk:
            raise PermissionRefused(_("You prepared this payment; someone else must approve it (four eyes)."))
        problems = refusals(payment, "approve")
        if payment.is_outgoing and not services.bank_details_confirmed(payment.payee):
            problems.append(
                _("%(payee)s has no confirmed bank details yet; an officer must confirm them first.")
                % {"payee": payment.payee or _("The payee")}
            )
        if problems:
            raise ActionRefused(problems)
        perform(payment, "approve", actor=actor, kwargs={"by": actor}, application=application)
    return payment


def payment_record_received(*, payment: Payment, actor) -> Payment:
    """Finance records that a recovery was paid back."""
    with transaction.atomic():
        application = lock_application(payment.application_id)
        payment = lock(payment)
        require(actor, "grants.manage_finance", application)
        if payment.kind != Payment.Kind.RECOVERY:
            raise ActionRefused(_("Only a recovery is received; payments out are marked paid in their batch."))
        perform(payment, "record_received", actor=actor, application=application)
    return payment


# --- Batches ------------------------------------------------------------------------------------
def batch_build(*, funder: Funder, actor, due_before: datetime.date, execution_date=None, scheme=None) -> PayoutBatch:
    with transaction.atomic():
        require(actor, "grants.manage_finance", funder)
        if execution_date and execution_date < timezone.localdate():
            raise ActionRefused(_("The execution date cannot lie in the past."))
        batch, count = services.build_batch(
            funder, actor=actor, due_before=due_before, execution_date=execution_date, scheme=scheme
        )
        if batch is None or count == 0:
            raise ActionRefused(_("No approved payments are due by that date (or another batch just took them)."))
        count, total = services.batch_totals(batch)
        record_event(
            batch,
            actor=actor,
            action="build_batch",
            to_state=batch.status,
            funder=funder,
            data={"count": count, "total": str(total), "due_before": due_before.isoformat()},
        )
    return batch


def batch_export(*, batch: PayoutBatch, actor) -> PayoutBatch:
    """Write CSV, XLSX and SEPA files with their SHA-256, then lock the batch and its payments."""
    with transaction.atomic():
        batch = PayoutBatch.objects.select_for_update().select_related("funder").get(pk=batch.pk)
        require(actor, "grants.manage_finance", batch.funder)
        if batch.is_locked:
            raise ActionRefused(_("This batch has already been exported; it can no longer change."))
        count, total = services.batch_totals(batch)
        if count == 0:
            raise ActionRefused(_("This batch is empty."))
        problems = services.sepa_account_problems(batch)
        if problems:
            raise ActionRefused(services.listed(problems))
        planned = _execution_date_still_ahead(batch)
        services.store_batch_files(batch)
        batch.status = PayoutBatch.Status.EXPORTED
        batch.exported_at = timezone.now()
        batch.exported_by = actor
        batch.payment_count, batch.total_amount = count, total
        batch.save()
        # One bulk transition for the whole batch (a batch can hold 100,000 payments), audited per
        # payment in bulk as well as on the batch.
        batch.payments.filter(status=P.APPROVED).update(status=P.EXPORTED)
        _audit_payments_moved(batch, actor=actor, action="export_payment", from_state=P.APPROVED, to_state=P.EXPORTED)
        record_event(
            batch,
            actor=actor,
            action="export_batch",
            from_state=PayoutBatch.Status.OPEN,
            to_state=batch.status,
            funder=batch.funder,
            data={
                "count": count,
                "total": str(total),
                "sha256": {fmt: batch.sha256_for(fmt) for fmt in ("csv", "xlsx", "sepa")},
                "execution_date": batch.execution_date.isoformat() if batch.execution_date else None,
                **({"execution_date_planned": planned.isoformat()} if planned else {}),
            },
        )
    return batch


def _execution_date_still_ahead(batch: PayoutBatch) -> datetime.date | None:
    """Move an execution date that passed since the batch was built to the next banking day.

    batch_build refuses a date in the past, but a batch may wait days before it is exported,
    and the SEPA file must not ask the bank to execute on a day gone by (ReqdExctnDt): banks
    reject such a file or execute it late without saying so. Returns the planned date when it
    moved, so the audit event and the finance officer learn about it; None otherwise.
    """
    today = timezone.localdate()
    planned = batch.execution_date
    if planned is None or planned >= today:
        return None
    batch.execution_date = banking_day_on_or_after(today)
    return planned


def batch_mark_paid(*, batch: PayoutBatch, actor, failed: dict[int, str] | None = None) -> PayoutBatch:
    """After the bank run: all payments paid except `failed` ({payment id: reason}).

    Failed payments go back to the queue (approved, out of the batch) to travel in a later
    batch; their audit event keeps the batch they failed in and why. A failed payment whose money
    is no longer due (the grant was revoked, or settled with nothing left to pay) is cancelled
    instead, and the recovery is recomputed without it.
    """
    failed = failed or {}
    with transaction.atomic():
        batch = PayoutBatch.objects.select_for_update().select_related("funder").get(pk=batch.pk)
        require(actor, "grants.manage_finance", batch.funder)
        if batch.status != PayoutBatch.Status.EXPORTED:
            raise ActionRefused(_("Only an exported batch that was not yet processed can be marked paid."))
        unknown = set(failed) - set(batch.payments.filter(pk__in=list(failed)).values_list("pk", flat=True))
        if unknown:
            raise ActionRefused(_("Some of the failed payments are not in this batch."))
        if any(not reason.strip() for reason in failed.values()):
            raise ActionRefused(_("Give the bank's reason for every failed payment."))
        # The grants first, in one order, as every other action locks them before their payments.
        failed_payments = batch.payments.filter(pk__in=list(failed))
        applications = {
            pk: lock_application(pk) for pk in sorted(set(failed_payments.values_list("application_id", flat=True)))
        }
        for payment in failed_payments.select_for_update(of=("self",)).order_by("pk"):
            payment.application = applications[payment.application_id]
            _payment_failed(payment, batch=batch, actor=actor, reason=failed[payment.pk])
        paid = batch.payments.filter(status=P.EXPORTED).update(status=P.PAID, paid_at=timezone.now())
        _audit_payments_moved(batch, actor=actor, action="mark_paid", from_state=P.EXPORTED, to_state=P.PAID)
        batch.status = PayoutBatch.Status.PROCESSED
        batch.processed_at = timezone.now()
        batch.save(update_fields=["status", "processed_at"])
        record_event(
            batch,
            actor=actor,
            action="mark_batch_paid",
            from_state=PayoutBatch.Status.EXPORTED,
            to_state=batch.status,
            funder=batch.funder,
            data={"paid": paid, "failed": sorted(failed)},
        )
    return batch


def _payment_failed(payment: Payment, *, batch: PayoutBatch, actor, reason: str) -> None:
    """The bank refused `payment`: back in the queue, or cancelled when its money is no longer due."""
    application = payment.application
    batch_data = {"batch": batch.reference, "batch_id": batch.pk}
    perform(
        payment,
        "mark_failed",
        actor=actor,
        reason=reason,
        kwargs={"reason": reason},
        data=batch_data,
        application=application,
    )
    why = _why_not_paid_again(application)
    if why is None:
        return
    perform(payment, "cancel", actor=actor, reason=why, data=batch_data, application=application)
    if services.grant_revoked(application):  # not for a settled grant that once had a revocation undone
        _remember_cancelled_by_revocation(application, payment)
    _recovery_recomputed(application, actor=actor, reason=why)


def _why_not_paid_again(application: Application) -> str | None:
    """Why a payment the bank refused is not queued again, or None when its money is still due."""
    if services.grant_revoked(application):
        return _("The grant was revoked; a payment the bank refused is not paid again.")
    owed = services.still_owed(application)
    if owed is not None and owed <= 0:
        return _("The grant was settled and nothing is left to pay; a payment the bank refused is not paid again.")
    return None


def _remember_cancelled_by_revocation(application: Application, payment: Payment) -> None:
    """A payment the revocation stopped: an objection that undoes the revocation schedules it again.

    Revocations from before the list was recorded find it by its cancel event after the revoke event.
    """
    revocation = application.decisions.filter(kind=DecisionKind.REVOCATION).order_by("-pk").first()
    if revocation is None or "cancelled_payments" not in (revocation.data or {}):
        return
    revocation.data["cancelled_payments"].append(payment.pk)
    revocation.save(update_fields=["data"])


def _recovery_recomputed(application: Application, *, actor, reason: str) -> Payment | None:
    """The recovery not yet received is claimed again on what the team really received.

    It was claimed while the refused payment counted as paid (exported); the team must not be
    asked to repay money that never reached it. Still tied to the decision that claimed it.
    """
    open_recoveries = services.cancel_pending(application, actor=actor, reason=reason, kinds=(Payment.Kind.RECOVERY,))
    if not open_recoveries:
        return None
    recovery = services.schedule_recovery(
        application=application,
        actor=actor,
        reason=reason,
        target_amount=Decimal("0.00") if services.grant_revoked(application) else application.settled_amount,
        decision=open_recoveries[-1].decision,
    )
    if recovery is not None:
        _record_scheduled(recovery, actor, replaces=open_recoveries[-1])
    return recovery


# Payments audited per round trip: one read and one insert per chunk of a batch's payments.
AUDIT_CHUNK = 2000


def _audit_payments_moved(batch: PayoutBatch, *, actor, action: str, from_state: str, to_state: str) -> None:
    """One audit event per payment a batch moved in one bulk update (now in `to_state`).

    A batch can hold 100,000 payments, so the events are read and written in chunks of AUDIT_CHUNK:
    the same number of queries for 3 payments as for 2,000 (not one per payment), and never all of
    them in memory at once.
    """
    subject_type = ContentType.objects.get_for_model(Payment)
    rows = batch.payments.filter(status=to_state).order_by("pk").values_list("pk", "application_id", "creditor_iban")
    events = (
        AuditEvent(
            funder=batch.funder,
            application_id=application_id,
            subject_type=subject_type,
            subject_id=pk,
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=to_state,
            data={"batch": batch.reference, "batch_id": batch.pk, "creditor_iban": services.mask_iban(iban)},
        )
        for pk, application_id, iban in rows.iterator(chunk_size=AUDIT_CHUNK)
    )
    while chunk := list(itertools.islice(events, AUDIT_CHUNK)):
        AuditEvent.objects.bulk_create(chunk)


# --- Reports ------------------------------------------------------------------------------------
def report_accept(*, report: Report, actor, comment: str = "") -> Report:
    with transaction.atomic():
        application = lock_application(report.application_id)
        report = lock(report)
        require(actor, "grants.assess_report", application)
        perform(report, "accept", actor=actor, reason=comment, application=application)
        _stamp_assessment(report, actor, comment.strip())
    return report


def _stamp_assessment(report: Report, actor, comment: str | None = None) -> None:
    report.assessed_by = actor
    fields = ["assessed_by"]
    if comment is not None:
        report.officer_comment = comment
        fields.append("officer_comment")
    report.save(update_fields=fields)


def report_return(*, report: Report, actor, comment: str) -> Report:
    """Return a report to the team with what to improve; a final report also reopens the project."""
    from .aftercare import application_return_report

    with transaction.atomic():
        application = lock_application(report.application_id)
        report = lock(report)
        require(actor, "grants.assess_report", application)
        if not comment.strip():
            raise ActionRefused(_("Tell the team what to improve in the report."))
        perform(report, "return_to_team", actor=actor, reason=comment, args=(comment.strip(),), application=application)
        _stamp_assessment(report, actor)
        if report.kind == Report.Kind.FINAL and application.status == "final_report_submitted":
            application_return_report(application=application, actor=actor, comment=comment)
    return report


# --- Settlement ---------------------------------------------------------------------------------
def settlement_preview(report: Report, *, eligible: dict[int, Decimal], realised_cofunding: Decimal) -> Settlement:
    """The calculation for the officer's screen: no writes. Raises SettlementInputError."""
    application = report.application
    lines = []
    for budget_line in application.budget_lines.all():
        cost = next((c for c in report.cost_lines.all() if c.budget_line_id == budget_line.pk), None)
        actual = cost.actual_amount if cost else Decimal("0.00")
        lines.append(
            CostLine(
                description=str(budget_line),
                budgeted=budget_line.amount,
                actual=actual,
                eligible=eligible.get(budget_line.pk, actual),
            )
        )
    net_paid = services.net_paid(application)
    return calculate_settlement(
        awarded=application.awarded_amount or Decimal("0.00"),
        budget_total=sum((line.budgeted for line in lines), Decimal("0.00")),
        lines=lines,
        cofunding_ratio=application.scheme.cofunding_ratio,
        realised_cofunding=realised_cofunding,
        paid=net_paid,
    )


def settlement_assess(
    *, report: Report, actor, eligible: dict[int, Decimal], realised_cofunding: Decimal, reasons: str = ""
) -> Decision:
    """The officer assesses the final report and settles the grant at the calculated amount.

    Stores the eligible costs per line, accepts the report, then application_settle takes the
    settlement decision (with every calculation step in its data) and schedules the remainder
    or the recovery.
    """
    from .aftercare import application_settle

    with transaction.atomic():
        application = lock_application(report.application_id)
        report = lock(report)
        require(actor, "grants.screen_application", application)
        if report.kind != Report.Kind.FINAL:
            raise ActionRefused(_("A grant is settled on its final report."))
        if report.status not in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            raise ActionRefused(_("The final report must be submitted before the grant can be settled."))
        try:
            settlement = settlement_preview(report, eligible=eligible, realised_cofunding=realised_cofunding)
        except SettlementInputError as error:
            raise ActionRefused(str(error)) from error
        for cost in report.cost_lines.all():
            if cost.budget_line_id in eligible:
                cost.eligible_amount = eligible[cost.budget_line_id]
                cost.save(update_fields=["eligible_amount"])
        if report.status == ReportStatus.SUBMITTED:
            perform(report, "accept", actor=actor, reason=reasons, application=application)
            _stamp_assessment(report, actor)
        application_settle(
            application=application,
            actor=actor,
            amount=settlement.settled,
            reasons=reasons,
            data={"settlement": settlement.as_data(), "report": report.pk},
        )
    return application.decisions.filter(kind=DecisionKind.SETTLEMENT).latest("pk")
