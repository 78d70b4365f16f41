"""Deciding an objection (bezwaar, Awb 7:11): uphold or overturn, never to the objector's detriment;
while a project runs for its award or extension decision, through the `objection` state otherwise."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from grants.models import Application, Objection, Scheme
from grants.money import format_euro
from workflow.states import (
    COMMITTED_STATES,
    EXTENSION_DECISION_KINDS,
    OBJECTABLE_WHILE_RUNNING_STATES,
    OVERTURNED_STATE,
    ApplicationStatus,
    DecisionKind,
    ObjectionStatus,
)

from ..exceptions import ActionRefused
from ..transitions import perform, refusals
from .aftercare import _extension_granted, _extra_budget_refusals
from .base import lock, lock_application, require
from .decisions import ceiling_refusal
from .money import (
    payment_effects,
    payment_schedule_advance,
    payments_after_award_raised,
    payments_after_revocation_undone,
    payments_after_settlement_changed,
)
from .screening import take_decision


def _objection_decision_problems(application, objection, transition: str, reasons: str) -> list[str]:
    """What stops a decision on an objection, whichever transition decides it."""
    problems = refusals(application, transition)
    if objection.status != ObjectionStatus.OPEN:
        problems.append(_("This objection has already been decided."))
    if not reasons.strip():
        problems.append(_("Give the reasons for the decision on the objection."))
    return problems


def objection_decide(
    *, objection: Objection, actor, overturn: bool, reasons: str, amount: Decimal | None = None
) -> Objection:
    """Decide an objection: uphold the decision, or overturn it, never to the objector's detriment.

    A rejection overturned becomes an award of `amount` (default: the requested amount). An award
    overturned stays an award, raised to `amount`: more than the current award, at most the
    requested amount (Awb: no reformatio in peius); a settlement is settled again at `amount`,
    more than before and at most the award, with the remainder or recovery recomputed. What
    comes under the ceiling (a new award, a raise, a revocation undone) is checked against it
    like any award, with the scheme locked first. The payments follow the new decision, and its
    data tells the letter how.
    """
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=objection.application.scheme_id)
        application = lock_application(objection.application_id)
        objection = lock(objection)
        require(actor, "grants.decide_application", application)
        if objection.decision.kind in EXTENSION_DECISION_KINDS:
            return _decide_objection_on_extension(
                scheme, application, objection, actor=actor, overturn=overturn, reasons=reasons
            )
        if objection.decision.kind == DecisionKind.AWARD and application.status in OBJECTABLE_WHILE_RUNNING_STATES:
            return _decide_objection_on_running_award(
                scheme, application, objection, actor=actor, overturn=overturn, reasons=reasons, amount=amount
            )
        name = "overturn" if overturn else "uphold"
        problems = _objection_decision_problems(application, objection, name, reasons)
        previous = application.status_before_objection
        previous_amount, previous_settled = application.awarded_amount, application.settled_amount
        kwargs = {}
        if overturn and not problems:
            if previous == ApplicationStatus.REJECTED and amount is None:
                amount = application.requested_amount
            if previous in (ApplicationStatus.REJECTED, ApplicationStatus.AWARDED):
                kwargs["amount"] = amount
                problems.extend(_new_award_refusals(application, previous, amount))
            elif previous == ApplicationStatus.SETTLED:
                kwargs["amount"] = amount
                problems.extend(_new_settlement_refusals(application, amount))
            if not problems:
                refusal = _ceiling_refusal_after_overturn(scheme, application, previous, amount)
                if refusal:
                    problems.append(refusal)
        if problems:
            raise ActionRefused(problems)
        perform(application, name, actor=actor, reason=reasons, kwargs=kwargs, data={"objection": objection.pk})
        decision = _objection_decided(
            application, objection, actor=actor, overturn=overturn, reasons=reasons, amount=kwargs.get("amount")
        )
        if overturn:
            effects = {}
            if previous == ApplicationStatus.REJECTED:  # a new award: its advance, as on award
                advance = payment_schedule_advance(application, actor=actor, decision=decision)
                effects = payment_effects(scheduled=[advance] if advance else [])
            elif previous == ApplicationStatus.AWARDED:
                effects = payments_after_award_raised(application, actor=actor, decision=decision)
            elif previous == ApplicationStatus.REVOKED:
                effects = payments_after_revocation_undone(application, actor=actor, decision=decision)
            elif previous == ApplicationStatus.SETTLED:
                effects = payments_after_settlement_changed(application, actor=actor, decision=decision)
                effects.update(previous_settled=str(previous_settled), settled=str(application.settled_amount))
            decision.data["overturn"] = {
                "from": previous,
                "to": application.status,
                **_award_change(previous_amount, application),
                **effects,
            }
            decision.save(update_fields=["data"])
    return objection


def _decide_objection_on_extension(
    scheme, application: Application, objection: Objection, *, actor, overturn: bool, reasons: str
) -> Objection:
    """An objection against the decision on the extension, decided while the project runs on.

    Upheld, nothing changes. Overturned, a refused extension is granted as the team asked it:
    the new end date, the due reports moved with it, the extra budget within the scheme's maximum
    and the ceiling (as `extension_decide` grants it). An extension granted was granted as asked:
    there is nothing to give the team instead, so that objection can only be upheld.
    """
    name = "overturn_during_project" if overturn else "uphold_during_project"
    problems = _objection_decision_problems(application, objection, name, reasons)
    extension = lock(application.extension)
    if overturn and not problems:
        if objection.decision.kind == DecisionKind.EXTENSION_GRANTED:
            problems.append(
                _(
                    "The extension was granted as the team asked; there is nothing to decide in its place, "
                    "so the objection can only be declared unfounded."
                )
            )
        else:
            problems += _extra_budget_refusals(scheme, application, extension)
    if problems:
        raise ActionRefused(problems)
    previous_end, previous_amount = application.project_end, application.awarded_amount
    kwargs = {"new_end": extension.new_end_date, "extra_amount": extension.extra_amount} if overturn else {}
    data = {"objection": objection.pk, "extension": extension.pk}
    perform(application, name, actor=actor, reason=reasons, kwargs=kwargs, data=data)
    if overturn:
        _extension_granted(application, extension, actor=actor)
    decision = _objection_decided(
        application,
        objection,
        actor=actor,
        overturn=overturn,
        reasons=reasons,
        amount=extension.extra_amount if overturn and extension.extra_amount else None,
    )
    if overturn:
        decision.data["overturn"] = {
            "from": DecisionKind.EXTENSION_DENIED.value,
            "to": application.status,
            "previous_end_date": previous_end.isoformat() if previous_end else None,
            "new_end_date": application.project_end.isoformat(),
            "extra_amount": str(extension.extra_amount) if extension.extra_amount else None,
            **_award_change(previous_amount, application),
        }
        decision.save(update_fields=["data"])
    return objection


def _decide_objection_on_running_award(
    scheme, application: Application, objection: Objection, *, actor, overturn: bool, reasons: str, amount
) -> Objection:
    """An objection against the award of a project the team has started, decided while it runs on.

    Upheld, nothing changes. Overturned, the award is raised to `amount`, as for an award not yet
    started: more than before, at most what was asked, within the ceiling; the advance follows.
    """
    name = "overturn_during_project" if overturn else "uphold_during_project"
    problems = _objection_decision_problems(application, objection, name, reasons)
    if overturn and not problems:
        problems += _new_award_refusals(application, ApplicationStatus.AWARDED, amount)
        if not problems:
            refusal = _ceiling_refusal_after_overturn(scheme, application, ApplicationStatus.AWARDED, amount)
            problems += [refusal] if refusal else []
    if problems:
        raise ActionRefused(problems)
    previous_amount = application.awarded_amount
    kwargs = {"amount": amount} if overturn else {}
    perform(application, name, actor=actor, reason=reasons, kwargs=kwargs, data={"objection": objection.pk})
    decision = _objection_decided(
        application, objection, actor=actor, overturn=overturn, reasons=reasons, amount=amount if overturn else None
    )
    if overturn:
        effects = payments_after_award_raised(application, actor=actor, decision=decision)
        decision.data["overturn"] = {
            "from": ApplicationStatus.AWARDED.value,
            "to": application.status,
            **_award_change(previous_amount, application),
            **effects,
        }
        decision.save(update_fields=["data"])
    return objection


def _objection_decided(application, objection: Objection, *, actor, overturn: bool, reasons: str, amount):
    """The objection's outcome, and the decision on it (whose letter goes to the team)."""
    objection.status = ObjectionStatus.OVERTURNED if overturn else ObjectionStatus.UPHELD
    objection.save(update_fields=["status"])
    return take_decision(
        application,
        kind=DecisionKind.OBJECTION_OVERTURNED if overturn else DecisionKind.OBJECTION_UPHELD,
        actor=actor,
        reasons=reasons,
        amount=amount,
        data={"objection": objection.pk},
    )


