"""After the award: extension, final report, settlement, closing, revocation (objections: objections.py)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.models import Application, Extension, Scheme
from grants.money import format_euro
from workflow.states import (
    DecisionKind,
    ExtensionStatus,
)

from ..exceptions import ActionRefused, PermissionRefused
from ..transitions import perform, refusals
from .base import lock, lock_application, require
from .deadlines import (
    EXTENSION_KINDS,
    finish_prepared_decision,
    prepared_decision,
    schedule_reports,
)
from .decisions import ceiling_refusal, extra_budget_refusal, four_eyes_refusal
from .money import (
    payments_after_revocation,
    payments_after_settlement,
)
from .screening import take_decision


def extension_decide(*, extension: Extension, actor, grant: bool, reasons: str = "") -> Extension:
    """A decider grants or refuses the one-time extension an officer prepared (four eyes).

    Extra budget must fit the ceiling; granted, the due reports move with the new end date.
    """
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=extension.application.scheme_id)
        application = lock_application(extension.application_id)
        extension = lock(extension)
        prepared = prepared_decision(application, EXTENSION_KINDS)
        if prepared is not None and four_eyes_refusal(prepared, actor):
            raise PermissionRefused(four_eyes_refusal(prepared, actor))
        require(actor, "grants.decide_application", application)
        name = "grant_extension" if grant else "deny_extension"
        problems = refusals(application, name)
        if prepared is None and not problems:
            problems.append(_("An officer must first prepare the decision on this extension."))
        reasons = reasons.strip() or (prepared.reasons if prepared else "")
        if not grant and not reasons:
            problems.append(_("Give the reasons for refusing the extension."))
        if grant and not problems:
            problems += _extra_budget_refusals(scheme, application, extension)
        if problems:
            raise ActionRefused(problems)
        kwargs = {"new_end": extension.new_end_date, "extra_amount": extension.extra_amount} if grant else {}
        perform(application, name, actor=actor, reason=reasons, kwargs=kwargs, data={"extension": extension.pk})
        if grant:
            _extension_granted(application, extension, actor=actor)
        else:
            extension.status = ExtensionStatus.DENIED
            extension.save(update_fields=["status"])
        finish_prepared_decision(
            application,
            prepared,
            kind=DecisionKind.EXTENSION_GRANTED if grant else DecisionKind.EXTENSION_DENIED,
            actor=actor,
            reasons=reasons,
            amount=extension.extra_amount if grant else None,
            data={"extension": extension.pk, "new_end_date": extension.new_end_date.isoformat()},
        )
    return extension


def _extra_budget_refusals(scheme, application: Application, extension: Extension) -> list[str]:
    """Extra budget granted with an extension stays within the scheme's maximum and its ceiling."""
    if not extension.extra_amount:
        return []
    return [
        refusal
        for refusal in (
            extra_budget_refusal(application, extension.extra_amount),
            ceiling_refusal(scheme, extension.extra_amount),
        )
        if refusal
    ]


def _extension_granted(application: Application, extension: Extension, *, actor) -> None:
    """After the transition that prolonged the project: the extension is granted, due reports move."""
    extension.status = ExtensionStatus.GRANTED
    extension.save(update_fields=["status"])
    schedule_reports(application, actor=actor)


def application_return_report(*, application: Application, actor, comment: str) -> Application:
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.assess_report", application)
        if not comment.strip():
            raise ActionRefused(_("Tell the team what to improve in the report."))
        perform(application, "return_report", actor=actor, reason=comment)
    return application


def application_settle(
    *, application: Application, actor, amount: Decimal, reasons: str = "", data: dict | None = None
) -> Application:
    """Fix the final grant (vaststelling). The amount follows the settlement calculation."""
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        problems = refusals(application, "settle")
        if amount < 0:
            problems.append(_("The settled amount cannot be negative."))
        if application.awarded_amount is not None and amount > application.awarded_amount:
            problems.append(
                _("The settled amount cannot exceed the award of %(amount)s.")
                % {"amount": format_euro(application.awarded_amount)}
            )
        if problems:
            raise ActionRefused(problems)
        perform(
            application,
            "settle",
            actor=actor,
            reason=reasons,
            kwargs={"amount": amount},
            data={"amount": str(amount), **(data or {})},
        )
        decision = take_decision(
            application, kind=DecisionKind.SETTLEMENT, actor=actor, amount=amount, reasons=reasons, data=data or {}
        )
        payments_after_settlement(application, actor=actor, decision=decision)
    return application


def application_close(*, application: Application, actor) -> Application:
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        perform(application, "close", actor=actor)
    return application


def application_revoke(*, application: Application, actor, reasons: str = "") -> Application:
    """A decider revokes an award as an officer prepared it (four eyes); recovery of what was paid follows."""
    with transaction.atomic():
        application = lock_application(application)
        prepared = prepared_decision(application, [DecisionKind.REVOCATION])
        if prepared is not None and four_eyes_refusal(prepared, actor):
            raise PermissionRefused(four_eyes_refusal(prepared, actor))
        require(actor, "grants.decide_application", application)
        problems = refusals(application, "revoke")
        if prepared is None and not problems:
            problems.append(_("An officer must first prepare the revocation."))
        reasons = reasons.strip() or (prepared.reasons if prepared else "")
        if not reasons:
            problems.append(_("Give the reasons for the revocation."))
        if problems:
            raise ActionRefused(problems)
        perform(application, "revoke", actor=actor, reason=reasons)
        decision = finish_prepared_decision(
            application,
            prepared,
            kind=DecisionKind.REVOCATION,
            actor=actor,
            reasons=reasons,
            data={"revoked_on": timezone.localdate().isoformat()},
        )
        payments_after_revocation(application, actor=actor, decision=decision)
    return application
