from __future__ import annotations

from typing import Literal

import msgspec

from accord.db.engine import PoolStats


class Liveness(msgspec.Struct, kw_only=True):
    status: Literal["ok"] = "ok"


class Check(msgspec.Struct, kw_only=True, omit_defaults=True):
    ok: bool
    detail: str | None = None


class Readiness(msgspec.Struct, kw_only=True):
    status: Literal["ready", "not_ready"]
    failing: list[str]
    checks: dict[str, Check]
    pool: PoolStats | None
