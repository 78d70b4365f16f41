"""Celery beat jobs of the Awb calendar: thin wrappers around ``workflow.reminders``.

They take no arguments, re-read the database and are safe to run twice: every
e-mail they send is keyed (see ``workflow.reminders``). Scheduled in
``CELERY_BEAT_SCHEDULE`` (config/settings.py), in Europe/Amsterdam time.
"""

from celery import shared_task

from . import reminders


def _job(name: str) -> int:
    return reminders.run_job(name).pk


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=900, max_retries=5)
def send_decision_term_warnings() -> int:
    return _job("decision_term_warnings")


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=900, max_retries=5)
def send_overdue_decisions_digest() -> int:
    return _job("overdue_decisions_digest")


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=900, max_retries=5)
def send_report_reminders() -> int:
    return _job("report_reminders")


@shared_task(acks_late=True)
def run_daily_jobs() -> list[int]:
    """Every daily job in one go (for a manual catch-up or a test); beat schedules them one by one."""
    return [_job(name) for name in reminders.DAILY_JOBS]


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=10, retry_backoff_max=600, max_retries=8)
def send_pledge_withdrawn(pledge_id: int, was: str) -> None:
    emails = reminders.queue_pledge_withdrawn(pledge_id, was)
    reminders.deliver(emails)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=10, retry_backoff_max=600, max_retries=8)
def send_objection_term_extended(objection_id: int, reasons: str) -> None:
    email = reminders.queue_objection_term_extended(objection_id, reasons)
    reminders.deliver([email])
