"""An application's money page for the officer (bank details, reports, settlement) and the team's
bank details form.

Access: the money page is the workbench's (`staff_application`: 404 for a team's draft and for
another funder's application, 403 for staff without the officer, finance or decider role); the
team's bank details follow the object rules.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants.models import Application, Report
from workflow.actions import money
from workflow.exceptions import ActionRefused
from workflow.states import COMMITTED_STATES, ReportStatus
from workflow.workbench.access import MONEY_PAGE_ROLES, staff_application

from .. import selectors, services
from ..forms import BankDetailsForm, ReportAssessForm, SettlementForm
from ..settlement import SettlementInputError
from .common import show_refused


def _application_for_staff(request, pk) -> Application:
    """The workbench's rule: 404 for a draft (the team's own business) and for another funder's application."""
    return staff_application(request, pk, MONEY_PAGE_ROLES)


@login_required
def application_money(request, pk):
    return _money_page(request, _application_for_staff(request, pk))


def _money_page(request, application, bank_details_form=None, assessment=None, status=200):
    """The officer's money page; `assessment` is a refused report assessment to show again as typed."""
    payee = services.payee_for(application)
    entry = selectors.bank_details_entry(payee) if payee and payee.iban else None
    may_enter = application.status in COMMITTED_STATES and request.user.has_perm(
        "grants.screen_application", application
    )
    context = {
        "application": application,
        "payee": payee,
        "payments": application.payments.select_related("batch", "approved_by").order_by("due_date", "pk"),
        "reports": application.reports.order_by("due_date", "pk").prefetch_related("attachments"),
        "assess_form": ReportAssessForm(),
        "can_assess": request.user.has_perm("grants.assess_report", application),
        "submitted": ReportStatus.SUBMITTED,
        "bank_details_entry": entry,
        # The payee may be a board another funder pays too: its applications and people are not ours to show.
        "entry_elsewhere": entry is not None
        and entry.application is not None
        and entry.application.scheme.funder_id != application.scheme.funder_id,
        # Four eyes: whoever entered the account leaves its confirmation to a colleague.
        "entered_by_viewer": entry is not None and entry.actor_id == request.user.pk,
        "bank_details_form": (bank_details_form or BankDetailsForm()) if may_enter else None,
        "assessment": assessment or {},
    }
    return render(request, "finance/application.html", context, status=status)


@login_required
@require_POST
def bank_details_confirm(request, pk):
    application = _application_for_staff(request, pk)
    try:
        # The page sends the entry it showed (empty: details without one); a post without it confirms nothing.
        seen = request.POST.get("seen_entry")
        seen_entry = int(seen) if seen and seen.isdigit() else money.NO_ENTRY if seen == "" else -1
        money.bank_details_confirm(application=application, actor=request.user, seen_entry=seen_entry)
        messages.success(request, _("Bank details confirmed."))
    except ActionRefused as refused:
        show_refused(request, refused)
    return redirect("finance:application", pk=pk)


@login_required
@require_POST
def report_assess(request, pk):
    report = get_object_or_404(Report.objects.select_related("application__scheme"), pk=pk)
    application = _application_for_staff(request, report.application_id)
    form = ReportAssessForm(request.POST)
    problems = [error for errors in form.errors.values() for error in errors]
    if form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["decision"] == "accept":
                money.report_accept(report=report, actor=request.user, comment=comment)
                messages.success(request, _("Report accepted."))
            else:
                money.report_return(report=report, actor=request.user, comment=comment)
                messages.success(request, _("Report returned to the team."))
        except ActionRefused as refused:
            problems = refused.messages
        else:
            return redirect("finance:application", pk=application.pk)
    # Shown again with what the officer typed and why it was refused.
    assessment = {
        "report": report.pk,
        "decision": request.POST.get("decision", ""),
        "comment": request.POST.get("comment", ""),
        "errors": problems,
    }
    return _money_page(request, application, assessment=assessment, status=422)


@login_required
def settlement(request, pk):
    report = get_object_or_404(
        Report.objects.select_related("application__scheme__funder"), pk=pk, kind=Report.Kind.FINAL
    )
    application = _application_for_staff(request, report.application_id)
    if not request.user.has_perm("grants.screen_application", application):
        raise PermissionDenied
    form = SettlementForm(request.POST or None, report=report)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = money.settlement_preview(
                report, eligible=form.eligible(), realised_cofunding=form.cleaned_data["realised_cofunding"]
            )
        except SettlementInputError as error:
            form.add_error(None, str(error))
        if result is not None and "settle" in request.POST:
            try:
                money.settlement_assess(
                    report=report,
                    actor=request.user,
                    eligible=form.eligible(),
                    realised_cofunding=form.cleaned_data["realised_cofunding"],
                    reasons=form.cleaned_data["reasons"],
                )
            except ActionRefused as refused:
                for message in refused.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The grant is settled; the letter is on its way."))
                return redirect("finance:application", pk=application.pk)
    context = {"application": application, "report": report, "form": form, "result": result}
    return render(request, "finance/settlement.html", context)


# --- Bank details: entered by the team (or the officer), confirmed by the officer ------------------
@login_required
@require_POST
def bank_details_officer(request, pk):
    """The officer enters or changes the payee's account from the application's money page."""
    application = _application_for_staff(request, pk)
    form = BankDetailsForm(request.POST)
    if _enter_bank_details(request, application, form):
        messages.success(
            request,
            _(
                "Bank details saved. Another officer must check and confirm them (four eyes); approved "
                "payments to this payee that are not yet in a batch must be approved again."
            ),
        )
        return redirect("finance:application", pk=pk)
    return _money_page(request, application, bank_details_form=form, status=422)


def _enter_bank_details(request, application, form) -> bool:
    """Save what the form holds; the action's refusal goes onto the form. True when saved."""
    if not form.is_valid():
        return False
    try:
        money.bank_details_enter(application=application, actor=request.user, **form.cleaned_data)
    except ActionRefused as refused:
        for message in refused.messages:
            form.add_error(None, message)
        return False
    return True


@login_required
def bank_details(request, pk):
    application = get_object_or_404(Application.objects.select_related("scheme__funder", "team"), pk=pk)
    if not request.user.has_perm("grants.act_for_team", application):
        raise Http404
    payee = services.payee_for(application)
    # Never filled in with the stored account: the payee may be a board other teams' grants share.
    form = BankDetailsForm(request.POST or None)
    if request.method == "POST" and _enter_bank_details(request, application, form):
        messages.success(request, _("Bank details saved. The funder's officer will confirm them."))
        return redirect("finance:bank_details", pk=pk)
    context = {
        "application": application,
        "payee": payee,
        "form": form,
        "masked_iban": services.mask_iban(payee.iban) if payee else "",
        "can_enter": application.status in COMMITTED_STATES and not (payee and payee.bank_details_confirmed_at),
    }
    # A refused form answers 422, as every refused form does (assistive tools and tests tell it from a page).
    return render(request, "finance/bank_details.html", context, status=422 if form.errors else 200)
