"""A real Celery worker on the real Redis broker, for tests marked `integration`.

The worker runs in a thread of the test process (solo pool) and consumes from
REDIS_URL; tasks it runs open their own database connections to the test database,
so the tests use `django_db(transaction=True)` to make their data visible to it.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from config.celery import app as celery_app


@pytest.fixture
def celery_worker():
    if not settings.REDIS_URL:
        pytest.fail("Integration tests need REDIS_URL (a real broker); it is not set.")
    previous, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, False
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(celery_app.conf.task_default_queue)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        celery_app.conf.task_always_eager = previous


def wait_until(predicate, *, timeout: float = 30.0, interval: float = 0.1):
    """Poll `predicate` until it is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout} s waiting for the worker")
