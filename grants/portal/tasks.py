"""Celery tasks of the portal: thin wrappers that take ids (see documents.tasks for the retry policy)."""

from celery import shared_task

from documents.emails import PermanentEmailError, TemporaryEmailError, deliver_email
from documents.tasks import _retry_or_give_up

from . import pledge_links


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_pledge_links(self, application_id: int) -> int:
    """E-mail every co-funder with an open pledge its personal link; safe to run twice."""
    sent = 0
    for email in pledge_links.queue_pledge_links(application_id):
        try:
            sent += bool(deliver_email(email.pk))
        except PermanentEmailError:
            continue  # the row is failed with the reason
        except TemporaryEmailError as error:
            _retry_or_give_up(self, error, lambda reason: None)
            return sent
    return sent
