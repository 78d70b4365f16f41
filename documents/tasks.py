"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task

from . import receipts
from .emails import deliver_email


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=10, retry_backoff_max=600, max_retries=8)
def send_submission_receipt(application_id: int) -> None:
    email = receipts.queue_submission_receipt(application_id)
    deliver_email(email.pk)
