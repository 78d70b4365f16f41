"""Running a django-fsm transition the one way Grantdesk allows.

`perform` checks the transition is possible and asks its guards why not when it
is not, runs it, saves only the fields it changed and appends the audit event.
Callers (the actions) hold the row lock and have checked permission already.
"""

import copy

from django.utils.translation import gettext as _

from grants.audit import record_event
from grants.guards import Guard

from .exceptions import TransitionRefused


def _meta(instance, name: str):
    method = getattr(type(instance), name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise TypeError(f"{type(instance).__name__}.{name} is not a transition")
    return meta


def refusals(instance, name: str) -> list[str]:
    """Why transition `name` cannot run on `instance` now; empty when it can."""
    meta = _meta(instance, name)
    state = meta.field.get_state(instance)
    if not meta.has_transition(state):
        return [
            _("“%(action)s” is not possible while the status is “%(status)s”.")
            % {"action": action_label(name), "status": state_label(instance, state)}
        ]
    messages = []
    for condition in meta.get_transition(state).conditions:
        if isinstance(condition, Guard):
            messages.extend(condition.refusals(instance))
        elif not condition(instance):
            messages.append(_("A condition of “%(action)s” is not met.") % {"action": action_label(name)})
    return messages


def is_possible(instance, name: str) -> bool:
    return not refusals(instance, name)


def _snapshot(instance) -> dict:
    # JSON values are deep-copied, so that a transition that changes one in place
    # (data["x"] = 1) still shows up as changed and gets saved.
    snapshot = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        snapshot[field.attname] = copy.deepcopy(value) if isinstance(value, dict | list) else value
    return snapshot


def perform(
    instance,
    name: str,
    *,
    actor,
    reason: str = "",
    data: dict | None = None,
    args: tuple = (),
    kwargs: dict | None = None,
    application=None,
):
    """Run transition `name` on a locked `instance`, save what changed, audit it."""
    problems = refusals(instance, name)
    if problems:
        raise TransitionRefused(problems)
    field = _meta(instance, name).field
    before = _snapshot(instance)
    from_state = field.get_state(instance)
    result = getattr(instance, name)(*args, **(kwargs or {}))
    after = _snapshot(instance)
    changed = [attname for attname, value in after.items() if before[attname] != value]
    changed += [f.attname for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
    instance.save(update_fields=sorted(set(changed)))
    record_event(
        instance,
        actor=actor,
        action=name,
        from_state=from_state,
        to_state=field.get_state(instance),
        reason=reason,
        data=data,
        application=application,
    )
    return result


def action_label(name: str) -> str:
    from .labels import ACTION_LABELS as labels

    return str(labels.get(name, name.replace("_", " ")))


def state_label(instance, state) -> str:
    field = instance._meta.get_field("status")
    return str(dict(field.flatchoices).get(state, state))
