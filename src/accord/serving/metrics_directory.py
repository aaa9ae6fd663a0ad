"""Where several workers keep their metrics: prometheus-client's multiprocess mode, set up by the master.

Each worker writes its values to files in PROMETHEUS_MULTIPROC_DIR and a scrape, answered by any worker, adds
up all of them, so /metrics counts every request whichever worker served it. The variable must be set before
a worker imports prometheus-client, hence here, before uvicorn starts them (they inherit the environment); the
directory must start empty (stale files would add a past run's counts), and files of a worker that died stay
for its counters while `mark_process_dead` drops its live gauges. One serving process needs none of this.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


@contextlib.contextmanager
def metrics_directory(workers: int) -> Iterator[None]:
    """With more than one worker: the operator's PROMETHEUS_MULTIPROC_DIR (emptied) or a fresh temporary one."""
    if workers <= 1:
        os.environ.pop(MULTIPROCESS_ENV, None)
        yield
        return
    given = os.environ.get(MULTIPROCESS_ENV)
    if given:
        directory = Path(given)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
        yield
        return
    made = tempfile.mkdtemp(prefix="accord-metrics-")
    os.environ[MULTIPROCESS_ENV] = made
    try:
        yield
    finally:
        shutil.rmtree(made, ignore_errors=True)


def forget_worker(pid: int | None) -> None:
    """A worker has exited: its live gauges (pool figures) no longer count."""
    if pid is not None and os.environ.get(MULTIPROCESS_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
