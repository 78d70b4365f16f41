"""The officer's dashboard and queue: counts, budget use, the applications that need action."""

import logging

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from grants.models import Application, AuditEvent, Decision, Organisation
from grants.rules import roles_of
from grants.selectors import cofunding_leveraged, funder_figures
from workflow.actions.bulk import bulk_apply
from workflow.exceptions import ActionRefused
from workflow.states import ApplicationStatus, DecisionStatus, Role

from ..access import OFFICER, current_funder, require_roles, signed_in
from ..forms import BulkForm, QueueFilterForm

S = ApplicationStatus
logger = logging.getLogger(__name__)
NEEDS_ACTION = (S.SUBMITTED, S.INFO_REQUESTED, S.IN_REVIEW, S.REVIEWED, S.COFUNDING_CHECK)
PAGE_SIZE = 25


def funder_applications(funder, scheme_ids=None):
    """The funder's applications; with the scheme ids known, without a join to schemes."""
    if scheme_ids is None:
        return Application.objects.filter(scheme__funder=funder).exclude(status=S.DRAFT)
    return Application.objects.filter(scheme_id__in=scheme_ids).exclude(status=S.DRAFT)


class CappedPaginator(Paginator):
    """Counts at most CAP rows, so a page costs the same at 200 and at 20,000 applications.

    Past the cap the page says "more than 1,000" and asks the user to filter.
    """

    CAP = 1000

    def __init__(self, object_list, per_page, *, count_list=None):
        super().__init__(object_list, per_page)
        self.count_list = count_list if count_list is not None else object_list

    @cached_property
    def count(self):
        return self.count_list.values("pk")[: self.CAP + 1].count()

    @property
    def capped(self):
        return self.count > self.CAP


def queue_rows(funder, filters, *, needs_action: bool, scheme_ids=None):
    """The queue. "Needs action": the nearest decision due date first (an index walk);
    all applications: the most recent first. Days left are shown as the term stands
    (a paused term is frozen)."""
    applications = filters.filter(funder_applications(funder, scheme_ids))
    if needs_action:
        applications = applications.filter(status__in=NEEDS_ACTION)
    return applications


def with_display(applications, *, needs_action: bool):
    prepared = Decision.objects.filter(application=OuterRef("pk"), status=DecisionStatus.PREPARED)
    return (
        applications.select_related("scheme", "team")
        .annotate(
            has_prepared_decision=Exists(prepared),
        )
        .order_by(*(("decision_due_date", "pk") if needs_action else ("-pk",)))
    )


