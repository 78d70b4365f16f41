"""The co-funder's page, opened with its personal link (no account): only that one pledge.

A tampered, unknown or expired link gets a page that says so in plain words, never an
error page; the status codes (404, 410) tell machines the same.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from grants.uploads import upload_view
from workflow import actions
from workflow.exceptions import ActionRefused
from workflow.states import PledgeStatus
from workflow.transitions import is_possible

from . import evidence, forms, pledge_links


@upload_view
@never_cache
@require_http_methods(["GET", "POST"])
def pledge(request, token):
    try:
        pledge = pledge_links.pledge_for_token(token)
    except pledge_links.LinkExpired:
        return render(request, "portal/pledge_invalid.html", {"expired": True}, status=410)
    except pledge_links.LinkInvalid:
        return render(request, "portal/pledge_invalid.html", {"expired": False}, status=404)
    step = request.POST.get("step")
    withdraw_form = forms.PledgeWithdrawForm(request.POST if step == "withdraw" else None)
    confirm_form = (
        forms.PledgeConfirmForm(request.POST, request.FILES) if step == "confirm" else forms.PledgeConfirmForm()
    )
    errors = []
    if request.method == "POST":
        try:
            if step == "confirm" and confirm_form.is_valid():
                evidence.confirm_with_evidence(pledge=pledge, upload=confirm_form.cleaned_data["evidence"])
                messages.success(request, _("Thank you. You have confirmed the co-funding."))
                return redirect("portal:pledge", token=token)
            if step == "withdraw" and withdraw_form.is_valid():
                actions.pledge_withdraw(pledge=pledge, via_token=True, reason=withdraw_form.cleaned_data["reason"])
                messages.success(request, _("You have withdrawn the co-funding pledge."))
                return redirect("portal:pledge", token=token)
            if step not in ("confirm", "withdraw"):
                errors.append(_("Choose to confirm or to withdraw the pledge."))
        except ActionRefused as error:
            form = confirm_form if step == "confirm" else withdraw_form
            for message in error.messages:
                form.add_error(None, message)
    context = {
        "pledge": pledge,
        "application": pledge.application,
        "can_confirm": is_possible(pledge, "confirm"),
        "can_withdraw": is_possible(pledge, "withdraw"),
        "withdraw_form": withdraw_form,
        "confirm_form": confirm_form,
        "errors": errors,
        "confirmed": pledge.status == PledgeStatus.CONFIRMED,
        "withdrawn": pledge.status == PledgeStatus.WITHDRAWN,
    }
    status = 422 if errors or withdraw_form.errors or confirm_form.errors else 200
    return render(request, "portal/pledge.html", context, status=status)
