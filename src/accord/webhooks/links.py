"""Links a webhook hands its receiver (`pactUrl`, `verificationResultUrl`): to resources another API serves.

The webhooks slice fills them in without knowing that API's paths; the app hands the delivery policy the object
that builds them (the Pact adapter's: `accord.pact.webhooks.event_links`).
"""

from __future__ import annotations

from typing import Protocol


class EventLinks(Protocol):
    def contract_url(self, base_url: str, *, provider: str, consumer: str, sha: str) -> str:
        """The contract with this content."""
        ...

    def verification_result_url(self, base_url: str, *, provider: str, consumer: str, sha: str, result: str) -> str:
        """One verification result (by id) of that content."""
        ...
