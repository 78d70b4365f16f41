"""Read queries of the applicant's side: open schemes, a team's draft with everything on it."""

from decimal import Decimal

from django.db.models import DecimalField, Prefetch, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants.models import Application, Attachment, BudgetLine, CoFundingPledge, Organisation, Scheme
from grants.models.fields import ZERO
from grants.selectors import committed_filter_for


def schemes_with_figures():
    """Schemes with `committed`: the awarded amounts that count against the ceiling.

    One query, however many schemes and applications: `grants.selectors.remaining_budget()`
    for every scheme at once, as an aggregate (`remaining(scheme)` gives the same figure).
    """
    committed = Sum("applications__awarded_amount", filter=committed_filter_for("applications__"))
    money = DecimalField(max_digits=14, decimal_places=2)
    return Scheme.objects.select_related("funder").annotate(
        committed=Coalesce(committed, Value(ZERO), output_field=money)
    )


def open_schemes(on=None):
    """Schemes open today (all funders), by funder, the soonest closing first."""
    today = on or timezone.localdate()
    return (
        schemes_with_figures()
        .filter(opens_on__lte=today, closes_on__gte=today)
        .order_by("funder__name", "closes_on", "name")
    )


def remaining(scheme) -> Decimal:
    return scheme.budget_ceiling - (scheme.committed or ZERO)


def cofunding_in_words(ratio: Decimal) -> str:
    ratio = Decimal(ratio or 0)
    if ratio <= 0:
        return _("No co-funding required.")
    if ratio == 1:
        return _("Co-funders add as much as the fund gives (1 : 1).")
    percent = (ratio * 100).normalize()
    percent_text = f"{percent:f}".replace(".", ",")
    return _("Co-funders add %(percent)s%% of what the fund gives.") % {"percent": percent_text}


def application_for_editor(pk) -> Application:
    """The application with what every editor page shows, in a fixed number of queries."""
    return (
        Application.objects.select_related("scheme__funder", "team")
        .prefetch_related(
            "schools",
            "partners",
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("position", "pk")),
            Prefetch(
                "pledges",
                queryset=CoFundingPledge.objects.select_related("cofunder", "evidence").order_by("pk"),
            ),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by").order_by("pk")),
        )
        .get(pk=pk)
    )


def known_schools(application):
    """The team's schools and those already on the application."""
    from django.db.models import Q

    return (
        Organisation.objects.filter(kind=Organisation.Kind.SCHOOL)
        .filter(Q(teams=application.team_id) | Q(applications=application.pk))
        .distinct()
        .order_by("name")
    )


def partner_choices(kind):
    return Organisation.objects.filter(kind=kind).order_by("name")


COFUNDER_KINDS = (
    Organisation.Kind.SCHOOL_BOARD,
    Organisation.Kind.COFUNDER,
    Organisation.Kind.PARTNER,
    Organisation.Kind.CULTURAL_PROVIDER,
)


def cofunder_choices():
    return Organisation.objects.filter(kind__in=COFUNDER_KINDS).order_by("name")


TEAM_ADDRESS_REFUSED = gettext_lazy(
    "This is the address of a member of your team. Enter an address at the co-funder: "
    "the co-funder confirms the pledge itself."
)


def team_emails(application: Application) -> frozenset[str]:
    """The addresses of the applying team's members, lower-cased: a co-funder's confirmation link
    must never go to one of them, or the team would confirm its own co-funding."""
    return frozenset(email.lower() for email in application.team.members.values_list("email", flat=True))
