"""The provider states a provider must set up: those of the pacts it would verify from one scope (the main
branches of its consumers, a branch, or what is deployed or released to an environment)."""

from __future__ import annotations

from typing import Any

import msgspec

from accord.pact.pact_documents import interaction_arrays
from accord.pact.pact_reading import PactReader
from accord.pact.pact_schemas import ConsumerVersionSelector, PactsForVerificationQuery
from accord.pact.verifiable_pacts import VerifiablePactService
from accord.tenancy.ids import TenantId


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


class ProviderStateService:
    """A tenant's provider states, de-duplicated across consumers."""

    def __init__(self, tenant: TenantId) -> None:
        self.verifiable = VerifiablePactService(tenant)
        self.reader = PactReader(tenant)

    async def states(
        self, provider: str, *, branch: str | None = None, environment: str | None = None
    ) -> list[ProviderState]:
        """Without a branch or environment: from the latest pact of each consumer's main branch."""
        if branch is not None:
            selector = ConsumerVersionSelector(branch=branch)
        elif environment is not None:
            selector = ConsumerVersionSelector(deployed_or_released=True, environment=environment)
        else:
            selector = ConsumerVersionSelector(main_branch=True)
        query = PactsForVerificationQuery(consumer_version_selectors=[selector])
        pacts = (await self.verifiable.for_verification(provider, query)).pacts
        consumers: dict[tuple[str, str], set[str]] = {}
        params: dict[tuple[str, str], dict[str, Any] | None] = {}
        for pact in pacts:
            document = (await self.reader.by_sha(pact.consumer, pact.provider, pact.sha)).document
            for _, interactions in interaction_arrays(document):
                for interaction in interactions:
                    for name, given in _states_of(interaction):
                        key = (name, msgspec.json.encode(given).decode())
                        consumers.setdefault(key, set()).add(pact.consumer)
                        params[key] = given
        return [
            ProviderState(name=key[0], params=params[key], consumers=sorted(consumers[key]))
            for key in sorted(consumers)
        ]
