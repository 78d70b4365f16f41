"""On PostgreSQL the database itself refuses to change or delete an audit event."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION grants_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER grants_auditevent_append_only
    BEFORE UPDATE OR DELETE ON grants_auditevent
    FOR EACH ROW EXECUTE FUNCTION grants_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS grants_auditevent_append_only ON grants_auditevent;
DROP FUNCTION IF EXISTS grants_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
