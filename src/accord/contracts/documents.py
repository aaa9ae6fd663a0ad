"""Contract documents in the Pact specification's format (contents of kind 'pact'): what a publishable one must
look like, the normalized form its identity is computed from, and merging. Pure functions.

A pact's identity (its sha) never depends on the bytes a client sent: clients re-serialize pacts (key order,
interaction order, their own metadata, `_id`s from a broker they downloaded it from), so the sha is SHA-256
of the canonical JSON of the normalized document. What is stored and served back is the document itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import msgspec

from accord.exchanges.normalize import canonical_json
from accord.unstorable_text import nul_pointer

# Arrays of a pact that hold what a provider verifies: interactions (v1-v4) and messages (v3 message pacts).
INTERACTION_ARRAYS = ("interactions", "messages")
# HAL decorations a broker adds when serving a pact; a downloaded pact republished as is carries them.
_DECORATIONS = ("_links", "_embedded", "createdAt", "updatedAt")


class DocumentProblem(ValueError):
    """A document that is not a publishable contract document; `pointer` is relative to the document."""

    def __init__(self, detail: str, pointer: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.pointer = pointer


class MergeConflict(ValueError):
    """Two interactions with the same description and provider state but different requests."""


def _name_of(document: dict[str, Any], role: str) -> str | None:
    party = document.get(role)
    name = party.get("name") if isinstance(party, dict) else None
    return name if isinstance(name, str) else None


def interaction_arrays(document: dict[str, Any]) -> Iterator[tuple[str, list[Any]]]:
    """(name, items) of the document's interactions and messages arrays."""
    for array in INTERACTION_ARRAYS:
        value = document.get(array)
        if isinstance(value, list):
            yield array, value


def _contains_nul(document: Any) -> bool:
    """PostgreSQL's jsonb can't hold U+0000, in values or keys.

    JSON text spells it `\\u0000`, so a document whose encoding lacks that sequence has none: one fast scan
    instead of walking every value (the walk only runs when the sequence shows up, e.g. as escaped text).
    """
    return b"\\u0000" in msgspec.json.encode(document) and nul_pointer(document) is not None


def check_document(document: dict[str, Any], *, consumer: str, provider: str) -> dict[str, Any]:
    """The document as stored: HAL decorations dropped; DocumentProblem if it can't be this pair's pact."""
    named_consumer = _name_of(document, "consumer")
    if named_consumer is not None and named_consumer != consumer:
        raise DocumentProblem(
            f"consumer name in the pact ('{named_consumer}') must match the consumer name '{consumer}'",
            "/consumer/name",
        )
    named_provider = _name_of(document, "provider")
    if named_provider is not None and named_provider != provider:
        raise DocumentProblem(
            f"provider name in the pact ('{named_provider}') must match the provider name '{provider}'",
            "/provider/name",
        )
    for array in INTERACTION_ARRAYS:
        value = document.get(array)
        if value is None:
            continue
        if not isinstance(value, list):
            raise DocumentProblem(f"must be an array, not {type(value).__name__}", f"/{array}")
        for index, interaction in enumerate(value):
            if not isinstance(interaction, dict):
                raise DocumentProblem("must be a JSON object", f"/{array}/{index}")
    if _contains_nul(document):
        raise DocumentProblem("must not contain the NUL character (\\u0000)")
    stored = {key: value for key, value in document.items() if key not in _DECORATIONS}
    stored.setdefault("consumer", {"name": consumer})
    stored.setdefault("provider", {"name": provider})
    return stored


def specification_version(document: dict[str, Any]) -> str | None:
    """The pact specification version the metadata declares (v1.1 to v4 spell it differently)."""
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return None
    for key in ("pactSpecification", "pact-specification"):
        declared = metadata.get(key)
        if isinstance(declared, dict) and isinstance(declared.get("version"), str):
            return str(declared["version"])
    legacy = metadata.get("pactSpecificationVersion")
    return legacy if isinstance(legacy, str) else None


def normalized(document: dict[str, Any]) -> dict[str, Any]:
    """What a pact's identity is computed from: its content, interactions (and messages) in a stable order
    without broker-assigned `_id`s, and of the metadata only the specification version (clients add their
    own names and versions there, which must not make the same pact a different one)."""
    body: dict[str, Any] = {
        key: value for key, value in document.items() if key not in _DECORATIONS and key != "metadata"
    }
    for array, interactions in interaction_arrays(document):
        cleaned = [
            {key: value for key, value in item.items() if key != "_id"} if isinstance(item, dict) else item
            for item in interactions
        ]
        body[array] = sorted(cleaned, key=canonical_json)
    version = specification_version(document)
    if version is not None:
        body["metadata"] = {"pactSpecification": {"version": version}}
    return body


def document_sha(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(normalized(document))).hexdigest()


def interaction_count(document: dict[str, Any]) -> int:
    return sum(len(interactions) for _, interactions in interaction_arrays(document))


def _provider_states(interaction: dict[str, Any]) -> Any:
    for key in ("providerStates", "providerState", "provider_state"):
        if key in interaction:
            return interaction[key]
    return None


def _same_interaction(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("key") is not None and a.get("key") == b.get("key"):
        return True
    return a.get("description") == b.get("description") and _provider_states(a) == _provider_states(b)


def merge_documents(existing: dict[str, Any], additional: dict[str, Any]) -> dict[str, Any]:
    """The existing pact with the additional one's interactions: an interaction with the same description
    and provider state replaces its namesake (MergeConflict if their requests differ), others are added."""
    merged = dict(existing)
    for array, interactions in interaction_arrays(additional):
        current = [dict(item) for item in merged.get(array) or [] if isinstance(item, dict)]
        for interaction in interactions:
            match = next((i for i, old in enumerate(current) if _same_interaction(old, interaction)), None)
            if match is None:
                current.append(interaction)
                continue
            if canonical_json(current[match].get("request")) != canonical_json(interaction.get("request")):
                raise MergeConflict(
                    f"An interaction with description '{interaction.get('description')}' and the same provider "
                    "state is already in the pact with a different request; use a different description or "
                    "provider state."
                )
            current[match] = interaction
        merged[array] = current
    return merged
