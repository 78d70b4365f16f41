"""A funder's finance pages: payments to approve, payout batches, the money overview.

Access: for the funder's finance staff and deciders (404 for anyone without a role at that
funder, 403 for its other staff).
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants.models import Funder
from grants.rules import roles_of
from grants.spreadsheets import spreadsheet_text
from workflow.actions import money
from workflow.exceptions import ActionRefused
from workflow.states import PaymentStatus, Role

from .. import selectors, services
from ..exports import FORMATS, filename
from ..forms import BatchBuildForm, MarkPaidForm
from ..models import Payment, PayoutBatch
from .common import show_refused

FINANCE_ROLES = {Role.FINANCE.value, Role.DECIDER.value}


def _funder_for(request, slug) -> Funder:
    funder = get_object_or_404(Funder, slug=slug)
    held = roles_of(request.user).get(funder.pk, set())
    if not held:
        raise Http404
    if not held & FINANCE_ROLES:
        raise PermissionDenied
    return funder


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


def _on_payment(request, slug, pk, action, done: str):
    """Run `action` on one of the funder's payments and go back to its dashboard, saying how it went."""
    funder = _funder_for(request, slug)
    payment = get_object_or_404(Payment, pk=pk, application__scheme__funder=funder)
    try:
        action(payment=payment, actor=request.user)
        messages.success(request, done)
    except ActionRefused as refused:
        show_refused(request, refused)
    return redirect("finance:funder", slug=slug)


@login_required
@require_POST
def payment_approve(request, slug, pk):
    return _on_payment(request, slug, pk, money.payment_approve, _("Payment approved."))


@login_required
@require_POST
def payment_received(request, slug, pk):
    return _on_payment(request, slug, pk, money.payment_record_received, _("Receipt of the recovery recorded."))


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
        show_refused(request, refused)
    else:
        messages.success(request, _export_message(planned, exported.execution_date))
    return redirect("finance:batch", slug=slug, pk=pk)


@login_required
@require_POST
def batch_dissolve(request, slug, pk):
    batch = _batch_for(request, slug, pk)
    try:
        money.batch_dissolve(batch=batch, actor=request.user)
    except ActionRefused as refused:
        show_refused(request, refused)
        return redirect("finance:batch", slug=slug, pk=pk)
    messages.success(
        request,
        _(
            "Batch %(reference)s dissolved: its payments are back in the queue. Build a new batch once their "
            "bank details are right."
        )
        % {"reference": batch.reference},
    )
    return redirect("finance:funder", slug=slug)


def _export_message(planned, execution_date) -> str:
    """Say so when the export moved the execution date: the bank pays later than planned."""
    if not planned or execution_date == planned:
        return _("Batch exported and locked. Download the files below.")
    dates = {"planned": date_format(planned, "j F Y"), "date": date_format(execution_date, "j F Y")}
    if planned < timezone.localdate():
        return (
            _(
                "Batch exported and locked. Its execution date %(planned)s had passed, so the bank is asked to "
                "execute it on %(date)s, the first banking day from today. Download the files below."
            )
            % dates
        )
    return (
        _(
            "Batch exported and locked. Its execution date %(planned)s is no banking day, so the bank is asked to "
            "execute it on %(date)s, the first banking day after it. Download the files below."
        )
        % dates
    )


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
