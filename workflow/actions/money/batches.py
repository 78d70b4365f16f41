"""Approval of payments (four eyes), payout batches to the bank and what the bank sends back."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from finance import services
from finance.models import Payment, PayoutBatch
from grants.audit import record_event
from grants.models import Application, AuditEvent, Funder, Organisation
from grants.terms import banking_day_on_or_after
from workflow.states import DecisionKind, PaymentStatus

from ...exceptions import ActionRefused, PermissionRefused
from ...transitions import perform, refusals
from ..base import lock, lock_application, require
from .schedule import _recover

P = PaymentStatus


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
        elif payment.is_outgoing:
            problems += services.payee_account_problems(payment.payee)
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
        _audit_batch(
            batch,
            actor,
            "build_batch",
            from_state="",
            data={"count": count, "total": str(total), "due_before": due_before.isoformat()},
        )
    return batch


def batch_export(*, batch: PayoutBatch, actor) -> PayoutBatch:
    """Write CSV, XLSX and SEPA files with their SHA-256, then lock the batch and its payments."""
    with transaction.atomic():
        # The batch row only (`of`): with its funder's row locked too, every action of that funder that
        # commits an audit event waited for the export, or deadlocked with it (also in batch_mark_paid).
        batch = PayoutBatch.objects.select_for_update(of=("self",)).select_related("funder").get(pk=batch.pk)
        require(actor, "grants.manage_finance", batch.funder)
        if batch.is_locked:
            raise ActionRefused(_("This batch has already been exported; it can no longer change."))
        if batch.status == PayoutBatch.Status.DISSOLVED:
            raise ActionRefused(_("This batch was dissolved; its payments are back in the queue for a new batch."))
        # Its payments are locked before they are counted and written: a revocation or settlement
        # cancelling one of them meanwhile left it in the bank's file (paid, while the books said
        # cancelled). Now the export waits for it, and the cancelled payment has left the batch.
        services.lock_batch_payments(batch)
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
        _audit_batch(
            batch,
            actor,
            "export_batch",
            from_state=PayoutBatch.Status.OPEN,
            data={
                "count": count,
                "total": str(total),
                "sha256": {fmt: batch.sha256_for(fmt) for fmt in ("csv", "xlsx", "sepa")},
                "execution_date": batch.execution_date.isoformat() if batch.execution_date else None,
                **({"execution_date_planned": planned.isoformat()} if planned else {}),
            },
        )
    return batch


def batch_dissolve(*, batch: PayoutBatch, actor) -> PayoutBatch:
    """Send an open batch's payments back to the queue (approved, in no batch) and close it unexported.

    A batch keeps the payees' bank details as they were when it was built, so an account the export
    refuses (no holder's name, no BIC for a bank outside the EEA) stays refused after an officer has
    corrected it: dissolved, the payments travel in the next batch with the details as they are then.
    """
    with transaction.atomic():
        batch = PayoutBatch.objects.select_for_update(of=("self",)).select_related("funder").get(pk=batch.pk)
        require(actor, "grants.manage_finance", batch.funder)
        if batch.status != PayoutBatch.Status.OPEN:
            raise ActionRefused(_("Only an open batch can be dissolved; this one has been exported or dissolved."))
        services.lock_batch_payments(batch)
        count, total = services.batch_totals(batch)
        batch.payments.update(batch=None, creditor_name="", creditor_iban="", creditor_bic="")
        batch.status = PayoutBatch.Status.DISSOLVED
        batch.save(update_fields=["status"])
        _audit_batch(
            batch,
            actor,
            "dissolve_batch",
            from_state=PayoutBatch.Status.OPEN,
            data={"count": count, "total": str(total)},
        )
    return batch


def _audit_batch(batch: PayoutBatch, actor, action: str, *, from_state: str, data: dict) -> None:
    """The batch's own event, in its funder's audit log: from `from_state` to the status it has now."""
    record_event(
        batch, actor=actor, action=action, from_state=from_state, to_state=batch.status, funder=batch.funder, data=data
    )


def _execution_date_still_ahead(batch: PayoutBatch) -> datetime.date | None:
    """Move an execution date that passed since the batch was built, or that is no banking day
    (a weekend, a TARGET2 holiday), to the first banking day on or after it (or today).

    batch_build refuses a date in the past, but a batch may wait days before it is exported,
    and the SEPA file must not ask the bank to execute on a day gone by or on a day it does not
    work (ReqdExctnDt): banks reject such a file or execute it later without saying so. Returns
    the planned date when it moved, so the audit event and the finance officer learn about it;
    None otherwise.
    """
    planned = batch.execution_date
    if planned is None:
        return None
    executes = banking_day_on_or_after(max(planned, timezone.localdate()))
    if executes == planned:
        return None
    batch.execution_date = executes
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
        batch = PayoutBatch.objects.select_for_update(of=("self",)).select_related("funder").get(pk=batch.pk)
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
        _audit_batch(
            batch,
            actor,
            "mark_batch_paid",
            from_state=PayoutBatch.Status.EXPORTED,
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
    asked to repay money that never reached it. The claim is a new recovery decision, whose letter
    names the new amount (the earlier letter's is no longer owed); it keeps what the earlier one
    followed (`data.revocation` or `data.settlement`).
    """
    open_recoveries = services.cancel_pending(application, actor=actor, reason=reason, kinds=(Payment.Kind.RECOVERY,))
    if not open_recoveries:
        return None
    earlier = open_recoveries[-1].decision
    target = Decimal("0.00") if services.grant_revoked(application) else application.settled_amount
    received = services.net_paid(application)
    owed = received - target
    if owed <= 0:
        return None
    followed = {key: value for key, value in (earlier.data or {}).items() if key in ("revocation", "settlement")}
    with translation.override("nl"):  # the letter is Dutch, whatever language finance uses the site in
        letter_reasons = _why_not_paid_again(application) or reason
    return _recover(
        application,
        actor=actor,
        amount=owed,
        target_amount=target,
        reasons=letter_reasons,
        data={**followed, "paid": str(received), "replaces_recovery": earlier.pk},
    )


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
