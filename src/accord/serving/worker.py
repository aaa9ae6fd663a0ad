"""uvicorn's app factory for `accord serve`: each serving process ties its life to its master first."""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from litestar import Litestar

from accord.app import create_app_from_env
from accord.db.embedded import PGDATA_ENV, attach_as_user
from accord.serving.supervisor import SUPERVISOR_PID_ENV

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_WATCH_SECONDS = 0.5


def create_serving_app() -> Litestar:
    """Build the app in a serving process (the master itself with one worker, else each worker)."""
    supervisor = os.environ.get(SUPERVISOR_PID_ENV)
    if supervisor is not None and int(supervisor) != os.getpid():
        exit_with_supervisor(int(supervisor))
    pgdata = os.environ.get(PGDATA_ENV)
    if pgdata:
        try:
            attach_as_user(Path(pgdata))
        except (RuntimeError, OSError) as exc:  # serve anyway: only the protection of the database is lost
            logger.warning("could not register as a user of the embedded PostgreSQL: %s", exc)
    return create_app_from_env()


def exit_with_supervisor(supervisor_pid: int) -> None:
    """Shut this worker down gracefully (SIGTERM, which uvicorn handles) once its master is gone.

    Without this, a master killed with SIGKILL leaves its workers serving as orphans on the port.
    """
    _signal_on_parent_death()
    # Two reasons to watch as well: the master may have died before prctl took effect, and Linux sends the
    # parent-death signal when the *thread* that forked us exits, which is not always the whole master
    # (uvicorn forks from its main thread today; a watchdog does not depend on that). Other systems have no
    # prctl at all.
    threading.Thread(
        target=_watch_supervisor, args=(supervisor_pid,), name="accord-supervisor-watch", daemon=True
    ).start()


def _signal_on_parent_death() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            logger.warning("prctl(PR_SET_PDEATHSIG) failed: %s", os.strerror(ctypes.get_errno()))
    except (OSError, AttributeError) as exc:
        logger.warning("prctl(PR_SET_PDEATHSIG) unavailable: %s", exc)


def _watch_supervisor(supervisor_pid: int) -> None:
    stopped = threading.Event()  # never set: a sleep that does not hold the GIL
    while os.getppid() == supervisor_pid:
        stopped.wait(_WATCH_SECONDS)
    logger.warning("the accord serve master (pid %d) is gone; this worker shuts down", supervisor_pid)
    os.kill(os.getpid(), signal.SIGTERM)
