"""The daily jobs on a real Celery worker over Redis, run twice: every reminder goes out once."""

import datetime

import pytest
import time_machine
from django.core import mail

from documents.models import OutgoingEmail
from grants.models import Application, Report
from tests.factories import ApplicationFactory, SchemeFactory, staff
from tests.integration.conftest import wait_until
from workflow.models import JobRun
from workflow.reminders import DAILY_JOBS
from workflow.states import Role
from workflow.tasks import run_daily_jobs

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
AMS = datetime.timezone(datetime.timedelta(hours=2))  # summer time
TODAY = datetime.date(2026, 6, 2)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def finished_runs() -> int:
    return JobRun.objects.filter(finished_at__isnull=False).count()


def test_daily_jobs_twice_on_a_real_worker_send_every_reminder_once(celery_worker):
    with time_machine.travel(datetime.datetime(2026, 6, 2, 6, 0, tzinfo=AMS), tick=True):
        scheme = SchemeFactory()
        officer = staff(scheme.funder, Role.OFFICER)
        warned_10 = ApplicationFactory(submitted=True, scheme=scheme)
        warned_3 = ApplicationFactory(submitted=True, scheme=scheme)
        overdue = ApplicationFactory(submitted=True, scheme=scheme)
        quiet = ApplicationFactory(submitted=True, scheme=scheme)
        for application, due in ((warned_10, days(10)), (warned_3, days(3)), (overdue, days(-2)), (quiet, days(30))):
            Application.objects.filter(pk=application.pk).update(decision_due_date=due)
        project = ApplicationFactory(active=True, scheme=scheme)
        reports = [
            Report.objects.create(application=project, kind=Report.Kind.INTERIM, due_date=days(14)),
            Report.objects.create(application=project, kind=Report.Kind.FINAL, due_date=days(3)),
            Report.objects.create(application=project, kind=Report.Kind.INTERIM, due_date=days(-1)),
            Report.objects.create(application=project, kind=Report.Kind.FINAL, due_date=days(40)),
        ]
        mail.outbox.clear()

        run_daily_jobs.delay()
        wait_until(lambda: finished_runs() == len(DAILY_JOBS))
        run_daily_jobs.delay()
        wait_until(lambda: finished_runs() == 2 * len(DAILY_JOBS))

    expected = {
        f"term-warning:10:{warned_10.pk}:{days(10).isoformat()}",
        f"term-warning:3:{warned_3.pk}:{days(3).isoformat()}",
        f"overdue-digest:{scheme.funder_id}:{TODAY.isoformat()}",
        f"report-reminder:14:{reports[0].pk}:{days(14).isoformat()}",
        f"report-reminder:3:{reports[1].pk}:{days(3).isoformat()}",
        f"report-reminder:overdue:{reports[2].pk}:{days(-1).isoformat()}",
    }
    emails = OutgoingEmail.objects.all()
    assert {email.key for email in emails} == expected
    assert all(email.status == OutgoingEmail.Status.SENT and email.attempts == 1 for email in emails)
    assert len(mail.outbox) == len(expected)
    assert sorted(message.subject for message in mail.outbox) == sorted(email.subject for email in emails)
    officer_mail = [message for message in mail.outbox if message.to == [officer.email]]
    assert len(officer_mail) == 3
    first, second = (
        JobRun.objects.order_by("pk")[: len(DAILY_JOBS)],
        JobRun.objects.order_by("pk")[len(DAILY_JOBS) :],
    )
    assert sum(run.sent for run in first) == len(expected)
    assert sum(run.sent for run in second) == 0
    assert all(run.failed == 0 for run in [*first, *second])
