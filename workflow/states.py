"""Every lifecycle's states and every audit event kind, as plain data.

No model imports here: ``grants.models`` imports these, so the domain and the
workflow speak the same words without the domain depending on the workflow's code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    INFO_REQUESTED = "info_requested", _("Information requested")
    NOT_CONSIDERED = "not_considered", _("Not considered")
    IN_REVIEW = "in_review", _("In review")
    REVIEWED = "reviewed", _("Reviewed")
    COFUNDING_CHECK = "cofunding_check", _("Co-funding check")
    AWARDED = "awarded", _("Awarded")
    REJECTED = "rejected", _("Rejected")
    OBJECTION = "objection", _("Objection")
    ACTIVE = "active", _("Active")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    FINAL_REPORT_SUBMITTED = "final_report_submitted", _("Final report submitted")
    SETTLED = "settled", _("Settled")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REVOKED = "revoked", _("Revoked")


S = ApplicationStatus

# States whose awarded amount counts against the scheme's budget ceiling.
COMMITTED_STATES = (
    S.AWARDED,
    S.ACTIVE,
    S.EXTENSION_REQUESTED,
    S.FINAL_REPORT_SUBMITTED,
    S.SETTLED,
    S.CLOSED,
)
# States an officer still has to act on before the decision term runs out.
DECISION_PENDING_STATES = (S.SUBMITTED, S.IN_REVIEW, S.REVIEWED, S.COFUNDING_CHECK)
WITHDRAWABLE_STATES = (
    S.DRAFT,
    S.SUBMITTED,
    S.INFO_REQUESTED,
    S.IN_REVIEW,
    S.REVIEWED,
    S.COFUNDING_CHECK,
)
OBJECTABLE_STATES = (S.AWARDED, S.REJECTED, S.SETTLED, S.NOT_CONSIDERED, S.REVOKED)
# What an objection turns a decision into when it is overturned. Never to the objector's detriment
# (no reformatio in peius): an award objected to stays an award, with a higher amount.
OVERTURNED_STATE = {
    S.REJECTED: S.AWARDED,
    S.AWARDED: S.AWARDED,
    S.SETTLED: S.SETTLED,
    S.NOT_CONSIDERED: S.SUBMITTED,
    S.REVOKED: S.ACTIVE,
}
# A decision on the extension (granted or refused) is objected to while the project runs: the
# objection is lodged and decided without stopping the project (self-loops `object_during_project`,
# `uphold_during_project`, `overturn_during_project`); the `Objection` row carries its state.
EXTENSION_DECISION_KINDS = ("extension_granted", "extension_denied")
# So is the award, once the team has started its project within the six weeks: starting does not
# give up the right to object (Awb 6:7), and a higher award does not need the project stopped.
DECISION_KINDS_OBJECTED_WHILE_RUNNING = (*EXTENSION_DECISION_KINDS, "award")
OBJECTABLE_WHILE_RUNNING_STATES = (S.ACTIVE, S.FINAL_REPORT_SUBMITTED)
FINAL_STATES = (S.CLOSED, S.WITHDRAWN)


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    NO_CONFLICT = "no_conflict", _("No conflict declared")
    CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
    SUBMITTED = "submitted", _("Submitted")


# A reviewer reads the application (plan, schools, budget, files) only in these states, i.e. after
# declaring no conflict of interest (issue 4); while assigned they see its reference and title.
REVIEW_SHOWS_APPLICATION_STATES = (ReviewStatus.NO_CONFLICT, ReviewStatus.SUBMITTED)


class PledgeStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


# A report the team may still write in (the source of Report.submit).
OPEN_REPORT_STATES = (ReportStatus.DUE, ReportStatus.RETURNED)


class LetterStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERED = "rendered", _("Rendered")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class PaymentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    APPROVED = "approved", _("Approved")
    EXPORTED = "exported", _("Exported")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    # A scheduled or approved payment that settlement or revocation made unnecessary.
    CANCELLED = "cancelled", _("Cancelled")


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    OVERTURNED = "overturned", _("Overturned")


class DecisionKind(models.TextChoices):
    """Every act of the funder that reaches the team as a letter."""

    INFORMATION_REQUEST = "information_request", _("Information request")
    NOT_CONSIDERED = "not_considered", _("Not considered (Awb 4:5)")
    INELIGIBLE = "ineligible", _("Ineligible")
    AWARD = "award", _("Award")
    REJECTION = "rejection", _("Rejection")
    CEILING_REJECTION = "ceiling_rejection", _("Rejection: budget ceiling reached")
    TERM_EXTENSION = "term_extension", _("Decision term extended")
    EXTENSION_GRANTED = "extension_granted", _("Extension granted")
    EXTENSION_DENIED = "extension_denied", _("Extension refused")
    SETTLEMENT = "settlement", _("Settlement")
    OBJECTION_UPHELD = "objection_upheld", _("Objection: decision upheld")
    OBJECTION_OVERTURNED = "objection_overturned", _("Objection: decision overturned")
    REVOCATION = "revocation", _("Revocation")
    RECOVERY = "recovery", _("Recovery")


# A decision an officer prepared is advice until a decider takes it (four eyes). Staff read it in
# these words, never by its kind's name: "Extension granted" beside a recommendation read as if
# the extension had been granted already.
DECISION_ADVICE_LABELS = {
    DecisionKind.AWARD: _("Advice: award"),
    DecisionKind.REJECTION: _("Advice: reject"),
    DecisionKind.CEILING_REJECTION: _("Advice: reject, the budget ceiling is reached"),
    DecisionKind.EXTENSION_GRANTED: _("Advice: grant the extension"),
    DecisionKind.EXTENSION_DENIED: _("Advice: refuse the extension"),
    DecisionKind.REVOCATION: _("Advice: revoke the grant"),
}


class DecisionStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared")
    TAKEN = "taken", _("Taken")
    CANCELLED = "cancelled", _("Cancelled")


class Role(models.TextChoices):
    """Staff roles, each held per funder."""

    OFFICER = "officer", _("Officer")
    REVIEWER = "reviewer", _("Reviewer")
    DECIDER = "decider", _("Decider")
    FINANCE = "finance", _("Finance")
    ADMIN = "admin", _("Administrator")
