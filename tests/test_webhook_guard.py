"""The SSRF guard's decisions, with the default policy (what production runs) and the relaxed ones."""

from __future__ import annotations

import asyncio
import datetime
import uuid

import msgspec
import pytest

from accord.webhooks.repository import WebhookRow
from accord.webhooks.sender import prepare, send
from accord.webhooks.url_guard import BlockedUrl, UrlPolicy, check_url, guarded_client
from tests.webhook_receiver import running_receiver

DEFAULT = UrlPolicy()


@pytest.mark.parametrize(
    "url",
    [
        "http://ci.example.com/build",  # plain http
        "ftp://ci.example.com/",
        "https://127.0.0.1/",
        "https://[::1]/",
        "https://10.1.2.3/",
        "https://192.168.0.10/",
        "https://172.16.5.4/",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00:ec2::254]/",
        "https://[::ffff:127.0.0.1]/",
        "https://0.0.0.0/",
        "https://localhost/",  # resolved: loopback
        "https:///no-host",
    ],
)
def test_default_policy_refuses(url: str) -> None:
    with pytest.raises(BlockedUrl):
        asyncio.run(check_url(DEFAULT, url))


def test_default_policy_allows_public_https_and_unresolvable_names() -> None:
    asyncio.run(check_url(DEFAULT, "https://8.8.8.8/hook"))
    asyncio.run(check_url(DEFAULT, "https://ci.example.invalid/hook"))  # checked again, resolved, at delivery


def test_allow_private_still_refuses_metadata_and_link_local() -> None:
    relaxed = UrlPolicy(allow_private=True)
    asyncio.run(check_url(relaxed, "http://127.0.0.1:9/"))
    asyncio.run(check_url(relaxed, "http://10.0.0.1/"))
    for url in ("http://169.254.169.254/", "http://169.254.1.1/", "http://[fe80::1]/"):
        with pytest.raises(BlockedUrl):
            asyncio.run(check_url(relaxed, url))


def test_allow_list_names_hosts_and_networks() -> None:
    listed = UrlPolicy.from_entries(False, ["localhost", "10.20.0.0/16"])
    asyncio.run(check_url(listed, "http://localhost:8080/"))
    asyncio.run(check_url(listed, "https://10.20.3.4/"))
    with pytest.raises(BlockedUrl):
        asyncio.run(check_url(listed, "https://10.21.3.4/"))


def test_delivery_is_checked_after_resolution_and_nothing_is_sent() -> None:
    now = datetime.datetime.now(tz=datetime.UTC)
    webhook = WebhookRow(
        id=uuid.uuid4(),
        description="",
        enabled=True,
        events=["contract_published"],
        method="POST",
        url="",
        headers={},
        body=None,
        body_is_json=False,
        username=None,
        password=None,
        secret="x" * 32,
        created_at=now,
        updated_at=now,
        consumer_id=None,
        provider_id=None,
        consumer=None,
        provider=None,
        consumer_label=None,
        provider_label=None,
    )

    async def deliver(url: str, policy: UrlPolicy) -> str:
        request = prepare(
            msgspec.structs.replace(webhook, url=url), {}, idempotency_key="k", event_name="contract_published"
        )
        async with guarded_client(policy, timeout_seconds=1) as client:
            outcome = await send(client, request, deadline_seconds=2)
        return outcome.error

    with running_receiver() as receiver:
        port = receiver.url.rsplit(":", 1)[1]
        # By name: only the resolved address tells it is loopback.
        assert "loopback" in asyncio.run(deliver(f"https://localhost:{port}/", DEFAULT))
        assert "https" in asyncio.run(deliver(f"http://localhost:{port}/", DEFAULT))
        assert receiver.received == []
        assert asyncio.run(deliver(receiver.url, UrlPolicy(allow_private=True))) == ""
        assert len(receiver.received) == 1
