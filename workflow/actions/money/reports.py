"""Reports assessed by the officer, and the settlement on the final report."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from finance import services
from finance.settlement import CostLine, Settlement, SettlementInputError, calculate_settlement
from grants.models import Decision, Report
from workflow.states import DecisionKind, ReportStatus

from ...exceptions import ActionRefused
from ...transitions import perform
from ..base import lock, lock_application, require


# --- Reports ------------------------------------------------------------------------------------
def report_accept(*, report: Report, actor, comment: str = "") -> Report:
    with transaction.atomic():
        application = lock_application(report.application_id)
        report = lock(report)
        require(actor, "grants.assess_report", application)
        perform(report, "accept", actor=actor, reason=comment, application=application)
        _stamp_assessment(report, actor, comment.strip())
    return report


def _stamp_assessment(report: Report, actor, comment: str | None = None) -> None:
    report.assessed_by = actor
    fields = ["assessed_by"]
    if comment is not None:
        report.officer_comment = comment
        fields.append("officer_comment")
    report.save(update_fields=fields)


def report_return(*, report: Report, actor, comment: str) -> Report:
    """Return a report to the team with what to improve; a final report also reopens the project."""
    from ..aftercare import application_return_report

    with transaction.atomic():
        application = lock_application(report.application_id)
        report = lock(report)
        require(actor, "grants.assess_report", application)
        if not comment.strip():
            raise ActionRefused(_("Tell the team what to improve in the report."))
        perform(report, "return_to_team", actor=actor, reason=comment, args=(comment.strip(),), application=application)
        _stamp_assessment(report, actor)
        if report.kind == Report.Kind.FINAL and application.status == "final_report_submitted":
            application_return_report(application=application, actor=actor, comment=comment)
    return report


# --- Settlement ---------------------------------------------------------------------------------
def settlement_preview(report: Report, *, eligible: dict[int, Decimal], realised_cofunding: Decimal) -> Settlement:
    """The calculation for the officer's screen: no writes. Raises SettlementInputError."""
    application = report.application
    lines = []
    for budget_line in application.budget_lines.all():
        cost = next((c for c in report.cost_lines.all() if c.budget_line_id == budget_line.pk), None)
        actual = cost.actual_amount if cost else Decimal("0.00")
        lines.append(
            CostLine(
                description=str(budget_line),
                budgeted=budget_line.amount,
                actual=actual,
                eligible=eligible.get(budget_line.pk, actual),
            )
        )
    net_paid = services.net_paid(application)
    return calculate_settlement(
        awarded=application.awarded_amount or Decimal("0.00"),
        budget_total=sum((line.budgeted for line in lines), Decimal("0.00")),
        lines=lines,
        cofunding_ratio=application.scheme.cofunding_ratio,
        realised_cofunding=realised_cofunding,
        paid=net_paid,
    )


def settlement_assess(
    *, report: Report, actor, eligible: dict[int, Decimal], realised_cofunding: Decimal, reasons: str = ""
) -> Decision:
    """The officer assesses the final report and settles the grant at the calculated amount.

    Stores the eligible costs per line, accepts the report, then application_settle takes the
    settlement decision (with every calculation step in its data) and schedules the remainder
    or the recovery.
    """
    from ..aftercare import application_settle

    with transaction.atomic():
        application = lock_application(report.application_id)
        report = lock(report)
        require(actor, "grants.screen_application", application)
        if report.kind != Report.Kind.FINAL:
            raise ActionRefused(_("A grant is settled on its final report."))
        if report.status not in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            raise ActionRefused(_("The final report must be submitted before the grant can be settled."))
        try:
            settlement = settlement_preview(report, eligible=eligible, realised_cofunding=realised_cofunding)
        except SettlementInputError as error:
            raise ActionRefused(str(error)) from error
        for cost in report.cost_lines.all():
            if cost.budget_line_id in eligible:
                cost.eligible_amount = eligible[cost.budget_line_id]
                cost.save(update_fields=["eligible_amount"])
        if report.status == ReportStatus.SUBMITTED:
            perform(report, "accept", actor=actor, reason=reasons, application=application)
            _stamp_assessment(report, actor)
        application_settle(
            application=application,
            actor=actor,
            amount=settlement.settled,
            reasons=reasons,
            data={"settlement": settlement.as_data(), "report": report.pk},
        )
    return application.decisions.filter(kind=DecisionKind.SETTLEMENT).latest("pk")
