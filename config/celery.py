"""The Celery app, and the one helper through which actions and services enqueue."""

import os
from functools import partial

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("grantdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task, *args, **kwargs):
    """Send `task` once the surrounding transaction commits, never before.

    The arguments are bound now, so a rolled-back transaction sends nothing and
    a committed one sends exactly what the caller saw. Tasks take ids only.
    """
    from django.db import transaction

    transaction.on_commit(partial(task.apply_async, args=args, kwargs=kwargs))
