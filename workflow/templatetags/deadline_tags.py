"""Template helpers of the deadline pages."""

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def days_left_text(days: int | None) -> str:
    """'5 days left', 'today', '3 days overdue' for a number of days left (may be negative)."""
    if days is None:
        return "—"
    if days < 0:
        return ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {"days": -days}
    return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
