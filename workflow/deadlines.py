"""The calendar of Dutch subsidy law: term computations and the selectors that find what is due.

Everything here reads; nothing writes. ``workflow.reminders`` turns these selections
into e-mails, ``workflow.actions.deadlines`` into changes of state, and the staff
pages in ``workflow.deadline_views`` show them.

Days are Amsterdam calendar days (``timezone.localdate()``). A reminder is due when
the number of days left falls inside its window, not only on one exact day, so a
job that did not run one day catches up the next; the e-mail's unique key makes
sure each reminder still goes out once.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from grants.models import Application, Extension, InformationRequest, Objection, Report, add_months
from workflow.states import (
    DECISION_PENDING_STATES,
    ApplicationStatus,
    ExtensionStatus,
    ObjectionStatus,
    ReportStatus,
    Role,
)

S = ApplicationStatus
OBJECTION_TERM_EXTENSION = datetime.timedelta(weeks=6)  # Awb 7:10 lid 3
STAFF_ROLES = (Role.OFFICER, Role.DECIDER, Role.FINANCE, Role.ADMIN)
# A project runs (and owes reports) in these states.
RUNNING_STATES = (S.ACTIVE, S.EXTENSION_REQUESTED)


@dataclass(frozen=True)
class Window:
    """A reminder: sent once while the days left lie between `earliest` and `latest` (inclusive)."""

    code: str
    latest: int
    earliest: int

    def contains(self, days_left: int) -> bool:
        return self.earliest <= days_left <= self.latest


# Officers are warned 10 and 3 days before the decision term runs out.
DECISION_TERM_WARNINGS = (Window("10", 10, 4), Window("3", 3, 0))
# Teams are reminded 14 and 3 days before a report is due, and the day after it was due.
# The overdue reminder stops looking after a month, so a first run on old data does not flood anyone.
REPORT_REMINDERS = (Window("14", 14, 4), Window("3", 3, 0), Window("overdue", -1, -30))


def today() -> datetime.date:
    return timezone.localdate()


def days_until(day: datetime.date | None, *, on: datetime.date | None = None) -> int | None:
    if day is None:
        return None
    return (day - (on or today())).days


# --- Terms of one application ---------------------------------------------------------------


def report_due_dates(application: Application) -> dict[str, datetime.date]:
    """When the scheme wants the reports: interim after N months from the start, final after the end."""
    dates = {}
    scheme = application.scheme
    if application.project_start and scheme.interim_report_months:
        interim = add_months(application.project_start, scheme.interim_report_months)
        if application.project_end is None or interim < application.project_end:
            dates[Report.Kind.INTERIM] = interim
    final = application.final_report_due_date
    if final is not None:
        dates[Report.Kind.FINAL] = final
    return dates


def objection_days_left(application: Application) -> int | None:
    return days_until(application.objection_deadline)


def final_report_overdue(application: Application) -> bool:
    due = application.final_report_due_date
    return application.status == S.ACTIVE and due is not None and today() > due


# --- Who sees what -----------------------------------------------------------------------------


def funder_ids_for_staff(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(user.funder_roles.filter(role__in=STAFF_ROLES).values_list("funder_id", flat=True).distinct())


def officer_emails(funder_id: int) -> list[str]:
    from grants.models import FunderRole

    return sorted(
        FunderRole.objects.filter(funder_id=funder_id, role=Role.OFFICER, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def _applications(funder_ids=None) -> QuerySet[Application]:
    queryset = Application.objects.select_related("scheme__funder", "team")
    if funder_ids is not None:
        queryset = queryset.filter(scheme__funder_id__in=funder_ids)
    return queryset


# --- Selectors -----------------------------------------------------------------------------------


def decision_terms_running(*, funder_ids=None) -> QuerySet[Application]:
    """Applications waiting for a decision whose term runs, soonest first (overdue ones on top)."""
    return _applications(funder_ids).filter(status__in=DECISION_PENDING_STATES, decision_due_date__isnull=False)


def decisions_overdue(*, funder_ids=None, on: datetime.date | None = None) -> QuerySet[Application]:
    return decision_terms_running(funder_ids=funder_ids).filter(decision_due_date__lt=on or today())


def decision_term_warnings_due(window: Window, *, on: datetime.date | None = None) -> QuerySet[Application]:
    day = on or today()
    return decision_terms_running().filter(
        decision_due_date__gte=day + datetime.timedelta(days=window.earliest),
        decision_due_date__lte=day + datetime.timedelta(days=window.latest),
    )


def applications_to_set_aside(*, funder_ids=None, on: datetime.date | None = None) -> QuerySet[Application]:
    """Information was requested and the team's term passed without an answer (Awb 4:5)."""
    lapsed = InformationRequest.objects.filter(
        application=OuterRef("pk"), answered_at__isnull=True, due_date__lt=on or today()
    )
    return _applications(funder_ids).filter(Exists(lapsed), status=S.INFO_REQUESTED)


