"""The provider states a provider must set up: those of the contracts it would verify from one selection (the
main branches of its consumers, a branch, or what is deployed or released to an environment)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from accord.tenant_ids import TenantId
from accord.verification.repository import VerificationRepository
from accord.verification.selection import ContractSelection, VersionSelector

# Arrays of a contract document whose items may name provider states: interactions and (v3) messages.
_INTERACTION_ARRAYS = ("interactions", "messages")


class ProviderState(msgspec.Struct, kw_only=True, omit_defaults=True):
    name: str
    params: dict[str, Any] | None = None
    consumers: list[str]


def _states_of(interaction: Any) -> list[tuple[str, dict[str, Any] | None]]:
    """(name, params) of an interaction's states, however its specification version spells them."""
    if not isinstance(interaction, dict):
        return []
    states = interaction.get("providerStates")
    if isinstance(states, list):
        found = []
        for state in states:
            if isinstance(state, dict) and isinstance(state.get("name"), str):
                params = state.get("params")
                found.append((state["name"], params if isinstance(params, dict) and params else None))
        return found
    legacy = interaction.get("providerState", interaction.get("provider_state"))
    return [(legacy, None)] if isinstance(legacy, str) and legacy else []


def _interactions(document: Any) -> list[Any]:
    """A document's interactions and messages (jsonb arrives from raw SQL as text)."""
    if isinstance(document, str | bytes):
        document = msgspec.json.decode(document)
    if not isinstance(document, dict):
        return []
    return [item for array in _INTERACTION_ARRAYS if isinstance(items := document.get(array), list) for item in items]


class ProviderStateService:
    """A tenant's provider states, de-duplicated across consumers."""

    def __init__(self, tenant: TenantId, *, selection: ContractSelection) -> None:
        """Built by accord.composition.provider_state_service, which hands in the selection."""
        self.selection = selection
        self.repository = VerificationRepository(tenant)

    async def states(self, provider: str, selectors: Sequence[VersionSelector]) -> list[ProviderState]:
        """From the contracts the selectors select (NotFound for an unknown provider). Two statements."""
        contracts = (await self.selection.select(provider, selectors)).contracts
        documents = await self.repository.contents([contract.content_id for contract in contracts])
        consumers: dict[tuple[str, str], set[str]] = {}
        params: dict[tuple[str, str], dict[str, Any] | None] = {}
        for contract in contracts:
            for interaction in _interactions(documents[contract.content_id]):
                for name, given in _states_of(interaction):
                    key = (name, msgspec.json.encode(given).decode())
                    consumers.setdefault(key, set()).add(contract.consumer)
                    params[key] = given
        return [
            ProviderState(name=key[0], params=params[key], consumers=sorted(consumers[key]))
            for key in sorted(consumers)
        ]
