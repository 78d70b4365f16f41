"""What a teacher team does with its application."""

import contextlib
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import enqueue_on_commit
from grants import uploads
from grants.audit import record_event
from grants.models import Application, Extension, InformationRequest, Objection, Team
from grants.terms import objection_decision_due

from ..exceptions import ActionRefused
from ..states import ApplicationStatus
from ..transitions import perform, refusals
from .base import lock_application, require
from .decisions import cancel_prepared_decisions, extra_budget_refusal


def application_create(*, team: Team, scheme, actor, **fields) -> Application:
    require(actor, "grants.act_for_team", team)
    with transaction.atomic():
        return _create(team, scheme, actor, **fields)


def _create(team: Team, scheme, actor, **fields) -> Application:
    application = Application.objects.create(team=team, scheme=scheme, created_by=actor, **fields)
    record_event(application, actor=actor, action="create", to_state=application.status)
    return application


def application_open_draft(*, team: Team, scheme, actor) -> tuple[Application, bool]:
    """The team's draft of this scheme that nothing was entered in yet, if there is one, else a new one;
    and whether it is new. A double click on "start", or a second tab, makes no second empty draft."""
    require(actor, "grants.act_for_team", team)
    with transaction.atomic():
        # Two clicks at once wait for each other here; the second finds the first one's draft.
        list(Team.objects.select_for_update().filter(pk=team.pk).values("pk"))
        empty = _empty_drafts(team, scheme).first()
        if empty is not None:
            return empty, False
        return _create(team, scheme, actor), True


def _empty_drafts(team: Team, scheme):
    return Application.objects.filter(
        team=team,
        scheme=scheme,
        status=ApplicationStatus.DRAFT,
        title="",
        summary="",
        goals="",
        budget_lines__isnull=True,
        pledges__isnull=True,
        schools__isnull=True,
        partners__isnull=True,
        attachments__isnull=True,
    ).order_by("-created_at", "-pk")


def application_submit(*, application: Application, actor) -> Application:
    from documents.tasks import send_submission_receipt
    from grants.portal.tasks import send_pledge_links

    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.act_for_team", application)
        perform(application, "submit", actor=actor)
        enqueue_on_commit(send_submission_receipt, application.pk)
        # Each co-funder with a contact address gets its personal link to confirm (once per pledge).
        enqueue_on_commit(send_pledge_links, application.pk)
    return application


def application_answer_information_request(*, application: Application, actor, answer: str) -> Application:
    """The team answers the officer's request and the application goes back in."""
    from grants.portal.tasks import send_pledge_links

    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.act_for_team", application)
        problems = refusals(application, "resubmit")
        if not answer.strip():
            problems.insert(0, _("Write an answer to the request for information."))
        if problems:
            raise ActionRefused(problems)
        request = (
            InformationRequest.objects.select_for_update()
            .filter(application=application, answered_at__isnull=True)
            .first()
        )
        if request is not None:
            request.answer, request.answered_by, request.answered_at = answer, actor, timezone.now()
            request.save(update_fields=["answer", "answered_by", "answered_at"])
        perform(application, "resubmit", actor=actor, reason=answer)
        # A pledge added while answering gets its link too; links already sent are not sent again.
        enqueue_on_commit(send_pledge_links, application.pk)
    return application


def application_withdraw(*, application: Application, actor, reason: str = "") -> Application:
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.act_for_team", application)
        perform(application, "withdraw", actor=actor, reason=reason)
        # A decision prepared for a withdrawn application can never be taken; it no longer
        # reserves budget either (grants.selectors.funder_figures).
        cancel_prepared_decisions(application, actor=actor, why="withdrawn")
    return application


def application_start(*, application: Application, actor) -> Application:
    """The project starts; the scheme's interim and final reports are scheduled with their due dates."""
    from .deadlines import schedule_reports

    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.act_for_team", application)
        perform(application, "start", actor=actor)
        schedule_reports(application, actor=actor)
    return application


