from django import template

from grants.money import format_euro

from ..forms import euro_input

register = template.Library()


@register.filter
def euro(amount) -> str:
    """€ 194.950,00"""
    return "" if amount is None or amount == "" else format_euro(amount)


@register.filter
def euro_plain(amount) -> str:
    """1500.00, for data attributes read by the editor's script."""
    return "" if amount is None else f"{amount:.2f}"


register.filter("euro_input", euro_input)
