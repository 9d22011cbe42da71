"""Background work of search: draining the outbox into the engines.

`drain_search_outbox` is enqueued on commit by every change that writes an outbox entry.
With the default ImmediateBackend of django-tasks it runs right after the commit, in the
same process. django-tasks 0.12 ships no database-backed worker, so production sets
`TASKS_BACKEND=django_tasks.backends.dummy.DummyBackend` (enqueue records nothing) and runs
`python manage.py process_search_outbox --loop`, which drains and retries on its own.
"""

from django_tasks import task

from . import outbox


@task()
def drain_search_outbox() -> dict:
    report = outbox.drain()
    return {
        "indexed": report.indexed,
        "deleted": report.deleted,
        "remaining": report.remaining,
        "error": report.error,
    }
