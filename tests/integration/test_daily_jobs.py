"""The daily jobs on a real Celery worker process over Redis, run twice: every reminder goes out once.

The worker is a separate process (``celery_worker_process`` in tests/conftest.py), so it
reads the real clock: the data is laid out relative to today in Amsterdam.
"""

import datetime

import pytest
from django.utils import timezone

from documents.models import OutgoingEmail
from grants.models import Application, Report
from tests.factories import ApplicationFactory, SchemeFactory, staff
from workflow.models import JobRun
from workflow.reminders import DAILY_JOBS
from workflow.states import Role
from workflow.tasks import run_daily_jobs, send_report_reminders

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def finished_runs() -> int:
    return JobRun.objects.filter(finished_at__isnull=False).count()


def messages_sent(worker) -> int:
    return sum(text.count("\nMessage-ID: ") for text in worker.sent_mail())


def test_daily_jobs_twice_on_a_real_worker_send_every_reminder_once(celery_worker_process):
    worker = celery_worker_process
    worker.clear_mail()
    today = timezone.localdate()

    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

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
    expected = {
        f"term-warning:10:{warned_10.pk}:{days(10).isoformat()}",
        f"term-warning:3:{warned_3.pk}:{days(3).isoformat()}",
        f"overdue-digest:{scheme.funder_id}:{today.isoformat()}",
        f"report-reminder:14:{reports[0].pk}:{days(14).isoformat()}",
        f"report-reminder:3:{reports[1].pk}:{days(3).isoformat()}",
        f"report-reminder:overdue:{reports[2].pk}:{days(-1).isoformat()}",
    }

    run_daily_jobs.delay()
    worker.wait_until(lambda: finished_runs() == len(DAILY_JOBS), what="the first run of the daily jobs")
    assert messages_sent(worker) == len(expected)
    run_daily_jobs.delay()
    worker.wait_until(lambda: finished_runs() == 2 * len(DAILY_JOBS), what="the second run of the daily jobs")
    # Two more at the same moment, on the worker's two pool processes: still nothing twice.
    send_report_reminders.delay()
    send_report_reminders.delay()
    worker.wait_until(lambda: finished_runs() == 2 * len(DAILY_JOBS) + 2, what="the concurrent runs")

    emails = OutgoingEmail.objects.all()
    assert {email.key for email in emails} == expected
    assert all(email.status == OutgoingEmail.Status.SENT and email.attempts == 1 for email in emails)
    assert messages_sent(worker) == len(expected)
    # The file backend may append several messages to one file: count messages, not files.
    assert sum(text.count(f"\nTo: {officer.email}\n") for text in worker.sent_mail()) == 3
    runs = list(JobRun.objects.order_by("pk"))
    assert sum(run.sent for run in runs[: len(DAILY_JOBS)]) == len(expected)
    assert sum(run.sent for run in runs[len(DAILY_JOBS) :]) == 0
    assert all(run.failed == 0 for run in runs)
