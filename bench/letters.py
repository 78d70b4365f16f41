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

The worker's pool processes freeze their heap (`gc.freeze()`, config/celery.py) at start and
after the first run of each task, so raw is measured twice: as before (default garbage
collection) and with this process's heap frozen the same way after the warm-up render. The
ratio is taken against the second, the fair one.

On a shared machine the rates say as much about the neighbours as about the code, so the run
also counts CPU time per letter (from /proc): raw rendering in this process; for the pipeline
the worker's parent and pool processes, this process (the SMTP sink), PostgreSQL and Redis.
2 x raw CPU / pipeline CPU is then the most two idle cores would give. The last line takes the
pool's own work away: a render as it costs when two run at once (the two-process run's CPU per
letter) plus PostgreSQL, Redis, the sink and the worker's parent. No change to the pipeline's code
gets past that ratio on this machine.
"""

import argparse
import gc
import logging
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


# The sink is part of the harness, not of the pipeline: aiosmtpd logs every SMTP command at INFO
# (ten lines a letter, in this process, on the cores the workers need).
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return found


def processes_named(*names: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as handle:
                    if handle.read().strip() in names:
                        found.append(int(entry))
            except OSError:
                continue
    return found


class PipelineCPU:
    """CPU seconds spent by everything the pipeline runs on: the worker's parent and pool processes,
    this process (the SMTP sink), PostgreSQL's processes and Redis. Backends that exit take their
    CPU time with them, but the workers keep their connections (CELERY_DB_REUSE_MAX)."""

    def __init__(self, worker_pid: int):
        self.worker_pid = worker_pid

    def snapshot(self) -> dict:
        return {
            "parent": {self.worker_pid: process_cpu(self.worker_pid)},
            "pool": {pid: process_cpu(pid) for pid in children(self.worker_pid)},
            "sink": {0: time.process_time()},
            "postgres": {pid: process_cpu(pid) for pid in processes_named("postgres")},
            "redis": {pid: process_cpu(pid) for pid in processes_named("redis-server")},
        }

    @staticmethod
    def spent(before: dict, after: dict) -> dict:
        return {part: sum(cpu - before[part].get(pid, 0.0) for pid, cpu in after[part].items()) for part in after}


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


def raw_rate(htmls: list[str]) -> tuple[float, int, float]:
    """Letters per second of render_pdf alone, in this process, on the letters' own HTML; and CPU s/letter."""
    from documents.rendering import render_pdf

    render_pdf(htmls[0])  # warm-up: fonts, stylesheet, first layout
    started, cpu = time.perf_counter(), time.process_time()
    pages = 0
    for html in htmls:
        pages += render_pdf(html).page_count
    return len(htmls) / (time.perf_counter() - started), pages, (time.process_time() - cpu) / len(htmls)


def _render_all(htmls, results):
    from documents.rendering import render_pdf

    render_pdf(htmls[0])
    started, cpu = time.perf_counter(), time.process_time()
    for html in htmls:
        render_pdf(html)
    results.put((time.perf_counter() - started, (time.process_time() - cpu) / len(htmls)))


