"""Pages of the Awb calendar, mounted at /deadlines/ (namespace `deadlines`).

Staff (per funder roles) see what runs out and act on it; a team sees its project's
dates and asks for the one extension. Every object of another funder or team, and a
team's draft, is answered with 404 (staff see an application through the workbench's
`staff_application`), a staff member without the needed role gets 403, anonymous
visitors are sent to sign in. Views bind a form, call one action and redirect;
refusals come back as form errors with the input kept, answered 422 like every other
refused form (portal, workbench, money pages).
"""

from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from grants.models import Application, Extension, Objection
from grants.rules import is_team_member, roles_of
from grants.uploads import upload_view
from workflow import actions, deadlines
from workflow.states import OBJECTABLE_STATES, ApplicationStatus, DecisionKind, DecisionStatus, Role

from . import deadline_forms as forms
from .exceptions import ActionRefused
from .transitions import refusals
from .workbench.access import roles_at, staff_application

STAFF = frozenset(deadlines.STAFF_ROLES)
OFFICER = frozenset({Role.OFFICER})
DECIDER = frozenset({Role.DECIDER})
LIST_LIMIT = 100


def signed_in(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            try:
                login_url = reverse(settings.LOGIN_URL)
            except NoReverseMatch:
                login_url = "/admin/login/"
            return redirect_to_login(request.get_full_path(), login_url)
        return view(request, *args, **kwargs)

    return wrapper


def check_staff(user, funder_id, allowed=STAFF) -> set:
    """404 without any staff role at the funder; 403 without one of `allowed`."""
    held = roles_of(user).get(funder_id, set())
    if not held & STAFF:
        raise Http404
    if not held & allowed:
        raise PermissionDenied
    return held


# A form shown again with its errors or an action's refusal: the request was understood but cannot be
# carried out as sent (the portal and the workbench answer the same).
REFUSED = 422


def _refused(form, error: ActionRefused):
    for message in error.messages:
        form.add_error(None, message)


# --- Overview and one application's terms -----------------------------------------------------------


@signed_in
def overview(request):
    funder_ids = deadlines.funder_ids_for_staff(request.user)
    if not funder_ids:
        raise PermissionDenied
    context = {
        "decision_terms": deadlines.decision_terms_running(funder_ids=funder_ids).order_by("decision_due_date", "pk")[
            :LIST_LIMIT
        ],
        "set_aside": deadlines.applications_to_set_aside(funder_ids=funder_ids).order_by("pk")[:LIST_LIMIT],
        "overdue_reports": deadlines.reports_overdue(funder_ids=funder_ids)[:LIST_LIMIT],
        "settle_without_report": deadlines.settle_without_report(funder_ids=funder_ids).order_by("project_end")[
            :LIST_LIMIT
        ],
        "settlements": deadlines.settlements_due(funder_ids=funder_ids)[:LIST_LIMIT],
        "extensions": deadlines.extensions_open(funder_ids=funder_ids)[:LIST_LIMIT],
        "objections": deadlines.objections_open(funder_ids=funder_ids)[:LIST_LIMIT],
        "today": deadlines.today(),
    }
    return render(request, "deadlines/overview.html", context)


@signed_in
def application_terms(request, pk):
    application = staff_application(request, pk, STAFF)  # a draft is the team's own business: 404
    held = roles_at(request.user, application.scheme.funder_id)
    decisions = list(application.decisions.select_related("prepared_by", "decided_by").order_by("-prepared_at", "-pk"))
    context = {
        "application": application,
        "is_officer": Role.OFFICER in held,
        "is_decider": Role.DECIDER in held,
        "reports": application.reports.order_by("due_date", "pk"),
        "information_request": application.open_information_request,
        "objections": application.objections.order_by("-submitted_at"),
        "extension": Extension.objects.filter(application=application).first(),
        "decisions": decisions,
        "prepared_revocation": next(
            (d for d in decisions if d.kind == DecisionKind.REVOCATION and d.status == DecisionStatus.PREPARED), None
        ),
        "term_running": application.status in deadlines.DECISION_PENDING_STATES,
        "may_set_aside": deadlines.applications_to_set_aside().filter(pk=application.pk).exists(),
        "may_settle_without_report": deadlines.final_report_overdue(application),
        "may_revoke": application.status in (ApplicationStatus.AWARDED, ApplicationStatus.ACTIVE),
        "objectable": application.status in OBJECTABLE_STATES or application.status in deadlines.RUNNING_STATES,
    }
    return render(request, "deadlines/application.html", context)


# --- Staff actions on one application ------------------------------------------------------------------


@dataclass(frozen=True)
class StaffAction:
    title: str
    form: type
    roles: frozenset
    run: object  # (request, application, cleaned_data) -> None
    done: str
    submit: str


STAFF_ACTIONS = {
    "extend-term": StaffAction(
        gettext_lazy("Extend the decision term"),
        forms.ExtendTermForm,
        OFFICER,
        lambda r, a, d: actions.application_extend_term(
            application=a, actor=r.user, weeks=d["weeks"], reasons=d["reasons"]
        ),
        gettext_lazy("The decision term is extended; the letter goes to the team."),
        gettext_lazy("Extend and send the letter"),
    ),
    "set-aside": StaffAction(
        gettext_lazy("Set aside: not considered (Awb 4:5)"),
        forms.ConfirmForm,
        OFFICER,
        lambda r, a, d: actions.application_lapse(application=a, actor=r.user),
        gettext_lazy("The application is not considered; the letter goes to the team."),
        gettext_lazy("Confirm and send the letter"),
    ),
    "settle-without-report": StaffAction(
        gettext_lazy("Settle without a final report"),
        forms.SettleWithoutReportForm,
        OFFICER,
        lambda r, a, d: actions.application_settle_without_report(
            application=a, actor=r.user, amount=d["amount"], reasons=d["reasons"]
        ),
        gettext_lazy("The grant is settled on the funder's own initiative; the letter goes to the team."),
        gettext_lazy("Settle and send the letter"),
    ),
    "prepare-revocation": StaffAction(
        gettext_lazy("Prepare a revocation"),
        forms.ReasonsForm,
        OFFICER,
        lambda r, a, d: actions.revocation_prepare(application=a, actor=r.user, reasons=d["reasons"]),
        gettext_lazy("The revocation is prepared; a decider takes it."),
        gettext_lazy("Prepare for a decider"),
    ),
    "register-objection": StaffAction(
        gettext_lazy("Register an objection received by post or e-mail"),
        forms.RegisterObjectionForm,
        OFFICER,
        lambda r, a, d: actions.application_object(
            application=a,
            actor=r.user,
            grounds=d["grounds"],
            received_on=d["received_on"],
            objector=d["objector"],
            objector_email=d["objector_email"],
            upload=d["letter"],
        ),
        gettext_lazy("The objection is registered; the decision term runs from the day it was received."),
        gettext_lazy("Register the objection"),
    ),
    "revoke": StaffAction(
        gettext_lazy("Revoke the grant"),
        forms.OptionalReasonsForm,
        DECIDER,
        lambda r, a, d: actions.application_revoke(application=a, actor=r.user, reasons=d["reasons"]),
        gettext_lazy("The grant is revoked; the letter goes to the team and recovery follows."),
        gettext_lazy("Revoke and send the letter"),
    ),
}


@upload_view  # an objection's scanned letter: the size limit holds while the body is read
@signed_in
@require_http_methods(["GET", "POST"])
def application_action(request, pk, action):
    spec = STAFF_ACTIONS.get(action)
    if spec is None:
        raise Http404
    application = staff_application(request, pk, spec.roles)
    form = spec.form(request.POST, request.FILES) if request.method == "POST" else spec.form()
    if request.method == "POST" and form.is_valid():
        try:
            spec.run(request, application, form.cleaned_data)
        except ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, spec.done)
            return redirect("deadlines:application", pk=application.pk)
    return render(
        request,
        "deadlines/form.html",
        {"application": application, "form": form, "title": spec.title, "submit": spec.submit},
        status=REFUSED if form.errors else 200,
    )


