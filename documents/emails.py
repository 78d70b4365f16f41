"""Building and sending e-mails from `documents/emails/<kind>/`, exactly once.

`deliver_email` claims the row with a conditional update (queued/failed -> sending)
before the SMTP conversation, so two workers never both send it, and writes the
"sent" marker in the same instant the SMTP server has accepted the message. The one
window left open is between the server's 250 after DATA and that UPDATE (about a
millisecond); see docs/architecture.md, "Letters".
"""

import contextlib
import smtplib
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingEmail

E = OutgoingEmail.Status


class EmailError(Exception):
    """Sending failed; `reason` is what the officer sees."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TemporaryEmailError(EmailError):
    """Try again later: connection refused or dropped, timeouts, 4xx replies."""


class PermanentEmailError(EmailError):
    """Never try again by itself: 5xx replies such as a refused recipient."""


def mail_domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "grantdesk.localhost"


def is_temporary(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return False
    # SMTPServerDisconnected, ConnectionRefusedError, timeouts, DNS trouble: all OSError.
    return isinstance(error, OSError)


def queue_email(
    *, key: str, to: list[str], template: str, context: dict, cc=None, letter=None, message_id: str = ""
) -> OutgoingEmail:
    """Record an e-mail to send; a second call with the same key returns the first."""
    with translation.override("nl"):
        subject = " ".join(render_to_string(f"documents/emails/{template}/subject.txt", context).split())
    email, _created = OutgoingEmail.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "cc": cc or [],
            "subject": subject[:300],
            "template": template,
            "context": context,
            "letter": letter,
            "message_id": message_id,
        },
    )
    return email


def deliver_email(email_id: int, *, on_sent=None) -> bool:
    """Send a queued e-mail once. Returns False when it was already sent (or is being sent).

    `on_sent(email)` runs in its own transaction right after the "sent" marker is written
    (a letter marks itself sent there; if the worker dies in between, the stuck-letter job
    finds the e-mail sent and marks the letter without sending again).
    Raises `TemporaryEmailError` (the row is queued again for a
    retry) or `PermanentEmailError` (the row is failed, with the reason).
    """
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(pk=email_id, status__in=[E.QUEUED, E.FAILED]).update(
        status=E.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.select_related("letter").get(pk=email_id)
    if not email.message_id:
        email.message_id = make_msgid(domain=mail_domain(), idstring=f"email{email.pk}")
        OutgoingEmail.objects.filter(pk=email.pk).update(message_id=email.message_id)
    connection = get_connection()
    try:
        message = build_message(email, connection=connection)
        # Open first, so that send_messages() does not close (QUIT) before the marker is written.
        connection.open()
        connection.send_messages([message])
    except Exception as error:
        with contextlib.suppress(Exception):
            connection.close()
        reason = f"{type(error).__name__}: {error}"[:2000]
        temporary = is_temporary(error)
        OutgoingEmail.objects.filter(pk=email.pk, status=E.SENDING).update(
            status=E.QUEUED if temporary else E.FAILED, failure_reason=reason
        )
        raise (TemporaryEmailError if temporary else PermanentEmailError)(reason) from error
    # The server has the message: the marker first, one autocommitted UPDATE, before anything else
    # (the letter's own status, the audit event and the QUIT come after it). This UPDATE is the only
    # thing between the server's acceptance and the marker: the duplicate window is that short.
    OutgoingEmail.objects.filter(pk=email.pk).update(status=E.SENT, sent_at=timezone.now(), failure_reason="")
    with contextlib.suppress(Exception):
        connection.close()
    if on_sent is not None:
        with transaction.atomic():
            on_sent(email)
    return True


def build_message(email: OutgoingEmail, connection=None) -> EmailMultiAlternatives:
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
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    letter = email.letter
    if letter is not None and letter.pdf:
        with letter.pdf.open("rb") as handle:
            message.attach(email.context.get("filename") or f"brief-{letter.pk}.pdf", handle.read(), "application/pdf")
    return message
