"""Every change of state in Grantdesk goes through one of these functions.

Each is atomic: it locks the row, checks the actor's permission, runs the
transition, saves what changed, writes the audit event and registers side effects
with `transaction.on_commit`, so a rolled-back action sends nothing.
"""

from .aftercare import (
    application_close,
    application_return_report,
    application_revoke,
    application_settle,
    extension_decide,
)
from .applications import (
    application_answer_information_request,
    application_create,
    application_object,
    application_open_draft,
    application_request_extension,
    application_start,
    application_submit,
    application_submit_final_report,
    application_withdraw,
)
from .deadlines import (
    application_settle_without_report,
    extension_prepare,
    objection_extend_term,
    revocation_prepare,
)
from .decisions import decision_prepare, decision_take
from .objections import objection_decide
from .pledges import pledge_confirm, pledge_withdraw
from .reports import report_attach, report_save, report_submit
from .reviews import review_declare_conflict, review_declare_no_conflict, review_save_scores
from .screening import (
    application_check_cofunding,
    application_complete_review,
    application_confirm_eligibility,
    application_declare_ineligible,
    application_extend_term,
    application_lapse,
    application_request_info,
    application_start_review,
    review_assign,
)

__all__ = [
    "application_answer_information_request",
    "application_check_cofunding",
    "application_close",
    "application_complete_review",
    "application_confirm_eligibility",
    "application_create",
    "application_declare_ineligible",
    "application_extend_term",
    "application_lapse",
    "application_object",
    "application_open_draft",
    "application_request_extension",
    "application_request_info",
    "application_return_report",
    "application_revoke",
    "application_settle",
    "application_settle_without_report",
    "application_start",
    "application_start_review",
    "application_submit",
    "application_submit_final_report",
    "application_withdraw",
    "decision_prepare",
    "decision_take",
    "extension_decide",
    "extension_prepare",
    "objection_decide",
    "objection_extend_term",
    "pledge_confirm",
    "pledge_withdraw",
    "report_attach",
    "report_save",
    "report_submit",
    "review_assign",
    "review_declare_conflict",
    "review_declare_no_conflict",
    "review_save_scores",
    "revocation_prepare",
]
