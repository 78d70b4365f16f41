from .applications import application_action, application_detail
from .audit import audit_export, audit_log
from .dashboard import bulk_action, dashboard, queue
from .ranking import ranking_decide, ranking_page, ranking_prepare
from .reviews import review_action, review_detail, review_inbox

__all__ = [
    "application_action",
    "application_detail",
    "audit_export",
    "audit_log",
    "bulk_action",
    "dashboard",
    "queue",
    "ranking_decide",
    "ranking_page",
    "ranking_prepare",
    "review_action",
    "review_detail",
    "review_inbox",
]
