"""`make profile`: a flame graph of one `accord serve` worker under wrk load (py-spy, attached as root).

`python -m bench.profile [PATH] [--seconds N] [--out FILE]`: serves a fresh data dir with a small demo history
(or ACCORD_BENCH_HISTORY_DIR, where `accord demo` already ran), loads PATH (default the authenticated cheap read)
with wrk for N seconds while py-spy samples the worker, and writes an SVG flame graph (and, with `--raw`, the
collapsed stacks, which `grep`/`sort` can rank).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
from pathlib import Path

from bench.reads import CHEAP_READ_PATH
from bench.server import BIN, accord_server
from bench.wrk import run_wrk

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", default=CHEAP_READ_PATH, help="path to load (with the tenant's key)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "profile.svg"))
    parser.add_argument("--raw", action="store_true", help="collapsed stacks instead of an SVG")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("py-spy attaches to another process: run as root")
    history = os.environ.get("ACCORD_BENCH_HISTORY_DIR")
    tenant = os.environ.get("ACCORD_BENCH_TENANT", "small")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with accord_server(workers=1, history_dir=Path(history) if history else None) as server:
        if history:
            name = f"profile-{os.getpid()}"
            key = server.accord("keys", "create", "--tenant", tenant, "--name", name, "--scopes", "admin")
        else:
            key = server.tenant(tenant)
            server.accord("demo", "--size", "small", "--tenant", tenant)
        url = f"{server.base_url}{args.path}"
        headers = {"Authorization": f"Bearer {key}"}
        run_wrk(url, headers=headers, connections=8, seconds=2)  # warm-up: caches, pool, JIT-free but lazy imports
        spy = [str(BIN / "py-spy"), "record", "-p", str(server.process.pid), "-d", str(args.seconds), "-r", "250"]
        spy += ["-f", "raw" if args.raw else "flamegraph", "-o", args.out, "--nonblocking"]
        recorder = threading.Thread(target=subprocess.run, args=(spy,), kwargs={"check": True})
        recorder.start()
        result = run_wrk(url, headers=headers, connections=args.connections, seconds=args.seconds)
        recorder.join()
    print(f"{args.path}: {result.requests_per_second:,.0f} req/s, p50 {result.p50_ms:.2f} ms, non-2xx {result.non_2xx}")
    print(f"profile written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
