"""How every transition is named to the people who trigger it."""

from django.utils.translation import gettext_lazy as _

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
    "cancel": _("Cancel payment"),
    "mark_paid": _("Mark paid"),
    "mark_failed": _("Mark failed"),
    "record_received": _("Record receipt"),
}
