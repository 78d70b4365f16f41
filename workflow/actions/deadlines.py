"""Actions of the Awb calendar: report duties, extension and revocation preparation,
the objection term, and settlement on the funder's own initiative.

Same pattern as every action: atomic, row locks (scheme before application), the
actor's permission, audit events, side effects after commit.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import enqueue_on_commit
from grants.audit import record_event
from grants.models import Application, Decision, Extension, Objection, Report
from grants.terms import extended_to_working_day
from workflow.states import (
    ApplicationStatus,
    DecisionKind,
    DecisionStatus,
    ExtensionStatus,
    ObjectionStatus,
    ReportStatus,
)

from .. import deadlines
from ..exceptions import ActionRefused
from ..transitions import refusals
from .base import lock, lock_application, require
from .decisions import _mark_taken, cancel_prepared_decisions

EXTENSION_KINDS = (DecisionKind.EXTENSION_GRANTED, DecisionKind.EXTENSION_DENIED)


# --- Report duties -------------------------------------------------------------------------------


def schedule_reports(application: Application, *, actor) -> list[Report]:
    """Create the scheme's reports for a started project, or move their due dates with its dates.

    Call inside the action's transaction with the application locked. Reports already
    submitted or assessed keep their date; a due report follows the project.
    """
    reports = []
    for kind, due_date in deadlines.report_due_dates(application).items():
        report = application.reports.select_for_update().filter(kind=kind).order_by("pk").first()
        if report is None:
            report = Report.objects.create(application=application, kind=kind, due_date=due_date)
            record_event(
                report,
                actor=actor,
                action="schedule_report",
                to_state=report.status,
                application=application,
                data={"kind": kind, "due_date": due_date.isoformat()},
            )
        elif report.status == ReportStatus.DUE and report.due_date != due_date:
            previous, report.due_date = report.due_date, due_date
            report.save(update_fields=["due_date"])
            record_event(
                report,
                actor=actor,
                action="reschedule_report",
                application=application,
                data={"kind": kind, "from": previous.isoformat(), "to": due_date.isoformat()},
            )
        reports.append(report)
    return reports


# --- Extension: the officer prepares, a decider decides ------------------------------------------


def extension_prepare(*, extension: Extension, actor, recommend_grant: bool, reasons: str) -> Decision:
    """The officer recommends granting or refusing an extension; another person decides (four eyes)."""
    with transaction.atomic():
        application = lock_application(extension.application_id)
        extension = lock(extension)
        require(actor, "grants.screen_application", application)
        problems = []
        if extension.status != ExtensionStatus.REQUESTED or application.status != ApplicationStatus.EXTENSION_REQUESTED:
            problems.append(_("This extension request has already been decided."))
        if not reasons.strip():
            problems.append(_("Explain your recommendation."))
        if problems:
            raise ActionRefused(problems)
        cancel_prepared_decisions(application, actor=actor, kinds=EXTENSION_KINDS, why="replaced")
        decision = Decision.objects.create(
            application=application,
            kind=DecisionKind.EXTENSION_GRANTED if recommend_grant else DecisionKind.EXTENSION_DENIED,
            amount=extension.extra_amount if recommend_grant else None,
            reasons=reasons,
            prepared_by=actor,
            data={"extension": extension.pk, "new_end_date": extension.new_end_date.isoformat()},
        )
        record_event(
            decision,
            actor=actor,
            action="prepare_decision",
            to_state=decision.status,
            application=application,
            data={"kind": decision.kind, "extension": extension.pk},
        )
    return decision


def prepared_decision(application: Application, kinds) -> Decision | None:
    return (
        application.decisions.select_for_update()
        .filter(status=DecisionStatus.PREPARED, kind__in=list(kinds))
        .order_by("-prepared_at", "-pk")
        .first()
    )


def finish_prepared_decision(application, prepared: Decision | None, *, kind, actor, **fields) -> Decision:
    """Take the officer's prepared decision as the decider; a decider who deviates takes a new one.

    Either way the decision gets its letter; a replaced recommendation is cancelled, not deleted.
    """
    from .screening import take_decision

    if prepared is not None and prepared.kind == kind:
        for name, value in fields.items():
            setattr(prepared, name, value)
        prepared.save(update_fields=list(fields))
        _mark_taken(prepared, actor)
        return prepared
    if prepared is not None:
        cancel_prepared_decisions(application, actor=actor, kinds=[prepared.kind], why="deviated")
    return take_decision(application, kind=kind, actor=actor, **fields)


# --- Revocation: the officer prepares, a decider revokes -----------------------------------------


def revocation_prepare(*, application: Application, actor, reasons: str) -> Decision:
    """The officer proposes to revoke an award whose conditions were breached (Awb 4:48)."""
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        problems = refusals(application, "revoke")
        if not reasons.strip():
            problems.append(_("Give the reasons for the revocation."))
        if problems:
            raise ActionRefused(problems)
        cancel_prepared_decisions(application, actor=actor, kinds=[DecisionKind.REVOCATION], why="replaced")
        decision = Decision.objects.create(
            application=application, kind=DecisionKind.REVOCATION, reasons=reasons, prepared_by=actor
        )
        record_event(
            decision,
            actor=actor,
            action="prepare_decision",
            to_state=decision.status,
            application=application,
            data={"kind": DecisionKind.REVOCATION},
        )
    return decision


# --- Objection term ---------------------------------------------------------------------------------


def objection_extend_term(*, objection: Objection, actor, reasons: str) -> Objection:
    """Postpone the decision on an objection once, by six weeks, before its term ends (Awb 7:10 lid 3)."""
    from ..tasks import send_objection_term_extended

    with transaction.atomic():
        application = lock_application(objection.application_id)
        objection = lock(objection)
        require(actor, "grants.screen_application", application)
        problems = []
        if objection.status != ObjectionStatus.OPEN:
            problems.append(_("This objection has already been decided."))
        elif objection.term_extended:
            problems.append(_("The term for deciding on this objection has already been extended once."))
        elif objection.due_date < timezone.localdate():
            problems.append(_("The term for deciding on this objection has already run out."))
        if not reasons.strip():
            problems.append(_("Give the reason for postponing the decision."))
        if problems:
            raise ActionRefused(problems)
        previous = objection.due_date
        objection.due_date = extended_to_working_day(previous + deadlines.OBJECTION_TERM_EXTENSION)
        objection.term_extended = True
        objection.save(update_fields=["due_date", "term_extended"])
        record_event(
            objection,
            actor=actor,
            action="extend_objection_term",
            reason=reasons,
            application=application,
            data={"from": previous.isoformat(), "to": objection.due_date.isoformat()},
        )
        enqueue_on_commit(send_objection_term_extended, objection.pk, reasons)
    return objection


# --- Settlement on the funder's own initiative ------------------------------------------------------


def application_settle_without_report(*, application: Application, actor, amount: Decimal, reasons: str) -> Application:
    """Settle (ambtshalve vaststellen) a project whose final report never came (Awb 4:47).

    Possible once the final report is overdue (guard ``final_report_overdue_or_submitted``);
    the amount is what the officer can establish without the report, usually nil.
    """
    from .aftercare import application_settle

    with transaction.atomic():
        application = lock_application(application)
        problems = []
        if application.status != ApplicationStatus.ACTIVE:
            problems.append(_("Settlement on the funder's own initiative is only for running projects."))
        if not reasons.strip():
            problems.append(_("Explain why the grant is settled without a final report."))
        if problems:
            raise ActionRefused(problems)
        return application_settle(
            application=application,
            actor=actor,
            amount=amount,
            reasons=reasons,
            data={"own_initiative": True, "final_report_due": str(application.final_report_due_date)},
        )


__all__ = [
    "application_settle_without_report",
    "extension_prepare",
    "objection_extend_term",
    "revocation_prepare",
    "schedule_reports",
]
