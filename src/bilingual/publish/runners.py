"""Choose where a build renders: in its own process, in worker processes, or on Dask."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bilingual.errors import BilingualError
from bilingual.publish.executors import SMALL_WORK, InlineRunner, ProcessRunner, Runner
from bilingual.publish.workers import default_jobs


@contextmanager
def runner_for(executor: str | None, jobs: int | None, work_cost: float) -> Iterator[Runner]:
    """The runner for ``--executor`` and ``--jobs``; small work stays in this process."""
    name = executor or "local"
    if name.startswith("dask://") or name.startswith("tcp://"):
        from bilingual.publish.dask_runner import DaskRunner

        runner: Runner = DaskRunner("tcp://" + name.split("://", 1)[1])
    elif name == "local":
        count = jobs if jobs is not None else default_jobs()
        small = jobs is None and work_cost < SMALL_WORK
        runner = InlineRunner() if count <= 1 or small else ProcessRunner(count)
    else:
        raise BilingualError(
            f"unknown executor {name!r}", hint="use --executor local or --executor dask://HOST:PORT"
        )
    try:
        yield runner
    except BaseException:
        runner.close(cancel=True)
        raise
    runner.close()
