"""The daily jobs: warnings and reminders about Awb terms, each sent exactly once.

Every e-mail is an ``OutgoingEmail`` with a key that names what it is about and for
which date (``term-warning:10:<application>:<due date>``). Running a job twice on one
day finds the same keys and sends nothing again; when a date moves (a term is
extended, a project prolonged), the key changes and the new date gets its reminders.
Each run is recorded as a ``JobRun`` with what it queued, sent and failed.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from documents.emails import deliver_email, queue_email
from documents.models import OutgoingEmail

from . import deadlines
from .models import JobRun

logger = logging.getLogger(__name__)


def _url(name: str, *args) -> str:
    try:
        return settings.SITE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return settings.SITE_URL + "/"


def _day(value) -> str:
    with translation.override("nl"):
        return date_format(value, "j F Y")


def _application_context(application) -> dict:
    return {
        "reference": application.reference,
        "title": application.title,
        "scheme": application.scheme.name,
        "funder": application.scheme.funder.name,
    }


# --- What each job queues ------------------------------------------------------------------------


def queue_decision_term_warnings() -> list[OutgoingEmail]:
    """Warn the funder's officers 10 and 3 days before an application's decision term runs out."""
    emails = []
    officers: dict[int, list[str]] = {}  # per funder, read once a run rather than once per application
    for window in deadlines.DECISION_TERM_WARNINGS:
        for application in deadlines.decision_term_warnings_due(window):
            funder_id = application.scheme.funder_id
            if funder_id not in officers:
                officers[funder_id] = deadlines.officer_emails(funder_id)
            recipients = officers[funder_id]
            if not recipients:
                continue
            emails.append(
                queue_email(
                    key=f"term-warning:{window.code}:{application.pk}:{application.decision_due_date.isoformat()}",
                    to=recipients,
                    template="decision_term_warning",
                    context={
                        **_application_context(application),
                        "days_left": application.decision_days_left,
                        "due_date": _day(application.decision_due_date),
                        "url": _url("deadlines:application", application.pk),
                    },
                )
            )
    return emails


def queue_overdue_decisions_digest() -> list[OutgoingEmail]:
    """One e-mail a day per funder to its officers, listing the applications past their decision term."""
    by_funder = defaultdict(list)
    for application in deadlines.decisions_overdue().order_by("decision_due_date", "pk"):
        by_funder[application.scheme.funder].append(application)
    emails = []
    run_date = deadlines.today()
    for funder, applications in by_funder.items():
        recipients = deadlines.officer_emails(funder.pk)
        if not recipients:
            continue
        emails.append(
            queue_email(
                key=f"overdue-digest:{funder.pk}:{run_date.isoformat()}",
                to=recipients,
                template="overdue_decisions_digest",
                context={
                    "funder": funder.name,
                    "date": _day(run_date),
                    "count": len(applications),
                    "applications": [
                        {
                            **_application_context(application),
                            "due_date": _day(application.decision_due_date),
                            "days_overdue": -application.decision_days_left,
                        }
                        for application in applications
                    ],
                    "url": _url("deadlines:overview"),
                },
            )
        )
    return emails


def queue_report_reminders() -> list[OutgoingEmail]:
    """Remind teams 14 and 3 days before a report is due, and the day after it was due."""
    emails = []
    for window in deadlines.REPORT_REMINDERS:
        for report in deadlines.report_reminders_due(window):
            application = report.application
            contact = application.team.contact
            emails.append(
                queue_email(
                    key=f"report-reminder:{window.code}:{report.pk}:{report.due_date.isoformat()}",
                    to=[contact.email],
                    template="report_reminder",
                    context={
                        **_application_context(application),
                        "contact_name": contact.get_full_name() or contact.email,
                        "kind": report.kind,
                        "due_date": _day(report.due_date),
                        "days_left": deadlines.days_until(report.due_date),
                        "overdue": window.code == "overdue",
                        "url": _url("deadlines:project", application.pk),
                    },
                )
            )
    return emails


DAILY_JOBS: dict[str, Callable[[], list[OutgoingEmail]]] = {
    "decision_term_warnings": queue_decision_term_warnings,
    "overdue_decisions_digest": queue_overdue_decisions_digest,
    "report_reminders": queue_report_reminders,
}


# --- Running a job ---------------------------------------------------------------------------------


def deliver(emails: Iterable[OutgoingEmail]) -> tuple[list[str], list[str]]:
    """Send what is not sent yet: (keys sent now, keys failed). A failure stays on its row; the next run retries."""
    sent, failed = [], []
    for email in emails:
        if email.status == OutgoingEmail.Status.SENT:
            continue
        try:
            if deliver_email(email.pk):
                sent.append(email.key)
        except Exception:
            failed.append(email.key)
            logger.exception("Sending e-mail %s (%s) failed", email.pk, email.key)
    return sent, failed


def run_job(name: str) -> JobRun:
    run = JobRun.objects.create(job=name, started_at=timezone.now(), run_date=deadlines.today())
    emails = DAILY_JOBS[name]()
    sent, failed = deliver(emails)
    run.queued, run.sent, run.failed = len(emails), len(sent), len(failed)
    run.finished_at = timezone.now()
    run.details = {"sent": sent[:500], "failed": failed[:500]}
    run.save(update_fields=["queued", "sent", "failed", "finished_at", "details"])
    logger.info("Job %s: %s e-mails due, %s sent now, %s failed", name, run.queued, run.sent, run.failed)
    return run


def queue_pledge_withdrawn(pledge_id: int, was: str) -> list[OutgoingEmail]:
    """Tell the funder's officers that a co-funder withdrew a pledge an award rests on (or is checked on)."""
    from grants.models import CoFundingPledge
    from grants.money import format_euro

    pledge = CoFundingPledge.objects.select_related("application__scheme__funder", "cofunder").get(pk=pledge_id)
    application = pledge.application
    recipients = deadlines.officer_emails(application.scheme.funder_id)
    if not recipients:
        return []
    amount = application.awarded_amount or application.requested_amount
    return [
        queue_email(
            key=f"pledge-withdrawn:{pledge.pk}",
            to=recipients,
            template="pledge_withdrawn",
            context={
                **_application_context(application),
                "cofunder": pledge.cofunder.name,
                "amount": format_euro(pledge.amount),
                "was_confirmed": was == "confirmed",
                "confirmed": format_euro(application.confirmed_cofunding()),
                "required": format_euro(application.required_cofunding(amount)),
                "url": _url("workbench:application", application.pk),
            },
        )
    ]


def queue_objection_term_extended(objection_id: int, reasons: str) -> OutgoingEmail:
    """Tell the objector (the team, or who else objected, the team copied) in writing that the decision
    on the objection is postponed (Awb 7:10 lid 3)."""
    from grants.models import Objection

    objection = Objection.objects.select_related("application__scheme__funder", "application__team__contact").get(
        pk=objection_id
    )
    application = objection.application
    to, cc, name = objection.addressees()
    return queue_email(
        key=f"objection-term-extended:{objection.pk}",
        to=to,
        cc=cc,
        template="objection_term_extended",
        context={
            **_application_context(application),
            "contact_name": name,
            "to_objector": bool(objection.objector_email),
            # The day it came in, which for one registered from a letter is not the day it was entered.
            "submitted_on": _day(objection.received_day),
            "due_date": _day(objection.due_date),
            "reasons": reasons,
        },
    )
