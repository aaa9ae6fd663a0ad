"""`accord serve`: the HTTP API on uvicorn (uvloop + httptools)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
import uvicorn

from accord.cli.runtime import info, load_settings_or_exit, prepare_database, run_async
from accord.db.embedded import exit_normally_on_sigterm
from accord.demo.service import DemoCredentials, DemoService
from accord.http.bounded_protocol import BoundedHttpToolsProtocol
from accord.http.log_safety import uvicorn_log_config

_DEMO_FILE = "demo-credentials.json"


def _remember_demo(data_dir: Path, created: DemoCredentials) -> DemoCredentials:
    """Keep the demo secrets of a local embedded install beside its data, so each start can show them."""
    path = data_dir / _DEMO_FILE
    saved: dict[str, str | None] = json.loads(path.read_text()) if path.exists() else {}
    for field in ("api_key", "admin_username", "admin_password"):
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
    )


def _announce(host: str, port: int, demo: DemoCredentials | None) -> None:
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown_host}:{port}"
    lines = [
        "",
        f"  Accord is starting on {base}",
        f"    API docs      {base}/schema",
        f"    readiness     {base}/health/ready",
        f"    admin         {base}/admin",
    ]
    if demo is not None:
        lines.append(f"    demo tenant   {demo.tenant}")
        if demo.api_key:
            lines.append(f"    demo API key  {demo.api_key}")
            lines.append(f"    try it:       curl -H 'Authorization: Bearer {demo.api_key}' {base}/api/me")
        if demo.admin_username:
            lines.append(f"    admin login   {demo.admin_username} / {demo.admin_password}")
    info("\n".join([*lines, ""]))


@click.command()
@click.option("--host", default=None, help="Interface to bind (default ACCORD_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default ACCORD_PORT or 8000).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Worker processes (default 1).")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Run the HTTP API."""
    settings = load_settings_or_exit()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    # A graceful SIGTERM exits 0 whichever database is used (uvicorn re-raises it after its own shutdown).
    exit_normally_on_sigterm()
    database = prepare_database(settings)
    demo = None
    if database.embedded:
        created = run_async(DemoService().ensure, True)
        demo = _remember_demo(settings.data_dir, created)
    _announce(host, port, demo)
    # Workers inherit DATABASE_URL (exported by prepare_database); the embedded server belongs to this
    # process and stops when it exits, after uvicorn has stopped the workers.
    os.environ.setdefault("ACCORD_LOG_LEVEL", settings.log_level)
    uvicorn.run(
        "accord.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http=BoundedHttpToolsProtocol,
        log_level=settings.log_level,
        log_config=uvicorn_log_config(),
        proxy_headers=True,
        forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        timeout_graceful_shutdown=10,
    )
