"""Read queries for the finance pages: the money overview per scheme and per month."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth

from grants.models import Application, AuditEvent, CoFundingPledge, Decision, Funder, Organisation, Scheme
from grants.selectors import committed_filter
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus, PaymentStatus, PledgeStatus, Role

from .models import Payment

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass
class SchemeFigures:
    scheme: Scheme
    awarded: Decimal
    paid: Decimal
    at_the_bank: Decimal  # exported, not yet confirmed paid: settlement counts it as paid already
    recovered: Decimal
    outstanding: Decimal
    cofunding: Decimal


def scheme_figures(funder: Funder) -> list[SchemeFigures]:
    """Per scheme: awarded, paid out, at the bank, recovered, outstanding (still to pay), co-funding leveraged.

    Outstanding is what the funder still owes: the settled amount (or the award while not
    settled) minus what was paid out or sent to the bank (exported: the settlement counts it as
    paid, `finance.services.disbursed_amount`), net of recoveries received. Six aggregate queries.
    """
    committed = Application.objects.filter(committed_filter(), scheme__funder=funder)
    awarded = dict(committed.values("scheme").annotate(total=Sum("awarded_amount")).values_list("scheme", "total"))
    obligation = dict(
        committed.exclude(status=ApplicationStatus.REVOKED)
        .values("scheme")
        .annotate(total=Sum(Coalesce("settled_amount", "awarded_amount", output_field=MONEY)))
        .values_list("scheme", "total")
    )
    payments = Payment.objects.filter(application__scheme__funder=funder)

    def per_scheme(status, kinds) -> dict:
        return dict(
            payments.filter(status=status, kind__in=kinds)
            .values("application__scheme")
            .annotate(total=Sum("amount"))
            .values_list("application__scheme", "total")
        )

    paid = per_scheme(PaymentStatus.PAID, Payment.OUTGOING)
    at_the_bank = per_scheme(PaymentStatus.EXPORTED, Payment.OUTGOING)
    recovered = per_scheme(PaymentStatus.PAID, [Payment.Kind.RECOVERY])
    cofunding = dict(
        CoFundingPledge.objects.filter(Q(application__in=committed.values("pk")), status=PledgeStatus.CONFIRMED)
        .values("application__scheme")
        .annotate(total=Sum("amount"))
        .values_list("application__scheme", "total")
    )
    figures = []
    for scheme in Scheme.objects.filter(funder=funder).order_by("-opens_on", "name"):
        net_paid = paid.get(scheme.pk, ZERO) + at_the_bank.get(scheme.pk, ZERO) - recovered.get(scheme.pk, ZERO)
        figures.append(
            SchemeFigures(
                scheme=scheme,
                awarded=awarded.get(scheme.pk) or ZERO,
                paid=paid.get(scheme.pk) or ZERO,
                at_the_bank=at_the_bank.get(scheme.pk) or ZERO,
                recovered=recovered.get(scheme.pk) or ZERO,
                outstanding=(obligation.get(scheme.pk) or ZERO) - net_paid,
                cofunding=cofunding.get(scheme.pk) or ZERO,
            )
        )
    return figures


def _award_taken_at():
    """When the application was awarded: its first award, or the objection that turned a rejection
    into one. Not `Application.decided_at`, which every later decision (settlement, revocation, a
    decision on objection) overwrites: an award of August moved to November when it was settled."""
    return (
        Decision.objects.filter(
            application=OuterRef("pk"),
            status=DecisionStatus.TAKEN,
            kind__in=(DecisionKind.AWARD, DecisionKind.OBJECTION_OVERTURNED),
        )
        .order_by("decided_at")
        .values("decided_at")[:1]
    )


def monthly_figures(funder: Funder) -> list[dict]:
    """Per month: awarded (in the month of the award), paid out and recovered (by payment date)."""
    months: dict = {}
    awarded = (
        Application.objects.filter(committed_filter(), scheme__funder=funder)
        .annotate(month=TruncMonth(Subquery(_award_taken_at())))
        .filter(month__isnull=False)
        .values("month")
        .annotate(total=Sum("awarded_amount"))
    )
    for row in awarded:
        months.setdefault(row["month"].date(), {})["awarded"] = row["total"]
    paid = (
        Payment.objects.filter(application__scheme__funder=funder, status=PaymentStatus.PAID, paid_at__isnull=False)
        .annotate(month=TruncMonth("paid_at"))
        .values("month", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in paid:
        key = "recovered" if row["kind"] == Payment.Kind.RECOVERY else "paid"
        bucket = months.setdefault(row["month"].date(), {})
        bucket[key] = bucket.get(key, ZERO) + row["total"]
    return [
        {
            "month": month,
            "awarded": values.get("awarded", ZERO),
            "paid": values.get("paid", ZERO),
            "recovered": values.get("recovered", ZERO),
        }
        for month, values in sorted(months.items())
    ]


def bar_chart(rows: list[dict], series: list[tuple[str, str]], *, width: int = 640, bar: int = 14) -> dict:
    """Geometry for an inline SVG grouped horizontal bar chart (no JavaScript, no CDN)."""
    label_width, gap = 150, 10
    peak = max([row[key] for row in rows for key, _label in series] + [Decimal("1")])
    group = bar * len(series) + gap
    groups = []
    for index, row in enumerate(rows):
        top = index * group + gap
        bars = []
        for position, (key, css) in enumerate(series):
            value = row[key]
            bars.append(
                {
                    "key": key,
                    "css": css,
                    "value": value,
                    "y": top + position * bar,
                    "width": int((width - label_width - 120) * (value / peak)) if value > 0 else 0,
                }
            )
        # Whole numbers: a float would be localised in a Dutch template ("28,0"), which SVG cannot read.
        groups.append({"label": row["label"], "y": top + bar * len(series) // 2 + 4, "bars": bars})
    return {"width": width, "height": len(rows) * group + gap * 2, "x": label_width, "groups": groups}


def finance_funders(user):
    """Funders whose payments `user` may see: finance staff and deciders."""
    from grants.rules import roles_of

    ids = [funder_id for funder_id, roles in roles_of(user).items() if roles & {Role.FINANCE.value, Role.DECIDER.value}]
    return Funder.objects.filter(pk__in=ids)


def bank_details_entry(payee: Organisation) -> AuditEvent | None:
    """Who last entered the payee's account, and from which application: what the officer checks
    before confirming (the payee is a board that other teams' grants may share)."""
    return (
        AuditEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(Organisation),
            subject_id=payee.pk,
            action__in=("bank_details_entered", "bank_details_changed"),
        )
        .select_related("actor", "application__scheme")
        .order_by("-created_at", "-pk")
        .first()
    )
