"""Attachments: upload (size capped while reading), delete from a draft, download behind a permission check."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grants.models import Attachment
from grants.uploads import upload_view
from workflow.exceptions import ActionRefused
from workflow.states import ApplicationStatus, PledgeStatus

from .. import actions, forms
from .common import pk_or_404, signed_in, team_application
from .editor import add_refusal, editor_context, refuse_when_locked, saved


@upload_view
@signed_in
@require_http_methods(["GET", "POST"])
def attachments(request, pk):
    application = team_application(request, pk, full=True)
    locked = refuse_when_locked(request, application)
    if locked:
        return locked
    if request.method == "POST":
        form = forms.AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment = actions.attachment_add(
                    application=application,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                )
            except ActionRefused as refusal:
                add_refusal(form, refusal)
            else:
                messages.success(request, _("“%(name)s” is added.") % {"name": attachment.original_name})
                if "continue" in request.POST:
                    return saved(request, application, "attachments")
                return redirect("apply:step_attachments", application.pk)
    else:
        form = forms.AttachmentForm()
    context = editor_context(application, "attachments")
    context["form"] = form
    context["files"] = attachment_rows(application)
    return render(request, "apply/step_attachments.html", context)


def attachment_rows(application) -> list[dict]:
    """Each file with the co-funder whose confirmed pledge it proves, from the prefetched application.

    `actions.attachment_delete` refuses to delete such evidence, so the page says why instead of
    offering a button that can only be refused.
    """
    evidence_of = {
        pledge.evidence_id: pledge.cofunder.name
        for pledge in application.pledges.all()
        if pledge.evidence_id is not None and pledge.status == PledgeStatus.CONFIRMED
    }
    return [{"file": file, "evidence_of": evidence_of.get(file.pk)} for file in application.attachments.all()]


@signed_in
@require_POST
def attachment_delete(request, pk, attachment_pk):
    application = team_application(request, pk)
    attachment = get_object_or_404(application.attachments, pk=pk_or_404(attachment_pk))
    try:
        actions.attachment_delete(attachment=attachment, actor=request.user)
    except ActionRefused as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        # Back to the files while the application can still be edited; once submitted, to its summary.
        return redirect(
            "apply:step_attachments" if actions.is_editable(application) else "apply:summary", application.pk
        )
    messages.success(request, _("“%(name)s” is deleted.") % {"name": attachment.original_name})
    return redirect("apply:step_attachments", application.pk)


@signed_in
@require_http_methods(["GET"])
def attachment_download(request, pk):
    """The file, for the team and for those who may see the submitted application; 404 for others.

    `grants.see_application` admits a reviewer only after declaring no conflict of interest; a
    report's files are for the team and, once the team has submitted the report, the funder's staff
    (`grants.see_report`), as the report is.
    """
    attachment = get_object_or_404(
        Attachment.objects.select_related("application__scheme__funder", "application__team", "report"),
        pk=pk_or_404(pk),
    )
    application = attachment.application
    user = request.user
    may_see = user.has_perm("grants.edit_application", application) or (
        application.status != ApplicationStatus.DRAFT and user.has_perm("grants.see_application", application)
    )
    if attachment.report_id is not None:
        # A report the team has not yet submitted is its draft: its files are the team's alone.
        may_see = user.has_perm("grants.act_for_team", application) or (
            not attachment.report.is_draft and user.has_perm("grants.see_report", application)
        )
    if not may_see:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
