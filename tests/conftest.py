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
    settings.AXES_ENABLED = "browser" in request.keywords or "axes" in request.keywords
    if "integration" not in request.keywords:
        previous = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        yield
        celery_app.conf.task_always_eager = previous
    else:
        yield
