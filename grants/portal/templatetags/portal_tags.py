"""Template helpers of the team's pages: amounts, days left, URLs of pages that may not exist yet."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import ngettext

from grants.money import format_euro

register = template.Library()


@register.filter
def euro(amount) -> str:
    """`€ 194.950,00` in Dutch; a dash for no amount."""
    return format_euro(amount) if amount is not None else "—"


@register.filter
def days_left(days) -> str:
    if days is None:
        return "—"
    if days < 0:
        return ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {"days": -days}
    return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}


@register.simple_tag
def optional_url(name, *args):
    """The URL, or "" while the page's owner has not built it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
