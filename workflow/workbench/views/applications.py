"""One application on the workbench: everything an officer or decider needs, and its actions.

Every action posts to `application_action`, which looks the action up in ACTIONS: the
roles that may use it, its form and the workflow action it calls. A refusal re-renders
the page with the form as the user filled it in and the reasons beside it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from grants.models import Organisation
from grants.selectors import reviewer_pool
from grants.uploads import upload_view
from workflow import actions
from workflow.actions.decisions import PREPARABLE, take_refusals, taker_refusal
from workflow.exceptions import ActionRefused
from workflow.states import EXTENSION_DECISION_KINDS, DecisionKind, DecisionStatus, PledgeStatus, ReviewStatus, Role

from ..access import DECIDER, OFFICER, STAFF_ROLES, roles_at, signed_in, staff_application
from ..aftercare import decision_pending, project_and_money_links
from ..forms import (
    CHECKLIST,
    AssignReviewerForm,
    ConfirmPledgeForm,
    EligibilityForm,
    ExtendTermForm,
    PrepareDecisionForm,
    ReasonsForm,
    RequestInfoForm,
)
from ..uploads import attachment_added

DISAGREEMENT_POINTS = Decimal("25")


@dataclass(frozen=True)
class Action:
    roles: frozenset
    form: type | None
    run: object
    done: str


def _posted_pk(request, name: str) -> int:
    value = request.POST.get(name, "")
    if not (value.isascii() and value.isdigit()):  # isdigit() alone accepts "²", which int() refuses
        raise Http404
    return int(value)


def _confirm_pledge(request, application, form):
    pledge = get_object_or_404(application.pledges, pk=_posted_pk(request, "pledge"))
    upload = form.cleaned_data.get("evidence")
    if not upload:
        actions.pledge_confirm(pledge=pledge, actor=request.user)
        return
    # Stored, audited and confirmed together: when the confirmation is refused, row and file go again.
    with attachment_added(
        application=application,
        upload=upload,
        user=request.user,
        description=_("Co-funding evidence: %(cofunder)s") % {"cofunder": pledge.cofunder},
    ) as evidence:
        actions.pledge_confirm(pledge=pledge, actor=request.user, evidence=evidence)


def _take_decision(request, application, form):
    decision = get_object_or_404(application.decisions, pk=_posted_pk(request, "decision"))
    actions.decision_take(decision=decision, actor=request.user)


ACTIONS = {
    "eligibility": Action(
        OFFICER,
        EligibilityForm,
        lambda r, a, f: actions.application_confirm_eligibility(application=a, actor=r.user, checklist=f.checklist()),
        gettext_lazy("Eligibility confirmed."),
    ),
    "request_info": Action(
        OFFICER,
        RequestInfoForm,
        lambda r, a, f: actions.application_request_info(application=a, actor=r.user, **f.cleaned_data),
        gettext_lazy("Information requested; the decision term is paused and the letter is queued."),
    ),
    "ineligible": Action(
        OFFICER,
        ReasonsForm,
        lambda r, a, f: actions.application_declare_ineligible(
            application=a, actor=r.user, reasons=f.cleaned_data["reasons"]
        ),
        gettext_lazy("Declared ineligible; the letter is queued."),
    ),
    "assign": Action(
        OFFICER,
        AssignReviewerForm,
        lambda r, a, f: actions.review_assign(application=a, actor=r.user, reviewer=f.cleaned_data["reviewer"]),
        gettext_lazy("Reviewer assigned."),
    ),
    "start_review": Action(
        OFFICER,
        None,
        lambda r, a, f: actions.application_start_review(application=a, actor=r.user),
        gettext_lazy("Review started."),
    ),
    "complete_review": Action(
        OFFICER,
        None,
        lambda r, a, f: actions.application_complete_review(application=a, actor=r.user),
        gettext_lazy("Review completed."),
    ),
    "check_cofunding": Action(
        OFFICER,
        None,
        lambda r, a, f: actions.application_check_cofunding(application=a, actor=r.user),
        gettext_lazy("Moved to the co-funding check."),
    ),
    "extend_term": Action(
        OFFICER,
        ExtendTermForm,
        lambda r, a, f: actions.application_extend_term(application=a, actor=r.user, **f.cleaned_data),
        gettext_lazy("Decision term extended; the letter is queued."),
    ),
    "confirm_pledge": Action(OFFICER, ConfirmPledgeForm, _confirm_pledge, gettext_lazy("Pledge confirmed.")),
    "close": Action(
        OFFICER,
        None,
        lambda r, a, f: actions.application_close(application=a, actor=r.user),
        gettext_lazy("The file is closed."),
    ),
    "prepare_decision": Action(
        OFFICER,
        PrepareDecisionForm,
        lambda r, a, f: actions.decision_prepare(application=a, actor=r.user, **f.cleaned_data),
        gettext_lazy("Decision prepared; a decider can now take it."),
    ),
    "take_decision": Action(DECIDER, None, _take_decision, gettext_lazy("Decision taken; the letter is queued.")),
}


def form_ids(action: str) -> str:
    """The ids of one action's fields: the page holds several forms with a `reasons` field, and a
    label must point at its own one (two `id_reasons` sent the second label to the first box)."""
    return f"id_{action}_%s"


def detail_context(request, application, bound=None) -> dict:
    bound = bound or {}
    funder = application.scheme.funder
    held = roles_at(request.user, funder)
    reviews = list(application.reviews.select_related("reviewer").prefetch_related("scores"))
    criteria = list(application.scheme.criteria.all())
    pledges = list(application.pledges.select_related("cofunder", "evidence", "confirmed_by"))
    decisions = list(
        application.decisions.select_related("prepared_by", "decided_by").prefetch_related("letters").order_by("-pk")
    )
    confirmed = sum((p.amount for p in pledges if p.status == PledgeStatus.CONFIRMED), Decimal("0"))
    pledged = sum((p.amount for p in pledges if p.status != PledgeStatus.WITHDRAWN), Decimal("0"))
    prepared = next((d for d in decisions if d.status == DecisionStatus.PREPARED), None)
    # Only a prepared award changes what co-funding is needed; a prepared extension's extra budget does not.
    prepared_award = prepared.amount if prepared and prepared.kind == DecisionKind.AWARD else None
    amount = prepared_award or application.requested_amount
    is_officer = Role.OFFICER in held
    is_decider = Role.DECIDER in held
    forms = {
        name: bound.get(name) or factory(auto_id=form_ids(name))
        for name, factory in {
            "eligibility": EligibilityForm,
            "request_info": lambda **kw: RequestInfoForm(application=application, **kw),
            "ineligible": ReasonsForm,
            "assign": lambda **kw: AssignReviewerForm(funder=funder, application=application, **kw),
            "extend_term": ExtendTermForm,
            "confirm_pledge": ConfirmPledgeForm,
            "prepare_decision": lambda **kw: PrepareDecisionForm(
                initial={"amount": application.requested_amount}, **kw
            ),
        }.items()
    }
    return {
        "application": application,
        "funder": funder,
        "roles": held,
        "is_officer": is_officer,
        "is_decider": is_decider,
        "decision_pending": decision_pending(application),
        "project_links": project_and_money_links(request.user, application),
        "schools": list(application.schools.select_related("board")),
        "partners": list(application.partners.all()),
        "budget_lines": list(application.budget_lines.all()),
        # The team's files and the co-funders' evidence (a report's files are on the money page).
        "attachments": list(application.attachments.filter(report__isnull=True)),
        "pledges": pledges,
        "cofunding": {"required": application.required_cofunding(amount), "confirmed": confirmed, "pledged": pledged},
        "reviews": reviews,
        "scores": aggregate_scores(reviews, criteria),
        "pool": _pool_with_conflicts(application, funder, reviews) if is_officer else [],
        "decisions": decisions,
        "prepared": prepared,
        "taking": _taking(request.user, application, prepared, is_decider=is_decider) if prepared else {},
        "information_requests": list(application.information_requests.all()),
        "audit_events": list(
            application.audit_events.select_related("actor", "subject_type").order_by("-created_at", "-pk")[:200]
        ),
        "forms": forms,
        "checklist": CHECKLIST,
        "failed": bound.get("_failed"),
    }


def _taking(user, application, prepared, *, is_decider: bool) -> dict:
    """Whether the decider can take the prepared decision here, and if not why (or where it is taken).

    The button shows only when `decision_take` would go through: otherwise the decider pressed it
    to be told "not possible while the status is …". The officer reads the same reasons.
    """
    if prepared.kind not in PREPARABLE:  # an extension or revocation: its own page takes it
        return {"elsewhere": _decided_elsewhere(application, prepared)}
    refusals = take_refusals(prepared, application, application.scheme)
    if is_decider:
        refusals = [message for message in [taker_refusal(prepared, application, user)] if message] + refusals
    return {"refusals": refusals, "can_take": is_decider and not refusals}


def _decided_elsewhere(application, prepared) -> dict:
    if prepared.kind in EXTENSION_DECISION_KINDS and prepared.data.get("extension"):
        return {
            "text": _("Decide on the extension request's page"),
            "url": reverse("deadlines:extension", args=[prepared.data["extension"]]),
        }
    return {"text": _("Decide on the project's page"), "url": reverse("deadlines:application", args=[application.pk])}


def aggregate_scores(reviews, criteria) -> dict:
    """Average weighted score, per-criterion averages, and a flag when reviewers disagree strongly."""
    submitted = [r for r in reviews if r.status == ReviewStatus.SUBMITTED and r.weighted_score is not None]
    weighted = [r.weighted_score for r in submitted]
    per_criterion = []
    for criterion in criteria:
        values = [s.score for r in submitted for s in r.scores.all() if s.criterion_id == criterion.pk]
        per_criterion.append(
            {
                "criterion": criterion,
                "average": (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None,
            }
        )
    spread = (max(weighted) - min(weighted)) if len(weighted) > 1 else Decimal("0")
    return {
        "count": len(submitted),
        "average": (sum(weighted) / len(weighted)).quantize(Decimal("0.01")) if weighted else None,
        "spread": spread,
        "disagreement": spread > DISAGREEMENT_POINTS,
        "threshold": DISAGREEMENT_POINTS,
        "per_criterion": per_criterion,
    }


def _pool_with_conflicts(application, funder, reviews) -> list[dict]:
    """The funder's reviewers, each with why they cannot review this application (if so)."""
    from grants.rules import organisations_in_conflict

    conflicts = {}
    memberships = Organisation.members.through.objects.filter(
        organisation__in=organisations_in_conflict(application)
    ).select_related("organisation")
    for membership in memberships:
        conflicts.setdefault(
            membership.user_id,
            _("Belongs to %(organisation)s, which takes part in this application.")
            % {"organisation": membership.organisation.name},
        )
    for user_id in application.team.memberships.values_list("user_id", flat=True):
        conflicts.setdefault(user_id, _("Member of the applying team."))
    assigned = {review.reviewer_id: review for review in reviews}
    return [
        {"user": user, "conflict": conflicts.get(user.pk), "review": assigned.get(user.pk)}
        for user in reviewer_pool(funder)
    ]


@signed_in
def application_detail(request, pk):
    application = staff_application(request, pk, STAFF_ROLES)
    return render(request, "workbench/application.html", detail_context(request, application))


@upload_view  # the co-funding evidence: the size limit holds while the body is read
@signed_in
@require_POST
def application_action(request, pk, action):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    application = staff_application(request, pk, spec.roles)
    form = None
    if spec.form is not None:
        kwargs = (
            {"funder": application.scheme.funder, "application": application} if spec.form is AssignReviewerForm else {}
        )
        form = spec.form(request.POST, request.FILES, auto_id=form_ids(action), **kwargs)
    if form is None or form.is_valid():
        try:
            spec.run(request, application, form)
        except ActionRefused as refusal:
            if form is None:
                for message in refusal.messages:
                    messages.error(request, message)
            else:
                for message in refusal.messages:
                    form.add_error(None, message)
        else:
            messages.success(request, str(spec.done))
            return redirect("workbench:application", pk=application.pk)
    if form is None:
        return redirect("workbench:application", pk=application.pk)
    application.refresh_from_db()
    context = detail_context(request, application, bound={action: form, "_failed": action})
    return render(request, "workbench/application.html", context, status=422)
