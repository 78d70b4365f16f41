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
