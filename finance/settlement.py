"""The settlement calculation (vaststelling): a pure function, every step kept.

The settled grant is the lowest of three caps, rounded half up to the cent:

1. the award: a settlement never exceeds what was awarded;
2. the grant's share of the eligible costs: the award covered ``award / planned budget``
   of the project, so it covers that share of the costs found eligible (under-spend lowers
   the grant; over-spend does not raise it above the award);
3. the co-funding: the scheme asks co-funders to add ``ratio`` times the grant, so the grant
   is at most ``realised co-funding / ratio`` (ratio 1.00, award 10,000, realised
   co-funding 6,000 → at most 6,000). A ratio of 0 sets no cap.

Then what was already paid out is set off: a positive difference is the remainder to pay,
a negative one is recovered from the payee. ``Settlement.as_data()`` is what the settlement
letter receives in ``Decision.data`` (keys documented in docs/architecture.md, "Money").
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from grants.money import to_money as cents  # the project's one rounding rule for money

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CostLine:
    description: str
    budgeted: Decimal
    actual: Decimal
    eligible: Decimal


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    amount: Decimal | None
    explanation: str = ""
    limiting: bool = False


@dataclass(frozen=True)
class Settlement:
    awarded: Decimal
    budget_total: Decimal
    eligible_costs: Decimal
    cost_share_cap: Decimal
    cofunding_ratio: Decimal
    realised_cofunding: Decimal
    cofunding_cap: Decimal | None
    settled: Decimal
    paid: Decimal
    remainder: Decimal
    recovery: Decimal
    limited_by: str
    lines: list[CostLine] = field(default_factory=list)

    @property
    def steps(self) -> list[Step]:
        """The calculation as the officer and the letter show it, in order."""
        ratio = formats.localize(self.cofunding_ratio)  # "0,25" on a Dutch page, not Python's "0.25"
        return [
            Step("awarded", _("Awarded amount (upper limit)"), self.awarded, limiting=self.limited_by == "awarded"),
            Step("budget_total", _("Planned project budget"), self.budget_total),
            Step("eligible_costs", _("Eligible costs (sum of the lines)"), self.eligible_costs),
            Step(
                "cost_share_cap",
                _("Grant share of the eligible costs"),
                self.cost_share_cap,
                _("eligible costs × awarded amount ÷ planned budget"),  # noqa: RUF001
                limiting=self.limited_by == "cost_share_cap",
            ),
            Step("realised_cofunding", _("Realised co-funding"), self.realised_cofunding),
            Step(
                "cofunding_cap",
                _("Maximum given the realised co-funding"),
                self.cofunding_cap,
                _("realised co-funding ÷ co-funding ratio %(ratio)s") % {"ratio": ratio}
                if self.cofunding_cap is not None
                else _("the scheme asks no co-funding"),
                limiting=self.limited_by == "cofunding_cap",
            ),
            Step("settled", _("Settled amount (the lowest of the limits)"), self.settled),
            Step("paid", _("Already paid or on its way"), self.paid),
            Step("remainder", _("Remainder to pay"), self.remainder),
            Step("recovery", _("To be recovered"), self.recovery),
        ]

    def as_data(self) -> dict:
        """JSON for Decision.data: amounts as strings with two places."""

        def money(value):
            return None if value is None else str(cents(value))

        return {
            "calculation": "settlement-v1",
            "awarded": money(self.awarded),
            "budget_total": money(self.budget_total),
            "eligible_costs": money(self.eligible_costs),
            "cost_share_cap": money(self.cost_share_cap),
            "cofunding_ratio": str(self.cofunding_ratio),
            "realised_cofunding": money(self.realised_cofunding),
            "cofunding_cap": money(self.cofunding_cap),
            "settled": money(self.settled),
            "paid": money(self.paid),
            "remainder": money(self.remainder),
            "recovery": money(self.recovery),
            "limited_by": self.limited_by,
            "lines": [
                {
                    "description": line.description,
                    "budgeted": money(line.budgeted),
                    "actual": money(line.actual),
                    "eligible": money(line.eligible),
                }
                for line in self.lines
            ],
        }


class SettlementInputError(ValueError):
    pass


def calculate_settlement(
    *,
    awarded: Decimal,
    budget_total: Decimal,
    lines: list[CostLine],
    cofunding_ratio: Decimal,
    realised_cofunding: Decimal,
    paid: Decimal = ZERO,
) -> Settlement:
    """Settle a grant; raises SettlementInputError for impossible input (negative, eligible > actual)."""
    for line in lines:
        if min(line.actual, line.eligible) < 0:
            raise SettlementInputError(_("Amounts cannot be negative."))
        if line.eligible > line.actual:
            raise SettlementInputError(
                _("Eligible costs cannot exceed the actual costs (%(line)s).") % {"line": line.description}
            )
    if min(awarded, realised_cofunding, paid, cofunding_ratio) < 0:
        raise SettlementInputError(_("Amounts cannot be negative."))
    eligible = sum((line.eligible for line in lines), ZERO)
    # Without a planned budget the award itself is the share (a grant of 100 %).
    cost_share_cap = cents(eligible * awarded / budget_total) if budget_total > 0 else cents(eligible)
    cofunding_cap = cents(realised_cofunding / cofunding_ratio) if cofunding_ratio > 0 else None
    caps = {"awarded": cents(awarded), "cost_share_cap": cost_share_cap}
    if cofunding_cap is not None:
        caps["cofunding_cap"] = cofunding_cap
    # The first of equal caps wins, so "awarded" is named when nothing lowered the grant.
    limited_by = min(caps, key=lambda key: caps[key])
    settled = max(caps[limited_by], ZERO)
    difference = settled - cents(paid)
    return Settlement(
        awarded=cents(awarded),
        budget_total=cents(budget_total),
        eligible_costs=cents(eligible),
        cost_share_cap=cost_share_cap,
        cofunding_ratio=cofunding_ratio,
        realised_cofunding=cents(realised_cofunding),
        cofunding_cap=cofunding_cap,
        settled=settled,
        paid=cents(paid),
        remainder=max(difference, ZERO),
        recovery=max(-difference, ZERO),
        limited_by=limited_by,
        lines=list(lines),
    )
