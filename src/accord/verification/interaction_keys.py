"""The keys verification results name a contract's interactions by.

Accord's recorded contracts key an interaction by its content hash (`key`); a pact by its `description` (pact
v4 also has `key`). The spec diff, the Pact API and verification all name interactions this one way, so a
result recorded through one is found through the others.
"""

from __future__ import annotations

from typing import Any


def interaction_key(interaction: dict[str, Any]) -> str | None:
    """An interaction's key, or None when it has neither a `key` nor a `description`."""
    key = interaction.get("key") or interaction.get("description")
    return key if isinstance(key, str) else None


def interaction_keys(kind: str, document: Any) -> list[str]:
    """The keys of every interaction of a contract document; v3 message pacts hold theirs in `messages`."""
    if not isinstance(document, dict):
        return []
    interactions = [*(document.get("interactions") or []), *(document.get("messages") or [])]
    keys = []
    for interaction in interactions:
        if isinstance(interaction, dict) and (key := interaction_key(interaction)) is not None:
            keys.append(key)
    return keys
