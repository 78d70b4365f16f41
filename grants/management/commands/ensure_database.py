"""`python manage.py ensure_database`: create the PostgreSQL database DATABASE_URL names, if missing.

`bin/demo` and `bin/test` run it before `migrate`, so that a fresh machine needs nothing but
a running server (`DATABASE_URL=postgres://root@127.0.0.1:5432/grantdesk_demo bin/demo`).
The role in DATABASE_URL must be allowed to create databases. On SQLite it does nothing:
`migrate` creates the file.
"""

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections


class Command(BaseCommand):
    help = "Create the PostgreSQL database of DATABASE_URL when it does not exist yet."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Connection alias (default: default).")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            return
        name = connection.settings_dict["NAME"]
        # The cursor Django's own test-database creation uses: the server's maintenance
        # database, in autocommit (CREATE DATABASE refuses to run in a transaction).
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        self.stdout.write(f"Created the database {name}.")
