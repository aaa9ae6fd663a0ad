"""`accord serve`: the HTTP API on uvicorn (uvloop + httptools)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import uvicorn

from accord.cli.runtime import fail, info, load_settings_or_exit, prepare_database, run_async
from accord.db.embedded import PGDATA_ENV, exit_normally_on_sigterm
from accord.demo.service import DemoCredentials, DemoService
from accord.http.log_safety import uvicorn_log_config
from accord.serving.listener import ListenError, bind_listener
from accord.serving.metrics_directory import metrics_directory
from accord.serving.protocol import DrainingHttpToolsProtocol
from accord.serving.supervisor import run

_DEMO_FILE = "demo-credentials.json"
# In-flight requests get this long to finish after SIGTERM; then uvicorn cancels them.
GRACEFUL_SHUTDOWN_SECONDS = 10


def _remember_demo(data_dir: Path, created: DemoCredentials) -> DemoCredentials:
    """Keep the demo secrets of a local embedded install beside its data, so each start can show them."""
    path = data_dir / _DEMO_FILE
    saved: dict[str, str | None] = json.loads(path.read_text()) if path.exists() else {}
    for field in ("api_key", "admin_username", "admin_password", "dashboard_email", "dashboard_password"):
        value = getattr(created, field)
        if value is not None:
            saved[field] = value
    path.touch(mode=0o600, exist_ok=True)
    path.write_text(json.dumps(saved, indent=2))
    return DemoCredentials(
        tenant=created.tenant,
        api_key=saved.get("api_key"),
        admin_username=saved.get("admin_username"),
        admin_password=saved.get("admin_password"),
        dashboard_email=saved.get("dashboard_email"),
        dashboard_password=saved.get("dashboard_password"),
    )


def _at_least_one(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 1:
        raise click.BadParameter(f"takes a whole number of 1 or more, not {value}.")
    return value


def _announce(host: str, port: int, demo: DemoCredentials | None) -> None:
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown_host}:{port}"
    lines = [
        "",
        f"  Accord is starting on {base}",
        f"    dashboard     {base}/",
        f"    API docs      {base}/schema",
        f"    readiness     {base}/health/ready",
        f"    admin         {base}/admin",
    ]
    if demo is not None:
        lines.append(f"    demo tenant   {demo.tenant}")
        if demo.api_key:
            lines.append(f"    demo API key  {demo.api_key}")
            lines.append(f"    try it:       curl -H 'Authorization: Bearer {demo.api_key}' {base}/api/me")
        if demo.dashboard_email:
            lines.append(f"    dashboard login {demo.dashboard_email} / {demo.dashboard_password}")
        if demo.admin_username:
            lines.append(f"    admin login   {demo.admin_username} / {demo.admin_password}")
    info("\n".join([*lines, ""]))


@click.command()
@click.option("--host", default=None, help="Interface to bind (default ACCORD_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default ACCORD_PORT or 8000).")
@click.option("--workers", type=int, callback=_at_least_one, default=None, help="Worker processes (default 1).")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Run the HTTP API."""
    settings = load_settings_or_exit()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    # First the port: a start that can't listen must fail before it touches the (maybe shared) database.
    try:
        listener = bind_listener(host, port)
    except ListenError as exc:
        fail(str(exc))
    # A graceful SIGTERM exits 0 whichever database is used (uvicorn re-raises it after its own shutdown).
    exit_normally_on_sigterm()
    database = prepare_database(settings)
    demo = None
    if database.embedded:
        created = run_async(DemoService().ensure, True)
        demo = _remember_demo(settings.data_dir, created)
    _announce(host, port, demo)
    # Workers inherit DATABASE_URL (exported by prepare_database) and, with the embedded server, where its
    # data lives: each worker registers as one of its users, and the last user to exit normally stops it.
    if database.pgdata is not None:
        os.environ[PGDATA_ENV] = database.pgdata
    else:
        os.environ.pop(PGDATA_ENV, None)
    os.environ.setdefault("ACCORD_LOG_LEVEL", settings.log_level)
    # Where workers listen, for the links they put in webhooks when ACCORD_BASE_URL is not set.
    os.environ["ACCORD_HOST"], os.environ["ACCORD_PORT"] = host, str(port)
    # Trust no proxy unless told: uvicorn's own default (loopback) lets any local process claim any client
    # address with X-Forwarded-For, which resets every per-client limit (the admin login's, failed API keys').
    trusted_proxies = os.environ.get("FORWARDED_ALLOW_IPS", "").strip()
    config = uvicorn.Config(
        "accord.serving.worker:create_serving_app",
        factory=True,
        workers=workers,
        loop="uvloop",
        http=DrainingHttpToolsProtocol,
        log_level=settings.log_level,
        log_config=uvicorn_log_config(settings.log_format),
        access_log=settings.access_log,
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=trusted_proxies or None,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    with metrics_directory(workers):
        started = run(config, listener)
    if not started:
        fail("the server did not start; see the log above")
