"""Writing audit events: the one way every app records a change of state."""

from django.contrib.contenttypes.models import ContentType

from .models import Application, AuditEvent


def record_event(
    subject,
    *,
    actor,
    action: str,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
    application: Application | None = None,
    funder=None,
) -> AuditEvent:
    """Append one audit event about `subject` (any model instance)."""
    if application is None and isinstance(subject, Application):
        application = subject
    if funder is None and application is not None:
        funder = application.scheme.funder
    return AuditEvent.objects.create(
        funder=funder,
        application=application,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        data=data or {},
    )
