"""`manage.py ensure_database`: the README's PostgreSQL demo works on a server without the database."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db  # bin/test runs on PostgreSQL


def database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def test_creates_a_missing_database_once(monkeypatch):
    name = f"grantdesk_new_{uuid.uuid4().hex[:8]}"
    with monkeypatch.context() as patched:
        patched.setitem(connection.settings_dict, "NAME", name)  # what DATABASE_URL would name
        first, second = io.StringIO(), io.StringIO()
        call_command("ensure_database", stdout=first)
        call_command("ensure_database", stdout=second)
    try:
        assert database_exists(name)
        assert first.getvalue() == f"Created the database {name}.\n"
        assert second.getvalue() == ""  # there already: nothing done, nothing said
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
