"""Set-up shared by the finance tests: a funder's staff and payments in every state."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from finance.models import Payment
from tests.factories import ApplicationFactory, force_status, staff
from workflow.states import Role

IBAN_BOARD = "NL44RABO0123456789"


@pytest.fixture
def application(db):
    return ApplicationFactory(active=True)


@pytest.fixture
def funder(application):
    return application.scheme.funder


@pytest.fixture
def officer(funder):
    return staff(funder, Role.OFFICER)


@pytest.fixture
def finance_officer(funder):
    return staff(funder, Role.FINANCE)


@pytest.fixture
def decider(funder):
    return staff(funder, Role.DECIDER)


def confirm_bank_details(organisation, by=None, iban=IBAN_BOARD, holder=None):
    organisation.iban = iban
    organisation.bic = ""
    organisation.account_holder = holder or organisation.name
    organisation.bank_details_confirmed_at = timezone.now()
    organisation.bank_details_confirmed_by = by
    organisation.save()
    return organisation


def make_payment(application, *, status="approved", kind="advance", amount="8000.00", due=None, prepared_by=None):
    from finance.services import payee_for

    payment = Payment.objects.create(
        application=application,
        kind=kind,
        amount=Decimal(amount),
        due_date=due or timezone.localdate() - datetime.timedelta(days=1),
        payee=payee_for(application),
        prepared_by=prepared_by,
    )
    if status != "scheduled":
        force_status(payment, status)
    return payment


def settled_under_objection():
    """Awarded 10,000, 8,000 paid, settled at 6,000 (recovery of 2,000 open), and the team objects."""
    from workflow.actions import application_object, application_settle

    application = ApplicationFactory(final_report_submitted=True)
    funder = application.scheme.funder
    officer, decider = staff(funder, Role.OFFICER), staff(funder, Role.DECIDER)
    make_payment(application, status="paid", amount="8000.00")
    application_settle(application=application, actor=officer, amount=Decimal("6000.00"), reasons="Minder kosten")
    first_recovery = Payment.objects.get(application=application, kind="recovery")
    assert (first_recovery.amount, first_recovery.status) == (Decimal("2000.00"), "scheduled")
    objection = application_object(application=application, actor=application.team.contact, grounds="Te laag")
    return application, objection, decider, first_recovery
