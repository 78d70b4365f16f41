"""The application's history as the team reads it: one Dutch sentence per audit event.

Only events meant for the team are shown. Reviewers' steps (assignment, conflicts,
scores) and the funder's internal preparation (prepared decisions and their
cancellation, letter rendering, payment batches) stay out: reviewers are never named
to applicants, and a prepared decision is not a decision until it is taken. Everything is read in a fixed number of
queries, whatever the number of events.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants.models import AuditEvent, Report

# (subject model, action) -> sentence. Sentences may use %(kind)s, %(date)s, %(cofunder)s, %(amount)s.
# An objection an officer registered from a letter or an e-mail: it may come from someone other than the team.
REGISTERED_OBJECTION = gettext_lazy("An objection received by post or e-mail was registered: %(objector)s.")

SENTENCES = {
    ("application", "create"): gettext_lazy("The application was started."),
    ("application", "submit"): gettext_lazy("The application was submitted."),
    ("application", "request_info"): gettext_lazy("The funder asked for more information."),
    ("application", "resubmit"): gettext_lazy("The team answered the request for information."),
    ("application", "lapse"): gettext_lazy(
        "The application was not considered, because the information did not arrive in time."
    ),
    ("application", "confirm_eligibility"): gettext_lazy("The funder checked that the application may be assessed."),
    ("application", "declare_ineligible"): gettext_lazy("The application was declared ineligible."),
    ("application", "start_review"): gettext_lazy("The assessment started."),
    ("application", "complete_review"): gettext_lazy("The assessment is complete."),
    ("application", "check_cofunding"): gettext_lazy("The funder is checking the co-funding."),
    ("application", "award"): gettext_lazy("The grant was awarded."),
    ("application", "reject"): gettext_lazy("The application was rejected."),
    ("application", "start"): gettext_lazy("The project started."),
    ("application", "request_extension"): gettext_lazy("The team asked for an extension of the project."),
    ("application", "grant_extension"): gettext_lazy("The extension was granted."),
    ("application", "deny_extension"): gettext_lazy("The extension was refused."),
    ("application", "submit_final_report"): gettext_lazy("The final report was submitted."),
    ("application", "return_report"): gettext_lazy("The final report was returned to the team."),
    ("application", "settle"): gettext_lazy("The grant was settled."),
    ("application", "close"): gettext_lazy("The file was closed."),
    ("application", "object"): gettext_lazy("The team objected to the decision."),
    ("application", "uphold"): gettext_lazy("The objection was decided: the decision stands."),
    ("application", "overturn"): gettext_lazy("The objection was decided: the decision was changed."),
    ("application", "object_during_project"): gettext_lazy("The team objected to the decision."),
    ("application", "uphold_during_project"): gettext_lazy("The objection was decided: the decision stands."),
    ("application", "overturn_during_project"): gettext_lazy("The objection was decided: the decision was changed."),
    ("application", "withdraw"): gettext_lazy("The application was withdrawn."),
    ("application", "revoke"): gettext_lazy("The grant was revoked."),
    ("application", "extend_term"): gettext_lazy("The decision term was extended to %(date)s."),
    ("organisation", "bank_details_changed"): gettext_lazy("The bank details were changed."),
    ("organisation", "bank_details_confirmed"): gettext_lazy("The funder confirmed the bank details."),
    ("report", "schedule_report"): gettext_lazy("%(kind)s due on %(date)s."),
    ("report", "reschedule_report"): gettext_lazy("%(kind)s now due on %(date)s."),
    ("report", "submit"): gettext_lazy("%(kind)s submitted."),
    ("report", "accept"): gettext_lazy("%(kind)s accepted."),
    ("report", "return_to_team"): gettext_lazy("%(kind)s returned to the team."),
    ("letter", "letter_sent"): gettext_lazy("Letter sent: %(kind)s."),
    ("cofundingpledge", "confirm"): gettext_lazy("%(cofunder)s confirmed its co-funding of %(amount)s."),
    ("cofundingpledge", "withdraw"): gettext_lazy("%(cofunder)s withdrew its co-funding pledge of %(amount)s."),
    ("objection", "extend_objection_term"): gettext_lazy("The term for deciding on the objection was extended."),
}


@dataclass(frozen=True)
class Entry:
    when: datetime.datetime
    sentence: str
    actor: str
    reason: str


def _day(value) -> str:
    day = parse_date(value) if isinstance(value, str) else value
    return date_format(day, "j F Y") if day else ""


def timeline(application, *, reports=(), letters=(), pledges=()) -> list[Entry]:
    """Entries oldest first. `reports`, `letters`, `pledges` are the page's already loaded rows."""
    from grants.money import format_euro

    report_kinds = {report.pk: report.get_kind_display() for report in reports}
    letter_kinds = {letter.pk: getattr(letter, "title", "") or letter.decision.get_kind_display() for letter in letters}
    pledge_rows = {pledge.pk: pledge for pledge in pledges}
    events = (
        AuditEvent.objects.filter(application=application, action__in={action for _, action in SENTENCES})
        .select_related("actor", "subject_type")
        .order_by("created_at", "pk")
    )
    entries = []
    for event in events:
        sentence = SENTENCES.get((event.subject_type.model, event.action))
        if sentence is None:
            continue
        if event.data.get("objector"):  # registered by an officer from a letter or e-mail
            sentence = REGISTERED_OBJECTION
        values = {"date": "", "kind": "", "cofunder": "", "amount": "", "objector": event.data.get("objector", "")}
        if event.subject_type.model == "report":
            kind = event.data.get("kind")
            values["kind"] = report_kinds.get(event.subject_id) or (
                Report.Kind(kind).label if kind in Report.Kind.values else _("Report")
            )
            values["date"] = _day(event.data.get("due_date") or event.data.get("to"))
        elif event.subject_type.model == "letter":
            if event.subject_id not in letter_kinds:
                continue
            values["kind"] = letter_kinds[event.subject_id]
        elif event.subject_type.model == "cofundingpledge":
            pledge = pledge_rows.get(event.subject_id)
            if pledge is None:
                continue
            values["cofunder"], values["amount"] = pledge.cofunder.name, format_euro(pledge.amount)
        else:
            values["date"] = _day(event.data.get("to"))
        actor = event.actor
        if actor is None:
            name = _("a co-funder") if event.data.get("via_token") else "Grantdesk"
        else:
            name = actor.get_full_name() or actor.email
        entries.append(
            Entry(
                when=timezone.localtime(event.created_at),
                sentence=str(sentence) % values,
                actor=name,
                reason=event.reason,
            )
        )
    return entries
