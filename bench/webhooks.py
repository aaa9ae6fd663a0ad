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


async def _publish_figures(receiver: str, results: dict[str, Any], label: str) -> None:
    with accord_server(workers=1) as server:
        key = server.tenant("hooks")
        headers = {"Authorization": f"Bearer {key}"}
        async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=60) as client:
            none, ten = [], []
            for run in range(RUNS):
                log(f"{label}: publish latency, run {run + 1}: no webhook")
                await _set_webhooks(client, receiver, 0, "contract_published")
                none.append(await publish_latency(server, key, run=2 * run))
                log(f"{label}: publish latency, run {run + 1}: {WEBHOOKS} matching webhooks")
                await _set_webhooks(client, receiver, WEBHOOKS, "contract_published")
                ten.append(await publish_latency(server, key, run=2 * run + 1))
            results[label] = {
                "publish_p50_ms": {"none": [r["p50_ms"] for r in none], "ten_webhooks": [r["p50_ms"] for r in ten]},
                "publish_server_p50_ms": {
                    "none": [r["server_p50_ms"] for r in none],
                    "ten_webhooks": [r["server_p50_ms"] for r in ten],
                },
            }
            if os.environ.get("ACCORD_WEBHOOKS") != "false":
                log("delivery rate")
                results["delivery"] = [await _delivery_rate(server, client, receiver) for _ in range(RUNS)]


async def main() -> dict[str, Any]:
    os.environ["ACCORD_WEBHOOK_ALLOW_PRIVATE"] = "true"  # the receiver is on loopback
    port = free_port()
    receiver_process = multiprocessing.Process(target=_receive, args=(port,), daemon=True)
    receiver_process.start()
    receiver = f"http://127.0.0.1:{port}"
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results: dict[str, Any] = {"runs": RUNS, "webhooks": WEBHOOKS, "date": date}
    try:
        # The publishing transaction alone: no delivery worker in the server (ACCORD_WEBHOOKS=false), so the
        # figure is what publishing itself costs with matching webhooks.
        os.environ["ACCORD_WEBHOOKS"] = "false"
        await _publish_figures(receiver, results, "publish_path")
        # The same with the server's own worker delivering every publish's 10 requests meanwhile: the
        # background work shares the process (and here 2 cores) with the API.
        os.environ["ACCORD_WEBHOOKS"] = "true"
        await _publish_figures(receiver, results, "with_deliveries")
    finally:
        receiver_process.terminate()
    return results


def render(results: dict[str, Any]) -> str:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    def spread(values: list[float]) -> str:
        return f"{median(values):.1f} ms ({min(values):.1f} to {max(values):.1f})"

    rows = []
    for label, title in (
        ("publish_path", "deliveries off in the publishing server (the publish path)"),
        ("with_deliveries", "its own worker delivering meanwhile"),
    ):
        client, server = results[label]["publish_p50_ms"], results[label]["publish_server_p50_ms"]
        added = median(client["ten_webhooks"]) - median(client["none"])
        added_server = median(server["ten_webhooks"]) - median(server["none"])
        goal = f"< 2 ms: {'met' if added < 2 else 'not met'}" if label == "publish_path" else ""
        rows += [
            f"| Pact publish p50, {title}: no webhook | {spread(client['none'])} | |",
            f"| Pact publish p50, {title}: {results['webhooks']} matching webhooks | "
            f"{spread(client['ten_webhooks'])} | |",
            f"| Added (client / server-timing) | {added:+.2f} ms / {added_server:+.2f} ms | {goal} |",
        ]
    rates = [run["per_second"] for run in results["delivery"]]
    rows.append(
        f"| Deliveries per second (1 worker process, {results['delivery'][0]['deliveries']} deliveries, "
        f"receiver on loopback) | {median(rates):.0f} ({min(rates):.0f} to {max(rates):.0f}) | |"
    )
    return "\n".join(
        [
            "## Webhooks",
            "",
            f"Produced by `{COMMAND}` on {results['date']}: 100 publishes of a 100-interaction pact per run, "
            f"medians of {results['runs']} runs interleaving no webhook and {results['webhooks']} matching ones "
            "(min to max).",
            "",
            "| Figure | Value | Goal |",
            "| --- | --- | --- |",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    figures = asyncio.run(main())
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "webhooks.json").write_text(json.dumps(figures, indent=2, default=str))
    print(render(figures))
