"""Tasks the worker benchmark enqueues: they do no work, so the benchmark measures the
cost of claiming and recording a task."""

from django_tasks import task


@task()
def noop(n: int) -> int:
    return n
