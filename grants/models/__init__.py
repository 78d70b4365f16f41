from .applications import (
    Application,
    Attachment,
    BudgetLine,
    InformationRequest,
    add_months,
    validate_project_date,
)
from .assessment import CoFundingPledge, Review, ReviewScore
from .audit import AppendOnlyError, AuditEvent
from .decisions import Decision, Extension, Objection, Report, ReportCostLine
from .organisations import Organisation, SchoolType, Team, TeamMembership
from .people import Funder, FunderRole, Signatory, User, validate_iban
from .schemes import AllocationMethod, RubricCriterion, Scheme

__all__ = [
    "AllocationMethod",
    "AppendOnlyError",
    "Application",
    "Attachment",
    "AuditEvent",
    "BudgetLine",
    "CoFundingPledge",
    "Decision",
    "Extension",
    "Funder",
    "FunderRole",
    "InformationRequest",
    "Objection",
    "Organisation",
    "Report",
    "ReportCostLine",
    "Review",
    "ReviewScore",
    "RubricCriterion",
    "Scheme",
    "SchoolType",
    "Signatory",
    "Team",
    "TeamMembership",
    "User",
    "add_months",
    "validate_iban",
    "validate_project_date",
]
