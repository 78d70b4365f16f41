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


def recorded_action_names() -> dict[str, str]:
    """Every action name the code passes to record_event (directly, through documents.services._audit
    or as a module constant) or to perform, with where it was found."""
    import ast
    from pathlib import Path

    from django.conf import settings

    found = {}
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if {".venv", "tests", "migrations", "node_modules", "bench"} & set(path.parts):
            continue
        tree = ast.parse(path.read_text())
        constants = {
            node.targets[0].id: node.value.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            values = []
            if name in ("record_event", "_audit", "perform"):
                values += [keyword.value for keyword in node.keywords if keyword.arg == "action"]
            if name in ("_audit", "perform") and len(node.args) >= 2:
                values.append(node.args[1])
            for value in values:
                options = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
                for option in options:
                    if isinstance(option, ast.Constant):
                        found[option.value] = f"{path.name}:{node.lineno}"
                    elif isinstance(option, ast.Name) and option.id in constants:
                        found[constants[option.id]] = f"{path.name}:{node.lineno}"
    return found


def test_every_action_the_code_records_has_a_label_for_the_audit_trail():
    """The workbench's audit trail names each action ("Request information"), never the code."""
    from django.apps import apps

    from workflow.labels import ACTION_LABELS, EVENT_LABELS

    recorded = recorded_action_names()
    assert {"request_info", "letter_sent", "attachment.added", "bank_details_entered", "team_registered"} <= set(
        recorded
    ), "the scan of the source found too little"
    # perform() also runs transitions named by a variable (aftercare, decisions): every transition of a
    # model counts. Letters are the exception: documents.services audits their steps as letter_*.
    for model in apps.get_models():
        if model._meta.label == "documents.Letter":
            continue
        for attribute in dir(model):
            if getattr(getattr(model, attribute, None), "_django_fsm", None) is not None:
                recorded.setdefault(attribute, model._meta.label)
    missing = {name: where for name, where in recorded.items() if name not in EVENT_LABELS | ACTION_LABELS}
    assert not missing, missing


def test_an_action_or_state_nobody_labelled_reads_as_words_not_as_an_error():
    from workflow.labels import event_action_label, event_state_label

    assert event_action_label("legacy_import.done") == "Legacy import done"
    assert event_state_label("half_way", "application") == "Half way"
    assert event_state_label("", "application") == ""


def test_the_audit_trail_names_every_transition_as_done_not_as_its_button():
    """ "Ingediend" in the trail, "Indienen" on the button: every transition has its own past-tense label."""
    from django.utils import translation

    from workflow.labels import ACTION_LABELS, EVENT_LABELS, event_action_label

    assert set(ACTION_LABELS) <= set(EVENT_LABELS)
    with translation.override("nl"):
        assert (str(ACTION_LABELS["submit"]), event_action_label("submit")) == ("Indienen", "Ingediend")
        assert event_action_label("declare_no_conflict") == "Geen belangenconflict verklaard"
        assert event_action_label("approve") == "Betaling goedgekeurd"
