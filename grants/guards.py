"""The rules the application lifecycle's transitions guard, each with a message.

A guard is a named function that yields a refusal message for every rule the
application breaks. django-fsm calls it as a condition (true when it yields
nothing); the workflow asks it for its messages to say why an action was refused.
Guards read the domain only: they never lock, write or look at who is acting.
Rules that depend on the actor or need a row lock live in ``workflow.rules``.
"""

from collections.abc import Callable, Iterator
from functools import update_wrapper

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class Guard:
    def __init__(self, check: Callable[..., Iterator[str]]):
        self.check = check
        update_wrapper(self, check)

    def __call__(self, instance) -> bool:
        return next(iter(self.check(instance)), None) is None

    def refusals(self, instance) -> list[str]:
        return [str(message) for message in self.check(instance)]


def guard(check: Callable[..., Iterator[str]]) -> Guard:
    return Guard(check)


@guard
def scheme_is_open(application):
    scheme = application.scheme
    if not scheme.is_open():
        yield _("The scheme %(scheme)s accepts applications from %(opens)s to %(closes)s.") % {
            "scheme": scheme.name,
            "opens": date_format(scheme.opens_on, "j F Y"),
            "closes": date_format(scheme.closes_on, "j F Y"),
        }


@guard
def application_is_complete(application):
    yield from application.completeness_problems()


@guard
def schools_are_eligible(application):
    eligible = set(application.scheme.eligible_school_types)
    if not eligible:
        return
    for school in application.schools.all():
        if school.school_type not in eligible:
            yield _("%(school)s is a %(type)s school; this scheme is for %(eligible)s.") % {
                "school": school.name,
                "type": school.get_school_type_display(),
                "eligible": ", ".join(application.scheme.eligible_school_type_labels),
            }


@guard
def eligibility_confirmed(application):
    if application.eligibility_confirmed_at is None:
        yield _("An officer has not yet confirmed that the application is eligible.")


@guard
def reviewers_assigned(application):
    if not application.reviews.exists():
        yield _("No reviewers are assigned yet.")


@guard
def reviews_complete(application):
    from workflow.states import ReviewStatus

    open_reviews = [
        review
        for review in application.reviews.select_related("reviewer")
        if review.status not in (ReviewStatus.SUBMITTED, ReviewStatus.CONFLICT_DECLARED)
    ]
    for review in open_reviews:
        yield _("%(reviewer)s has not yet submitted scores or declared a conflict.") % {"reviewer": review.reviewer}
    submitted = application.reviews.filter(status=ReviewStatus.SUBMITTED).count()
    minimum = application.scheme.min_reviews
    if submitted < minimum:
        yield _("%(count)s of the required %(minimum)s reviews have been submitted.") % {
            "count": submitted,
            "minimum": minimum,
        }


@guard
def information_term_passed(application):
    request = application.open_information_request
    if request is None:
        yield _("There is no open request for information.")
    elif timezone.localdate() <= request.due_date:
        yield _("The term for the missing information runs until %(date)s.") % {
            "date": date_format(request.due_date, "j F Y")
        }


@guard
def project_period_begun(application):
    """A project starts in the period the award letter gives it, not before: its costs, reports and
    extension all count from that period, and a team that clicks "start" the day the letter arrives
    would otherwise run (and report on) a project that has not begun."""
    if application.project_start and timezone.localdate() < application.project_start:
        yield _("The project period starts on %(date)s; you can start the project from that day.") % {
            "date": date_format(application.project_start, "j F Y")
        }


@guard
def extension_still_possible(application):
    from .models import Extension

    if Extension.objects.filter(application=application).exists():
        yield _("A project can be extended only once, and this one has been already.")
    if application.scheme.max_extension_months == 0:
        yield _("This scheme does not allow extensions.")
    if application.project_end and timezone.localdate() > application.project_end:
        yield _("The project ended on %(date)s; an extension must be requested before the end date.") % {
            "date": date_format(application.project_end, "j F Y")
        }


