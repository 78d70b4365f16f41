"""Audit events are append-only: in Python, and on PostgreSQL in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from grants.audit import record_event
from grants.models import AppendOnlyError, AuditEvent
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    application = ApplicationFactory()
    return record_event(
        application,
        actor=application.team.contact,
        action="submit",
        from_state="draft",
        to_state="submitted",
        reason="Klaar",
    )


def test_an_event_records_who_what_when_and_why(event):
    assert event.funder == event.application.scheme.funder
    assert event.subject == event.application
    assert (event.action, event.from_state, event.to_state, event.reason) == ("submit", "draft", "submitted", "Klaar")
    assert event.created_at is not None
    assert event.actor == event.application.team.contact


def test_saving_an_existing_event_raises(event):
    event.reason = "Achteraf aangepast"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == "Klaar"


def test_deleting_an_event_raises(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_and_delete_raise(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "Klaar"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE grants_auditevent SET reason = 'vervalst' WHERE id = %s",
        "DELETE FROM grants_auditevent WHERE id = %s",
    ],
)
def test_postgres_trigger_refuses_raw_update_and_delete(event, sql):
    if connection.vendor != "postgresql":
        pytest.fail(f"This test needs PostgreSQL (the trigger of grants/migrations/0002); got {connection.vendor}.")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "Klaar"
