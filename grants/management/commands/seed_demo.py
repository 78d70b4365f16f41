"""`python manage.py seed_demo`: the demo data set, built idempotently.

A second run finds everything by its natural key and changes nothing.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from grants.demo import data
from grants.demo.builders import DemoBuilder
from grants.models import Application


class Command(BaseCommand):
    help = "Build the demo data set (funders, schemes, teams, applications in every state, accounts)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the table of accounts.")

    def handle(self, *args, **options):
        started = time.monotonic()
        result = DemoBuilder().build()
        seconds = time.monotonic() - started
        if result.created:
            created = ", ".join(f"{count} {name}" for name, count in sorted(result.created.items()))
            self.stdout.write(f"Created {created}.")
        self.stdout.write(
            f"Applications: {result.applications_built} built through the workflow, "
            f"{result.applications_existing} already there ({seconds:.1f} s)."
        )
        states = Application.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        self.stdout.write("Applications per state: " + ", ".join(f"{status} {n}" for status, n in states))
        self.report_letters()
        if not options["quiet_accounts"]:
            self.print_accounts(result.accounts)

    def report_letters(self):
        """Say how the letters fared; never hide a rendering failure."""
        from documents.models import Letter

        counts = dict(Letter.objects.values_list("status").annotate(n=Count("pk")))
        self.stdout.write("Letters: " + (", ".join(f"{s} {n}" for s, n in sorted(counts.items())) or "none"))
        failed = Letter.objects.filter(status="failed").select_related("decision")
        if counts.get("queued"):
            self.stdout.write(
                self.style.WARNING(
                    f"{counts['queued']} letters are queued for the Celery worker (REDIS_URL is set): "
                    "it renders and sends them once it runs (bin/demo starts it next)."
                )
            )
        if failed:
            for letter in failed:
                self.stderr.write(f"Letter {letter.pk} ({letter.decision}) failed: {letter.failure_reason}")
            raise CommandError(f"{len(failed)} letters failed to render; see above.")

    def print_accounts(self, accounts):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {data.PASSWORD})"))
        width_email = max(len(a.email) for a in accounts)
        width_role = max(len(a.role) for a in accounts)
        self.stdout.write(f"{'E-mail':<{width_email}}  {'Role':<{width_role}}  Funder / team")
        self.stdout.write(f"{'-' * width_email}  {'-' * width_role}  {'-' * 30}")
        for account in accounts:
            self.stdout.write(f"{account.email:<{width_email}}  {account.role:<{width_role}}  {account.where}")
