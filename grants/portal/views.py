"""The team's pages: its applications, one application with its history and actions, reports.

Thin views: check access (404 for anything not the user's team's), bind a form, call one
`workflow.actions` function, turn its refusal into form errors (the input stays), redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants.accounts.teams import active_team
from grants.apply.actions import is_editable
from grants.models import Application, Report, ReportCostLine
from grants.rules import is_team_member
from grants.uploads import upload_view
from workflow import actions
from workflow.exceptions import ActionRefused
from workflow.states import OPEN_REPORT_STATES

from . import forms, pages, pledge_links
from .timeline import timeline

ACTION_FORMS = {
    "answer": forms.AnswerForm,
    "withdraw": forms.WithdrawForm,
    "object": forms.ObjectForm,
    "start": forms.StartForm,
}
SUCCESS = {
    "answer": gettext_lazy("Your answer has been sent; the application is under consideration again."),
    "withdraw": gettext_lazy("The application has been withdrawn."),
    "object": gettext_lazy("Your objection has been received."),
    "start": gettext_lazy("The project has started. Your reports are scheduled below."),
}


def _refused(form, error: ActionRefused) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
@require_GET
def index(request):
    team = active_team(request)
    rows = pages.rows_for_team(team) if team is not None else []
    return render(request, "portal/index.html", {"team": team, "rows": rows})


def _team_application(request, pk) -> Application:
    try:
        application = pages.application_for_page(pk)
    except Application.DoesNotExist:
        raise Http404 from None
    if not is_team_member(request.user, application):
        raise Http404
    return application


def _page(request, application, bound=None, status=200):
    """The application page; `bound` = (action name, form) of a refused post, shown as filled in."""
    reports = list(application.reports.all())
    pledges = list(application.pledges.all())
    letters = pages.letters_for(application)
    offered = pages.team_actions(application)
    action_forms = {name: ACTION_FORMS[name]() for name in offered if name in ACTION_FORMS}
    if bound is not None:
        # A refused post shows its form again as filled in, with the refusal, even where the
        # lifecycle no longer offers the action (someone else acted in the meantime).
        offered.setdefault(bound[0], pages.TeamAction(bound[0], []))
        action_forms[bound[0]] = bound[1]
    budget_lines = list(application.budget_lines.all())
    context = {
        "application": application,
        "in_term": application.status in pages.TERM_STATES,
        "budget_lines": budget_lines,
        "budget_total": sum((line.amount for line in budget_lines), 0),
        "pledges": pledges,
        "reports": reports,
        "open_request": application.open_requests[0] if application.open_requests else None,
        # At most one is open (guard `no_objection_open`): when it came in and by when the funder decides.
        "open_objection": application.open_objections[0] if application.open_objections else None,
        "letters": letters,
        "events": timeline(application, reports=reports, letters=letters, pledges=pledges),
        "outcome": pages.review_outcome(application),
        "offered": offered,
        "forms": action_forms,
        "objection_deadline": pages.objection_deadline(application.decisions.all()),
        "editor_url": pages.editor_url(application) if is_editable(application) else "",
        "shows_bank_details": application.status in pages.COMMITTED_STATES,
    }
    return render(request, "portal/application.html", context, status=status)


@login_required
@require_GET
def application_detail(request, pk):
    return _page(request, _team_application(request, pk))


@login_required
@require_POST
def application_action(request, pk, action):
    if action not in ACTION_FORMS:
        raise Http404
    application = _team_application(request, pk)
    form = ACTION_FORMS[action](request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "answer":
                actions.application_answer_information_request(
                    application=application, actor=request.user, answer=data["answer"]
                )
            elif action == "withdraw":
                actions.application_withdraw(application=application, actor=request.user, reason=data["reason"])
            elif action == "object":
                actions.application_object(application=application, actor=request.user, grounds=data["grounds"])
            else:
                actions.application_start(application=application, actor=request.user)
        except ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, SUCCESS[action])
            return redirect("portal:application", pk=application.pk)
    return _page(request, application, bound=(action, form), status=422)


@login_required
@require_POST
def pledge_link_again(request, pk, pledge_pk):
    """Send the co-funder a fresh personal link (the first one expired or got lost)."""
    application = _team_application(request, pk)
    pledge = next((p for p in application.pledges.all() if p.pk == pledge_pk), None)
    if pledge is None:
        raise Http404
    if not pledge_links.link_can_be_sent(pledge):
        messages.error(request, _("A link can be sent only for an unconfirmed pledge with an e-mail address."))
    elif pledge_links.send_link_again(pledge):
        messages.success(request, _("A new link is on its way to %(email)s.") % {"email": pledge.contact_email})
    else:
        messages.info(
            request,
            _("A new link went to %(email)s today already; you can send another one tomorrow.")
            % {"email": pledge.contact_email},
        )
    return redirect(reverse("portal:application", args=[application.pk]) + "#cofunding")


@upload_view
@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    # The submitted report's table shows each cost line's budget line: read them in the same query.
    cost_lines = Prefetch("cost_lines", queryset=ReportCostLine.objects.select_related("budget_line"))
    report = get_object_or_404(
        Report.objects.select_related("application__scheme__funder", "application__team").prefetch_related(cost_lines),
        pk=pk,
    )
    application = report.application
    if not is_team_member(request.user, application):
        raise Http404
    budget_lines = list(application.budget_lines.all())
    form = forms.ReportForm(request.POST or None, request.FILES or None, report=report, budget_lines=budget_lines)
    editable = report.status in OPEN_REPORT_STATES
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"results": data["results"], "realised_cofunding": data["realised_cofunding"], "costs": form.costs()}
        submit = "submit" in request.POST
        try:
            if data["attachment"] is not None:
                # Stored first and kept even if submitting is refused: nobody uploads twice.
                actions.report_attach(report=report, actor=request.user, upload=data["attachment"])
            if submit:
                actions.report_submit(report=report, actor=request.user, **fields)
            else:
                actions.report_save(report=report, actor=request.user, **fields)
        except ActionRefused as error:
            _refused(form, error)
        else:
            if submit:
                messages.success(request, _("Your %(report)s has been submitted.") % {"report": report_name(report)})
                return redirect("portal:application", pk=application.pk)
            messages.success(request, _("Your report has been saved. Submit it when it is complete."))
            return redirect("portal:report", pk=report.pk)
    context = {
        "report": report,
        "application": application,
        "form": form,
        "editable": editable,
        "attachments": report.attachments.order_by("pk"),
    }
    return render(request, "portal/report.html", context, status=422 if form.errors else 200)


def report_name(report) -> str:
    return report.get_kind_display().lower()
