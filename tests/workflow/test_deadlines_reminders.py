"""The daily jobs, day by day: who is warned and reminded when, and never twice."""

import datetime

import pytest
import time_machine
from django.core.mail.backends.base import BaseEmailBackend

from documents.models import OutgoingEmail
from grants.models import Report
from tests.factories import ApplicationFactory, SchemeFactory, staff
from workflow import reminders
from workflow.actions import application_start, application_submit
from workflow.models import JobRun
from workflow.states import Role
from workflow.tasks import run_daily_jobs, send_decision_term_warnings, send_report_reminders

pytestmark = pytest.mark.django_db
AMS = datetime.timezone(datetime.timedelta(hours=1))


def at(day: datetime.date, hour: int = 6):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=AMS), tick=False)


def days(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def test_officers_are_warned_10_and_3_days_before_the_decision_term_runs_out(mailoutbox):
    day0 = datetime.date(2026, 1, 5)
    with at(day0):
        application = ApplicationFactory()
        funder = application.scheme.funder
        officers = sorted([staff(funder, Role.OFFICER).email, staff(funder, Role.OFFICER).email])
        staff(funder, Role.FINANCE)  # not an officer: never warned
        other_funder_officer = staff(SchemeFactory().funder, Role.OFFICER)
        application_submit(application=application, actor=application.team.contact)
        application.refresh_from_db()
        mailoutbox.clear()  # the team's receipt
    due = application.decision_due_date
    sent_on = {}
    for day in days(day0, due):
        with at(day):
            send_decision_term_warnings.delay()
            send_decision_term_warnings.delay()  # a second run the same day sends nothing
        for message in mailoutbox[len(sent_on) :]:
            sent_on[day] = message
    assert sorted(sent_on) == [due - datetime.timedelta(days=10), due - datetime.timedelta(days=3)]
    for message in sent_on.values():
        assert sorted(message.to) == officers
        assert other_funder_officer.email not in message.to
        assert application.reference in message.subject
    assert "10 dagen" in sent_on[due - datetime.timedelta(days=10)].subject
    assert "3 dagen" in sent_on[due - datetime.timedelta(days=3)].subject


def test_a_missed_day_is_caught_up_once_and_a_paused_term_is_not_warned(mailoutbox):
    day0 = datetime.date(2026, 1, 5)
    with at(day0):
        application = ApplicationFactory(submitted=True)
        paused = ApplicationFactory(info_requested=True, scheme=application.scheme)
        staff(application.scheme.funder, Role.OFFICER)
    due = application.decision_due_date
    # The job did not run 10 days before; 8 days before it catches up, once.
    for day in (due - datetime.timedelta(days=8), due - datetime.timedelta(days=7)):
        with at(day):
            reminders.run_job("decision_term_warnings")
    assert len(mailoutbox) == 1
    assert paused.reference not in mailoutbox[0].subject
    assert "8 dagen" in mailoutbox[0].subject


def test_daily_digest_of_overdue_decisions_per_funder(mailoutbox):
    day0 = datetime.date(2026, 1, 5)
    with at(day0):
        late = ApplicationFactory(submitted=True)
        on_time = ApplicationFactory(submitted=True, scheme=late.scheme)
        officer = staff(late.scheme.funder, Role.OFFICER)
        elsewhere = ApplicationFactory(submitted=True)  # another funder without officers: no digest
    from grants.models import Application

    Application.objects.filter(pk=late.pk).update(decision_due_date=datetime.date(2026, 1, 10))
    Application.objects.filter(pk=elsewhere.pk).update(decision_due_date=datetime.date(2026, 1, 10))
    for day in days(datetime.date(2026, 1, 10), datetime.date(2026, 1, 13)):
        with at(day):
            reminders.run_job("overdue_decisions_digest")
            reminders.run_job("overdue_decisions_digest")
    assert len(mailoutbox) == 3  # 11, 12 and 13 January, once a day
    assert all(message.to == [officer.email] for message in mailoutbox)
    assert late.reference in mailoutbox[0].body
    assert on_time.reference not in mailoutbox[0].body
    assert "3 dagen te laat" in mailoutbox[-1].body


def test_teams_are_reminded_14_and_3_days_before_and_the_day_after_a_report_is_due(mailoutbox):
    with at(datetime.date(2026, 3, 2)):
        scheme = SchemeFactory(interim_report_months=3, final_report_weeks=4)
        application = ApplicationFactory(
            awarded=True,
            scheme=scheme,
            project_start=datetime.date(2026, 3, 16),
            project_end=datetime.date(2026, 9, 30),
        )
    with at(datetime.date(2026, 3, 16)):  # the project starts when its period begins
        application_start(application=application, actor=application.team.contact)
    interim = application.reports.get(kind=Report.Kind.INTERIM)
    final = application.reports.get(kind=Report.Kind.FINAL)
    assert (interim.due_date, final.due_date) == (datetime.date(2026, 6, 16), datetime.date(2026, 10, 28))
    sent_on = []
    for day in days(datetime.date(2026, 5, 1), datetime.date(2026, 11, 15)):
        before = len(mailoutbox)
        with at(day):
            send_report_reminders.delay()
            send_report_reminders.delay()
        sent_on += [(day, message) for message in mailoutbox[before:]]
        if day == datetime.date(2026, 6, 20):
            # The team hands in the interim report: no more reminders about it.
            interim.refresh_from_db()
            Report.objects.filter(pk=interim.pk).update(status="submitted")
    expected = [
        datetime.date(2026, 6, 2),
        datetime.date(2026, 6, 13),
        datetime.date(2026, 6, 17),
        datetime.date(2026, 10, 14),
        datetime.date(2026, 10, 25),
        datetime.date(2026, 10, 29),
    ]
    assert [day for day, _message in sent_on] == expected
    assert all(message.to == [application.team.contact.email] for _day, message in sent_on)
    assert "tussenverslag" in sent_on[0][1].subject
    assert "te laat" in sent_on[2][1].subject
    assert "eindverslag" in sent_on[3][1].subject
    assert "14 dagen" in sent_on[3][1].body
    assert f"/deadlines/projects/{application.pk}/" in sent_on[0][1].body
    runs = JobRun.objects.filter(job="report_reminders")
    assert runs.count() == 2 * len(list(days(datetime.date(2026, 5, 1), datetime.date(2026, 11, 15))))
    assert sum(runs.values_list("sent", flat=True)) == 6


def test_reports_of_projects_that_are_no_longer_running_are_not_reminded(mailoutbox):
    with at(datetime.date(2026, 3, 2)):
        application = ApplicationFactory(settled=True)
        Report.objects.create(application=application, kind=Report.Kind.FINAL, due_date=datetime.date(2026, 3, 5))
        reminders.run_job("report_reminders")
    assert mailoutbox == []


def test_a_failed_send_is_recorded_and_retried_by_the_next_run(mailoutbox, settings):
    with at(datetime.date(2026, 3, 2)):
        application = ApplicationFactory(active=True)
        Report.objects.create(application=application, kind=Report.Kind.FINAL, due_date=datetime.date(2026, 3, 5))
        settings.EMAIL_BACKEND = "tests.workflow.test_deadlines_reminders.BrokenBackend"
        run = reminders.run_job("report_reminders")
        assert (run.queued, run.sent, run.failed) == (1, 0, 1)
        email = OutgoingEmail.objects.get()
        assert email.status != OutgoingEmail.Status.SENT
        assert "SMTP server unreachable" in email.failure_reason
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        run = reminders.run_job("report_reminders")
        assert (run.queued, run.sent, run.failed) == (1, 1, 0)
        assert len(mailoutbox) == 1


def test_run_daily_jobs_runs_every_job_and_records_it():
    with at(datetime.date(2026, 3, 2)):
        run_daily_jobs.delay()
    assert sorted(JobRun.objects.values_list("job", flat=True)) == sorted(reminders.DAILY_JOBS)


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


def test_the_beat_schedule_names_registered_tasks_in_amsterdam_time(settings):
    from config.celery import app

    app.loader.import_default_modules()
    mine = {
        name: entry for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"].startswith("workflow.")
    }
    assert {entry["task"] for entry in mine.values()} == {
        "workflow.tasks.send_decision_term_warnings",
        "workflow.tasks.send_overdue_decisions_digest",
        "workflow.tasks.send_report_reminders",
    }
    assert all(entry["task"] in app.tasks for entry in mine.values())
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"


def test_the_term_warnings_read_each_funders_officers_once_however_many_applications_are_due(mailoutbox):
    """Each warning costs its own e-mail row; the officers' addresses are read once per funder and run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants.models import Application

    schemes = [SchemeFactory(), SchemeFactory()]
    officers = {scheme.pk: staff(scheme.funder, Role.OFFICER).email for scheme in schemes}
    due = datetime.date.today() + datetime.timedelta(days=5)

    def warnings_for(count):
        for scheme in schemes:
            while Application.objects.filter(scheme=scheme).count() < count:
                application = ApplicationFactory(submitted=True, scheme=scheme)
                Application.objects.filter(pk=application.pk).update(decision_due_date=due)
        OutgoingEmail.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            emails = reminders.queue_decision_term_warnings()
        role_reads = sum('"grants_funderrole"' in query["sql"] for query in queries)
        return emails, role_reads

    with at(datetime.date.today()):
        few, reads_for_few = warnings_for(3)
        many, reads_for_many = warnings_for(9)
    assert len(few) == 6
    assert len(many) == 18
    assert {(email.to[0], email.context["scheme"]) for email in many} == {
        (officers[scheme.pk], scheme.name) for scheme in schemes
    }
    assert reads_for_few == reads_for_many == 2  # one per funder
