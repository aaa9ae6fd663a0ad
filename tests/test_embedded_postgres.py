"""Recovery of the embedded server's bookkeeping after a process died without cleaning up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from accord.db.embedded import _forget_dead_handles


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_dead_handles_are_dropped_and_live_ones_kept(tmp_path: Path) -> None:
    handles = tmp_path / ".handle_pids.json"
    handles.write_text(json.dumps([_dead_pid(), os.getpid()]))

    _forget_dead_handles(tmp_path)

    assert json.loads(handles.read_text()) == [os.getpid()]


def test_unreadable_handle_file_is_reset(tmp_path: Path) -> None:
    handles = tmp_path / ".handle_pids.json"
    handles.write_text("{not json")

    _forget_dead_handles(tmp_path)

    assert json.loads(handles.read_text()) == []