@guard
def file_can_be_closed(application):
    """A settled file is closed once no money is open and the settlement can no longer be objected to."""
    from workflow.states import PaymentStatus

    open_payments = application.payments.filter(
        status__in=(PaymentStatus.SCHEDULED, PaymentStatus.APPROVED, PaymentStatus.EXPORTED)
    ).count()
    if open_payments:
        yield ngettext(
            "One payment is still open (to be paid or received); close the file once it is done.",
            "%(count)s payments are still open (to be paid or received); close the file once they are done.",
            open_payments,
        ) % {"count": open_payments}
    deadline = application.objection_deadline
    objection_possible = objection_not_yet_decided(application)  # once decided, the way on is appeal
    if deadline is not None and timezone.localdate() <= deadline and objection_possible:
        yield _("The settlement can be objected to until %(date)s; close the file after that.") % {
            "date": date_format(deadline, "j F Y")
        }


@guard
def objection_not_yet_decided(application):
    """One objection per decision: once it is decided, the way on is appeal (beroep) to the court."""
    from workflow.states import ObjectionStatus

    decision = application.objectable_decision
    if decision is not None and decision.objections.exclude(status=ObjectionStatus.OPEN).exists():
        yield _(
            "Your objection to this decision has been decided; you can appeal to the court "
            "(see the letter on the objection)."
        )


@guard
def objection_against_a_running_projects_decision(application):
    """While the project runs, its award and the decision on its extension are objected to without stopping it."""
    from workflow.states import DECISION_KINDS_OBJECTED_WHILE_RUNNING

    decision = application.objectable_decision
    if decision is None or decision.kind not in DECISION_KINDS_OBJECTED_WHILE_RUNNING:
        yield _("While the project runs, only the award and the decision on its extension can be objected to.")


@guard
def no_objection_open(application):
    from workflow.states import ObjectionStatus

    open_objection = application.objections.filter(status=ObjectionStatus.OPEN).order_by("due_date").first()
    if open_objection is not None:
        yield _("An objection against this decision is open already; it is decided by %(date)s.") % {
            "date": date_format(open_objection.due_date, "j F Y")
        }


@guard
def objection_while_running_open(application):
    """Deciding an objection while the project runs needs one, open, against the award or the extension decision."""
    from workflow.states import DECISION_KINDS_OBJECTED_WHILE_RUNNING, ObjectionStatus

    if not application.objections.filter(
        status=ObjectionStatus.OPEN, decision__kind__in=DECISION_KINDS_OBJECTED_WHILE_RUNNING
    ).exists():
        yield _("There is no open objection to decide while the project runs.")


@guard
def within_objection_period(application):
    """Checked against the day the objection was received: today, or the day an officer registers
    one that came by post or e-mail (`application_object` sets `objection_received_on`)."""
    deadline = application.objection_deadline
    received = getattr(application, "objection_received_on", None) or timezone.localdate()
    if deadline is None:
        yield _("There is no decision letter to object to.")
    elif received > deadline:
        yield _("The objection period (six weeks after the letter's date, Awb 6:7) ended on %(date)s.") % {
            "date": date_format(deadline, "j F Y")
        }


@guard
def decision_under_objection(application):
    """Upholding or overturning needs to know which decision the objection is against."""
    from workflow.states import OBJECTABLE_STATES

    if application.status_before_objection not in OBJECTABLE_STATES:
        yield _("It is not recorded which decision this objection is against.")


@guard
def final_report_overdue_or_submitted(application):
    """Settlement follows the final report, or its absence once it is overdue."""
    from workflow.states import ApplicationStatus

    if application.status == ApplicationStatus.FINAL_REPORT_SUBMITTED:
        return
    due = application.final_report_due_date
    if due is None or timezone.localdate() <= due:
        yield _("The final report is not in yet; settling without it is possible only after its due date%(date)s.") % {
            "date": f" ({date_format(due, 'j F Y')})" if due else ""
        }
