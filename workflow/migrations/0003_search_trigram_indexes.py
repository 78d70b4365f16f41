"""Trigram indexes for the workbench search (PostgreSQL only).

The queue's search is `icontains`, which Django writes as UPPER(column) LIKE UPPER('%q%') on
PostgreSQL: a sequential scan that grows with the table. GIN trigram indexes on exactly those
UPPER() expressions let the planner combine title, reference and team matches in a bitmap scan.
SQLite (the embedded demo) has no pg_trgm and keeps the scan.
"""

from django.db import migrations

INDEXES = {
    "grants_application_title_trgm": ("grants_application", "title"),
    "grants_application_reference_trgm": ("grants_application", "reference"),
    "grants_team_name_trgm": ("grants_team", "name"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("workflow", "0002_ranking_round"), ("grants", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
