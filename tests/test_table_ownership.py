"""One slice writes each table: the package whose repositories own it. Others ask that slice's repository or
service (retention deletes versions, contents and vectors through the catalog, contracts and interactions)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "accord"
_WRITE = re.compile(r"\b(?:INSERT INTO|UPDATE|DELETE FROM)\s+\"?([a-z_]+)\"?")
# The demo loader fills a whole history with COPY: a tool, not a second owner.
_BULK_LOADERS = {"demo"}


def writers_by_table(root: Path = SRC) -> dict[str, set[str]]:
    writers: dict[str, set[str]] = defaultdict(set)
    for path in root.rglob("*.py"):
        package = path.relative_to(root).parts[0]
        if package in _BULK_LOADERS:
            continue
        for table in _WRITE.findall(path.read_text()):
            writers[table].add(package)
    return writers


def test_every_table_is_written_by_one_slice() -> None:
    shared = {table: sorted(packages) for table, packages in writers_by_table().items() if len(packages) > 1}
    assert shared == {}


def test_the_check_sees_a_second_writer(tmp_path: Path) -> None:
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "repository.py").write_text('SQL = "DELETE FROM service_version WHERE id = $1"')
    (tmp_path / "retention").mkdir()
    (tmp_path / "retention" / "repository.py").write_text("SQL = 'UPDATE service_version SET x = 1'")

    assert writers_by_table(tmp_path) == {"service_version": {"catalog", "retention"}}
