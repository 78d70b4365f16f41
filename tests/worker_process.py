"""A real `celery worker` process (prefork, two children) on Redis and the test database.

Used through the `celery_worker_process` fixture in tests/conftest.py; see its docstring.
The worker is a separate process, as in production: it imports the project afresh,
reads DATABASE_URL (pointed at the *test* database) and REDIS_URL, and sends e-mail
with Django's file backend into `mail_dir`, so a test can read what it sent.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def database_url_for_test_database() -> str:
    """DATABASE_URL for the database pytest-django created (test_<name>), not the development one."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError(
            f"A worker process needs the test database on PostgreSQL; it is {db['ENGINE']}. Set DATABASE_URL."
        )
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


class CeleryWorkerProcess:
    """Start, stop, SIGKILL and restart one worker; read its log and the mail it sent."""

    def __init__(self, workdir: Path, *, concurrency: int = 2, extra_env: dict | None = None):
        self.workdir = workdir
        self.var_dir = workdir / "var"
        self.mail_dir = self.var_dir / "mail"
        self.log_path = workdir / "worker.log"
        self.concurrency = concurrency
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.nodename = ""
        self.restarts = 0

    # --- lifecycle -------------------------------------------------------------------------
    def environment(self) -> dict:
        env = {key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_", "CELERY_"))}
        env.update(
            DATABASE_URL=database_url_for_test_database(),
            REDIS_URL=settings.REDIS_URL,
            DJANGO_SETTINGS_MODULE="config.settings",
            # Embedded e-mail: Django's file backend writes each message under GRANTDESK_VAR_DIR/mail.
            GRANTDESK_VAR_DIR=str(self.var_dir),
            GRANTDESK_MEDIA_ROOT=str(self.var_dir / "media"),
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def start(self, *, timeout: float = 60.0) -> "CeleryWorkerProcess":
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.nodename = f"grantdesk-test-{uuid.uuid4().hex[:8]}@%h"
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                self.nodename,
            ],
            cwd=BASE_DIR,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill() reaches the pool children too
        )
        log.close()
        self.wait_until(lambda: " ready." in self.log(), timeout=timeout, what="the worker to be ready")
        return self

    def stop(self, timeout: float = 30.0, *, warm: bool = True) -> None:
        """Warm shutdown (SIGTERM: running tasks finish first) or cold (SIGQUIT: at once)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM if warm else signal.SIGQUIT)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as a crashed machine would."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def restart(self, *, timeout: float = 60.0) -> "CeleryWorkerProcess":
        self.stop()
        self.restarts += 1
        return self.start(timeout=timeout)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    # --- observing ---------------------------------------------------------------------------
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def sent_mail(self) -> list[str]:
        """Every message the worker's file backend wrote, oldest first."""
        if not self.mail_dir.exists():
            return []
        return [path.read_text(errors="replace") for path in sorted(self.mail_dir.glob("*.log"))]

    def clear_mail(self) -> None:
        for path in self.mail_dir.glob("*.log"):
            path.unlink()

    def wait_until(self, predicate, *, timeout: float = 30.0, interval: float = 0.1, what: str = "a condition"):
        """Poll `predicate` until it returns something true; raise with the worker's log after `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            if self.process is not None and self.process.poll() is not None:
                break  # the worker died: nothing more will happen
            time.sleep(interval)
        raise AssertionError(
            f"Gave up after {timeout} s (or the worker died) waiting for {what}. "
            f"Worker log (last 3000 characters):\n{self.log()[-3000:]}"
        )