def reports_due(*, funder_ids=None) -> QuerySet[Report]:
    """Reports still owed by running projects."""
    queryset = Report.objects.select_related("application__scheme__funder", "application__team__contact").filter(
        status=ReportStatus.DUE, application__status__in=RUNNING_STATES
    )
    if funder_ids is not None:
        queryset = queryset.filter(application__scheme__funder_id__in=funder_ids)
    return queryset


def reports_overdue(*, funder_ids=None, on: datetime.date | None = None) -> QuerySet[Report]:
    return reports_due(funder_ids=funder_ids).filter(due_date__lt=on or today()).order_by("due_date", "pk")


def report_reminders_due(window: Window, *, on: datetime.date | None = None) -> QuerySet[Report]:
    day = on or today()
    return reports_due().filter(
        due_date__gte=day + datetime.timedelta(days=window.earliest),
        due_date__lte=day + datetime.timedelta(days=window.latest),
    )


def settle_without_report(*, funder_ids=None, on: datetime.date | None = None) -> QuerySet[Application]:
    """Running projects whose final report is overdue: the funder may settle on its own initiative."""
    overdue_final = Report.objects.filter(
        application=OuterRef("pk"), kind=Report.Kind.FINAL, status=ReportStatus.DUE, due_date__lt=on or today()
    )
    return _applications(funder_ids).filter(Exists(overdue_final), status=S.ACTIVE)


@dataclass(frozen=True)
class SettlementDue:
    application: Application
    report_submitted_on: datetime.date
    settle_by: datetime.date
    days_left: int


def settlements_due(*, funder_ids=None, on: datetime.date | None = None) -> list[SettlementDue]:
    """Final reports waiting for settlement, soonest first: the award letter promises the settlement
    within the scheme's term after the final report (Awb 4:44 lets the funder set it)."""
    day = on or today()
    final_reports = Report.objects.filter(
        kind=Report.Kind.FINAL, status=ReportStatus.SUBMITTED, application__status=S.FINAL_REPORT_SUBMITTED
    ).select_related("application__scheme", "application__team")
    if funder_ids is not None:
        final_reports = final_reports.filter(application__scheme__funder_id__in=funder_ids)
    due = []
    for report in final_reports:
        submitted_on = timezone.localdate(report.submitted_at) if report.submitted_at else report.due_date
        settle_by = submitted_on + datetime.timedelta(weeks=report.application.scheme.settlement_term_weeks)
        due.append(SettlementDue(report.application, submitted_on, settle_by, (settle_by - day).days))
    return sorted(due, key=lambda item: (item.settle_by, item.application.pk))


def extensions_open(*, funder_ids=None) -> QuerySet[Extension]:
    queryset = Extension.objects.select_related("application__scheme__funder", "application__team").filter(
        status=ExtensionStatus.REQUESTED
    )
    if funder_ids is not None:
        queryset = queryset.filter(application__scheme__funder_id__in=funder_ids)
    return queryset.order_by("requested_at", "pk")


def objections_open(*, funder_ids=None) -> QuerySet[Objection]:
    queryset = Objection.objects.select_related("application__scheme__funder", "application__team", "decision").filter(
        status=ObjectionStatus.OPEN
    )
    if funder_ids is not None:
        queryset = queryset.filter(application__scheme__funder_id__in=funder_ids)
    return queryset.order_by("due_date", "pk")
