"""The funder's audit log: filters, pages, and a streaming CSV export."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from grants.models import AuditEvent
from grants.spreadsheets import spreadsheet_text
from workflow.labels import event_action_label, event_state_label
from workflow.states import ApplicationStatus

from ..access import STAFF_ROLES, current_funder, require_roles, signed_in
from ..forms import AuditFilterForm


def _events(request):
    funder, funders = current_funder(request)
    require_roles(request.user, funder, STAFF_ROLES)
    form = AuditFilterForm(request.GET or None)
    # A draft is the team's own business until it is submitted: staff see none of its events.
    events = AuditEvent.objects.filter(funder=funder).exclude(application__status=ApplicationStatus.DRAFT)
    events = form.filter(events)
    return (
        funder,
        funders,
        form,
        events.select_related("actor", "application", "subject_type").order_by("-created_at", "-pk"),
    )


@signed_in
def audit_log(request):
    funder, funders, form, events = _events(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query["funder"] = funder.slug
    context = {"funder": funder, "funders": funders, "form": form, "page": page, "query": query.urlencode()}
    return render(request, "workbench/audit.html", context)


class _Echo:
    def write(self, value):
        return value


def _event_rows(events, writer):
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                timezone.localtime(event.created_at).isoformat(timespec="seconds"),
                spreadsheet_text(event.actor.email if event.actor else ""),
                spreadsheet_text(event.action),
                spreadsheet_text(event.from_state),
                spreadsheet_text(event.to_state),
                spreadsheet_text(event.application.reference if event.application else ""),
                spreadsheet_text(event.reason),
                spreadsheet_text(event_action_label(event.action)),
                spreadsheet_text(event_state_label(event.from_state, event.subject_type.model)),
                spreadsheet_text(event_state_label(event.to_state, event.subject_type.model)),
            ]
        )


@signed_in
def audit_export(request):
    funder, _funders, _form, events = _events(request)
    writer = csv.writer(_Echo())
    # The codes stay for machines (filters, scripts); the labels, in the reader's language, come last
    # so that existing column positions do not move.
    header = [
        "time",
        "actor",
        "action",
        "from",
        "to",
        "application",
        "reason",
        "action_label",
        "from_label",
        "to_label",
    ]

    language = translation.get_language()  # the rows are written after the view returned

    def rows():
        yield writer.writerow(header)
        with translation.override(language):
            yield from _event_rows(events, writer)

    filename = f"audit-{funder.slug}-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
