"""How every transition and audit event is named to the people who trigger or read it."""

import functools

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTION_LABELS = {
    # Application
    "submit": _("Submit"),
    "request_info": _("Request information"),
    "resubmit": _("Resubmit"),
    "lapse": _("Set aside (not considered)"),
    "declare_ineligible": _("Declare ineligible"),
    "start_review": _("Start review"),
    "complete_review": _("Complete review"),
    "check_cofunding": _("Check co-funding"),
    "award": _("Award"),
    "reject": _("Reject"),
    "start": _("Start the project"),
    "request_extension": _("Request extension"),
    "grant_extension": _("Grant extension"),
    "deny_extension": _("Refuse extension"),
    "submit_final_report": _("Submit final report"),
    "return_report": _("Return report"),
    "settle": _("Settle"),
    "close": _("Close"),
    "object": _("Object"),
    "uphold": _("Uphold decision"),
    "overturn": _("Overturn decision"),
    # The same acts against the award or the decision on the extension, while the project runs: their
    # own names, so the audit log's filter can tell them apart.
    "object_during_project": _("Object (the project runs on)"),
    "uphold_during_project": _("Uphold decision (the project runs on)"),
    "overturn_during_project": _("Overturn decision (the project runs on)"),
    "withdraw": _("Withdraw"),
    "revoke": _("Revoke"),
    # Review, pledge, report
    "declare_no_conflict": _("Declare no conflict of interest"),
    "declare_conflict": _("Declare a conflict of interest"),
    "confirm": _("Confirm"),
    "accept": _("Accept"),
    "return_to_team": _("Return to team"),
    # Payment (finance)
    "approve": _("Approve payment"),
    "withdraw_approval": _("Withdraw payment approval"),
    "cancel": _("Cancel payment"),
    "mark_paid": _("Mark paid"),
    "mark_failed": _("Mark failed"),
    "record_received": _("Record receipt"),
}

# The audit trail says what was done, in the past tense ("Ingediend", not the button's "Indienen"):
# every transition by its name, and the events that are not a transition's.
EVENT_LABELS = {
    # The transitions (ACTION_LABELS), as done
    "submit": _("Submitted"),
    "request_info": _("Information requested"),
    "resubmit": _("Resubmitted"),
    "lapse": _("Set aside (not considered)"),
    "declare_ineligible": _("Declared ineligible"),
    "start_review": _("Review started"),
    "complete_review": _("Review completed"),
    "check_cofunding": _("Co-funding checked"),
    "award": _("Awarded"),
    "reject": _("Rejected"),
    "start": _("Project started"),
    "request_extension": _("Extension requested"),
    "grant_extension": _("Extension granted"),
    "deny_extension": _("Extension refused"),
    "submit_final_report": _("Final report submitted"),
    "return_report": _("Report returned"),
    "settle": _("Settled"),
    "close": _("Closed"),
    "object": _("Objection lodged"),
    "uphold": _("Decision upheld"),
    "overturn": _("Decision overturned"),
    "object_during_project": _("Objection lodged (the project runs on)"),
    "uphold_during_project": _("Decision upheld (the project runs on)"),
    "overturn_during_project": _("Decision overturned (the project runs on)"),
    "withdraw": _("Withdrawn"),
    "revoke": _("Revoked (sanction)"),
    "declare_no_conflict": _("No conflict of interest declared"),
    "declare_conflict": _("Conflict of interest declared"),
    "confirm": pgettext_lazy("audit", "Confirmed"),
    "accept": pgettext_lazy("audit", "Accepted"),
    "return_to_team": _("Returned to the team"),
    "approve": _("Payment approved"),
    "withdraw_approval": _("Payment approval withdrawn"),
    "cancel": _("Payment cancelled"),
    "mark_paid": _("Marked paid"),
    "mark_failed": _("Marked failed"),
    "record_received": _("Receipt recorded"),
    # Application and its editor
    "create": _("Application created"),
    "application.edited": _("Application edited"),
    "attachment.added": _("Attachment added"),
    "attachment.deleted": _("Attachment deleted"),
    # Screening, review, decisions
    "confirm_eligibility": _("Eligibility confirmed"),
    "assign_reviewer": _("Reviewer assigned"),
    "extend_term": _("Decision term extended"),
    "prepare_decision": _("Decision prepared"),
    "take_decision": _("Decision taken"),
    "cancel_decision": _("Prepared decision cancelled"),
    "prepare_ranking_round": _("Ranking round prepared"),
    "decide_ranking_round": _("Ranking round decided"),
    "cancel_ranking_round": _("Ranking round cancelled"),
    "extend_objection_term": _("Objection term extended"),
    # Reports and money
    "schedule_report": _("Report scheduled"),
    "reschedule_report": _("Report rescheduled"),
    "schedule_payment": _("Payment scheduled"),
    "bank_details_entered": _("Bank details entered"),
    "bank_details_changed": _("Bank details changed"),
    "bank_details_confirmed": _("Bank details confirmed"),
    # Beheer: a funder administrator gives or takes a staff role
    "role_given": _("Staff role given"),
    "role_taken": _("Staff role taken away"),
    "build_batch": _("Payout batch built"),
    "export_batch": _("Payout batch exported"),
    "dissolve_batch": _("Payout batch dissolved"),
    "mark_batch_paid": _("Payout batch marked paid"),
    # One per payment a batch moves in bulk (the transitions' own names where they exist)
    "export_payment": _("Payment exported"),
    # Letters (documents.services audits each step under these names)
    "letter_queued": _("Letter queued"),
    "letter_rendered": _("Letter rendered"),
    "letter_sent": _("Letter sent"),
    "letter_failed": _("Letter failed"),
    "letter_retried": _("Letter retried"),
    "letter_corrected": _("Letter corrected"),
    # Teams and accounts
    "team_invitation_sent": _("Invitation sent"),
    "team_invitation_accepted": _("Invitation accepted"),
    "team_invitation_revoked": _("Invitation revoked"),
    "funder_invitation_sent": _("Colleague invited to a role"),
    "funder_invitation_accepted": _("Colleague accepted a role"),
    "funder_invitation_revoked": _("Colleague invitation withdrawn"),
    "team_registered": _("Team registered"),
    "team_registration_confirmed": _("Registration confirmed"),
    "team_registration_refused": _("Registration refused"),
    "account_name_changed": _("Name changed"),
    "account_password_changed": _("Password changed"),
}