# --- Extension and objection -------------------------------------------------------------------------------


@signed_in
@require_http_methods(["GET", "POST"])
def extension_detail(request, pk):
    extension = get_object_or_404(
        Extension.objects.select_related("application__scheme__funder", "application__team", "requested_by"), pk=pk
    )
    application = extension.application
    held = check_staff(request.user, application.scheme.funder_id)
    prepare_form = forms.RecommendationForm(request.POST if request.POST.get("step") == "prepare" else None)
    decide_form = forms.ExtensionDecisionForm(request.POST if request.POST.get("step") == "decide" else None)
    if request.method == "POST":
        step = request.POST.get("step")
        form = {"prepare": prepare_form, "decide": decide_form}.get(step)
        if form is None:
            raise Http404
        check_staff(request.user, application.scheme.funder_id, OFFICER if step == "prepare" else DECIDER)
        if form.is_valid():
            try:
                if step == "prepare":
                    actions.extension_prepare(
                        extension=extension,
                        actor=request.user,
                        recommend_grant=form.cleaned_data["recommendation"],
                        reasons=form.cleaned_data["reasons"],
                    )
                    messages.success(request, _("Your recommendation is ready for a decider."))
                else:
                    actions.extension_decide(
                        extension=extension,
                        actor=request.user,
                        grant=form.cleaned_data["decision"],
                        reasons=form.cleaned_data["reasons"],
                    )
                    messages.success(request, _("The extension is decided; the letter goes to the team."))
                return redirect("deadlines:extension", pk=extension.pk)
            except ActionRefused as error:
                _refused(form, error)
    prepared = application.decisions.filter(
        status=DecisionStatus.PREPARED, kind__in=[DecisionKind.EXTENSION_GRANTED, DecisionKind.EXTENSION_DENIED]
    ).first()
    context = {
        "extension": extension,
        "application": application,
        "prepared": prepared,
        "prepare_form": prepare_form if Role.OFFICER in held else None,
        "decide_form": decide_form if Role.DECIDER in held else None,
        "report_dates": deadlines.report_due_dates(application),
    }
    return render(request, "deadlines/extension.html", context, status=REFUSED if request.method == "POST" else 200)


