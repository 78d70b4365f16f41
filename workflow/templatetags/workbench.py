"""Small template filters for the workbench pages."""

from django import template
from django.urls import NoReverseMatch, reverse

from grants.money import format_euro

register = template.Library()


@register.filter
def euro(amount):
    return format_euro(amount)


@register.filter
def abs_int(value):
    return abs(int(value))


@register.simple_tag
def holds_role(user, *roles) -> bool:
    """Whether `user` holds one of `roles` at any funder (for showing navigation only)."""
    from grants.rules import roles_of

    return any(set(roles) & held for held in roles_of(user).values())


@register.simple_tag
def optional_url(name, *args, **kwargs):
    """The URL of `name`, or "" while the app that provides it has not landed yet."""
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return ""


@register.filter
def action_label(code):
    """An audit event's action as its label ("Request information"), never the raw code."""
    from workflow.labels import event_action_label

    return event_action_label(code or "")


@register.filter
def state_label(code, model_name=""):
    """A recorded state as its label; pass the event's subject model (`event.subject_type.model`)."""
    from workflow.labels import event_state_label

    return event_state_label(code or "", model_name or "")
