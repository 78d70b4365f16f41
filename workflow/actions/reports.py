"""The team's interim and final reports: actual costs per budget line, realised co-funding, results.

`report_save` keeps a draft (no change of state, so no audit event); `report_submit` saves
and submits in one transaction. Submitting the final report also moves the application to
`final_report_submitted`, so the report and the project can never disagree.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from grants import uploads
from grants.models import Attachment, Report, ReportCostLine
from workflow.deadlines import RUNNING_STATES
from workflow.states import OPEN_REPORT_STATES

from ..exceptions import ActionRefused
from ..transitions import perform, refusals
from .base import lock, lock_application, require


def _write(report: Report, application, *, results: str, realised_cofunding, costs: dict[int, Decimal]) -> None:
    if report.status not in OPEN_REPORT_STATES:
        raise ActionRefused(_("This report has been submitted already and can no longer be changed."))
    line_ids = set(application.budget_lines.values_list("pk", flat=True))
    unknown = set(costs) - line_ids
    if unknown:
        raise ActionRefused(_("A cost line does not belong to this application's budget."))
    if any(amount is not None and amount < 0 for amount in costs.values()):
        raise ActionRefused(_("Actual costs cannot be negative."))
    if realised_cofunding is not None and realised_cofunding < 0:
        raise ActionRefused(_("Realised co-funding cannot be negative."))
    report.results = results
    report.realised_cofunding = realised_cofunding
    report.save(update_fields=["results", "realised_cofunding"])
    # Two statements however long the budget: cleared lines go, the others are inserted or updated.
    cleared = [line_id for line_id, amount in costs.items() if amount is None]
    if cleared:
        ReportCostLine.objects.filter(report=report, budget_line_id__in=cleared).delete()
    entered = [
        ReportCostLine(report=report, budget_line_id=line_id, actual_amount=amount)
        for line_id, amount in costs.items()
        if amount is not None
    ]
    if entered:
        ReportCostLine.objects.bulk_create(
            entered, update_conflicts=True, unique_fields=["report", "budget_line"], update_fields=["actual_amount"]
        )


def report_save(*, report: Report, actor, results: str, realised_cofunding=None, costs=None) -> Report:
    """Keep what the team wrote so far; nothing is submitted."""
    with transaction.atomic():
        application = lock_application(report.application_id)
        report = lock(report)
        require(actor, "grants.act_for_team", application)
        _write(report, application, results=results, realised_cofunding=realised_cofunding, costs=costs or {})
    return report


def report_submit(*, report: Report, actor, results: str, realised_cofunding=None, costs=None) -> Report:
    """Save and submit; a final report also submits the project's final report (application status)."""
    costs = costs or {}
    with transaction.atomic():
        application = lock_application(report.application_id)
        report = lock(report)
        require(actor, "grants.act_for_team", application)
        problems = []
        if report.kind == Report.Kind.FINAL:
            problems += refusals(application, "submit_final_report")
        elif application.status not in RUNNING_STATES:
            problems.append(_("An interim report can be submitted only while the project runs."))
        if not results.strip():
            problems.append(_("Describe the results of the project."))
        line_ids = set(application.budget_lines.values_list("pk", flat=True))
        if any(costs.get(line_id) is None for line_id in line_ids):
            problems.append(_("Enter the actual costs of every budget line (0 if nothing was spent)."))
        if report.kind == Report.Kind.FINAL and realised_cofunding is None:
            problems.append(_("Enter the co-funding that was realised (0 if none)."))
        if problems:
            raise ActionRefused(problems)
        _write(report, application, results=results, realised_cofunding=realised_cofunding, costs=costs)
        perform(report, "submit", actor=actor, application=application, data={"kind": report.kind})
        report.submitted_by = actor
        report.save(update_fields=["submitted_by"])
        if report.kind == Report.Kind.FINAL:
            perform(application, "submit_final_report", actor=actor, data={"report": report.pk})
    return report


def report_attach(*, report: Report, actor, upload, description: str = "") -> Attachment:
    """Attach a file to a report still being written; checked by content like the editor's attachments."""
    kind = uploads.checked_kind(upload)
    with transaction.atomic():
        application = lock_application(report.application_id)
        report = lock(report)
        require(actor, "grants.act_for_team", application)
        if report.status not in OPEN_REPORT_STATES:
            raise ActionRefused(_("This report has been submitted already and can no longer be changed."))
        return uploads.add_attachment(
            upload,
            kind,
            application=application,
            actor=actor,
            description=description,
            report=report,
            audit={"report": report.pk},
        )