def application_request_extension(
    *, application: Application, actor, motivation: str, new_end_date: datetime.date, extra_amount=0
) -> Extension:
    from grants.models import add_months

    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.act_for_team", application)
        problems = refusals(application, "request_extension")
        if not motivation.strip():
            problems.append(_("Explain why the project should be extended."))
        if application.project_end and new_end_date <= application.project_end:
            problems.append(_("The new end date must be after the current end date."))
        limit = (
            add_months(application.project_end, application.scheme.max_extension_months)
            if application.project_end
            else None
        )
        if limit and new_end_date > limit:
            problems.append(
                _("The scheme allows an extension of at most %(months)s months.")
                % {"months": application.scheme.max_extension_months}
            )
        if extra_amount < 0:
            problems.append(_("Extra budget cannot be negative."))
        problems += filter(None, [extra_budget_refusal(application, extra_amount)])
        if problems:
            raise ActionRefused(problems)
        perform(application, "request_extension", actor=actor, reason=motivation)
        extension = Extension.objects.create(
            application=application,
            motivation=motivation,
            new_end_date=new_end_date,
            extra_amount=extra_amount,
            requested_by=actor,
        )
    return extension


def application_submit_final_report(*, application: Application, actor) -> Application:
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.act_for_team", application)
        perform(application, "submit_final_report", actor=actor)
    return application


def application_object(
    *,
    application: Application,
    actor,
    grounds: str,
    received_on: datetime.date | None = None,
    objector: str = "",
    objector_email: str = "",
    upload=None,
) -> Objection:
    """Lodge an objection (bezwaar) against the latest decision, within six weeks.

    The team lodges it in the portal: received today. An objection that came by post or e-mail
    is registered by an officer with `received_on` (the period is checked against that day, and
    the decision term runs from it), `objector` (who objected, in their words: the team, a third
    party), where to write to an objector other than the team (`objector_email`) and optionally the
    scanned letter (`upload`, checked like every upload). Both take
    the same transition; the audit event's actor is who lodged or registered it. Either way the
    team's contact gets the written acknowledgement of receipt (Awb 6:14) once it is committed.
    """
    from documents.tasks import send_objection_receipt

    registered = received_on is not None
    kind = uploads.checked_kind(upload) if upload is not None else None
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application" if registered else "grants.act_for_team", application)
        today = timezone.localdate()
        received = received_on or today
        application.objection_received_on = received  # the day `within_objection_period` checks
        name = application.objection_transition  # the award or extension of a running project: it keeps running
        problems = refusals(application, name)
        if received > today:
            problems.append(_("The date of receipt cannot be in the future."))
        if registered and not objector.strip():
            problems.append(_("Say who objected (the team, or who else)."))
        if not grounds.strip():
            problems.append(_("State the grounds of the objection."))
        if problems:
            raise ActionRefused(problems)
        # The decision objected to is the latest one open to objection (the guard's), not e.g. an
        # information request.
        decision = application.objectable_decision
        data = {"decision": decision.pk}
        if registered:
            data.update(received_on=received.isoformat(), objector=objector.strip())
        stored = (
            uploads.attachment_added(
                upload,
                kind,
                application=application,
                actor=actor,
                description=_("Objection letter"),
                audit={"objection_letter": True},
            )
            if upload is not None
            else contextlib.nullcontext()
        )
        with stored as letter:
            perform(application, name, actor=actor, reason=grounds, data=data)
            objection = Objection.objects.create(
                application=application,
                decision=decision,
                grounds=grounds,
                submitted_by=actor,
                received_on=received_on,
                objector=objector.strip(),
                objector_email=objector_email.strip(),
                letter=letter,
                due_date=objection_decision_due(
                    decision.objection_term_from(), committee=application.scheme.funder.objection_committee
                ),
            )
        enqueue_on_commit(send_objection_receipt, objection.pk)
    return objection
