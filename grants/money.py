"""Euro amounts: always Decimal with two places, written the Dutch way in Dutch."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    """Round to cents the way Dutch administrations do (half up)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_euro(amount, language: str | None = None) -> str:
    """`€ 194.950,00` in Dutch, `€194,950.00` in English."""
    if amount is None:
        return ""
    amount = to_money(amount)
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):,.2f}".split(".")
    language = language or translation.get_language() or "nl"
    if language.startswith("nl"):
        return f"{sign}€ {whole.replace(',', '.')},{cents}"
    return f"{sign}€{whole}.{cents}"
