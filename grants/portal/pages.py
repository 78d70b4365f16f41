"""What the team's pages show, read in a fixed number of queries.

The list and the application page must not run more queries as a team gets more
applications, budget lines, events or letters: every related set is read once
(prefetch or one aggregate), never per row.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.models import Letter
from grants.models import (
    Application,
    CoFundingPledge,
    Decision,
    InformationRequest,
    Objection,
    Report,
    Review,
    ReviewScore,
)
from grants.models.applications import is_objectable, objectable
from grants.terms import objection_period_end
from workflow.deadlines import RUNNING_STATES, today
from workflow.states import (
    COMMITTED_STATES,
    DECISION_PENDING_STATES,
    OBJECTABLE_STATES,
    OBJECTABLE_WHILE_RUNNING_STATES,
    OPEN_REPORT_STATES,
    WITHDRAWABLE_STATES,
    ApplicationStatus,
    LetterStatus,
    ObjectionStatus,
    ReviewStatus,
)
from workflow.transitions import refusals

S = ApplicationStatus
TERM_STATES = (*DECISION_PENDING_STATES, S.INFO_REQUESTED)
DECIDED_STATES = (*OBJECTABLE_STATES, *COMMITTED_STATES, S.OBJECTION, S.CLOSED)


def editor_url(application) -> str:
    return reverse("apply:editor", args=[application.pk])


# "Award" is also a recommendation and an action ("Toekennen"); a letter needs a noun.
LETTER_TITLES = {"award": gettext_lazy("Grant award")}


def letter_title(decision) -> str:
    return str(LETTER_TITLES.get(decision.kind) or decision.get_kind_display())


@dataclass(frozen=True)
class NextAction:
    text: str
    url: str = ""


def with_objection_decided(decisions):
    """Decisions annotated with whether an objection against them has been decided (one query)."""
    decided = Objection.objects.filter(decision=OuterRef("pk")).exclude(status=ObjectionStatus.OPEN)
    return decisions.annotate(objection_decided=Exists(decided))


def objection_deadline(decisions) -> datetime.date | None:
    """From the application's objectable decisions, newest first (prefetched, `with_objection_decided`).

    None once the objection against the latest one is decided: the way on is appeal, not a second objection.
    """
    dated = [d for d in decisions if d.letter_date and is_objectable(d)]
    if not dated:
        return None
    latest = max(dated, key=lambda d: (d.letter_date, d.pk))
    if latest.objection_decided:
        return None
    return objection_period_end(latest.objection_term_from())


def next_action(application, *, open_reports, open_requests, decisions) -> NextAction:
    page = reverse("portal:application", args=[application.pk])
    status = application.status
    if status == S.DRAFT:
        return NextAction(_("Complete and submit the application."), editor_url(application) or page)
    if status == S.INFO_REQUESTED:
        request = open_requests[0] if open_requests else None
        if request is not None:
            text = _("Answer the request for information before %(day)s.") % {
                "day": date_format(request.due_date, "j F Y")
            }
        else:
            text = _("Answer the request for information.")
        return NextAction(text, page + "#answer")
    if status in DECISION_PENDING_STATES:
        return NextAction(_("Nothing to do: the funder is assessing your application."))
    if status == S.AWARDED:
        return NextAction(_("Start the project when it begins."), page + "#start")
    if status in RUNNING_STATES:
        report = open_reports[0] if open_reports else None
        if report is not None:
            text = _("Submit the %(report)s before %(day)s.") % {
                "report": report.get_kind_display().lower(),
                "day": date_format(report.due_date, "j F Y"),
            }
            return NextAction(text, reverse("portal:report", args=[report.pk]))
        return NextAction(_("Carry out the project."))
    if status == S.FINAL_REPORT_SUBMITTED:
        return NextAction(_("Nothing to do: the funder is assessing your final report."))
    if status == S.OBJECTION:
        return NextAction(_("Nothing to do: the funder is deciding on your objection."))
    deadline = objection_deadline(decisions)
    if status in OBJECTABLE_STATES and deadline and deadline >= today():
        return NextAction(
            _("Read the decision; you may object until %(day)s.") % {"day": date_format(deadline, "j F Y")},
            page + "#letters",
        )
    return NextAction(_("Nothing to do."))


def applications_for_team(team):
    """The team's applications with what the list needs, in five queries whatever their number."""
    return (
        Application.objects.filter(team=team)
        .select_related("scheme__funder")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.filter(status__in=OPEN_REPORT_STATES).order_by("due_date", "pk"),
                to_attr="open_reports",
            ),
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.filter(answered_at__isnull=True).order_by("-requested_at"),
                to_attr="open_requests",
            ),
            Prefetch(
                "decisions",
                queryset=with_objection_decided(objectable(Decision.objects.all())),
                to_attr="objectable_decisions",
            ),
        )
        .order_by("-created_at", "-pk")
    )


