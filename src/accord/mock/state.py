"""The mock's in-process state of one provider version: its compiled spec, approved fixtures and the answers
the spec gives, cached by (tenant, version, fixture stamp, spec sha).

Every call reads the current stamp and spec sha in one query (MockRepository.target), so approving a fixture
or replacing a spec changes the key at once, in every process: no invalidation message can be missed. Old
entries are never read again and age out of the LRU.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import msgspec

from accord.compatibility.spec_model import CompiledSpec
from accord.exchanges.normalize import canonical_json
from accord.fixtures.normalize import normalize_request
from accord.mock.repository import ApprovedFixtureRow
from accord.mock.schemas import MockAnswer

StateKey = tuple[UUID, UUID, str, str]  # tenant, version id, fixture stamp, spec sha ('' without a spec)


@dataclass(frozen=True, slots=True)
class CachedFixture:
    id: UUID
    operation: str
    headers: dict[str, str]  # normalized: lower-case names, volatile ones dropped
    response: dict[str, Any]
    embedding: list[float] | None


def match_key(request: Mapping[str, Any]) -> bytes:
    """What an exact fixture match compares (headers apart: a fixture's headers need only be present)."""
    normalized = normalize_request(request)
    return canonical_json([normalized["method"], normalized["path"], normalized["query"], normalized["body"]])


@dataclass(slots=True)
class MockState:
    spec: CompiledSpec | None
    exact: dict[bytes, list[CachedFixture]] = field(default_factory=dict)
    by_operation: dict[str, list[CachedFixture]] = field(default_factory=dict)
    documented: dict[str, MockAnswer] = field(default_factory=dict)  # by operation name

    @classmethod
    def build(cls, spec: CompiledSpec | None, rows: list[ApprovedFixtureRow]) -> MockState:
        """From approved fixture rows, highest priority first (the order kept in every list)."""
        state = cls(spec=spec)
        for row in rows:
            request = msgspec.json.decode(row.request)
            fixture = CachedFixture(
                id=row.id,
                operation=row.operation,
                headers=normalize_request(request)["headers"],
                response=msgspec.json.decode(row.response),
                embedding=row.embedding,
            )
            state.exact.setdefault(match_key(request), []).append(fixture)
            state.by_operation.setdefault(fixture.operation, []).append(fixture)
        return state


class MockStateCache:
    """Least recently used out; used from the event loop only."""

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[StateKey, MockState] = OrderedDict()

    def get(self, key: StateKey) -> MockState | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: StateKey, state: MockState) -> None:
        self._entries[key] = state
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


MOCK_STATES = MockStateCache()
