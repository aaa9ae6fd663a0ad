"""The SSRF guard: webhooks may only reach the public internet over https, unless the operator allows more.

Checked twice: when a webhook is saved (a clear 422 for an address that can never be allowed) and on every
connection Accord opens to deliver (after DNS resolution, for every redirect hop). The delivery check lives in
the network backend, which connects to the very address it checked: a name that resolves to a public address
at check time and to 127.0.0.1 a moment later (DNS rebinding) can't slip through between check and connect.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud metadata services: link-local or otherwise, never reachable unless an allow-list entry names them.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "168.63.129.16")
)


class BlockedUrl(Exception):
    """The URL or an address it resolves to is not allowed; the message says why, for the operator."""


@dataclass(frozen=True)
class UrlPolicy:
    allow_private: bool = False
    # Host names (exact, case-insensitive) and networks the operator allows whatever they resolve to.
    allow_hosts: frozenset[str] = frozenset()
    allow_networks: tuple[IPNetwork, ...] = field(default=())

    @classmethod
    def from_entries(cls, allow_private: bool, entries: Iterable[str]) -> UrlPolicy:
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in (e.strip() for e in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower())
        return cls(allow_private=allow_private, allow_hosts=frozenset(hosts), allow_networks=tuple(networks))

    def host_allowed(self, host: str) -> bool:
        return host.lower().rstrip(".") in self.allow_hosts

    def check_scheme(self, scheme: str, host: str) -> None:
        if scheme == "https":
            return
        if scheme == "http" and (self.allow_private or self.host_allowed(host)):
            return
        raise BlockedUrl(f"only https URLs are allowed, not {scheme or 'a relative URL'}")

    def check_address(self, host: str, address: IPAddress) -> None:
        if self.host_allowed(host) or any(address in network for network in self.allow_networks):
            return
        mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
        address = mapped or address
        if address in METADATA_ADDRESSES:
            raise BlockedUrl(f"{host} resolves to a cloud metadata address ({address})")
        if address.is_link_local or address.is_multicast or address.is_unspecified or address.is_reserved:
            raise BlockedUrl(f"{host} resolves to a link-local or reserved address ({address})")
        if address.is_global:
            return
        if not self.allow_private:
            raise BlockedUrl(f"{host} resolves to a loopback or private address ({address})")


async def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return [literal]
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0]) for info in infos]


async def check_url(policy: UrlPolicy, url: str, *, resolve_names: bool = True) -> None:
    """Raise BlockedUrl if `url` can't be delivered to. A name that doesn't resolve (yet) passes: it is checked
    again, resolved, when delivering."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise BlockedUrl("the URL has no host")
    policy.check_scheme(parts.scheme.lower(), host)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise BlockedUrl("the URL's port is not a number from 0 to 65535") from None
    if not resolve_names:
        return
    try:
        addresses = await asyncio.wait_for(resolve(host, port), timeout=2)
    except (OSError, TimeoutError):
        return
    for address in addresses:
        policy.check_address(host, address)


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves each host itself, refuses blocked addresses, then connects to the checked address."""

    def __init__(self, policy: UrlPolicy) -> None:
        self._policy = policy
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's signature
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await asyncio.wait_for(resolve(host, port), timeout=timeout)
        except (OSError, TimeoutError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        for address in addresses:
            self._policy.check_address(host, address)  # all of them: any could be picked on a retry
        if not addresses:
            raise httpcore.ConnectError(f"{host} has no address")
        return await self._backend.connect_tcp(
            str(addresses[0]), port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise BlockedUrl("unix sockets are not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


@functools.cache
def _verifying_ssl_context() -> ssl.SSLContext:
    """The system's CA bundle, loaded once per process: loading it takes ~50 ms, and a context is safe to share
    between connections (it is only read once built)."""
    return httpx.create_ssl_context()


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over the guarded backend (TLS still verifies the URL's host name, not the address)."""

    def __init__(self, policy: UrlPolicy) -> None:
        super().__init__(verify=_verifying_ssl_context(), http1=True, http2=False, retries=0)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_verifying_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            http1=True,
            http2=False,
            network_backend=_GuardedBackend(policy),
        )


def guarded_client(policy: UrlPolicy, *, timeout_seconds: float, max_redirects: int = 5) -> httpx.AsyncClient:
    """A client whose every request, redirects included, passes the policy. No proxies from the environment:
    a proxy would connect on our behalf, to addresses we never see."""

    async def check_scheme(request: httpx.Request) -> None:
        policy.check_scheme(request.url.scheme, request.url.host)

    return httpx.AsyncClient(
        transport=GuardedTransport(policy),
        timeout=httpx.Timeout(timeout_seconds, connect=min(5.0, timeout_seconds)),
        follow_redirects=True,
        max_redirects=max_redirects,
        trust_env=False,
        event_hooks={"request": [check_scheme]},
    )
