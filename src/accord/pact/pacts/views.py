"""Pacts as the Pact API serves them, from the native contract reads: the document (recorded interactions
rendered as a pact), and the Pact wording of what is missing."""

from __future__ import annotations

import datetime
from typing import Any

import msgspec

from accord.contracts.document_reader import DocumentReader
from accord.contracts.schemas import ContractDocument
from accord.errors import NotFound
from accord.pact.pacts.served import recorded_as_pact, served_pact


class PactView(msgspec.Struct, kw_only=True):
    """A pact as served: the document (recorded interactions rendered as a pact) and where it comes from."""

    consumer: str
    provider: str
    consumer_version: str | None
    sha: str
    kind: str
    document: dict[str, Any]
    created_at: datetime.datetime


def pact_view(row: ContractDocument) -> PactView:
    content = msgspec.json.decode(row.content)
    if row.kind == "pact":
        document = served_pact(content)
    else:
        document = recorded_as_pact(content, consumer=row.consumer, provider=row.provider)
    return PactView(
        consumer=row.consumer,
        provider=row.provider,
        consumer_version=row.consumer_version,
        sha=row.sha,
        kind=row.kind,
        document=document,
        created_at=row.created_at,
    )


async def pact_for_version(reader: DocumentReader, consumer: str, provider: str, consumer_version: str) -> PactView:
    row = await reader.for_version(consumer, provider, consumer_version)
    if row is None:
        raise NotFound(f"No pact between '{consumer}' version '{consumer_version}' and '{provider}'.")
    return pact_view(row)


async def latest_pact(
    reader: DocumentReader, consumer: str, provider: str, *, tag: str | None = None, branch: str | None = None
) -> PactView:
    row = await reader.latest(consumer, provider, tag=tag, branch=branch)
    if row is None:
        which = f" with tag '{tag}'" if tag else f" from branch '{branch}'" if branch else ""
        raise NotFound(f"No pact between '{consumer}'{which} and '{provider}'.")
    return pact_view(row)


async def pact_by_sha(reader: DocumentReader, consumer: str, provider: str, sha: str) -> PactView:
    row = await reader.by_sha(consumer, provider, sha)
    if row is None:
        raise NotFound(f"No pact version {sha} between '{consumer}' and '{provider}'.")
    return pact_view(row)
