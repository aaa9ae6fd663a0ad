"""Which tenant a database connection acts for: the `accord.tenant` setting that the row-level security
policies compare every tenant-owned row with (migration 2026-12-05T21:30).

TenantRepository names the tenant of each query it builds (`act_for`); the engine applies it to whatever
connection runs the query, right before it runs:

* outside a transaction, as the connection's session setting, sent only when it differs from what the
  connection already carries. Every use of a pooled connection re-applies its user's tenant (or none), so a
  setting never outlives its user into another tenant's query, and a run of queries for one tenant (the usual
  case: one request, or a benchmark) costs no extra statement at all. Resetting on release instead would cost
  a statement per query: the pool releases after each query run outside a transaction.
* inside a transaction, with SET LOCAL right after BEGIN (tenant, actor and request id in one statement,
  skipped when the session settings already match), and again before a query for another tenant (a worker
  serving several tenants in one transaction); it ends with the transaction, so nothing is left behind.

A connection whose tenant is unknown carries none, and then sees no tenant-owned row.

The audit triggers (migration 2026-12-05T21:36) read two more settings, who writes (`accord.actor`) and in
which request (`accord.request_id`); they are sent with the tenant, only where a write can happen (inside a
transaction, or before a statement that writes), so reads never pay for a request id that changes every time.
"""

from __future__ import annotations

import contextvars
import weakref
from typing import Any
from uuid import UUID

import asyncpg

_SETTING = "accord.tenant"
_SET_LOCAL = f"SELECT set_config('{_SETTING}', $1, true)"
_SET_ALL = (
    "SELECT set_config('accord.tenant', $1, {local}), set_config('accord.actor', $2, {local}), "
    "set_config('accord.request_id', $3, {local})"
)
_SET_ALL_SESSION = _SET_ALL.format(local="false")
_SET_ALL_LOCAL = _SET_ALL.format(local="true")
# Appended to a set_config statement: prepared statements run on their generic plan until the transaction ends.
_GENERIC_PLANS = "set_config('plan_cache_mode', 'force_generic_plan', true)"
_WRITES = ("insert", "update", "delete", "with", "merge", "copy")

_acting_for: contextvars.ContextVar[UUID | None] = contextvars.ContextVar("accord_acting_for", default=None)
# (actor, request id) for the audit log.
_acting_as: contextvars.ContextVar[tuple[str, str]] = contextvars.ContextVar("accord_acting_as", default=("", ""))

# What each connection's session settings hold (tenant, actor, request id; '' for none), as last sent here.
_session_setting: weakref.WeakKeyDictionary[asyncpg.Connection, tuple[str, str, str]] = weakref.WeakKeyDictionary()
_NOTHING = ("", "", "")


def act_for(tenant: UUID) -> None:
    """Queries run from here on in this task (and tasks it starts) act for `tenant`."""
    if _acting_for.get() != tenant:
        _acting_for.set(tenant)


def acting_for() -> UUID | None:
    return _acting_for.get()


def act_as(actor: str, request_id: str | None = None) -> None:
    """Writes from here on in this task are audited as `actor`'s, made in request `request_id`."""
    _acting_as.set((actor, request_id or ""))


def writes(sql: str) -> bool:
    """Whether a statement may write (a WITH may: it counts), so that it needs the audit settings."""
    return sql.lstrip()[:6].lower().startswith(_WRITES)


def _raw(connection: Any) -> asyncpg.Connection:
    # A pool hands out proxies, new on every acquire; the setting lives with the connection behind them.
    raw: asyncpg.Connection = getattr(connection, "_con", None) or connection
    return raw


async def apply_session_setting(connection: Any, *, for_writes: bool = False) -> None:
    """Outside a transaction: make `connection` carry the current tenant (or none) for its next queries, and
    the current actor and request id too when the next statement may write."""
    raw = _raw(connection)
    held = _session_setting.get(raw, _NOTHING)
    wanted = (str(_acting_for.get() or ""), *(_acting_as.get() if for_writes else held[1:]))
    if held != wanted:
        await connection.execute(_SET_ALL_SESSION, *wanted)
        _session_setting[raw] = wanted


class TransactionSetting:
    """The tenant a transaction acts for; one per transaction, dropped with it."""

    def __init__(self) -> None:
        self.tenant = ""

    async def begin(self, connection: Any, *, writes: bool = True, generic_plans: bool = False) -> None:
        """Right after BEGIN: act for the current tenant, as the current actor, in one statement; none at all
        when the connection's session settings already say so (a worker, the CLI, a read-only request).

        A read-only transaction (`writes=False`) can't write, so the audit settings are left as they are and
        only a tenant that differs is sent; `generic_plans` adds the plan choice (accord.db.planning) to the
        same statement."""
        held = _session_setting.get(_raw(connection), _NOTHING)
        self.tenant = str(_acting_for.get() or held[0])
        statement, args = "", []
        if writes and (self.tenant, *_acting_as.get()) != held:
            statement, args = _SET_ALL_LOCAL, [self.tenant, *_acting_as.get()]
        elif self.tenant != held[0]:
            statement, args = _SET_LOCAL, [self.tenant]
        if generic_plans:
            statement = f"{statement}, {_GENERIC_PLANS}" if statement else f"SELECT {_GENERIC_PLANS}"
        if statement:
            await connection.execute(statement, *args)

    async def apply(self, connection: Any) -> None:
        """Inside the transaction, before a query: switch it to the current tenant if it acts for another."""
        wanted = _acting_for.get()
        if wanted is not None and str(wanted) != self.tenant:
            await connection.execute(_SET_LOCAL, str(wanted))
            self.tenant = str(wanted)


async def set_transaction_tenant(connection: Any, tenant: UUID) -> None:
    """Inside a raw asyncpg transaction that serves several tenants in turn: act for `tenant` until it ends."""
    await connection.execute(_SET_LOCAL, str(tenant))
