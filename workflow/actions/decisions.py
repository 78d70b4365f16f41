"""Award and rejection: the officer prepares, a different person decides (four eyes).

The budget ceiling is checked while the scheme's row is locked, so two deciders
deciding at the same moment are serialised and can never overrun it together.
Locks are always taken scheme first, then application, so they cannot deadlock.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents.services import issue_letter
from grants.audit import record_event
from grants.models import AllocationMethod, Application, Decision, Scheme
from grants.money import format_euro
from grants.selectors import committed_amount
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus

from ..exceptions import ActionRefused, PermissionRefused
from ..transitions import perform, refusals
from .base import lock_application, require
from .money import payment_schedule_advance

PREPARABLE = {
    DecisionKind.AWARD: "award",
    DecisionKind.REJECTION: "reject",
    # First come, first served: once the ceiling is spent, what is left is rejected for it (Awb 4:25).
    DecisionKind.CEILING_REJECTION: "reject",
}
REVIEW_NOT_COMPLETE = (ApplicationStatus.SUBMITTED, ApplicationStatus.INFO_REQUESTED, ApplicationStatus.IN_REVIEW)


def status_refusals(application: Application, kind: str) -> list[str]:
    """Why the application's status keeps a decision of `kind` from being taken now, and what must
    happen first: the transition's own refusal ("not possible while …") says only what is wrong."""
    problems = refusals(application, PREPARABLE[kind])
    if not problems:
        return []
    if application.status in REVIEW_NOT_COMPLETE:
        problems.append(_("A decision can be prepared once the review is complete."))
    elif kind == DecisionKind.AWARD and application.status == ApplicationStatus.REVIEWED:
        problems.append(_("Start the co-funding check first: an award is taken after it."))
    return problems


def decision_prepare(
    *,
    application: Application,
    actor,
    kind: str,
    amount: Decimal | None = None,
    reasons: str = "",
    conditions: str = "",
) -> Decision:
    """The officer drafts an award or rejection for a decider to take."""
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        problems = []
        if kind not in PREPARABLE:
            problems.append(_("Only an award or a rejection can be prepared."))
        else:
            # Only what a decider can take as it stands: an award prepared in `reviewed` was refused
            # at the take button, after the officer had been told it was ready.
            problems += status_refusals(application, kind)
        if kind == DecisionKind.AWARD:
            if amount is None or amount <= 0:
                problems.append(_("Enter the amount to award."))
            elif amount > application.requested_amount:
                problems.append(
                    _("The award cannot exceed the requested amount of %(amount)s.")
                    % {"amount": format_euro(application.requested_amount)}
                )
        if kind == DecisionKind.REJECTION and not reasons.strip():
            problems.append(_("Give the reasons for the rejection."))
        if kind == DecisionKind.CEILING_REJECTION:
            problems += filter(None, [ceiling_not_spent(application)])
        if kind == DecisionKind.AWARD:
            problems += filter(None, [ranking_refusal(application)])
        if problems:
            raise ActionRefused(problems)
        cancel_prepared_decisions(application, actor=actor, kinds=PREPARABLE, why="replaced")
        decision = Decision.objects.create(
            application=application,
            kind=kind,
            amount=amount if kind == DecisionKind.AWARD else None,
            reasons=reasons,
            conditions=conditions,
            prepared_by=actor,
        )
        record_event(
            decision,
            actor=actor,
            action="prepare_decision",
            to_state=decision.status,
            application=application,
            data={"kind": kind, "amount": str(amount or "")},
        )
    return decision


