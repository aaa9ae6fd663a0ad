"""`python -m bench.ab_workers LABEL`: the cheap read with 1 and 2 workers, in turns, on fresh data dirs.

The code served is whatever `accord` imports: run it once per tree to compare two commits, e.g.
`PYTHONPATH=/tmp/old/src:/tmp/old:. .venv/bin/python -m bench.ab_workers old` against a worktree of the old
commit, then `.venv/bin/python -m bench.ab_workers new`. Fresh data dirs keep background work (indexing a
generated history) out of the figures.
"""

from __future__ import annotations

import sys

import httpx

from bench.reads import CHEAP_READ_PATH, cheap_read
from bench.server import accord_server


def main() -> None:
    label = sys.argv[1] if len(sys.argv) > 1 else "this tree"
    service = CHEAP_READ_PATH.rsplit("/", 1)[-1]
    for workers in (1, 2, 1, 2):
        with accord_server(workers=workers) as server:
            key = server.tenant("small")
            created = httpx.post(
                f"{server.base_url}/api/services", json={"name": service}, headers={"Authorization": f"Bearer {key}"}
            )
            created.raise_for_status()
            cheap_read(server, key, connections=8)  # warm-up: key cache, pool, lazy imports
            result = cheap_read(server, key)
            print(f"{label} workers={workers}: {result.requests_per_second:,.0f} req/s, p50 {result.p50_ms:.2f} ms")


if __name__ == "__main__":
    main()
