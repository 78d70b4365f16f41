"""Celery tasks: thin wrappers that take ids and call services.

`acks_late` (and the project-wide `task_reject_on_worker_lost`): a task killed with its
worker is delivered again, and the service's lock and marker make that harmless.

`render_letter` sends the letter right after its render transaction has committed, in the
same execution (no second trip through the broker, nothing built twice); the send is still
its own step with its own marker (the e-mail's claim) and transaction. Only when that
first attempt meets a temporary SMTP error does a `send_letter` task take over, with the
retry count and backoff it would have had as a task of its own. A worker that dies between
the two steps leaves the letter `rendered`: the stuck-letter job sends it.
Temporary SMTP errors are retried with exponential backoff; the countdown never exceeds
GRANTDESK_LETTER_RETRY_BACKOFF_MAX, kept below the Redis visibility timeout, or Redis
would deliver the waiting message a second time. Permanent errors are not retried.
"""

import random

from celery import shared_task
from django.conf import settings

from . import receipts, services
from .emails import PermanentEmailError, TemporaryEmailError, deliver_email


def backoff(retries: int) -> float:
    """Exponential, capped, with a little jitter so that a batch does not retry in lockstep."""
    base = settings.GRANTDESK_LETTER_RETRY_BACKOFF * (2**retries)
    return min(base, settings.GRANTDESK_LETTER_RETRY_BACKOFF_MAX) * random.uniform(0.8, 1.0)


def _retry_or_give_up(task, error: TemporaryEmailError, give_up) -> None:
    if task.request.retries >= settings.GRANTDESK_LETTER_MAX_RETRIES:
        give_up(error.reason)
        return
    raise task.retry(exc=error, countdown=backoff(task.request.retries))


@shared_task(bind=True, acks_late=True)
def render_letter(self, letter_id: int) -> bool:
    rendered = services.render_letter_step(letter_id)
    if rendered is None:
        return False
    try:
        services.send_letter(letter_id, rendered=rendered)
    except TemporaryEmailError as error:
        # The first send attempt (retries=0) failed: the send_letter task goes on from retry 1.
        if settings.GRANTDESK_LETTER_MAX_RETRIES <= 0:
            services.letter_give_up(letter_id, error.reason)
        else:
            send_letter.apply_async((letter_id,), countdown=backoff(0), retries=1)
    return True


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_letter(self, letter_id: int) -> bool:
    try:
        return services.send_letter(letter_id)
    except TemporaryEmailError as error:
        _retry_or_give_up(self, error, lambda reason: services.letter_give_up(letter_id, reason))
        return False


def _deliver(task, email_id: int) -> bool:
    """Send a queued e-mail that is not a letter, retrying temporary SMTP errors with backoff."""
    try:
        return deliver_email(email_id)
    except PermanentEmailError:
        return False  # the row is failed with the reason; nothing to retry
    except TemporaryEmailError as error:
        _retry_or_give_up(task, error, lambda reason: None)
        return False


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_outgoing_email(self, email_id: int) -> bool:
    """Any queued e-mail that is not a letter (receipts, after a crash)."""
    return _deliver(self, email_id)


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_submission_receipt(self, application_id: int) -> bool:
    return _deliver(self, receipts.queue_submission_receipt(application_id).pk)


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_objection_receipt(self, objection_id: int) -> bool:
    """Queued once per objection (its key), so a retry or a second run sends nothing twice."""
    return _deliver(self, receipts.queue_objection_receipt(objection_id).pk)


@shared_task(acks_late=True)
def requeue_stuck_letters() -> dict:
    """Periodic (CELERY_BEAT_SCHEDULE): move on letters and e-mails a crash left behind."""
    return services.requeue_stuck()
