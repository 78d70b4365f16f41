import pytest

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, request):
    """Fast hashing, mail in memory, uploads in a temporary folder, Celery eager.

    Integration tests (marked `integration`) keep the real broker and a worker.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    # In memory, per test process: the configured Redis cache is the broker's database, and tests
    # clear the cache (tests/test_settings_cache.py checks the Redis one).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.AXES_ENABLED = "browser" in request.keywords or "axes" in request.keywords
    if "integration" not in request.keywords:
        previous = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        yield
        celery_app.conf.task_always_eager = previous
    else:
        yield


@pytest.fixture(scope="module")
def celery_worker_process(django_db_setup, tmp_path_factory):
    """A real `celery -A config worker --pool=prefork --concurrency=2` process over Redis.

    For tests marked `integration` with `@pytest.mark.django_db(transaction=True)`: the
    worker is another process, so it sees only committed rows. It is started once per
    test module that asks for it (and stopped after the module),
    with DATABASE_URL pointed at the test database (`connection.settings_dict`),
    the same REDIS_URL, and Django's file e-mail backend writing under a temporary folder.
    The queue is purged first, so messages of an earlier run are not delivered.

    Yields a `tests.worker_process.CeleryWorkerProcess`:
      - `.process` the `subprocess.Popen`; `.alive`; `.log()` its output so far;
      - `.kill()` SIGKILLs the worker and its pool children (a crash: tasks in flight are
        re-delivered because of `acks_late` + `reject_on_worker_lost`); `.restart()` starts a
        fresh one; a test that kills the worker must restart it before it ends;
      - `.sent_mail()` the messages sent so far (file backend, oldest first), `.clear_mail()`;
      - `.wait_until(predicate, timeout=30, what="...")` polls and fails with the worker's log.
    Pass other environment to the worker with `CeleryWorkerProcess(..., extra_env=...)`, e.g.
    `EMAIL_HOST`/`EMAIL_PORT` of a local aiosmtpd server to test SMTP failures.

    Fails (never skips) without REDIS_URL or on a database other than PostgreSQL.
    """
    from django.conf import settings

    from tests.worker_process import CeleryWorkerProcess

    if not settings.REDIS_URL:
        pytest.fail("The Celery worker tests need a real broker: set REDIS_URL (e.g. redis://127.0.0.1:6379/0).")
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(celery_app.conf.task_default_queue)
    worker = CeleryWorkerProcess(tmp_path_factory.mktemp("celery-worker"))
    try:
        worker.start()
    except Exception:
        worker.kill()
        raise
    yield worker
    worker.stop(warm=False)  # the module's tests are done; nothing is left to finish
