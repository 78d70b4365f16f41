"""What an officer does before the decision: screen, ask, assign, move to review."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.services import issue_letter
from grants.audit import record_event
from grants.models import Application, Decision, InformationRequest, Review, User
from grants.rules import organisations_in_conflict, roles_of
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus, Role

from ..exceptions import ActionRefused
from ..transitions import perform, refusals, state_label
from .base import lock_application, require


def take_decision(application, *, kind, actor, decided_by=None, **fields) -> Decision:
    """Record a decision that needs no second pair of eyes, and queue its letter."""
    now = timezone.now()
    decision = Decision.objects.create(
        application=application,
        kind=kind,
        status=DecisionStatus.TAKEN,
        prepared_by=actor,
        decided_by=decided_by or actor,
        decided_at=now,
        letter_date=timezone.localdate(now),
        **fields,
    )
    issue_letter(decision)
    return decision


def application_confirm_eligibility(*, application: Application, actor, checklist: dict | None = None):
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        if application.status != ApplicationStatus.SUBMITTED:
            # Screening is done while submitted (the workbench offers the checklist only then); a page
            # left open while the team withdrew, or a colleague declared it ineligible, must not mark it.
            raise ActionRefused(
                _("“%(action)s” is not possible while the status is “%(status)s”.")
                % {"action": _("Confirm eligibility"), "status": state_label(application, application.status)}
            )
        application.eligibility_confirmed_at = timezone.now()
        application.eligibility_confirmed_by = actor
        application.save(update_fields=["eligibility_confirmed_at", "eligibility_confirmed_by", "updated_at"])
        record_event(application, actor=actor, action="confirm_eligibility", data={"checklist": checklist or {}})
    return application


def application_request_info(
    *, application: Application, actor, message: str, due_date: datetime.date | None = None
) -> InformationRequest:
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        problems = refusals(application, "request_info")
        if not message.strip():
            problems.append(_("Say what information is missing."))
        due_date = due_date or timezone.localdate() + datetime.timedelta(days=application.scheme.information_term_days)
        if due_date <= timezone.localdate():
            problems.append(_("The term for the missing information must end in the future."))
        if problems:
            raise ActionRefused(problems)
        perform(application, "request_info", actor=actor, reason=message)
        request = InformationRequest.objects.create(
            application=application, message=message, due_date=due_date, requested_by=actor
        )
        take_decision(
            application, kind=DecisionKind.INFORMATION_REQUEST, actor=actor, reasons=message, due_date=due_date
        )
    return request


def application_lapse(*, application: Application, actor) -> Application:
    """Set aside an application whose missing information never came (Awb 4:5)."""
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        request = application.open_information_request
        perform(application, "lapse", actor=actor)
        take_decision(
            application,
            kind=DecisionKind.NOT_CONSIDERED,
            actor=actor,
            reasons=request.message if request else "",
        )
    return application


def application_declare_ineligible(*, application: Application, actor, reasons: str) -> Application:
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        problems = refusals(application, "declare_ineligible")
        if not reasons.strip():
            problems.append(_("Give the reasons why the application is ineligible."))
        if problems:
            raise ActionRefused(problems)
        perform(application, "declare_ineligible", actor=actor, reason=reasons)
        take_decision(application, kind=DecisionKind.INELIGIBLE, actor=actor, reasons=reasons)
    return application


def conflict_reason(application: Application, reviewer: User) -> str | None:
    """Why `reviewer` may not review `application`, or None."""
    organisation = organisations_in_conflict(application).filter(members=reviewer).first()
    if organisation is not None:
        return _("%(reviewer)s belongs to %(organisation)s, which takes part in this application.") % {
            "reviewer": reviewer,
            "organisation": organisation,
        }
    if application.team.memberships.filter(user=reviewer).exists():
        return _("%(reviewer)s is a member of the applying team.") % {"reviewer": reviewer}
    return None


def review_assign(*, application: Application, actor, reviewer: User) -> Review:
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        problems = []
        if Role.REVIEWER not in roles_of(reviewer).get(application.scheme.funder_id, set()):
            problems.append(_("%(user)s is not in this funder's pool of reviewers.") % {"user": reviewer})
        reason = conflict_reason(application, reviewer)
        if reason:
            problems.append(reason)
        if application.status not in ("submitted", "in_review"):
            problems.append(_("Reviewers can be assigned only before the review is complete."))
        if problems:
            raise ActionRefused(problems)
        try:
            with transaction.atomic():
                review = Review.objects.create(application=application, reviewer=reviewer, assigned_by=actor)
        except IntegrityError:
            raise ActionRefused(_("%(user)s is already assigned.") % {"user": reviewer}) from None
        record_event(
            review,
            actor=actor,
            action="assign_reviewer",
            to_state=review.status,
            application=application,
            data={"reviewer": reviewer.pk},
        )
    return review


def application_start_review(*, application: Application, actor) -> Application:
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        perform(application, "start_review", actor=actor)
    return application


def application_complete_review(*, application: Application, actor) -> Application:
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        perform(application, "complete_review", actor=actor)
    return application


def application_check_cofunding(*, application: Application, actor) -> Application:
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        perform(application, "check_cofunding", actor=actor)
    return application


def application_extend_term(*, application: Application, actor, weeks: int, reasons: str) -> Application:
    """Extend the decision term once, by letter, before it runs out (Awb 4:14)."""
    with transaction.atomic():
        application = lock_application(application)
        require(actor, "grants.screen_application", application)
        problems = []
        if application.term_extended_on:
            problems.append(_("The decision term has already been extended once."))
        if application.decision_due_date is None or application.status not in (
            "submitted",
            "in_review",
            "reviewed",
            "cofunding_check",
        ):
            problems.append(_("Only a running decision term can be extended."))
        elif application.decision_due_date < timezone.localdate():
            problems.append(_("The decision term has already run out; it can no longer be extended."))
        if not 1 <= weeks <= application.scheme.decision_term_weeks:
            problems.append(
                _("Extend by at least 1 and at most %(weeks)s weeks.")
                % {"weeks": application.scheme.decision_term_weeks}
            )
        if not reasons.strip():
            problems.append(_("Give the reason for the extension."))
        if problems:
            raise ActionRefused(problems)
        previous = application.decision_due_date
        application.decision_due_date = previous + datetime.timedelta(weeks=weeks)
        application.term_extended_on = timezone.localdate()
        application.save(update_fields=["decision_due_date", "term_extended_on", "updated_at"])
        record_event(
            application,
            actor=actor,
            action="extend_term",
            reason=reasons,
            data={"from": previous.isoformat(), "to": application.decision_due_date.isoformat()},
        )
        take_decision(
            application,
            kind=DecisionKind.TERM_EXTENSION,
            actor=actor,
            reasons=reasons,
            due_date=application.decision_due_date,
        )
    return application
