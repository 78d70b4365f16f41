"""python manage.py export_payouts BATCH_ID --format csv|xlsx|sepa --out FILE

Writes a batch's export to FILE. For an exported (locked) batch this is a copy of the stored
file, checked against its SHA-256; for an open batch a CSV or XLSX preview that changes nothing
(lock it through the finance pages, which also marks the payments exported).

An open batch gets no SEPA file: it would carry the batch's real MsgId and EndToEndIds, so the
bank would execute it like the real one, and the batch could be exported and paid a second time.
Only `batch_export` writes the SEPA file, together with the lock and its audit event.
"""

import hashlib

from django.core.management.base import BaseCommand, CommandError

from finance import exports
from finance.models import PayoutBatch


class Command(BaseCommand):
    help = "Write a payout batch as CSV, XLSX or SEPA pain.001 to a file."

    def add_arguments(self, parser):
        parser.add_argument("batch_id", type=int)
        parser.add_argument("--format", dest="fmt", choices=sorted(exports.FORMATS), required=True)
        parser.add_argument("--out", required=True, help="File to write; '-' for standard output.")

    def handle(self, batch_id, fmt, out, **options):
        try:
            batch = PayoutBatch.objects.select_related("funder").get(pk=batch_id)
        except PayoutBatch.DoesNotExist:
            raise CommandError(f"Payout batch {batch_id} does not exist.") from None
        if fmt == "sepa" and not batch.is_locked:
            raise CommandError(
                f"{batch.reference} is not exported yet; a SEPA file of an open batch could be paid twice. "
                "Export it on the finance pages first (that locks it), then write its stored file with this command."
            )
        digest = hashlib.sha256()
        target = self.stdout._out.buffer if out == "-" else open(out, "wb")  # noqa: SIM115
        try:
            if batch.is_locked:
                with batch.file_for(fmt).open("rb") as stored:
                    for chunk in iter(lambda: stored.read(64 * 1024), b""):
                        digest.update(chunk)
                        target.write(chunk)
                if digest.hexdigest() != batch.sha256_for(fmt):
                    raise CommandError(f"The stored {fmt} file of {batch} does not match its SHA-256.")
            else:
                for chunk in exports.generate(batch, fmt):
                    digest.update(chunk)
                    target.write(chunk)
        finally:
            if out != "-":
                target.close()
        if out != "-":
            state = "stored export" if batch.is_locked else "preview of an open batch"
            self.stderr.write(f"{batch.reference}: {fmt} ({state}) written to {out}, sha256 {digest.hexdigest()}")
