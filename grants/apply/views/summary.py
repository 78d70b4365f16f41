"""Before submitting: everything on one page, what is still missing (the lifecycle's own reasons), submit."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workflow import actions as workflow_actions
from workflow.exceptions import ActionRefused
from workflow.states import ApplicationStatus
from workflow.transitions import refusals

from .common import back_url, signed_in, team_application
from .editor import editor_context


def missing(application) -> list[str]:
    """Why the team cannot send the application now, in the guards' words."""
    if application.status == ApplicationStatus.DRAFT:
        return refusals(application, "submit")
    if application.status == ApplicationStatus.INFO_REQUESTED:
        return refusals(application, "resubmit")
    return []


@signed_in
@require_GET
def summary(request, pk):
    application = team_application(request, pk, full=True)
    context = editor_context(application, "summary")
    context.update(
        {
            "missing": missing(application),
            "may_submit": application.status == ApplicationStatus.DRAFT,
            "info_requested": application.status == ApplicationStatus.INFO_REQUESTED,
            "partners": list(application.partners.all()),
            "schools": list(application.schools.all()),
        }
    )
    return render(request, "apply/summary.html", context)


@signed_in
@require_POST
def submit(request, pk):
    application = team_application(request, pk)
    try:
        application = workflow_actions.application_submit(application=application, actor=request.user)
    except ActionRefused as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("apply:summary", application.pk)
    messages.success(
        request,
        _("Your application %(reference)s is submitted. You will receive a confirmation by e-mail.")
        % {"reference": application.reference},
    )
    return redirect(back_url(application))
