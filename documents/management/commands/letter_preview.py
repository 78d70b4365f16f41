"""python manage.py letter_preview KIND --scheme ID --out FILE: a letter kind with sample data, as PDF."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents import services
from grants.models import Scheme
from workflow.states import DecisionKind


class Command(BaseCommand):
    help = "Render any letter kind of a scheme as PDF with sample data (nothing is saved or sent)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=DecisionKind.values)
        parser.add_argument("--scheme", type=int, required=True, help="The scheme's id.")
        parser.add_argument("--out", type=Path, required=True, help="Where to write the PDF.")

    def handle(self, *args, kind, scheme, out, **options):
        try:
            scheme_obj = Scheme.objects.select_related("funder").get(pk=scheme)
        except Scheme.DoesNotExist:
            raise CommandError(f"No scheme with id {scheme}.") from None
        rendered = services.render_preview(kind, scheme_obj)
        out.write_bytes(rendered.content)
        self.stdout.write(f"{out}: {rendered.page_count} page(s), {len(rendered.content)} bytes")
