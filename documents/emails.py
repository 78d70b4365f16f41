"""Building and sending e-mails from `templates/documents/emails/<kind>/`, exactly once."""

from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingEmail


def queue_email(*, key: str, to: list[str], template: str, context: dict, cc=None, letter=None) -> OutgoingEmail:
    """Record an e-mail to send; a second call with the same key returns the first."""
    with translation.override("nl"):
        subject = render_to_string(f"documents/emails/{template}/subject.txt", context).strip()
    email, _created = OutgoingEmail.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "cc": cc or [],
            "subject": subject,
            "template": template,
            "context": context,
            "letter": letter,
        },
    )
    return email


def deliver_email(email_id: int) -> bool:
    """Send a queued e-mail once. Returns False when it was already sent (or is being sent).

    The row is claimed with a conditional update (queued/failed -> sending) before
    the SMTP conversation, so two workers never both send it.
    """
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.FAILED]
    ).update(status=OutgoingEmail.Status.SENDING)
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    if not email.message_id:
        email.message_id = make_msgid(domain="grantdesk.localhost", idstring=f"email{email.pk}")
        email.save(update_fields=["message_id"])
    message = build_message(email)
    try:
        message.send()
    except Exception as error:
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.FAILED,
            failure_reason=str(error)[:2000],
            attempts=email.attempts + 1,
        )
        raise
    with transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.SENT,
            sent_at=timezone.now(),
            attempts=email.attempts + 1,
            failure_reason="",
        )
    return True


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    context = {**email.context}
    with translation.override("nl"):
        body = render_to_string(f"documents/emails/{email.template}/body.txt", context)
        html = render_to_string(f"documents/emails/{email.template}/body.html", context)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=body,
        to=email.to,
        cc=email.cc,
        headers={"Message-ID": email.message_id},
    )
    message.attach_alternative(html, "text/html")
    return message
