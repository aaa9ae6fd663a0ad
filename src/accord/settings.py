"""Accord's configuration: one frozen object built from environment variables, loaded once per process."""

from __future__ import annotations

import functools
import math
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import msgspec


class SettingsError(ValueError):
    """A configuration value is unusable; the message is one line meant for the operator."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    pool_min_size: int = 1
    pool_max_size: int = 10
    # Bounded waits on the database: for a pooled connection (and opening one), and for one statement (0: none).
    db_acquire_timeout_seconds: float = 1.0
    db_statement_timeout_seconds: float = 30.0
    migrate_on_start: bool = True
    max_body_bytes: int = 32 * 1024 * 1024
    key_cache_ttl_seconds: float = 30.0
    auth_failure_limit: int = 20
    auth_failure_window_seconds: float = 60.0
    admin_secure_cookies: bool = False
    secure_cookies: bool = False
    login_failure_limit: int = 10
    login_failure_window_seconds: float = 300.0
    log_level: str = "info"
    # One access log line per request costs ~10 % of a cheap read's CPU (a synchronous write to stdout): off
    # unless asked for.
    access_log: bool = False
    base_url: str | None = None
    static_checks: bool = True
    # Recorded batches mark contracts; the background settler derives a contract once no batch marked it for
    # `quiet` seconds, or `max` seconds after the first mark (readers derive at once: see ContractFollower).
    contract_settle_quiet_seconds: float = 1.0
    contract_settle_max_seconds: float = 10.0
    # Batch uploads report near-duplicates item by item (one HNSW search per request vector the batch adds).
    batch_near_duplicates: bool = True
    webhooks: bool = True
    webhook_allow_private: bool = False
    webhook_allow_hosts: tuple[str, ...] = ()
    webhook_timeout_seconds: float = 10.0
    webhook_max_attempts: int = 8
    webhook_retry_base_seconds: float = 5.0
    # Retention (`accord clean` and its schedule): keep the latest N versions per branch and everything younger
    # than D days; the schedule runs every `interval` hours, 0 (the default) for never.
    retention_keep_latest: int = 10
    retention_keep_days: float = 90.0
    retention_interval_hours: float = 0.0
    # How long a POST's Idempotency-Key and its stored response last (`accord clean` removes them after).
    idempotency_ttl_hours: float = 24.0
    # How long events and webhook delivery history last (`accord clean` removes them after, once delivered).
    webhook_history_days: float = 30.0
    # GET /metrics: with a token, only for bearers of it; without, only for loopback clients.
    metrics_token: str | None = None
    # "json" (one object per line) or "text"; by default json unless stderr is a terminal.
    log_format: str = "json"
    # Statements slower than this are logged and counted (0: never).
    slow_query_ms: float = 500.0
    # Requests per second per API key (0: no limit), with bursts of up to `burst` requests.
    key_rate_limit: float = 0.0
    key_rate_burst: int = 0

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative, not {raw}")
    return value


_LOG_FORMATS = ("json", "text")


def _log_format(raw: str | None) -> str:
    if not raw:
        return "text" if sys.stderr.isatty() else "json"
    lowered = raw.strip().lower()
    if lowered not in _LOG_FORMATS:
        raise SettingsError(f"ACCORD_LOG_FORMAT must be json or text, not {raw!r}")
    return lowered


def validate_database_url(url: str) -> str:
    """Return the URL if it names a PostgreSQL database, else raise a one-line SettingsError."""
    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql"}:
        raise SettingsError("DATABASE_URL is not a PostgreSQL URL (expected postgresql://user:pass@host/db)")
    return url


def _base_url(raw: str | None) -> str | None:
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SettingsError(f"ACCORD_BASE_URL must be an absolute http(s) URL, not {raw!r}")
    return raw.rstrip("/")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    raw_url = env.get("DATABASE_URL") or None
    database_url = validate_database_url(raw_url) if raw_url else None
    pool_min = _int(env, "ACCORD_DB_POOL_MIN", 1, minimum=0)
    pool_max = _int(env, "ACCORD_DB_POOL_MAX", 10, minimum=1)
    if pool_min > pool_max:
        raise SettingsError(f"ACCORD_DB_POOL_MIN ({pool_min}) is larger than ACCORD_DB_POOL_MAX ({pool_max})")
    key_rate = _float(env, "ACCORD_KEY_RATE_LIMIT", 0.0)
    return Settings(
        database_url=database_url,
        data_dir=Path(env.get("ACCORD_DATA_DIR") or ".accord").expanduser().resolve(),
        host=env.get("ACCORD_HOST") or "127.0.0.1",
        port=_int(env, "ACCORD_PORT", 8000, minimum=1),
        workers=_int(env, "ACCORD_WORKERS", 1, minimum=1),
        pool_min_size=pool_min,
        pool_max_size=pool_max,
        db_acquire_timeout_seconds=_float(env, "ACCORD_DB_ACQUIRE_TIMEOUT", 1.0) or 1.0,
        db_statement_timeout_seconds=_float(env, "ACCORD_DB_STATEMENT_TIMEOUT", 30.0),
        # An embedded database belongs to this process, so migrating it is safe; a shared external one is
        # migrated on purpose (`accord migrate`) unless the operator opts in.
        migrate_on_start=_flag(env, "ACCORD_MIGRATE_ON_START", default=database_url is None),
        # Large enough for a 5,000-interaction batch with realistic bodies.
        max_body_bytes=_int(env, "ACCORD_MAX_BODY_BYTES", 32 * 1024 * 1024, minimum=1024),
        key_cache_ttl_seconds=_float(env, "ACCORD_KEY_CACHE_TTL", 30.0),
        auth_failure_limit=_int(env, "ACCORD_AUTH_FAILURE_LIMIT", 20, minimum=0),
        auth_failure_window_seconds=_float(env, "ACCORD_AUTH_FAILURE_WINDOW", 60.0),
        admin_secure_cookies=_flag(env, "ACCORD_ADMIN_SECURE_COOKIES", default=False),
        # The dashboard's cookies get Secure when Accord is served over HTTPS; like the admin's, off by default
        # (a plain-HTTP laptop set-up would lose them) and on when the admin's are, unless said otherwise.
        secure_cookies=_flag(
            env, "ACCORD_SECURE_COOKIES", default=_flag(env, "ACCORD_ADMIN_SECURE_COOKIES", default=False)
        ),
        login_failure_limit=_int(env, "ACCORD_LOGIN_FAILURE_LIMIT", 10, minimum=0),
        login_failure_window_seconds=_float(env, "ACCORD_LOGIN_FAILURE_WINDOW", 300.0),
        log_level=(env.get("ACCORD_LOG_LEVEL") or "info").lower(),
        access_log=_flag(env, "ACCORD_ACCESS_LOG", default=False),
        base_url=_base_url(env.get("ACCORD_BASE_URL")),
        static_checks=_flag(env, "ACCORD_STATIC_CHECKS", default=True),
        contract_settle_quiet_seconds=_float(env, "ACCORD_CONTRACT_SETTLE_QUIET", 1.0),
        contract_settle_max_seconds=_float(env, "ACCORD_CONTRACT_SETTLE_MAX", 10.0),
        batch_near_duplicates=_flag(env, "ACCORD_BATCH_NEAR_DUPLICATES", default=True),
        webhooks=_flag(env, "ACCORD_WEBHOOKS", default=True),
        # Webhooks to loopback and private networks (and over plain http): local development and tests only.
        webhook_allow_private=_flag(env, "ACCORD_WEBHOOK_ALLOW_PRIVATE", default=False),
        webhook_allow_hosts=tuple(
            entry.strip() for entry in (env.get("ACCORD_WEBHOOK_ALLOW_HOSTS") or "").split(",") if entry.strip()
        ),
        webhook_timeout_seconds=_float(env, "ACCORD_WEBHOOK_TIMEOUT", 10.0) or 10.0,
        webhook_max_attempts=_int(env, "ACCORD_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1),
        webhook_retry_base_seconds=_float(env, "ACCORD_WEBHOOK_RETRY_BASE", 5.0),
        retention_keep_latest=_int(env, "ACCORD_RETENTION_KEEP_LATEST", 10, minimum=0),
        retention_keep_days=_float(env, "ACCORD_RETENTION_KEEP_DAYS", 90.0),
        retention_interval_hours=_float(env, "ACCORD_RETENTION_INTERVAL_HOURS", 0.0),
        idempotency_ttl_hours=_float(env, "ACCORD_IDEMPOTENCY_TTL_HOURS", 24.0),
        webhook_history_days=_float(env, "ACCORD_WEBHOOK_HISTORY_DAYS", 30.0),
        metrics_token=env.get("ACCORD_METRICS_TOKEN") or None,
        log_format=_log_format(env.get("ACCORD_LOG_FORMAT")),
        slow_query_ms=_float(env, "ACCORD_SLOW_QUERY_MS", 500.0),
        key_rate_limit=key_rate,
        # Twice the per-second rate by default: a CI job's short bursts (publish, then can-i-deploy) pass.
        key_rate_burst=_int(env, "ACCORD_KEY_RATE_BURST", max(1, math.ceil(2 * key_rate)), minimum=1),
    )


@functools.cache
def get_settings() -> Settings:
    return load_settings()
