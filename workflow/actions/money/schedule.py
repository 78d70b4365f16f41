"""The payments a decision brings: the advance on award, the remainder or recovery on settlement,
and what an objection or a revocation changes in them."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from finance import services
from finance.models import Payment
from grants.audit import record_event
from grants.models import Application, AuditEvent, Decision
from grants.money import format_euro, share_of
from workflow.states import DecisionKind, PaymentStatus

from ..screening import take_decision

P = PaymentStatus


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
    if decision.kind == DecisionKind.SETTLEMENT:
        # Its letter states what was paid and so what is paid out or recovered (Awb 4:86).
        decision.data = {**(decision.data or {}), "paid": str(net_paid)}
        decision.save(update_fields=["data"])
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
            reasons=letter_text(
                gettext_noop("The grant was settled at %(settled)s; %(paid)s was paid."),
                settled=format_euro(settled, "nl"),
                paid=format_euro(net_paid, "nl"),
            ),
            data={
                "settlement": decision.pk,
                "settled": str(settled),
                "paid": str(net_paid),
                # Taken with a decision on objection: part of it, so appeal, not objection (letter, guard).
                **({"on_objection": True} if decision.kind == DecisionKind.OBJECTION_OVERTURNED else {}),
            },
        )
    return None


def letter_text(message: str, **values) -> str:
    """A reason the letter prints: Dutch, whatever language the officer who acted uses the site in."""
    with translation.override("nl"):
        return _(message) % values


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
        reasons=letter_text(
            gettext_noop("The grant award was revoked; %(paid)s was paid."), paid=format_euro(net_paid, "nl")
        ),
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
