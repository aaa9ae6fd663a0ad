"""The listening socket `accord serve` binds before anything else, and how it explains a failure."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

from accord.serving.listener import ListenError, bind_listener


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_a_free_port_is_bound_for_uvicorn() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = int(probe.getsockname()[1])

    with bind_listener("127.0.0.1", free) as listener:
        assert listener.getsockname() == ("127.0.0.1", free)


def test_a_busy_port_names_the_process_that_holds_it(busy_port: int) -> None:
    with pytest.raises(ListenError) as raised:
        bind_listener("127.0.0.1", busy_port)

    message = str(raised.value)
    assert message.startswith(f"port {busy_port} is in use by pid {os.getpid()} (")
    assert "pytest" in message


def test_an_address_this_host_does_not_have_is_explained() -> None:
    with pytest.raises(ListenError, match=r"^cannot listen on 192\.0\.2\.1:8000: "):
        bind_listener("192.0.2.1", 8000)  # TEST-NET-1: never a local address
