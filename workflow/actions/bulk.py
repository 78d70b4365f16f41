"""Bulk actions on the officer's queue: the normal action, once per application.

Each item runs in its own transaction through the same action a single click would
call, so permission, guards, audit and letters are exactly the same; one refusal
does not undo the others, and is reported for its own application.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..exceptions import ActionRefused
from .screening import application_request_info, application_start_review, review_assign

BULK_ACTIONS = {
    "assign_reviewer": gettext_lazy("Assign a reviewer"),
    "request_info": gettext_lazy("Request information"),
    "start_review": gettext_lazy("Start review"),
}


@dataclass
class BulkOutcome:
    application: object
    ok: bool
    messages: list[str] = field(default_factory=list)


def bulk_apply(*, actor, applications, action: str, reviewer=None, message: str = "", due_date=None):
    """Run `action` on every application; return one `BulkOutcome` per application."""
    if action not in BULK_ACTIONS:
        raise ActionRefused(_("Unknown bulk action."))
    outcomes = []
    for application in applications:
        try:
            if action == "assign_reviewer":
                if reviewer is None:
                    raise ActionRefused(_("Choose a reviewer."))
                review_assign(application=application, actor=actor, reviewer=reviewer)
            elif action == "request_info":
                application_request_info(application=application, actor=actor, message=message, due_date=due_date)
            elif action == "start_review":
                application_start_review(application=application, actor=actor)
        except ActionRefused as refusal:
            outcomes.append(BulkOutcome(application, False, refusal.messages))
        else:
            outcomes.append(BulkOutcome(application, True))
    return outcomes
