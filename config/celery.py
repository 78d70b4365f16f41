"""The Celery app, and the one helper through which actions and services enqueue."""

import gc
import os
from functools import partial

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("grantdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_start_up_heap(**kwargs):
    """In each pool process, right after the fork: move the start-up heap out of the garbage collector's sight.

    A worker child inherits some 250,000 objects (Django, Celery, every app) that live as long
    as the process. A WeasyPrint render allocates so much that the collector runs a full pass
    about once a letter, and each pass walked all of them: 15-20 % of a render's CPU time.
    `gc.freeze()` (meant for exactly this, pre-fork servers) leaves them out of every pass;
    nothing of them was ever garbage.
    """
    gc.freeze()


_first_runs_done: set[str] = set()


@task_postrun.connect
def _freeze_what_a_first_run_built(task=None, **kwargs):
    """After a pool process has run a task of some name for the first time: collect, then freeze.

    A first run builds what lives as long as the process, after the start-up freeze: the first
    letter some 45,000 objects (WeasyPrint's fonts and stylesheet, compiled templates,
    translations). Left in sight, every later pass of the collector walks them again: some
    4 ms of a letter's 80. Once per task name, so a handful of full collections per process.
    """
    if task is None or getattr(task.request, "is_eager", False) or task.name in _first_runs_done:
        return
    _first_runs_done.add(task.name)
    gc.collect()
    gc.freeze()


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(task=None, **kwargs):
    """Around every task on a worker, what Django does around every request: close a connection that
    errored or outlived CONN_MAX_AGE; a kept one is health-checked before its first use
    (CONN_HEALTH_CHECKS). Not for eager tasks: they run inside the web request's own connection."""
    if task is None or getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


def enqueue_on_commit(task, *args, **kwargs):
    """Send `task` once the surrounding transaction commits, never before.

    The arguments are bound now, so a rolled-back transaction sends nothing and
    a committed one sends exactly what the caller saw. Tasks take ids only.
    """
    from django.db import transaction

    transaction.on_commit(partial(task.apply_async, args=args, kwargs=kwargs))
