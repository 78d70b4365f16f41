"""Building and sending e-mails from `documents/emails/<kind>/`, exactly once.

`deliver_email` claims the row with a conditional update (queued/failed -> sending)
before the SMTP conversation, so two workers never both send it, and writes the
"sent" marker in the same instant the SMTP server has accepted the message. A row can
also be made already claimed (`queue_email(claimed=True)`): the letter's render step
does so in its own transaction, under the letter's lock, and sends it right after. The one
window left open is between the server's 250 after DATA and that UPDATE (about a
millisecond); see docs/architecture.md, "Letters".

With the SMTP backend, each process (thread) keeps its connection open between messages:
connect, EHLO and QUIT once, not per message. Before each message a local look at the socket
finds a connection the server has closed (after its idle timeout or a message limit), and a
connection idle for a few seconds also gets a NOOP; either way a dead one is replaced. In a
burst (a ranking round's letters, back to back) the NOOP round trip is skipped. Any error
while sending discards the connection, so the next message starts on a fresh one.
"""

import contextlib
import select
import smtplib
import threading
import time
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import make_msgid
from django.db import transaction
from django.db.models import F
from django.template import Context
from django.template.loader import get_template, render_to_string
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


def render_text(template_name: str, context: dict) -> str:
    """A plain-text part (subject.txt, body.txt), rendered without HTML escaping.

    Autoescaping is for HTML: in plain text "Gemeente &#x27;s-Hertogenbosch" is what the reader
    would see. One place for every e-mail kind, so no text template needs `{% autoescape off %}`;
    body.html is still rendered with escaping (`render_to_string`).
    """
    return get_template(template_name).template.render(Context(context, autoescape=False))


def queue_email(
    *,
    key: str,
    to: list[str],
    template: str,
    context: dict,
    cc=None,
    letter=None,
    message_id: str = "",
    claimed: bool = False,
) -> OutgoingEmail:
    """Record an e-mail to send; a second call with the same key returns the first.

    `claimed`: the caller knows no row with this key exists (it holds a lock that rules one out)
    and sends the e-mail itself right after its transaction commits: the row is inserted
    already claimed (`sending`), one INSERT instead of a lookup, an insert and a claim.
    Should the caller die before sending, the stuck-letter job puts the row back in the queue.
    """
    with translation.override("nl"):
        subject = " ".join(render_text(f"documents/emails/{template}/subject.txt", context).split())
    fields = {
        "to": to,
        "cc": cc or [],
        "subject": subject[:300],
        "template": template,
        "context": context,
        "letter": letter,
        "message_id": message_id,
    }
    if claimed:
        return OutgoingEmail.objects.create(key=key, status=E.SENDING, claimed_at=timezone.now(), attempts=1, **fields)
    email, _created = OutgoingEmail.objects.get_or_create(key=key, defaults=fields)
    return email


_kept = threading.local()
# Idle seconds after which a kept connection is checked with a NOOP before use. SMTP servers
# drop idle clients after minutes (RFC 5321 asks for at least five); a drop within this
# span would fail one attempt before any of the message is sent, and the retry sends it.
NOOP_AFTER_IDLE_SECONDS = 5.0


def _settings_key() -> tuple:
    names = ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS", "EMAIL_USE_SSL")
    return tuple(getattr(settings, name, None) for name in names)


def _discard(connection) -> None:
    with contextlib.suppress(Exception):
        connection.close()
    if getattr(_kept, "connection", None) is connection:
        _kept.connection = None


def _closed_by_server(smtp) -> bool:
    """Whether the server has hung up (or said something unasked, such as "421 timeout") since the
    last reply: then the socket has something to read. A local check, no round trip; a NOOP is
    still needed for a connection that died without a word (after idling, see above)."""
    try:
        readable, _writable, _failed = select.select([smtp.sock], [], [], 0)
    except (OSError, ValueError, TypeError):
        return True
    return bool(readable)


def _connection():
    """The connection to send with: the kept SMTP connection if it is still good, else a new one.

    Other backends (file, locmem: development and tests) get a new connection per message,
    closed after it as before (the file backend writes its file on close).
    """
    key = _settings_key()
    kept = getattr(_kept, "connection", None)
    if kept is not None:
        smtp = kept.connection
        if getattr(_kept, "key", None) == key and smtp is not None and not _closed_by_server(smtp):
            if time.monotonic() - _kept.last_used < NOOP_AFTER_IDLE_SECONDS:
                return kept
            try:
                alive = smtp.noop()[0] == 250
            except Exception:
                alive = False
            if alive:
                return kept
        _discard(kept)
    connection = get_connection()
    if isinstance(connection, SMTPBackend):
        _kept.connection, _kept.key, _kept.last_used = connection, key, float("-inf")
    return connection


