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
