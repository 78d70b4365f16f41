"""Read queries of the domain, named for whom they are."""

from decimal import Decimal

from django.db.models import Q, Sum

from workflow.states import COMMITTED_STATES, ApplicationStatus

from .models import Application, Scheme

ZERO = Decimal("0.00")


def committed_filter() -> Q:
    """Applications whose awarded amount counts against the ceiling.

    An award under objection still counts until the objection overturns it.
    """
    return Q(status__in=COMMITTED_STATES) | Q(
        status=ApplicationStatus.OBJECTION, status_before_objection__in=COMMITTED_STATES
    )


def committed_amount(scheme: Scheme) -> Decimal:
    applications = Application.objects.filter(committed_filter(), scheme=scheme)
    return applications.aggregate(total=Sum("awarded_amount"))["total"] or ZERO


def remaining_budget(scheme: Scheme) -> Decimal:
    return scheme.budget_ceiling - committed_amount(scheme)


# --- The staff workbench -------------------------------------------------------------------
# Every query below is scoped to one funder and written so that the number of queries a
# page runs does not grow with the number of applications (aggregates, not loops).


def funders_for_staff(user, roles=None):
    """The funders at which `user` holds a staff role (any role, or one of `roles`)."""
    from workflow.states import Role

    from .models import Funder

    if not user.is_authenticated:
        return Funder.objects.none()
    roles = roles or (Role.OFFICER, Role.DECIDER, Role.FINANCE, Role.ADMIN)
    return Funder.objects.filter(staff_roles__user=user, staff_roles__role__in=roles).distinct().order_by("name")


def applications_for_officer(*, user, scheme=None, funder=None):
    """Applications a staff member may see: those of the funders where they hold a staff role.

    Drafts are the team's own business and never shown to staff.
    """
    qs = Application.objects.exclude(status=ApplicationStatus.DRAFT).filter(
        scheme__funder__in=funders_for_staff(user).values("pk")
    )
    if funder is not None:
        qs = qs.filter(scheme__funder=funder)
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    return qs


# Applications whose requested amount is provisionally reserved against the ceiling.
REVIEW_PIPELINE_STATES = (
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.REVIEWED,
    ApplicationStatus.COFUNDING_CHECK,
)


def funder_figures(schemes) -> tuple[dict[str, int], list[dict]]:
    """The dashboard's figures for `schemes` (one funder's): applications per state (drafts left
    out) and, per scheme, ceiling, awarded, reserved and remaining.

    One scan of the applications, grouped by scheme and state, gives both; a second, small query
    reads the prepared award decisions. Awarded: the awarded amounts of committed applications
    (an award under objection still counts). Reserved: the requested amount of the applications in
    the review pipeline, except that a prepared award (at most one per application) reserves its
    own amount instead.
    """
    from django.db.models import Count

    from workflow.states import DecisionKind, DecisionStatus

    from .models import Decision

    schemes = list(schemes)
    ids = [scheme.pk for scheme in schemes]
    groups = (
        Application.objects.filter(scheme_id__in=ids)
        .order_by()
        .values("scheme_id", "status", "status_before_objection")
        .annotate(n=Count("pk"), awarded=Sum("awarded_amount"), requested=Sum("requested_amount"))
    )
    counts: dict[str, int] = {}
    awarded = dict.fromkeys(ids, ZERO)
    reserved = dict.fromkeys(ids, ZERO)
    for group in groups:
        status, scheme_id = group["status"], group["scheme_id"]
        if status != ApplicationStatus.DRAFT:
            counts[status] = counts.get(status, 0) + group["n"]
        committed = status in COMMITTED_STATES or (
            status == ApplicationStatus.OBJECTION and group["status_before_objection"] in COMMITTED_STATES
        )
        if committed:
            awarded[scheme_id] += group["awarded"] or ZERO
        elif status in REVIEW_PIPELINE_STATES:
            reserved[scheme_id] += group["requested"] or ZERO
    prepared = (
        Decision.objects.filter(
            application__scheme_id__in=ids,
            application__status__in=REVIEW_PIPELINE_STATES,
            kind=DecisionKind.AWARD,
            status=DecisionStatus.PREPARED,
        )
        .order_by()
        .values("application__scheme_id")
        .annotate(amount=Sum("amount"), requested=Sum("application__requested_amount"))
    )
    for row in prepared:
        scheme_id = row["application__scheme_id"]
        reserved[scheme_id] += (row["amount"] or ZERO) - (row["requested"] or ZERO)
    budget = [
        {
            "scheme": scheme,
            "ceiling": scheme.budget_ceiling,
            "awarded": awarded[scheme.pk],
            "reserved": reserved[scheme.pk],
            "remaining": scheme.budget_ceiling - awarded[scheme.pk] - reserved[scheme.pk],
        }
        for scheme in schemes
    ]
    return counts, budget


def committed_filter_for(prefix: str) -> Q:
    """`committed_filter()` seen through a relation (e.g. "application__")."""
    return Q(**{f"{prefix}status__in": COMMITTED_STATES}) | Q(
        **{f"{prefix}status": ApplicationStatus.OBJECTION, f"{prefix}status_before_objection__in": COMMITTED_STATES}
    )


def cofunding_leveraged(funder, *, scheme_ids=None, awarded=None) -> dict:
    """Confirmed co-funding on the funder's committed grants, beside what the funder awarded."""
    from workflow.states import PledgeStatus

    from .models import CoFundingPledge

    if scheme_ids is None:
        scheme_ids = list(Scheme.objects.filter(funder=funder).values_list("pk", flat=True))
    committed = Application.objects.filter(committed_filter(), scheme_id__in=scheme_ids)
    if awarded is None:
        awarded = committed.aggregate(total=Sum("awarded_amount"))["total"] or ZERO
    confirmed = (
        CoFundingPledge.objects.filter(
            committed_filter_for("application__"),
            application__scheme_id__in=scheme_ids,
            status=PledgeStatus.CONFIRMED,
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    return {"awarded": awarded, "confirmed": confirmed}


def reviewer_pool(funder):
    """Users with the reviewer role at `funder`."""
    from workflow.states import Role

    from .models import User

    return User.objects.filter(funder_roles__funder=funder, funder_roles__role=Role.REVIEWER).order_by(
        "last_name", "first_name", "email"
    )


def reviews_for_reviewer(*, user):
    from .models import Review

    return (
        Review.objects.filter(reviewer=user)
        .select_related("application__scheme__funder")
        .order_by("status", "-assigned_at")
    )