# States recorded for subjects without a status field: the payee's bank details, a registering account.
EXTRA_STATE_LABELS = {
    ("organisation", "confirmed"): _("Confirmed"),
    ("organisation", "unconfirmed"): _("Not confirmed"),
    ("team", "pending"): _("Awaiting confirmation"),
    ("user", "pending"): _("Awaiting confirmation"),
    ("user", "active"): pgettext_lazy("account", "Active"),
}


def readable_code(code: str) -> str:
    """A code nobody labelled yet (an event of an older version), readable rather than raw."""
    words = code.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def event_action_label(code: str) -> str:
    """How the audit trail names an event's action: its label, or a readable form of an unknown code."""
    label = EVENT_LABELS.get(code) or ACTION_LABELS.get(code)
    return str(label) if label is not None else readable_code(code)


@functools.cache
def _state_labels() -> tuple[dict, dict]:
    """({(model name, state): label}, {state: label}) from every model's status field, read once."""
    from django.apps import apps

    by_model, anywhere = dict(EXTRA_STATE_LABELS), {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.name in ("status", "state") and field.choices:
                for value, label in field.flatchoices:
                    by_model[model._meta.model_name, value] = label
                    anywhere.setdefault(value, label)
    return by_model, anywhere


def event_state_label(code: str, model_name: str = "") -> str:
    """A recorded state as the staff read it; `model_name` (the event's subject) picks the right
    lifecycle where two name one code differently ("exported" payment or batch, "active" project or account)."""
    if not code:
        return ""
    by_model, anywhere = _state_labels()
    label = by_model.get((model_name, code)) or anywhere.get(code)
    return str(label) if label is not None else readable_code(code)


def audit_action_choices() -> list[tuple[str, str]]:
    """Every action the code records, by label in the reader's language (the audit log's filter)."""
    codes = {*ACTION_LABELS, *EVENT_LABELS}
    return sorted(((code, event_action_label(code)) for code in codes), key=lambda choice: choice[1].casefold())
