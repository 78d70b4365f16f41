"""Checks shared by the workflow tests."""

from grants.models import AuditEvent
from workflow.states import DecisionStatus


def assert_replaced_with_an_audit_event(first, second, *, actor, kind) -> None:
    """Preparing `second` cancelled the prepared `first`, and the audit log says who and why."""
    first.refresh_from_db()
    assert (first.status, second.status) == (DecisionStatus.CANCELLED, DecisionStatus.PREPARED)
    event = AuditEvent.objects.get(application=first.application, action="cancel_decision")
    assert (event.subject_id, event.actor, event.from_state, event.to_state) == (
        first.pk,
        actor,
        DecisionStatus.PREPARED,
        DecisionStatus.CANCELLED,
    )
    assert event.data == {"kind": kind, "why": "replaced"}