def _done_with(connection) -> None:
    """After a message went out: keep an SMTP connection open, close any other."""
    if getattr(_kept, "connection", None) is connection:
        _kept.last_used = time.monotonic()
    else:
        with contextlib.suppress(Exception):
            connection.close()


def deliver_email(
    email_id: int, *, on_sent=None, email: OutgoingEmail | None = None, attachment=None, claimed: bool = False
) -> bool:
    """Send a queued e-mail once. Returns False when it was already sent (or is being sent).

    `email` is the row when the caller has just read or made it (its content does not change
    after it is queued), saving a read; `attachment` the letter's PDF bytes when they are at hand.
    `claimed`: `email` was made claimed by this caller (`queue_email(claimed=True)`), so the
    claim is already in the database.

    `on_sent(email)` runs in its own transaction right after the "sent" marker is written
    (a letter marks itself sent there; if the worker dies in between, the stuck-letter job
    finds the e-mail sent and marks the letter without sending again).
    Raises `TemporaryEmailError` (the row is queued again for a
    retry) or `PermanentEmailError` (the row is failed, with the reason).
    """
    if not claimed:
        now = timezone.now()
        won = OutgoingEmail.objects.filter(pk=email_id, status__in=[E.QUEUED, E.FAILED]).update(
            status=E.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if not won:
            return False
        if email is None:
            email = OutgoingEmail.objects.select_related("letter").get(pk=email_id)
        else:
            email.status, email.claimed_at = E.SENDING, now
    if not email.message_id:
        email.message_id = make_msgid(domain=mail_domain(), idstring=f"email{email.pk}")
        OutgoingEmail.objects.filter(pk=email.pk).update(message_id=email.message_id)
    connection = _connection()
    try:
        try:
            _send(connection, build_message(email, connection=connection, attachment=attachment))
        except Exception as error:
            if not (_was_kept(connection) and _closing(error)):
                raise
            # The server refused this message with 421 on a connection kept from earlier messages
            # (a limit of messages per connection, say): it was not accepted, so a new connection
            # may send it at once instead of a failed attempt and a retry after the backoff.
            _discard(connection)
            connection = _connection()
            _send(connection, build_message(email, connection=connection, attachment=attachment))
    except Exception as error:
        _discard(connection)
        reason = f"{type(error).__name__}: {error}"[:2000]
        temporary = is_temporary(error)
        OutgoingEmail.objects.filter(pk=email.pk, status=E.SENDING).update(
            status=E.QUEUED if temporary else E.FAILED, failure_reason=reason
        )
        raise (TemporaryEmailError if temporary else PermanentEmailError)(reason) from error
    # The server has the message: the marker first, one autocommitted UPDATE, before anything else
    # (the letter's own status and the audit event come after it; an SMTP connection stays open for
    # the next message, any other is closed after it). This UPDATE is the only thing between the
    # server's acceptance and the marker: the duplicate window is that short.
    OutgoingEmail.objects.filter(pk=email.pk).update(status=E.SENT, sent_at=timezone.now(), failure_reason="")
    _done_with(connection)
    if on_sent is not None:
        with transaction.atomic():
            on_sent(email)
    return True


def _send(connection, message) -> None:
    # Open first (a no-op on a kept connection), so that send_messages() does not close (QUIT)
    # before the marker is written.
    connection.open()
    connection.send_messages([message])


def _was_kept(connection) -> bool:
    """The kept SMTP connection, having sent a message before this one."""
    return getattr(_kept, "connection", None) is connection and _kept.last_used != float("-inf")


def _closing(error: Exception) -> bool:
    """421, "service not available, closing the channel": the server did not take the message."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code == 421 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code == 421


def build_message(email: OutgoingEmail, connection=None, attachment: bytes | None = None) -> EmailMultiAlternatives:
    """The message; a letter's PDF is attached from `attachment` if given, else read from storage."""
    context = {**email.context}
    with translation.override("nl"):
        body = render_text(f"documents/emails/{email.template}/body.txt", context)
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
        if attachment is None:
            with letter.pdf.open("rb") as handle:
                attachment = handle.read()
        message.attach(email.context.get("filename") or f"brief-{letter.pk}.pdf", attachment, "application/pdf")
    return message
