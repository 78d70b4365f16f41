"""The finance pages: payments to approve, payout batches, money overview; the officer's money
page of an application (bank details, reports, settlement); the team's bank details form.

Access: a funder's pages are for its finance staff and deciders (404 for anyone without a
role at that funder, 403 for its other staff); an application's money page is the workbench's
(`staff_application`: 404 for a team's draft and for another funder's application, 403 for
staff without the officer, finance or decider role); the team's bank details follow the object rules.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants.models import Application, Funder, Report
from grants.rules import roles_of
from grants.spreadsheets import spreadsheet_text
from workflow.actions import money
from workflow.exceptions import ActionRefused
from workflow.states import COMMITTED_STATES, PaymentStatus, ReportStatus, Role
from workflow.workbench.access import MONEY_PAGE_ROLES, staff_application

from . import selectors, services
from .exports import FORMATS, filename
from .forms import BankDetailsForm, BatchBuildForm, MarkPaidForm, ReportAssessForm, SettlementForm
from .models import Payment, PayoutBatch
from .settlement import SettlementInputError

FINANCE_ROLES = {Role.FINANCE.value, Role.DECIDER.value}


def _funder_for(request, slug) -> Funder:
    funder = get_object_or_404(Funder, slug=slug)
    held = roles_of(request.user).get(funder.pk, set())
    if not held:
        raise Http404
    if not held & FINANCE_ROLES:
        raise PermissionDenied
    return funder


def _refused(request, refused: ActionRefused) -> None:
    for message in refused.messages:
        messages.error(request, message)


@login_required
def index(request):
    funders = list(selectors.finance_funders(request.user))
    if len(funders) == 1:
        return redirect("finance:funder", slug=funders[0].slug)
    if not funders:
        raise PermissionDenied
    return render(request, "finance/index.html", {"funders": funders})


@login_required
def funder_dashboard(request, slug, build_form=None):
    funder = _funder_for(request, slug)
    payments = services.payments_queue(funder)
    context = {
        "funder": funder,
        "to_approve": payments.filter(status=PaymentStatus.SCHEDULED),
        "queue": payments.filter(status=PaymentStatus.APPROVED, batch__isnull=True, kind__in=Payment.OUTGOING),
        "recoveries": payments.filter(kind=Payment.Kind.RECOVERY, status=PaymentStatus.APPROVED),
        "batches": funder.payout_batches.select_related("created_by")[:20],
        "build_form": build_form or BatchBuildForm(funder=funder),
        "can_build": request.user.has_perm("grants.manage_finance", funder),
    }
    return render(request, "finance/funder.html", context)


@login_required
@require_POST
def payment_approve(request, slug, pk):
    funder = _funder_for(request, slug)
    payment = get_object_or_404(Payment, pk=pk, application__scheme__funder=funder)
    try:
        money.payment_approve(payment=payment, actor=request.user)
        messages.success(request, _("Payment approved."))
    except ActionRefused as refused:
        _refused(request, refused)
    return redirect("finance:funder", slug=slug)


@login_required
@require_POST
def payment_received(request, slug, pk):
    funder = _funder_for(request, slug)
    payment = get_object_or_404(Payment, pk=pk, application__scheme__funder=funder)
    try:
        money.payment_record_received(payment=payment, actor=request.user)
        messages.success(request, _("Receipt of the recovery recorded."))
    except ActionRefused as refused:
        _refused(request, refused)
    return redirect("finance:funder", slug=slug)


@login_required
@require_POST
def batch_build(request, slug):
    funder = _funder_for(request, slug)
    form = BatchBuildForm(request.POST, funder=funder)
    if form.is_valid():
        try:
            batch = money.batch_build(funder=funder, actor=request.user, **form.cleaned_data)
        except ActionRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Batch %(reference)s built.") % {"reference": batch.reference})
            return redirect("finance:batch", slug=slug, pk=batch.pk)
    return funder_dashboard(request, slug, build_form=form)


def _batch_for(request, slug, pk) -> PayoutBatch:
    funder = _funder_for(request, slug)
    return get_object_or_404(PayoutBatch.objects.select_related("funder", "created_by"), pk=pk, funder=funder)


@login_required
def batch_detail(request, slug, pk, paid_form=None):
    batch = _batch_for(request, slug, pk)
    payments = batch.payments.select_related("application", "payee").order_by("pk")
    context = {
        "funder": batch.funder,
        "batch": batch,
        "payments": payments,
        "count": payments.count(),
        "paid_form": paid_form
        or (MarkPaidForm(payments=payments) if batch.status == PayoutBatch.Status.EXPORTED else None),
        "formats": [(fmt, filename(batch, fmt), batch.sha256_for(fmt)) for fmt in FORMATS],
        "can_manage": request.user.has_perm("grants.manage_finance", batch.funder),
    }
    return render(request, "finance/batch.html", context)


@login_required
@require_POST
def batch_export(request, slug, pk):
    batch = _batch_for(request, slug, pk)
    planned = batch.execution_date
    try:
        exported = money.batch_export(batch=batch, actor=request.user)
    except ActionRefused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _export_message(planned, exported.execution_date))
    return redirect("finance:batch", slug=slug, pk=pk)


def _export_message(planned, execution_date) -> str:
    """Say so when the export moved a passed execution date: the bank pays later than planned."""
    if planned and execution_date != planned:
        return _(
            "Batch exported and locked. Its execution date %(planned)s had passed, so the bank is asked to "
            "execute it on %(date)s, the first banking day from today. Download the files below."
        ) % {"planned": date_format(planned, "j F Y"), "date": date_format(execution_date, "j F Y")}
    return _("Batch exported and locked. Download the files below.")


@login_required
def batch_download(request, slug, pk, fmt):
    batch = _batch_for(request, slug, pk)
    if fmt not in FORMATS or not batch.is_locked:
        raise Http404
    content_type, _extension = FORMATS[fmt]
    # FileResponse streams the stored file in blocks; it is byte for byte the hashed export.
    response = FileResponse(
        batch.file_for(fmt).open("rb"), as_attachment=True, filename=filename(batch, fmt), content_type=content_type
    )
    response["X-Content-SHA256"] = batch.sha256_for(fmt)
    return response


@login_required
@require_POST
def batch_mark_paid(request, slug, pk):
    batch = _batch_for(request, slug, pk)
    form = MarkPaidForm(request.POST, payments=batch.payments.order_by("pk"))
    if form.is_valid():
        try:
            money.batch_mark_paid(batch=batch, actor=request.user, failed=form.failed())
        except ActionRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Bank run processed: payments marked paid, failures back in the queue."))
            return redirect("finance:batch", slug=slug, pk=pk)
    return batch_detail(request, slug, pk, paid_form=form)


@login_required
def overview(request, slug):
    funder = _funder_for(request, slug)
    schemes = selectors.scheme_figures(funder)
    months = selectors.monthly_figures(funder)
    scheme_rows = [{"label": f.scheme.name, "awarded": f.awarded, "paid": f.paid} for f in schemes]
    month_rows = [{"label": m["month"].strftime("%m-%Y"), "paid": m["paid"], "awarded": m["awarded"]} for m in months]
    context = {
        "funder": funder,
        "schemes": schemes,
        "months": months,
        "scheme_chart": selectors.bar_chart(scheme_rows, [("awarded", "bar-awarded"), ("paid", "bar-paid")]),
        "month_chart": selectors.bar_chart(month_rows, [("awarded", "bar-awarded"), ("paid", "bar-paid")]),
    }
    return render(request, "finance/overview.html", context)


class _Echo:
    def write(self, value):
        return value


@login_required
def overview_csv(request, slug):
    funder = _funder_for(request, slug)
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def amount(value):
        return f"{value:.2f}".replace(".", ",")

    def lines():
        yield "\ufeff"
        yield writer.writerow(
            [
                _("Scheme"),
                _("Awarded"),
                _("Paid"),
                _("At the bank"),
                _("Recovered"),
                _("Outstanding"),
                _("Co-funding leveraged"),
            ]
        )
        for f in selectors.scheme_figures(funder):
            yield writer.writerow(
                [
                    spreadsheet_text(f.scheme.name),
                    amount(f.awarded),
                    amount(f.paid),
                    amount(f.at_the_bank),
                    amount(f.recovered),
                    amount(f.outstanding),
                    amount(f.cofunding),
                ]
            )
        yield writer.writerow([])
        yield writer.writerow([_("Month"), _("Awarded"), _("Paid"), _("Recovered")])
        for m in selectors.monthly_figures(funder):
            yield writer.writerow(
                [m["month"].strftime("%Y-%m"), amount(m["awarded"]), amount(m["paid"]), amount(m["recovered"])]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{funder.slug}-geldoverzicht.csv"'
    return response


# --- The officer's money page of an application --------------------------------------------------
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
        "reports": application.reports.order_by("due_date", "pk"),
        "assess_form": ReportAssessForm(),
        "can_assess": request.user.has_perm("grants.assess_report", application),
        "submitted": ReportStatus.SUBMITTED,
        "bank_details_entry": entry,
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
        _refused(request, refused)
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
    return _money_page(request, application, bank_details_form=form)


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
    return render(request, "finance/bank_details.html", context)
