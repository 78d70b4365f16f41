"""Euro amounts: always Decimal with two places, written and read the reader's way (the Dutch way in Dutch)."""

import re
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.utils import translation

CENT = Decimal("0.01")

# Spaces (also the no-break ones a copied amount carries) and the euro sign say nothing about the amount.
AMOUNT_NOISE = re.compile(r"[\s\u00a0\u202f€]")


def to_money(value) -> Decimal:
    """Round to cents the way Dutch administrations do (half up).

    The one rounding rule for every amount Grantdesk derives (advance, remainder, settlement caps),
    so the letter, the payment schedule and the settlement never differ by a cent.
    """
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _dutch(language: str | None) -> bool:
    return (language or translation.get_language() or "nl").startswith("nl")


def separators(language: str | None = None) -> tuple[str, str]:
    """(decimal mark, thousands separator) as the reader writes amounts: "," and "." in Dutch."""
    return (",", ".") if _dutch(language) else (".", ",")


def share_of(amount, percentage) -> Decimal:
    """`percentage` % of `amount` in cents (the advance of an award)."""
    return to_money(Decimal(amount) * Decimal(percentage) / 100)


def required_cofunding(amount, ratio) -> Decimal:
    """The co-funding a grant of `amount` needs: `ratio` x amount, rounded *up* to the cent.

    The exception to `to_money`, on purpose (with `minimum_cofunding`): the settlement caps the grant at realised
    co-funding ÷ ratio (finance.settlement), so a team that pledges exactly what we ask must
    reach the whole award there. Rounded down, even by half a cent, it would not: 12.345,65
    x 0,50 = 6.172,825, half-even 6.172,82, which caps the grant at 12.345,64; 100,01 x 0,25 =
    25,0025, half-up 25,00, which caps it at 100,00.
    """
    return (Decimal(amount) * Decimal(ratio)).quantize(CENT, rounding=ROUND_CEILING)


def minimum_cofunding(budget_total, ratio) -> Decimal:
    """The least co-funding that meets `ratio` when the request is the budget minus the co-funding.

    requested = B - C and C >= ratio x requested, so C >= ratio x B / (1 + ratio); rounded up to the
    cent, like `required_cofunding`, so that pledging it exactly meets the requirement.
    """
    ratio, budget_total = Decimal(ratio), Decimal(budget_total)
    if ratio <= 0 or budget_total <= 0:
        return Decimal("0.00")
    return (ratio * budget_total / (1 + ratio)).quantize(CENT, rounding=ROUND_CEILING)


def format_euro(amount, language: str | None = None) -> str:
    """`€ 194.950,00` in Dutch, `€194,950.00` in English."""
    if amount is None:
        return ""
    amount = to_money(amount)
    sign = "-" if amount < 0 else ""
    space = " " if _dutch(language) else ""
    return f"{sign}€{space}{euro_input(abs(amount), language)}"


def euro_input(amount, language: str | None = None) -> str:
    """An amount as a text box shows it: `1.500,00` in Dutch, `1,500.00` in English (parse_euro reads it back)."""
    decimal_mark, thousands = separators(language)
    whole, cents = f"{to_money(amount):,.2f}".split(".")
    return f"{whole.replace(',', thousands)}{decimal_mark}{cents}"


def parse_euro(value, language: str | None = None) -> Decimal:
    """Read an amount as the reader writes it; ValueError when it is none.

    Dutch: "14.400", "4.750,50", "€ 4.750,50", "14400"; English: "14,400", "4,750.50". The digits after
    the decimal mark are kept as typed (Decimal("4.755")), so the caller can refuse a third decimal
    instead of rounding it away.
    """
    decimal_mark, thousands = separators(language)
    text = AMOUNT_NOISE.sub("", str(value or "")).upper().removeprefix("EUR")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, fraction = _split_cents(text, decimal_mark, thousands)
    grouped = rf"[0-9]{{1,3}}({re.escape(thousands)}[0-9]{{3}})+"
    if not (re.fullmatch(r"[0-9]+", whole) or re.fullmatch(grouped, whole)):
        raise ValueError(value)
    if fraction is not None and not re.fullmatch(r"[0-9]+", fraction):
        raise ValueError(value)
    digits = whole.replace(thousands, "")
    return Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")


def _split_cents(text: str, decimal_mark: str, thousands: str) -> tuple[str, str | None]:
    """(whole euros, the digits after the decimal mark or None).

    The other language's mark followed by one or two digits ("1500.50" in Dutch, as a spreadsheet
    or the browser writes it) can only be cents: thousands come in groups of three.
    """
    if decimal_mark in text:
        whole, _mark, fraction = text.rpartition(decimal_mark)
        return whole, fraction
    if re.fullmatch(rf"[0-9]+{re.escape(thousands)}[0-9]{{1,2}}", text):
        whole, _mark, fraction = text.partition(thousands)
        return whole, fraction
    return text, None
