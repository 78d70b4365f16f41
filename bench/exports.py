"""Export 10,000 and 100,000 payments to CSV, XLSX and SEPA; print time and peak memory.

    DATABASE_URL=postgres://... uv run python bench/exports.py [--sizes 10000,100000] [--validate]

Everything happens in one transaction that is rolled back at the end, so the database is
left as it was. Time is measured without tracemalloc (it slows Python down); the peak of
Python allocations is measured in a second pass with tracemalloc. A streamed export keeps
the same peak at 10,000 and 100,000 payments.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from finance import exports  # noqa: E402
from finance.models import Payment, PayoutBatch  # noqa: E402
from grants.models import Application, Funder, Organisation, Scheme, Team, User  # noqa: E402


class Rollback(Exception):
    pass


def fixtures():
    user = User.objects.create_user(email=f"bench-{time.time_ns()}@example.nl", password=None)
    funder = Funder.objects.create(
        name=f"Bench {time.time_ns()}",
        slug=f"bench-{time.time_ns()}",
        kind="municipality",
        governing_body="college",
        street_address="Markt 1",
        postal_code="1000 AA",
        city="Bench",
        email="bench@example.nl",
        iban="NL91ABNA0417164300",
        account_holder="Gemeente Bench",
        objection_address="Postbus 1",
    )
    today = timezone.localdate()
    scheme = Scheme.objects.create(
        funder=funder,
        name="Bench",
        slug="bench",
        reference_prefix=f"B{time.time_ns() % 10**8}",
        legal_basis="Bench",
        opens_on=today,
        closes_on=today,
        budget_ceiling=Decimal("1e9"),
        max_per_application=Decimal("1e6"),
    )
    board = Organisation.objects.create(
        name="Stichting Primair Onderwijs Bénchmark",
        kind="school_board",
        iban="NL44RABO0123456789",
        bic="RABONL2U",
        account_holder="Stichting Primair Onderwijs Bénchmark",
        bank_details_confirmed_at=timezone.now(),
    )
    team = Team.objects.create(name="Bench", contact=user)
    application = Application.objects.create(
        scheme=scheme, team=team, created_by=user, reference=f"BENCH-{time.time_ns() % 10**8}", title="Bench"
    )
    return funder, application, board, user


def make_batch(funder, application, board, user, size):
    batch = PayoutBatch.objects.create(
        funder=funder,
        reference=f"BENCH{size}{time.time_ns() % 10**9}",
        created_by=user,
        execution_date=datetime.date.today(),
    )
    due = timezone.localdate()
    Payment.objects.bulk_create(
        (
            Payment(
                application=application,
                kind="advance",
                status="approved",
                amount=Decimal(1000 + n % 9000) + Decimal(n % 100) / 100,
                due_date=due,
                payee=board,
                batch=batch,
                creditor_name=board.account_holder,
                creditor_iban=board.iban,
                creditor_bic=board.bic,
            )
            for n in range(size)
        ),
        batch_size=5000,
    )
    return batch


def run(batch, fmt):
    with tempfile.TemporaryFile() as handle:
        size = 0
        for chunk in exports.generate(batch, fmt):
            handle.write(chunk)
            size += len(chunk)
        if fmt == "sepa" and ARGS.validate:
            handle.seek(0)
            exports.validate_sepa(handle)
    return size


def measure(batch, fmt):
    start = time.perf_counter()
    size = run(batch, fmt)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    run(batch, fmt)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, size


def main():
    sizes = [int(s) for s in ARGS.sizes.split(",")]
    print(f"{'payments':>9} {'format':>6} {'seconds':>8} {'peak MiB':>9} {'file MiB':>9}")
    try:
        with transaction.atomic():
            funder, application, board, user = fixtures()
            for size in sizes:
                batch = make_batch(funder, application, board, user, size)
                for fmt in ARGS.formats.split(","):
                    seconds, peak, nbytes = measure(batch, fmt)
                    print(f"{size:>9} {fmt:>6} {seconds:>8.2f} {peak / 2**20:>9.1f} {nbytes / 2**20:>9.1f}", flush=True)
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--formats", default="csv,xlsx,sepa")
    parser.add_argument("--validate", action="store_true", help="also validate the SEPA file against the XSD")
    ARGS = parser.parse_args()
    main()