@dataclass
class Row:
    application: Application
    next: NextAction
    days_left: int | None
    term_paused: bool


def rows_for_team(team) -> list[Row]:
    rows = []
    for application in applications_for_team(team):
        in_term = application.status in TERM_STATES
        rows.append(
            Row(
                application=application,
                next=next_action(
                    application,
                    open_reports=application.open_reports,
                    open_requests=application.open_requests,
                    decisions=application.objectable_decisions,
                ),
                days_left=application.decision_days_left if in_term else None,
                term_paused=in_term and application.term_paused_on is not None,
            )
        )
    return rows


# --- The application page ---------------------------------------------------------------------------------


def application_for_page(pk) -> Application:
    return (
        Application.objects.select_related("scheme__funder", "team__contact", "extension")
        .prefetch_related(
            "schools",
            "partners",
            "budget_lines",
            Prefetch("pledges", queryset=CoFundingPledge.objects.select_related("cofunder").order_by("pk")),
            Prefetch("reports", queryset=Report.objects.order_by("due_date", "pk")),
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.filter(answered_at__isnull=True).order_by("-requested_at"),
                to_attr="open_requests",
            ),
            Prefetch("decisions", queryset=with_objection_decided(Decision.objects.order_by("prepared_at", "pk"))),
            Prefetch(
                "objections",
                queryset=Objection.objects.filter(status=ObjectionStatus.OPEN).select_related("decision"),
                to_attr="open_objections",
            ),
        )
        .get(pk=pk)
    )


def letters_for(application) -> list[Letter]:
    letters = list(
        Letter.objects.filter(decision__application=application, status__in=[LetterStatus.RENDERED, LetterStatus.SENT])
        .exclude(pdf="")
        .select_related("decision__application")
        .order_by("-decision__letter_date", "-pk")
    )
    for letter in letters:
        letter.title = letter_title(letter.decision)
    return letters


def review_outcome(application) -> dict | None:
    """Aggregated scores and recommendations of the submitted reviews, once decided; never names."""
    if application.status not in DECIDED_STATES or application.decided_at is None:
        return None
    submitted = Review.objects.filter(application=application, status=ReviewStatus.SUBMITTED)
    figures = submitted.aggregate(
        count=Count("pk"),
        average=Avg("weighted_score"),
        award=Count("pk", filter=Q(recommendation=Review.Recommendation.AWARD)),
        award_with_changes=Count("pk", filter=Q(recommendation=Review.Recommendation.AWARD_WITH_CHANGES)),
        reject=Count("pk", filter=Q(recommendation=Review.Recommendation.REJECT)),
    )
    if not figures["count"]:
        return None
    criteria = (
        ReviewScore.objects.filter(review__in=submitted)
        .values("criterion__name", "criterion__max_score", "criterion__position")
        .annotate(average=Avg("score"))
        .order_by("criterion__position", "criterion__name")
    )
    figures["criteria"] = list(criteria)
    figures["recommendations"] = [
        (label, figures[value]) for value, label in Review.Recommendation.choices if figures[value]
    ]
    return figures


@dataclass
class TeamAction:
    """One thing the team may do now; `refusals` say why it cannot (shown instead of the form)."""

    name: str
    refusals: list


def team_actions(application) -> dict[str, TeamAction]:
    """The actions the lifecycle offers in this state, with the guards' refusals if any."""
    status = application.status
    offered = {}
    if status == S.INFO_REQUESTED:
        offered["answer"] = TeamAction("answer", refusals(application, "resubmit"))
    if status in WITHDRAWABLE_STATES and status != S.DRAFT:
        offered["withdraw"] = TeamAction("withdraw", refusals(application, "withdraw"))
    if status in OBJECTABLE_STATES:
        offered["object"] = TeamAction("object", refusals(application, "object"))
    elif status in OBJECTABLE_WHILE_RUNNING_STATES and application.objection_transition == "object_during_project":
        # The decision on the extension: objected to while the project runs on.
        offered["object"] = TeamAction("object", refusals(application, "object_during_project"))
    if status == S.AWARDED:
        offered["start"] = TeamAction("start", refusals(application, "start"))
    if status == S.ACTIVE:
        offered["extension"] = TeamAction("extension", refusals(application, "request_extension"))
    return offered
