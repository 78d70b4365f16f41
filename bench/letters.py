"""Letters per second: raw WeasyPrint in one process, and the whole pipeline on two worker processes.

    DATABASE_URL=postgres://... REDIS_URL=redis://... uv run python bench/letters.py [--letters 120]

One run, one template (the award letter, verleningsbeschikking), the same letters:
  1. raw: the letters' HTML is built first, then `documents.rendering.render_pdf` renders it,
     one after another in this process (one FontConfiguration, warmed up by one render);
  2. pipeline: the same number of letters queued in one transaction (as a ranking round
     does), then a real `celery worker --concurrency=2` (prefork) over Redis renders, stores
     (SHA-256, MEDIA_ROOT) and e-mails every letter to a local aiosmtpd sink. Timed from
     the commit to the last message accepted by the sink.
It works in a throwaway database (bench_<name>, created and dropped here) and a temporary
MEDIA_ROOT, so nothing of yours is touched. Target: pipeline >= 1.7 x raw (two cores used).
"""

import argparse
import os
import socket
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from config.celery import app as celery_app  # noqa: E402


class Sink:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_decisions(n: int):
    from grants.models import Decision
    from tests.factories import ApplicationFactory, SchemeFactory, TeamFactory, staff
    from workflow.states import DecisionStatus, Role

    scheme = SchemeFactory(budget_ceiling=Decimal("100000000.00"), max_per_application=Decimal("50000.00"))
    officer, decider = staff(scheme.funder, Role.OFFICER), staff(scheme.funder, Role.DECIDER)
    team = TeamFactory()
    decisions = []
    for _ in range(n):
        application = ApplicationFactory(awarded=True, scheme=scheme, team=team, amount=Decimal("12345.00"))
        decisions.append(
            Decision.objects.create(
                application=application,
                kind="award",
                status=DecisionStatus.TAKEN,
                amount=application.awarded_amount,
                prepared_by=officer,
                decided_by=decider,
                decided_at=timezone.now(),
                letter_date=timezone.localdate(),
            )
        )
    return decisions


def raw_rate(decisions) -> tuple[float, int]:
    """Letters per second of render_pdf alone, in this process, on the letters' own HTML."""
    from documents.letters import build_content
    from documents.rendering import render_pdf

    htmls = [build_content(decision).html() for decision in decisions]
    render_pdf(htmls[0])  # warm-up: fonts, first layout
    started = time.perf_counter()
    pages = 0
    for html in htmls:
        pages += render_pdf(html).page_count
    return len(htmls) / (time.perf_counter() - started), pages


def pipeline_rate(decisions, media_root: Path, workdir: Path) -> float:
    from documents.models import Letter
    from documents.services import issue_letter
    from tests.worker_process import CeleryWorkerProcess

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    with celery_app.connection_for_write() as broker:
        broker.default_channel.queue_purge(celery_app.conf.task_default_queue)
    worker = CeleryWorkerProcess(
        workdir,
        concurrency=2,
        extra_env={
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "0",
            "GRANTDESK_MEDIA_ROOT": str(media_root),
            "GRANTDESK_LOG_LEVEL": "WARNING",
        },
    )
    worker.start()
    try:
        # Warm up both pool processes (fonts, templates, connections) on letters not counted.
        warm = decisions[:2]
        with transaction.atomic():
            for decision in warm:
                issue_letter(decision)
        worker.wait_until(lambda: sink.count >= len(warm), timeout=120, what="the warm-up letters")
        counted = decisions[2:]
        sink.count = 0
        with transaction.atomic():
            for decision in counted:
                issue_letter(decision, batch="bench")
        started = time.perf_counter()
        worker.wait_until(lambda: sink.count >= len(counted), timeout=900, interval=0.02, what="every letter")
        at_sink = time.perf_counter() - started
        sent = Letter.objects.filter(batch="bench", status="sent")
        worker.wait_until(lambda: sent.count() == len(counted), timeout=60, interval=0.02, what="sent markers")
        elapsed = time.perf_counter() - started
        print(f"  {len(counted)} letters at the sink after {at_sink:.1f} s, all marked sent after {elapsed:.1f} s")
        return len(counted) / elapsed
    finally:
        worker.stop(warm=False)
        controller.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=120)
    args = parser.parse_args()
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the pipeline runs on a real worker.")
    celery_app.conf.task_always_eager = False
    original = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{original}"  # not pytest's test_<name>
    with tempfile.TemporaryDirectory() as tmp:
        media_root = Path(tmp) / "media"
        settings.MEDIA_ROOT = media_root
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            decisions = make_decisions(args.letters + 2)
            raw, pages = raw_rate(decisions[2:])
            print(f"raw WeasyPrint, 1 process: {raw:.1f} letters/s ({args.letters} award letters, {pages} pages)")
            pipeline = pipeline_rate(decisions, media_root, Path(tmp))
            print(f"pipeline, 2 worker processes (queue -> PDF -> stored -> SMTP sink): {pipeline:.1f} letters/s")
            print(f"pipeline / raw: {pipeline / raw:.2f} x (target >= 1.7 x; {os.cpu_count()} cores)")
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
