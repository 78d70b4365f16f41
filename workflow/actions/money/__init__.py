"""Money actions: bank details, the payment schedule, approval, payout batches, reports, settlement.

The finance app holds the models, the calculation and the exports; these functions are the
only way their state changes: atomic, row locks, permission, transition, audit event.
"""

from .bank_details import NO_ENTRY, bank_details_confirm, bank_details_enter
from .batches import (
    batch_build,
    batch_dissolve,
    batch_export,
    batch_mark_paid,
    payment_approve,
    payment_record_received,
)
from .reports import report_accept, report_return, settlement_assess, settlement_preview
from .schedule import (
    payment_effects,
    payment_schedule_advance,
    payments_after_award_raised,
    payments_after_revocation,
    payments_after_revocation_undone,
    payments_after_settlement,
    payments_after_settlement_changed,
)

__all__ = [
    "NO_ENTRY",
    "bank_details_confirm",
    "bank_details_enter",
    "batch_build",
    "batch_dissolve",
    "batch_export",
    "batch_mark_paid",
    "payment_approve",
    "payment_effects",
    "payment_record_received",
    "payment_schedule_advance",
    "payments_after_award_raised",
    "payments_after_revocation",
    "payments_after_revocation_undone",
    "payments_after_settlement",
    "payments_after_settlement_changed",
    "report_accept",
    "report_return",
    "settlement_assess",
    "settlement_preview",
]