def _queue_context(request, funder, *, needs_action: bool):
    schemes = list(funder.schemes.order_by("-opens_on", "name"))
    regions = (
        Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
        .exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
    filters = QueueFilterForm(request.GET or None, schemes=schemes, regions=list(regions))
    rows = queue_rows(funder, filters, needs_action=needs_action, scheme_ids=[s.pk for s in schemes])
    paginator = CappedPaginator(with_display(rows, needs_action=needs_action), PAGE_SIZE, count_list=rows)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query["funder"] = funder.slug
    return {
        "funder": funder,
        "schemes": schemes,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "needs_action": needs_action,
        "today": timezone.localdate(),
    }


FIGURES_TTL = 300


def _cache_call(operation, *args):
    """A cache read or write that cannot break the page: with the cache (Redis) away, the figures
    are computed for every view instead."""
    try:
        return operation(*args)
    except Exception:  # redis-py's errors, and whatever another cache backend raises
        logger.warning("The cache is not available; the dashboard's figures are computed without it", exc_info=True)
        return None


def figures_key(funder, scheme_ids) -> str:
    """The cache key of the funder's figures: it changes with every audit event of the funder."""
    latest = (
        AuditEvent.objects.filter(funder=funder).order_by("-created_at", "-pk").values_list("pk", flat=True).first()
    )
    return f"workbench:figures:{funder.pk}:{latest}:{'-'.join(map(str, scheme_ids))}"


def dashboard_figures(funder, schemes):
    """Counts per state, budget use per scheme and co-funding leveraged, for one funder.

    These aggregate every application of the funder, so they are cached under a key that
    holds the funder's latest audit event: every change of state writes one, so the next
    page view after any change recomputes them (and the TTL bounds what bulk imports,
    which write no events, could leave stale). The queue itself is never cached.
    """
    scheme_ids = [s.pk for s in schemes]
    key = figures_key(funder, scheme_ids)
    cached = _cache_call(cache.get, key)
    if cached is None:
        counts, budget = funder_figures(schemes)
        leverage = cofunding_leveraged(funder, scheme_ids=scheme_ids, awarded=sum(r["awarded"] for r in budget))
        cached = (counts, [(r["scheme"].pk, r["awarded"], r["reserved"]) for r in budget], leverage)
        _cache_call(cache.set, key, cached, FIGURES_TTL)
    counts, rows, leverage = cached
    by_pk = {s.pk: s for s in schemes}
    budget = [
        {
            "scheme": by_pk[pk],
            "ceiling": by_pk[pk].budget_ceiling,
            "awarded": awarded,
            "reserved": reserved,
            "remaining": by_pk[pk].budget_ceiling - awarded - reserved,
        }
        for pk, awarded, reserved in rows
    ]
    return counts, budget, leverage


@signed_in
def dashboard(request):
    if not any(held - {Role.REVIEWER} for held in roles_of(request.user).values()) and any(
        roles_of(request.user).values()
    ):
        return redirect("workbench:review_inbox")
    funder, funders = current_funder(request)
    context = _queue_context(request, funder, needs_action=True)
    if request.htmx:
        return render(request, "workbench/dashboard.html#queue", context)
    counts, budget, leverage = dashboard_figures(funder, context["schemes"])
    for row in budget:
        ceiling = row["ceiling"] or 1
        row["awarded_pct"] = min(float(row["awarded"] / ceiling * 100), 100)
        row["reserved_pct"] = min(float(row["reserved"] / ceiling * 100), 100 - row["awarded_pct"])
        row["over"] = row["remaining"] < 0
    context.update(
        funders=funders,
        counts=[(value, label, counts.get(value, 0)) for value, label in S.choices if value != S.DRAFT],
        budget=budget,
        leverage=leverage,
        roles=roles_of(request.user).get(funder.pk, set()),
    )
    return render(request, "workbench/dashboard.html", context)


@signed_in
def queue(request):
    funder, funders = current_funder(request)
    return _queue_page(request, funder, funders)


def _queue_page(request, funder, funders, *, bulk_form=None, status=200):
    context = _queue_context(request, funder, needs_action=False)
    context["funders"] = funders
    context["is_officer"] = Role.OFFICER in roles_of(request.user).get(funder.pk, set())
    if request.htmx:
        return render(request, "workbench/queue.html#queue", context)
    if context["is_officer"]:
        context["bulk_form"] = bulk_form or BulkForm(funder=funder, applications=funder_applications(funder))
        # A refused bulk action keeps the ticked applications ticked.
        context["selected"] = set(request.POST.getlist("applications"))
    return render(request, "workbench/queue.html", context, status=status)


@signed_in
@require_POST
def bulk_action(request):
    funder, funders = current_funder(request)
    require_roles(request.user, funder, OFFICER)
    form = BulkForm(request.POST, funder=funder, applications=funder_applications(funder))
    if not form.is_valid():
        return _queue_page(request, funder, funders, bulk_form=form, status=422)
    data = form.cleaned_data
    try:
        outcomes = bulk_apply(
            actor=request.user,
            applications=data["applications"].order_by("pk"),
            action=data["action"],
            reviewer=data["reviewer"],
            message=data["message"],
            due_date=data["due_date"],
        )
    except ActionRefused as refusal:
        for message in refusal.messages:
            form.add_error(None, message)
        return _queue_page(request, funder, funders, bulk_form=form, status=422)
    return render(
        request,
        "workbench/bulk_result.html",
        {"funder": funder, "outcomes": outcomes, "action": dict(form.fields["action"].choices)[data["action"]]},
    )
