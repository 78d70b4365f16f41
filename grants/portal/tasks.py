"""Celery tasks of the portal: thin wrappers that take ids (see documents.tasks for the retry policy)."""

from celery import shared_task
from django.conf import settings

from documents.emails import PermanentEmailError, TemporaryEmailError, deliver_email
from documents.tasks import backoff

from . import pledge_links


def _retry_or_give_up(task, error: TemporaryEmailError) -> None:
    """Retry with the letters' backoff; after the last try the e-mail row stays queued with its reason."""
    if task.request.retries >= settings.GRANTDESK_LETTER_MAX_RETRIES:
        return
    raise task.retry(exc=error, countdown=backoff(task.request.retries))


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_pledge_links(self, application_id: int) -> int:
    """E-mail every co-funder with an open pledge its personal link; safe to run twice."""
    sent, temporary = 0, None
    for email in pledge_links.queue_pledge_links(application_id):
        try:
            sent += bool(deliver_email(email.pk))
        except PermanentEmailError:
            continue  # the row is failed with the reason
        except TemporaryEmailError as error:
            temporary = error  # try the others first; a retry skips those already sent
    if temporary is not None:
        _retry_or_give_up(self, temporary)
    return sent


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_pledge_link_again(self, pledge_id: int, day: str) -> bool:
    """A fresh link the team asked for; keyed per day, so a repeated click sends one e-mail."""
    pledge = pledge_links.with_related(pledge_links.CoFundingPledge.objects.filter(pk=pledge_id)).first()
    if pledge is None or not pledge_links.link_can_be_sent(pledge):
        return False
    email = pledge_links.queue_pledge_link(pledge, again_on=day)
    try:
        return deliver_email(email.pk)
    except PermanentEmailError:
        return False
    except TemporaryEmailError as error:
        _retry_or_give_up(self, error)
        return False
