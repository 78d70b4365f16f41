"""The finance pages: a funder's (`funder`) and an application's money page with bank details (`application`)."""

from .application import (
    application_money,
    bank_details,
    bank_details_confirm,
    bank_details_officer,
    report_assess,
    settlement,
)
from .funder import (
    batch_build,
    batch_detail,
    batch_dissolve,
    batch_download,
    batch_export,
    batch_mark_paid,
    funder_dashboard,
    index,
    overview,
    overview_csv,
    payment_approve,
    payment_received,
)

__all__ = [
    "application_money",
    "bank_details",
    "bank_details_confirm",
    "bank_details_officer",
    "batch_build",
    "batch_detail",
    "batch_dissolve",
    "batch_download",
    "batch_export",
    "batch_mark_paid",
    "funder_dashboard",
    "index",
    "overview",
    "overview_csv",
    "payment_approve",
    "payment_received",
    "report_assess",
    "settlement",
]
