"""Actions enqueue on commit; a real worker process over Redis runs the task; a rollback sends nothing."""

import pytest
from django.db import transaction

from documents.models import OutgoingEmail
from grants.models import Application
from tests.factories import ApplicationFactory
from workflow.actions import application_submit
from workflow.states import ApplicationStatus

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class Rollback(Exception):
    pass


def submit_and_roll_back(application):
    """The action succeeds, then something later in the same transaction fails."""
    with transaction.atomic():
        application_submit(application=application, actor=application.team.contact)
        raise Rollback


def receipt_sent(worker, application):
    email = OutgoingEmail.objects.filter(key=f"receipt:{application.pk}", status=OutgoingEmail.Status.SENT).first()
    if email is None:
        return None
    return [message for message in worker.sent_mail() if application.reference in message]


def test_the_worker_runs_against_the_test_database(celery_worker_process):
    assert celery_worker_process.alive
    assert "--pool=prefork" in celery_worker_process.process.args
    assert "concurrency: 2 (prefork)" in celery_worker_process.log()


def test_submitting_sends_the_receipt_through_the_real_worker(celery_worker_process):
    application = ApplicationFactory()
    application_submit(application=application, actor=application.team.contact)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    messages = celery_worker_process.wait_until(
        lambda: receipt_sent(celery_worker_process, application), what="the receipt e-mail"
    )
    assert len(messages) == 1
    assert application.team.contact.email in messages[0]
    assert "send_submission_receipt" in celery_worker_process.log()


def test_a_rolled_back_action_enqueues_nothing(celery_worker_process):
    rolled_back = ApplicationFactory()
    with pytest.raises(Rollback):
        submit_and_roll_back(rolled_back)
    rolled_back.refresh_from_db()
    assert rolled_back.status == ApplicationStatus.DRAFT

    # A later submission goes through the same queue; once its receipt is out, anything the
    # rolled-back one had enqueued would have been consumed before it (one queue, FIFO).
    sentinel = ApplicationFactory()
    application_submit(application=sentinel, actor=sentinel.team.contact)
    sentinel.refresh_from_db()
    celery_worker_process.wait_until(lambda: receipt_sent(celery_worker_process, sentinel), what="the sentinel receipt")

    assert not OutgoingEmail.objects.filter(key=f"receipt:{rolled_back.pk}").exists()
    assert f"[{rolled_back.pk}]" not in celery_worker_process.log()
    assert not [m for m in celery_worker_process.sent_mail() if rolled_back.title in m]
    assert Application.objects.get(pk=rolled_back.pk).reference == ""


def test_a_killed_worker_can_be_restarted(celery_worker_process):
    """The fixture's worker survives a SIGKILL of the test's making: kill(), then restart()."""
    first_pid = celery_worker_process.process.pid
    celery_worker_process.kill()
    assert not celery_worker_process.alive
    celery_worker_process.restart()
    assert celery_worker_process.alive
    assert celery_worker_process.process.pid != first_pid

    application = ApplicationFactory()
    application_submit(application=application, actor=application.team.contact)
    application.refresh_from_db()
    celery_worker_process.wait_until(lambda: receipt_sent(celery_worker_process, application), what="the receipt")
