"""With REDIS_URL the cache is Django's Redis cache: one for every web process, beside the broker's keys."""

import uuid

import redis
from django.conf import settings

from tests.test_deploy_check import manage


def in_another_process(code: str) -> str:
    result = manage(
        "shell", "--no-imports", "-c", f"from django.core.cache import caches; cache = caches['default']; {code}"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_cache_is_shared_by_processes_under_its_own_prefix():
    assert settings.REDIS_URL, "the suite runs with REDIS_URL (bin/test sets it)"
    key = f"cache-test-{uuid.uuid4().hex}"
    assert in_another_process(f"cache.set({key!r}, 'gedeeld', 60); print(type(cache).__name__)") == "RedisCache"
    assert in_another_process(f"print(cache.get({key!r}))") == "gedeeld"
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        assert client.exists(f"grantdesk:1:{key}")  # KEY_PREFIX: apart from Celery's keys
    finally:
        client.delete(f"grantdesk:1:{key}")