def raw_rate_two_processes(htmls: list[str]) -> tuple[float, float]:
    """Letters per second of two processes rendering the same letters at once, nothing else:
    the most two cores give this workload (shared caches and memory), the pipeline's real ceiling;
    and the CPU seconds a render takes when two run at once."""
    import multiprocessing

    connection.close()  # the children render only; they must not share this process's socket
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_render_all, args=(htmls, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    (first, first_cpu), (second, second_cpu) = results.get(), results.get()
    return 2 * len(htmls) / max(first, second), (first_cpu + second_cpu) / 2


def pipeline_rate(decisions, media_root: Path, workdir: Path) -> tuple[float, dict]:
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
            "DJANGO_DEBUG": "0",  # as in production: no query log, no template debug
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
        cpu = PipelineCPU(worker.process.pid)
        with transaction.atomic():
            for decision in counted:
                issue_letter(decision, batch="bench")
            before = cpu.snapshot()  # the workers start on commit
        started = time.perf_counter()
        worker.wait_until(lambda: sink.count >= len(counted), timeout=900, interval=0.02, what="every letter")
        at_sink = time.perf_counter() - started
        sent = Letter.objects.filter(batch="bench", status="sent")
        worker.wait_until(lambda: sent.count() == len(counted), timeout=60, interval=0.02, what="sent markers")
        elapsed = time.perf_counter() - started
        spent = PipelineCPU.spent(before, cpu.snapshot())
        print(f"  {len(counted)} letters at the sink after {at_sink:.1f} s, all marked sent after {elapsed:.1f} s")
        return len(counted) / elapsed, {key: value / len(counted) for key, value in spent.items()}
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
            with connection.cursor() as cursor:
                # Statistics for the rows just made, now rather than by autovacuum in the middle of a run.
                cursor.execute("VACUUM ANALYZE")
            load = os.getloadavg()
            from documents.letters import build_content

            htmls = [build_content(decision).html() for decision in decisions[2:]]
            raw_default, pages, _cpu = raw_rate(htmls)
            print(f"raw WeasyPrint, 1 process, default GC: {raw_default:.1f} letters/s")
            gc.collect()  # what each worker pool process does after its first letter (config/celery.py)
            gc.freeze()
            raw, pages, raw_cpu = raw_rate(htmls)
            print(
                f"raw WeasyPrint, 1 process, start-up heap frozen as in the workers: {raw:.1f} letters/s "
                f"({args.letters} award letters, {pages} pages)"
            )
            two, two_cpu = raw_rate_two_processes(htmls)
            print(f"raw WeasyPrint, 2 processes at once (two cores' ceiling): {two:.1f} letters/s = {two / raw:.2f} x")
            pipeline, cpu = pipeline_rate(decisions, media_root, Path(tmp))
            print(f"pipeline, 2 worker processes (queue -> PDF -> stored -> SMTP sink): {pipeline:.1f} letters/s")
            print(f"pipeline / raw: {pipeline / raw:.2f} x (target >= 1.7 x; {os.cpu_count()} cores)")
            print(f"pipeline / raw with default GC (how it was measured before): {pipeline / raw_default:.2f} x")
            print(f"pipeline / raw on two processes: {pipeline / two:.2f} (the pipeline's efficiency on two cores)")
            total = sum(cpu.values())
            parts = ", ".join(f"{part} {seconds * 1000:.1f}" for part, seconds in cpu.items())
            print(
                f"CPU per letter: raw {raw_cpu * 1000:.1f} ms; pipeline {total * 1000:.1f} ms ({parts}); "
                f"two idle cores would give at most {2 * raw_cpu / total:.2f} x"
            )
            # What no change to our code can get below: a render as it costs when two run at once,
            # plus the processes besides the pool (PostgreSQL, Redis, the sink, the worker's parent).
            floor = two_cpu + total - cpu["pool"]
            print(
                f"a pool that cost nothing besides the render ({two_cpu * 1000:.1f} ms when two run at once) "
                f"would give at most {2 * raw_cpu / floor:.2f} x"
            )
            # The same in milliseconds: what 1.7 x allows a letter, and what is taken before our code runs.
            budget = 2 * raw_cpu / 1.7
            outside = total - cpu["pool"]
            print(
                f"1.7 x allows {budget * 1000:.1f} ms CPU a letter; a render (two at once) {two_cpu * 1000:.1f} "
                f"and the processes besides the pool {outside * 1000:.1f} leave "
                f"{(budget - two_cpu - outside) * 1000:.1f} ms for the pool's own work, "
                f"which takes {(cpu['pool'] - two_cpu) * 1000:.1f} ms"
            )
            end_load = os.getloadavg()
            print("load average (1, 5, 15 min): at start " + " ".join(f"{value:.2f}" for value in load), end="")
            print(", at end " + " ".join(f"{value:.2f}" for value in end_load))
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
