"""Webhook figures, runnable alone: `.venv/bin/python -m bench.webhooks`.

1. Pact publish latency (bench.pact_publish: 100 publishes of a 100-interaction pact) with no webhook and with
   10 webhooks matching every publish, interleaved run by run so drift hits both alike. Events are fanned out
   by the worker, not in the publishing transaction, so the difference is the worker's background load.
2. Deliveries per second: events copied into the outbox at once, 10 matching webhooks each, delivered to a
   receiver on loopback (its own process); from the wake-up NOTIFY until every delivery has succeeded.

Writes bench/results/webhooks.json and prints the BENCHMARKS.md section.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import statistics
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from bench.pact_publish import publish_latency
from bench.server import BenchServer, accord_server, free_port

ROOT = Path(__file__).resolve().parent.parent
COMMAND = ".venv/bin/python -m bench.webhooks"
RUNS = int(os.environ.get("ACCORD_BENCH_RUNS", "3"))
WEBHOOKS = 10
EVENTS = 300


def _receive(port: int) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


async def _set_webhooks(client: httpx.AsyncClient, receiver: str, count: int, event: str) -> None:
    for webhook in (await client.get("/api/webhooks")).json():
        (await client.delete(f"/api/webhooks/{webhook['id']}")).raise_for_status()
    for index in range(count):
        body = {
            "events": [event],
            "request": {"url": f"{receiver}/hook/{index}", "body": {"pact": "${pactbroker.pactUrl}"}},
        }
        (await client.post("/api/webhooks", json=body)).raise_for_status()


async def _delivery_rate(server: BenchServer, client: httpx.AsyncClient, receiver: str) -> dict[str, float]:
    await _set_webhooks(client, receiver, WEBHOOKS, "deployment_recorded")
    body = {"service": "rate-api", "version": "1", "environment": "bench"}
    (await client.post("/api/deployments", json=body)).raise_for_status()
    connection = await server.connect()
    try:
        while True:  # the one real event's deliveries first
            if not await connection.fetchval("SELECT count(*) FROM webhook_delivery WHERE status <> 'succeeded'"):
                break
            await asyncio.sleep(0.1)
        before = await connection.fetchval("SELECT count(*) FROM webhook_delivery")
        await connection.execute(
            "INSERT INTO event (tenant, name, consumer, provider, subject) "
            "SELECT e.tenant, e.name, e.consumer, e.provider, e.subject FROM event e, generate_series(1, $1) "
            "WHERE e.name = 'deployment_recorded' AND e.id = (SELECT id FROM event WHERE name = 'deployment_recorded' "
            "ORDER BY position DESC LIMIT 1)",
            EVENTS,
        )
        started = time.perf_counter()
        await connection.execute("SELECT pg_notify('accord_events', '')")
        expected = before + EVENTS * WEBHOOKS
        while True:
            done = await connection.fetchval("SELECT count(*) FROM webhook_delivery WHERE status = 'succeeded'")
            if done >= expected:
                break
            await asyncio.sleep(0.05)
        seconds = time.perf_counter() - started
        failed = await connection.fetchval("SELECT count(*) FROM webhook_delivery WHERE status = 'failed'")
    finally:
        await connection.close()
    return {
        "deliveries": EVENTS * WEBHOOKS,
        "seconds": seconds,
        "per_second": EVENTS * WEBHOOKS / seconds,
        "failed": failed,
    }


async def main() -> dict[str, Any]:
    os.environ["ACCORD_WEBHOOK_ALLOW_PRIVATE"] = "true"  # the receiver is on loopback
    port = free_port()
    receiver_process = multiprocessing.Process(target=_receive, args=(port,), daemon=True)
    receiver_process.start()
    receiver = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {
        "runs": RUNS,
        "webhooks": WEBHOOKS,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    try:
        with accord_server(workers=1) as server:
            key = server.tenant("hooks")
            headers = {"Authorization": f"Bearer {key}"}
            async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=60) as client:
                none, ten = [], []
                for run in range(RUNS):
                    log(f"publish latency, run {run + 1}: no webhook")
                    await _set_webhooks(client, receiver, 0, "contract_published")
                    none.append(await publish_latency(server, key, run=2 * run))
                    log(f"publish latency, run {run + 1}: {WEBHOOKS} matching webhooks")
                    await _set_webhooks(client, receiver, WEBHOOKS, "contract_published")
                    ten.append(await publish_latency(server, key, run=2 * run + 1))
                results["publish_p50_ms"] = {
                    "none": [r["p50_ms"] for r in none],
                    "ten_webhooks": [r["p50_ms"] for r in ten],
                }
                results["publish_server_p50_ms"] = {
                    "none": [r["server_p50_ms"] for r in none],
                    "ten_webhooks": [r["server_p50_ms"] for r in ten],
                }
                log("delivery rate")
                results["delivery"] = [await _delivery_rate(server, client, receiver) for _ in range(RUNS)]
    finally:
        receiver_process.terminate()
    return results


def render(results: dict[str, Any]) -> str:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    none = median(results["publish_p50_ms"]["none"])
    ten = median(results["publish_p50_ms"]["ten_webhooks"])
    server_none = median(results["publish_server_p50_ms"]["none"])
    server_ten = median(results["publish_server_p50_ms"]["ten_webhooks"])
    rates = [run["per_second"] for run in results["delivery"]]
    return "\n".join(
        [
            "## Webhooks",
            "",
            f"Produced by `{COMMAND}` on {results['date']}; medians of {results['runs']} interleaved runs "
            "(min to max).",
            "",
            "| Figure | Value | Goal |",
            "| --- | --- | --- |",
            f"| Pact publish p50, no webhook | {none:.1f} ms ({min(results['publish_p50_ms']['none']):.1f} to "
            f"{max(results['publish_p50_ms']['none']):.1f}) | |",
            f"| Pact publish p50, {results['webhooks']} matching webhooks | {ten:.1f} ms "
            f"({min(results['publish_p50_ms']['ten_webhooks']):.1f} to "
            f"{max(results['publish_p50_ms']['ten_webhooks']):.1f}) | |",
            f"| Added by the webhooks (p50, client / server-timing) | {ten - none:+.2f} ms / "
            f"{server_ten - server_none:+.2f} ms | < 2 ms: {'met' if ten - none < 2 else 'NOT met'} |",
            f"| Deliveries per second (1 worker process, {results['delivery'][0]['deliveries']} deliveries, "
            f"receiver on loopback) | {median(rates):.0f} ({min(rates):.0f} to {max(rates):.0f}) | |",
            "",
        ]
    )


if __name__ == "__main__":
    figures = asyncio.run(main())
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "webhooks.json").write_text(json.dumps(figures, indent=2))
    print(render(figures))
