"""Two colleagues at once, on a real PostgreSQL: one holds rows in an open transaction, the other waits for them.

For tests marked `django_db(transaction=True)`, where each thread's work commits for real.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction


def _in_thread(work: Callable[[], object], errors: list[Exception], on_error=lambda: None) -> threading.Thread:
    def run():
        try:
            work()
        except Exception as error:  # reported by the test, from its own thread
            errors.append(error)
            on_error()
        finally:
            connection.close()  # each thread has its own connection; the test database must drop them

    return threading.Thread(target=run)


def _until_someone_waits_for_a_lock() -> None:
    with connection.cursor() as cursor:
        for _attempt in range(200):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)


@contextmanager
def one_waits_for_the_other(hold: Callable[[], object], wait: Callable[[], object]) -> Iterator[list[Exception]]:
    """Run `hold` in a transaction and keep it open; then start `wait`, and yield once it waits for a lock.

    Leaving the block commits `hold`'s transaction and lets `wait` finish. The yielded list holds the
    errors either raised (a deadlock, a lock timeout); read it after the block.
    """
    errors: list[Exception] = []
    held, release = threading.Event(), threading.Event()

    def holding():
        with transaction.atomic():
            hold()
            held.set()
            release.wait(20)

    holder, waiter = _in_thread(holding, errors, on_error=held.set), _in_thread(wait, errors)
    holder.start()
    assert held.wait(20)
    waiter.start()
    _until_someone_waits_for_a_lock()
    try:
        yield errors
    finally:
        release.set()
        holder.join(30)
        waiter.join(30)