def cancel_prepared_decisions(
    application: Application, *, actor, why: str, kinds=None, data: dict | None = None
) -> list[Decision]:
    """Cancel the application's prepared decisions (of `kinds`; all when None), one audit event each.

    A prepared decision that can no longer be taken as it stands is cancelled, never deleted,
    and the audit log says who cancelled which one and why: ``why`` is a short code kept in the
    event's data ("replaced" by a new preparation, "withdrawn" application, "deviated": the
    decider took another decision, "ranking_round": the round decided). Call it inside the
    action's transaction with the application locked.
    """
    prepared = application.decisions.select_for_update().filter(status=DecisionStatus.PREPARED)
    if kinds is not None:
        prepared = prepared.filter(kind__in=list(kinds))
    cancelled = list(prepared.order_by("pk"))
    for decision in cancelled:
        decision.status = DecisionStatus.CANCELLED
        decision.save(update_fields=["status"])
        record_event(
            decision,
            actor=actor,
            action="cancel_decision",
            from_state=DecisionStatus.PREPARED,
            to_state=DecisionStatus.CANCELLED,
            application=application,
            data={"kind": decision.kind, "why": why, **(data or {})},
        )
    return cancelled


def ranking_refusal(application: Application) -> str | None:
    """A scheme that allocates by ranking compares every application after its close date, so no
    award is taken one by one before then. After it the ranking round decides; a single award stays
    possible for what comes after the round (the next in line when an awardee withdraws, say)."""
    scheme = application.scheme
    if scheme.allocation_method == AllocationMethod.RANKING and timezone.localdate() <= scheme.closes_on:
        return _(
            "The scheme %(scheme)s awards by ranking: no award is taken before its close date of "
            "%(date)s; then the ranking round compares every application."
        ) % {"scheme": scheme.name, "date": date_format(scheme.closes_on, "j F Y")}
    return None


def extra_budget_refusal(application: Application, extra_amount) -> str | None:
    """With its extra budget, an extended project stays within the scheme's maximum per application."""
    maximum = application.scheme.max_per_application
    awarded = application.awarded_amount or 0
    if extra_amount and maximum and awarded + extra_amount > maximum:
        return _(
            "With the extra budget the grant would be %(total)s, more than the scheme's maximum of "
            "%(maximum)s per application; at most %(left)s extra is possible."
        ) % {
            "total": format_euro(awarded + extra_amount),
            "maximum": format_euro(maximum),
            "left": format_euro(max(maximum - awarded, 0)),
        }
    return None


def ceiling_not_spent(application: Application) -> str | None:
    """Why a rejection for a spent ceiling (Awb 4:25) does not hold: a ranking round decides those
    in its own schemes, and the ceiling must leave too little for this application."""
    scheme = application.scheme
    if scheme.allocation_method == AllocationMethod.RANKING:
        return _("In a scheme that ranks, the ranking round rejects what no longer fits the ceiling.")
    remaining = scheme.budget_ceiling - committed_amount(scheme)
    if remaining >= application.requested_amount:
        return _("The ceiling is not spent: %(remaining)s remains, enough for the requested %(requested)s.") % {
            "remaining": format_euro(remaining),
            "requested": format_euro(application.requested_amount),
        }
    return None


def ceiling_refusal(scheme: Scheme, amount: Decimal) -> str | None:
    """Why awarding `amount` would overrun the scheme's ceiling; call with the scheme locked."""
    committed = committed_amount(scheme)
    if committed + amount > scheme.budget_ceiling:
        return _(
            "The budget ceiling of %(ceiling)s would be exceeded: %(committed)s is already awarded, "
            "%(remaining)s remains."
        ) % {
            "ceiling": format_euro(scheme.budget_ceiling),
            "committed": format_euro(committed),
            "remaining": format_euro(max(scheme.budget_ceiling - committed, Decimal("0"))),
        }
    return None


def cofunding_refusal(application: Application, amount: Decimal) -> str | None:
    required = application.required_cofunding(amount)
    confirmed = application.confirmed_cofunding()
    if confirmed < required:
        return _("Confirmed co-funding is %(confirmed)s; this award needs at least %(required)s.") % {
            "confirmed": format_euro(confirmed),
            "required": format_euro(required),
        }
    return None