@signed_in
@require_http_methods(["GET", "POST"])
def objection_detail(request, pk):
    objection = get_object_or_404(
        Objection.objects.select_related("application__scheme__funder", "application__team", "decision"), pk=pk
    )
    application = objection.application
    held = check_staff(request.user, application.scheme.funder_id)
    step = request.POST.get("step")
    extend_form = forms.ReasonsForm(request.POST if step == "extend" else None, prefix="extend")
    decide_form = forms.ObjectionDecisionForm(request.POST if step == "decide" else None, prefix="decide")
    if request.method == "POST":
        form = {"extend": extend_form, "decide": decide_form}.get(step)
        if form is None:
            raise Http404
        check_staff(request.user, application.scheme.funder_id, OFFICER if step == "extend" else DECIDER)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if step == "extend":
                    actions.objection_extend_term(objection=objection, actor=request.user, reasons=data["reasons"])
                    messages.success(request, _("The decision on the objection is postponed; the team is told."))
                else:
                    actions.objection_decide(
                        objection=objection,
                        actor=request.user,
                        overturn=data["outcome"],
                        reasons=data["reasons"],
                        amount=data["amount"],
                    )
                    messages.success(request, _("The objection is decided; the letter goes to the team."))
                return redirect("deadlines:objection", pk=objection.pk)
            except ActionRefused as error:
                _refused(form, error)
    context = {
        "objection": objection,
        "application": application,
        "days_left": deadlines.days_until(objection.due_date),
        "extend_form": extend_form if Role.OFFICER in held else None,
        "decide_form": decide_form if Role.DECIDER in held else None,
    }
    return render(request, "deadlines/objection.html", context, status=REFUSED if request.method == "POST" else 200)


# --- The team's side -----------------------------------------------------------------------------------------


def _team_application(request, pk) -> Application:
    application = get_object_or_404(Application.objects.select_related("scheme__funder", "team__contact"), pk=pk)
    if not is_team_member(request.user, application):
        raise Http404
    return application


@signed_in
def project(request, pk):
    """The team's calendar: project dates, reports due, the extension and the objection period."""
    application = _team_application(request, pk)
    context = {
        "application": application,
        "reports": application.reports.order_by("due_date", "pk"),
        "extension": Extension.objects.filter(application=application).first(),
        "can_request_extension": application.status == ApplicationStatus.ACTIVE
        and not refusals(application, "request_extension"),
    }
    return render(request, "deadlines/project.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def request_extension(request, pk):
    application = _team_application(request, pk)
    form = forms.ExtensionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.application_request_extension(
                application=application,
                actor=request.user,
                motivation=data["motivation"],
                new_end_date=data["new_end_date"],
                extra_amount=data["extra_amount"] or 0,
            )
        except ActionRefused as error:
            _refused(form, error)
        else:
            messages.success(request, _("Your request for an extension has been sent."))
            return redirect("deadlines:project", pk=application.pk)
    context = {"application": application, "form": form, "limit_months": application.scheme.max_extension_months}
    if request.method == "GET":
        # Asked already, or the project is not running (or has ended): say so instead of a form that cannot succeed.
        context["refused"] = refusals(application, "request_extension")
    return render(request, "deadlines/request_extension.html", context, status=REFUSED if form.errors else 200)
