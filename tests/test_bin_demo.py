"""bin/demo, the README's first command, run with `uv` replaced by a stand-in on the PATH.

The stand-in records the environment each `uv run` gets and, for the web server and the worker,
becomes a long `sleep`, so a test can see which processes outlive the script. bin/setup is
replaced by a no-op (it installs packages); everything else is the real bin/demo.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

BIN_DEMO = Path(settings.BASE_DIR) / "bin" / "demo"

UV_STAND_IN = """#!/usr/bin/env bash
echo "$$|${GRANTDESK_SITE_URL:-}|${GRANTDESK_VAR_DIR:-}|$*" >> "$UV_LOG"
case "$*" in *runserver*|*celery*) exec sleep 600;; esac
"""


@pytest.fixture
def demo(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "bin").mkdir(parents=True)
    shutil.copy(BIN_DEMO, checkout / "bin" / "demo")
    (checkout / "bin" / "setup").write_text("#!/usr/bin/env bash\nexit 0\n")
    stand_ins = tmp_path / "stand-ins"
    stand_ins.mkdir()
    (stand_ins / "uv").write_text(UV_STAND_IN)
    for script in (checkout / "bin" / "demo", checkout / "bin" / "setup", stand_ins / "uv"):
        script.chmod(0o755)
    log = tmp_path / "uv.log"
    started = []

    def start(**env):
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_URL", "REDIS_URL", "GRANTDESK_", "PORT"))
        }
        environment.update(PATH=f"{stand_ins}:{os.environ['PATH']}", UV_LOG=str(log), **env)
        process = subprocess.Popen(
            [str(checkout / "bin" / "demo")],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        started.append(process)
        return process

    def runs(*, until: str, timeout: float = 20):
        """The recorded `uv` calls (pid, site URL, var dir, arguments) once one mentions `until`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = log.read_text().splitlines() if log.exists() else []
            if any(until in line for line in lines):
                return [line.split("|", 3) for line in lines]
            time.sleep(0.05)
        raise AssertionError(f"bin/demo never ran `uv ... {until}`: {lines}")

    yield start, runs, checkout
    for process in started:  # whatever a failing test left running
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    for line in log.read_text().splitlines() if log.exists() else []:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(line.split("|", 1)[0]), signal.SIGKILL)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def test_links_in_the_demos_mail_point_at_the_port_it_serves_on(demo):
    start, runs, _ = demo
    process = start(PORT="8199")
    calls = runs(until="runserver")
    assert calls[-1][3].endswith("runserver 0.0.0.0:8199")
    # Seeding the demo sends mail too: every step sees the same site URL.
    assert {site_url for _, site_url, _, _ in calls} == {"http://localhost:8199"}
    process.terminate()
    process.wait(timeout=20)


def test_a_postgresql_demo_keeps_its_letters_and_mail_apart_from_the_embedded_one(demo):
    start, runs, checkout = demo
    process = start(PORT="8198", DATABASE_URL="postgres://root@127.0.0.1:5432/demo_pg?sslmode=disable")
    calls = runs(until="runserver")
    assert {var_dir for _, _, var_dir, _ in calls} == {"var/demo_pg"}
    assert (checkout / "var" / "demo_pg").is_dir()
    process.terminate()
    process.wait(timeout=20)


def test_stopping_the_demo_stops_its_web_server_and_worker(demo):
    """`kill <pid of bin/demo>` (SIGTERM, as a process manager stops it) leaves nothing running."""
    start, runs, _ = demo
    process = start(PORT="8197", DATABASE_URL="postgres://root@127.0.0.1:5432/demo_pg", REDIS_URL="redis://x:6379/9")
    calls = runs(until="runserver")
    children = [int(pid) for pid, _, _, arguments in calls if "runserver" in arguments or "celery" in arguments]
    assert len(children) == 2
    assert all(alive(pid) for pid in children)
    process.send_signal(signal.SIGTERM)  # the script only, not its process group
    process.wait(timeout=20)
    assert [pid for pid in children if alive(pid)] == []
