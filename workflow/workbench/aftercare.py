"""The way from a decided application on the workbench into its aftercare.

A project's dates, reports, extension and objections have their pages under /deadlines/, its
payments, report assessment and settlement under /finance/. The application page links each
one for a viewer that page lets in, asking the roles or the rule the page itself asks, so no
link leads to a 403; and it shows the decision term only while a decision is still due.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from grants.models import Extension, Report
from workflow import deadlines
from workflow.states import DECISION_PENDING_STATES, ApplicationStatus, ObjectionStatus

from .access import MONEY_PAGE_ROLES, roles_at

# What deadline_views asks of the staff on its application, extension and objection pages.
DEADLINE_PAGE_ROLES = frozenset(deadlines.STAFF_ROLES)


@dataclass(frozen=True)
class Link:
    text: str
    url: str


def decision_pending(application) -> bool:
    """The decision term still matters: a decision is due, or the term is paused for information."""
    return application.status in DECISION_PENDING_STATES or application.status == ApplicationStatus.INFO_REQUESTED


def project_and_money_links(user, application) -> list[Link]:
    """The decided application's project, extension, open objections and money, as far as `user` may see them.

    A constant number of queries (the extension, the open objections, the final report when it is
    to be settled), whatever the application holds.
    """
    if decision_pending(application):
        return []
    held = roles_at(user, application.scheme.funder_id)
    links = []
    if held & DEADLINE_PAGE_ROLES:
        links.append(
            Link(
                _("Project: dates, reports, objection period and revocation"),
                reverse("deadlines:application", args=[application.pk]),
            )
        )
        links += _extension_links(application) + _open_objection_links(application)
    if application.awarded_amount is not None and held & MONEY_PAGE_ROLES:  # a grant was (or is) awarded
        links.append(
            Link(
                _("Money: payments, bank details and report assessment"),
                reverse("finance:application", args=[application.pk]),
            )
        )
        links += _settlement_links(user, application)
    return links


def _extension_links(application) -> list[Link]:
    extension = Extension.objects.filter(application=application).first()
    if extension is None:
        return []
    text = _("Extension request until %(day)s: %(status)s") % {
        "day": date_format(extension.new_end_date, "j F Y"),
        "status": extension.get_status_display(),
    }
    return [Link(text, reverse("deadlines:extension", args=[extension.pk]))]


def _open_objection_links(application) -> list[Link]:
    objections = application.objections.filter(status=ObjectionStatus.OPEN).order_by("due_date", "pk")
    return [
        Link(
            _("Open objection: decide by %(day)s") % {"day": date_format(objection.due_date, "j F Y")},
            reverse("deadlines:objection", args=[objection.pk]),
        )
        for objection in objections
    ]


def _settlement_links(user, application) -> list[Link]:
    """The settlement of a submitted final report, for whom finance:settlement lets in (the officer)."""
    if application.status != ApplicationStatus.FINAL_REPORT_SUBMITTED:
        return []
    if not user.has_perm("grants.screen_application", application):
        return []
    final_report = application.reports.filter(kind=Report.Kind.FINAL).order_by("-pk").first()
    if final_report is None:
        return []
    return [Link(_("Assess costs and settle the grant"), reverse("finance:settlement", args=[final_report.pk]))]