def _award_change(previous_amount, application: Application) -> dict:
    """The award before and after a decision on objection, as the decision's data keeps it (the letter reads it)."""

    def text(amount):
        return str(amount) if amount is not None else None

    return {"previous_amount": text(previous_amount), "amount": text(application.awarded_amount)}


def _new_award_refusals(application: Application, previous: str, amount: Decimal | None) -> list[str]:
    """An award that results from an objection: higher than the one objected to, at most what was asked."""
    problems = []
    current = application.awarded_amount or Decimal("0.00")
    if previous == ApplicationStatus.AWARDED:
        if amount is None:
            return [
                _(
                    "Enter the new amount: an objection against an award is overturned with a higher award "
                    "(at most the requested amount of %(requested)s)."
                )
                % {"requested": format_euro(application.requested_amount)}
            ]
        if amount <= current:
            problems.append(
                _(
                    "The new amount must be more than the current award of %(amount)s: a decision on an "
                    "objection may not leave the team worse off."
                )
                % {"amount": format_euro(current)}
            )
    if amount is not None and amount > application.requested_amount:
        problems.append(
            _("The new amount cannot be more than the requested amount of %(amount)s.")
            % {"amount": format_euro(application.requested_amount)}
        )
    return problems


def _new_settlement_refusals(application: Application, amount: Decimal | None) -> list[str]:
    """A settlement objected to is settled again higher, at most at the award."""
    current = application.settled_amount or Decimal("0.00")
    awarded = application.awarded_amount or Decimal("0.00")
    if amount is None:
        return [
            _(
                "Enter the new settled amount: an objection against a settlement is overturned with a higher "
                "settled amount (at most the award of %(awarded)s)."
            )
            % {"awarded": format_euro(awarded)}
        ]
    problems = []
    if amount <= current:
        problems.append(
            _(
                "The new settled amount must be more than the current %(amount)s: a decision on an objection "
                "may not leave the team worse off."
            )
            % {"amount": format_euro(current)}
        )
    if amount > awarded:
        problems.append(
            _("The settled amount cannot exceed the award of %(amount)s.") % {"amount": format_euro(awarded)}
        )
    return problems


def _ceiling_refusal_after_overturn(scheme, application: Application, previous: str, amount) -> str | None:
    """What an overturn adds to the ceiling: a new award, a raise, or an award back after a revocation."""
    target = OVERTURNED_STATE.get(previous)
    if target not in COMMITTED_STATES:
        return None
    if previous in COMMITTED_STATES:  # still counted: only the raise is new
        increase = (amount or Decimal("0.00")) - (application.awarded_amount or Decimal("0.00"))
    elif previous == ApplicationStatus.REJECTED:
        increase = amount
    else:
        increase = application.awarded_amount or Decimal("0.00")
    return ceiling_refusal(scheme, increase) if increase > 0 else None
