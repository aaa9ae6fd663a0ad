"""No delivery is lost to a dead server: events committed while deliveries were off, and an attempt cut off by
kill -9 mid-request, are delivered by the next server (the second with the same Idempotency-Key)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import run_async, running_server
from tests.factories import make_tenant
from tests.webhook_receiver import running_receiver

HANG = 60.0


@pytest.mark.e2e
def test_pending_and_cut_off_deliveries_survive_kill_9(tmp_path: Path) -> None:
    env = {"ACCORD_WEBHOOK_ALLOW_PRIVATE": "true", "ACCORD_WEBHOOK_TIMEOUT": "3"}  # lease: 2 x 3 s + 10 s
    with running_receiver(lambda index: (200, HANG if index == 0 else 0.0, {})) as receiver:
        with running_server(tmp_path / "a.log", ACCORD_WEBHOOKS="false", **env) as first:
            tenant: Any = run_async(make_tenant, "restart")
            with httpx.Client(base_url=first.base_url, headers=tenant.headers(), timeout=10) as client:
                body = {"events": ["deployment_recorded"], "request": {"url": receiver.url}}
                webhook_id = client.post("/api/webhooks", json=body).json()["id"]
                deployment = {"service": "api", "version": "1", "environment": "prod"}
                assert client.post("/api/deployments", json=deployment).status_code == 201
            first.process.kill()  # with the event committed and nothing delivered
            first.process.wait()
        assert receiver.received == []

        with running_server(tmp_path / "b.log", **env) as second:
            (cut_off,) = receiver.wait_for(1)  # delivered from the outbox; the receiver hangs on it
            second.process.kill()
            second.process.wait()

        with running_server(tmp_path / "c.log", **env) as third:
            _, retried = receiver.wait_for(2, timeout=40)  # after the dead worker's lease ran out
            assert retried.headers["Idempotency-Key"] == cut_off.headers["Idempotency-Key"]
            deadline = time.monotonic() + 10
            with httpx.Client(base_url=third.base_url, headers=tenant.headers(), timeout=10) as client:
                while True:
                    (delivery,) = client.get(f"/api/webhooks/{webhook_id}/deliveries").json()
                    if delivery["status"] == "succeeded" or time.monotonic() > deadline:
                        break
                    time.sleep(0.1)
    assert delivery["status"] == "succeeded"
    assert delivery["attempts"] == 2
    assert len(receiver.received) == 2
