"""uvicorn's httptools protocol with a shutdown that does not cut idle keep-alive connections (and a capped
request head, from BoundedHttpToolsProtocol)."""

from __future__ import annotations

from accord.http.bounded_protocol import BoundedHttpToolsProtocol
from accord.serving.coalesced_writes import CoalescingCycle

# How long an idle keep-alive connection stays open once shutdown starts. A client that sends a request in
# that time gets its response (with `Connection: close`); one that sends nothing is closed as if its
# keep-alive timeout had passed. Shorter than the graceful-shutdown window, so it never delays the exit
# past it.
IDLE_DRAIN_SECONDS = 2.0


class DrainingHttpToolsProtocol(BoundedHttpToolsProtocol):
    """At shutdown uvicorn closes an idle keep-alive connection at once, so a request the client sent just
    then is lost without a response: the client can't tell that from a crash. Here the connection stays
    open for IDLE_DRAIN_SECONDS; a request that arrives is served and answered with `Connection: close`."""

    _draining = False

    def shutdown(self) -> None:
        self._draining = True
        if self.cycle is None or self.cycle.response_complete:
            # The keep-alive timer closes the connection unless data comes first (data_received cancels it).
            self._unset_keepalive_if_required()
            self.timeout_keep_alive_task = self.loop.call_later(IDLE_DRAIN_SECONDS, self.timeout_keep_alive_handler)
        else:
            self.cycle.keep_alive = False

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self.cycle is not None:
            # uvicorn builds its cycle class by name; this one adds behaviour only (no state of its own).
            self.cycle.__class__ = CoalescingCycle
        if self._draining and self.cycle is not None:
            # Answer with `Connection: close` and close after the response: the server is going away.
            self.cycle.keep_alive = False