def four_eyes_refusal(decision: Decision, actor) -> str | None:
    if decision.prepared_by_id == actor.pk:
        return _("You prepared this decision; another decider must take it (four eyes).")
    if decision.application.reviews.filter(reviewer=actor).exists():
        return _("You reviewed this application, so you cannot decide on it.")
    return None


def decision_take(*, decision: Decision, actor) -> Decision:
    """The decider awards or rejects as prepared. Awards are checked against the ceiling."""
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=decision.application.scheme_id)
        application = lock_application(decision.application_id)
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        refusal = taker_refusal(decision, application, actor)
        if refusal:
            raise PermissionRefused(refusal)
        transition = PREPARABLE.get(decision.kind)
        if decision.status != DecisionStatus.PREPARED:
            # A cancelled decision: the application's own refusal says why when it has one (the team
            # withdrew, it was declared ineligible), not just "replaced".
            cancelled_because = (
                refusals(application, transition) if transition and decision.status == DecisionStatus.CANCELLED else []
            )
            raise ActionRefused(cancelled_because or _("This decision has already been taken or was replaced."))
        problems = take_refusals(decision, application, scheme)
        if problems:
            raise ActionRefused(problems)
        kwargs = {"amount": decision.amount} if decision.kind == DecisionKind.AWARD else {}
        perform(
            application,
            transition,
            actor=actor,
            reason=decision.reasons,
            kwargs=kwargs,
            data={"decision": decision.pk, "amount": str(decision.amount or "")},
        )
        _mark_taken(decision, actor)
        if decision.kind == DecisionKind.AWARD:
            payment_schedule_advance(application, actor=actor, decision=decision)
    return decision


def taker_refusal(decision: Decision, application: Application, actor) -> str | None:
    """Why `actor` may not take `decision` (four eyes, a reviewer of it, no decider); None when they may."""
    refusal = four_eyes_refusal(decision, actor) if actor is not None else None
    if refusal is None and (actor is None or not actor.has_perm("grants.decide_application", application)):
        refusal = _("You are not allowed to do this.")
    return refusal


def take_refusals(decision: Decision, application: Application, scheme: Scheme) -> list[str]:
    """Why the prepared `decision` cannot be taken now, whoever takes it; empty when it can.

    `decision_take` asks under its locks; the workbench asks the same to show the decider these
    reasons instead of a button that would only be refused.
    """
    if decision.kind not in PREPARABLE:
        # Extensions and revocations have their own actions (extension_decide, application_revoke).
        return [_("Only an award or a rejection is taken here.")]
    problems = status_refusals(application, decision.kind)
    if problems:
        return problems
    if decision.kind == DecisionKind.AWARD:
        candidates = (
            ranking_refusal(application),
            cofunding_refusal(application, decision.amount),
            ceiling_refusal(scheme, decision.amount),
        )
        return [message for message in candidates if message]
    if decision.kind == DecisionKind.CEILING_REJECTION:
        # Budget may have come free since it was prepared (a withdrawal): then it is no reason.
        return list(filter(None, [ceiling_not_spent(application)]))
    return []


def _mark_taken(decision: Decision, actor) -> None:
    record_taken(decision, actor)
    issue_letter(decision)


def record_taken(decision: Decision, actor, *, data: dict | None = None) -> None:
    """Stamp a prepared decision taken by `actor` and write its take_decision event.

    The caller queues the letter: one by one (`_mark_taken`), or a ranking round in its batch.
    """
    now = timezone.now()
    decision.status = DecisionStatus.TAKEN
    decision.decided_by = actor
    decision.decided_at = now
    decision.letter_date = timezone.localdate(now)
    decision.save(update_fields=["status", "decided_by", "decided_at", "letter_date"])
    record_event(
        decision,
        actor=actor,
        action="take_decision",
        from_state=DecisionStatus.PREPARED,
        to_state=DecisionStatus.TAKEN,
        application=decision.application,
        data=data,
    )
