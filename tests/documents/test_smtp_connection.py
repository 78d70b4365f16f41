"""The SMTP connection a worker keeps between e-mails: one conversation for a burst of letters,
checked with a NOOP only after idling, and replaced when the server has dropped it meanwhile."""

import time

import pytest
from aiosmtpd.controller import Controller

from documents import emails
from documents.models import OutgoingEmail
from tests.documents.test_pipeline_integration import free_port

pytestmark = pytest.mark.django_db


class CountingSink:
    def __init__(self):
        self.greetings = 0
        self.noops = 0
        self.messages = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.greetings += 1
        session.host_name = hostname
        return responses

    async def handle_NOOP(self, server, session, envelope, arg):
        self.noops += 1
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 OK"


@pytest.fixture
def sink(settings):
    """A local SMTP server that drops a client idle for half a second (as real ones do after minutes)."""
    handler = CountingSink()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), timeout=0.5)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    yield handler
    kept = getattr(emails._kept, "connection", None)
    if kept is not None:
        emails._discard(kept)
    controller.stop()


def send(number: int) -> OutgoingEmail:
    email = emails.queue_email(
        key=f"test:{number}",
        to=["team@example.nl"],
        template="decision_term_warning",
        context={"reference": f"OIF-2026-{number:05}", "days_left": 3},
    )
    assert emails.deliver_email(email.pk)
    email.refresh_from_db()
    return email


def test_a_burst_of_emails_goes_over_one_connection_without_noops(sink):
    sent = [send(number) for number in range(3)]
    assert [email.status for email in sent] == [OutgoingEmail.Status.SENT] * 3
    assert (sink.messages, sink.greetings, sink.noops) == (3, 1, 0)


def test_after_idling_the_connection_is_checked_and_a_dropped_one_replaced(sink, monkeypatch):
    monkeypatch.setattr(emails, "NOOP_AFTER_IDLE_SECONDS", 0.2)
    send(1)
    time.sleep(1.0)  # the server has dropped the idle client by now
    second = send(2)
    assert (second.status, second.attempts, second.failure_reason) == (OutgoingEmail.Status.SENT, 1, "")
    assert (sink.messages, sink.greetings) == (2, 2)


def test_after_a_short_idle_a_live_connection_is_checked_and_kept(sink, monkeypatch):
    monkeypatch.setattr(emails, "NOOP_AFTER_IDLE_SECONDS", 0.1)
    send(1)
    time.sleep(0.2)  # idle past the threshold, well within the server's timeout
    send(2)
    assert (sink.messages, sink.greetings, sink.noops) == (2, 1, 1)


def test_a_connection_the_server_closed_is_replaced_without_a_noop_or_a_failed_attempt(sink):
    send(1)
    time.sleep(1.0)  # the server drops the idle client; well within NOOP_AFTER_IDLE_SECONDS
    second = send(2)
    assert (second.status, second.attempts, second.failure_reason) == (OutgoingEmail.Status.SENT, 1, "")
    assert (sink.messages, sink.greetings, sink.noops) == (2, 2, 0)


class OneMessagePerConnection(CountingSink):
    """Like servers with a limit of messages per connection: a second MAIL on one connection gets 421."""

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        session.sent = getattr(session, "sent", 0) + 1
        if session.sent > 1:
            return "421 4.3.2 Too many messages on this connection"
        envelope.mail_from = address
        return "250 OK"


def test_a_421_on_a_kept_connection_sends_at_once_on_a_new_one(settings):
    handler = OneMessagePerConnection()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", controller.port, False
    try:
        sent = [send(number) for number in range(3)]
    finally:
        if getattr(emails._kept, "connection", None) is not None:
            emails._discard(emails._kept.connection)
        controller.stop()
    assert [(email.status, email.attempts) for email in sent] == [(OutgoingEmail.Status.SENT, 1)] * 3
    assert (handler.messages, handler.greetings) == (3, 3)
