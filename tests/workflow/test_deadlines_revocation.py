"""Revocation (intrekking): an officer prepares with reasons, a decider revokes (four eyes)."""

import pytest
from django.utils import translation

from grants.models import AuditEvent
from tests.factories import ApplicationFactory, staff
from tests.workflow.audit_checks import assert_replaced_with_an_audit_event
from workflow.actions import application_revoke, revocation_prepare
from workflow.exceptions import ActionRefused, PermissionRefused
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_revocation_needs_an_officers_preparation_and_another_decider():
    application = ApplicationFactory(active=True)
    funder = application.scheme.funder
    officer = staff(funder, Role.OFFICER)
    decider = staff(funder, Role.DECIDER)
    preparing_decider = staff(funder, Role.OFFICER)
    staff(funder, Role.DECIDER, email=preparing_decider.email)

    with pytest.raises(ActionRefused, match="prepare the revocation"):
        application_revoke(application=application, actor=decider, reasons="Niet uitgevoerd")
    with pytest.raises(PermissionRefused):
        revocation_prepare(application=application, actor=application.team.contact, reasons="x")
    with pytest.raises(ActionRefused, match="reasons"):
        revocation_prepare(application=application, actor=officer, reasons="  ")

    revocation_prepare(application=application, actor=preparing_decider, reasons="Project niet gestart")
    with pytest.raises(PermissionRefused, match="four eyes"):
        application_revoke(application=application, actor=preparing_decider)
    with pytest.raises(PermissionRefused):
        application_revoke(application=application, actor=officer)

    application_revoke(application=application, actor=decider)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REVOKED
    decision = application.decisions.get(kind=DecisionKind.REVOCATION)
    assert decision.status == DecisionStatus.TAKEN
    assert (decision.prepared_by, decision.decided_by) == (preparing_decider, decider)
    assert decision.reasons == "Project niet gestart"
    assert decision.letters.count() == 1
    assert AuditEvent.objects.filter(application=application, action="revoke").exists()


def test_a_revocation_prepared_again_cancels_the_first_with_an_audit_event():
    application = ApplicationFactory(active=True)
    officer = staff(application.scheme.funder, Role.OFFICER)
    first = revocation_prepare(application=application, actor=officer, reasons="Project niet gestart")
    second = revocation_prepare(application=application, actor=officer, reasons="Project niet uitgevoerd")
    assert_replaced_with_an_audit_event(first, second, actor=officer, kind=DecisionKind.REVOCATION)


def test_only_awarded_or_running_grants_can_be_revoked():
    application = ApplicationFactory(settled=True)
    officer = staff(application.scheme.funder, Role.OFFICER)
    with pytest.raises(ActionRefused, match="not possible"):
        revocation_prepare(application=application, actor=officer, reasons="Te laat")


def test_revocation_recovers_what_was_paid_and_cancels_what_was_not():
    from finance.models import Payment, PayoutBatch

    application = ApplicationFactory(active=True)
    funder = application.scheme.funder
    officer, decider = staff(funder, Role.OFFICER), staff(funder, Role.DECIDER)
    batch = PayoutBatch.objects.create(funder=funder, reference="BATCH-1", created_by=officer)
    Payment.objects.create(
        application=application,
        kind=Payment.Kind.ADVANCE,
        amount="8000.00",
        due_date="2026-01-05",
        batch=batch,
        status="paid",
    )
    pending = Payment.objects.create(
        application=application, kind=Payment.Kind.REMAINDER, amount="2000.00", due_date="2026-06-05"
    )
    revocation_prepare(application=application, actor=officer, reasons="Voorwaarden geschonden")
    application_revoke(application=application, actor=decider)
    recovery = Payment.objects.get(application=application, kind=Payment.Kind.RECOVERY)
    assert str(recovery.amount) == "8000.00"
    # Its own decision, following the revocation, with a letter that names the amount (Awb 4:57).
    revocation = application.decisions.get(kind=DecisionKind.REVOCATION)
    assert (recovery.decision.kind, recovery.decision.data["revocation"]) == (DecisionKind.RECOVERY, revocation.pk)
    assert recovery.decision.letters.count() == 1
    pending.refresh_from_db()
    assert pending.status == "cancelled"
