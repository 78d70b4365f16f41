from django import template

from grants.money import format_euro

register = template.Library()


@register.filter
def euro(amount):
    """€ 1.234,56 in Dutch, €1,234.56 in English."""
    return format_euro(amount)
