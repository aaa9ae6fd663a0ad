"""Publishing pacts: POST /contracts/publish and the legacy PUT/PATCH of one pact, as contract contents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import msgspec

from accord.catalog.service import ServiceCatalog, VersionMention
from accord.contracts.following import ContractFollower
from accord.contracts.pact_repository import PactRepository
from accord.db.engine import get_engine
from accord.errors import Conflict, FieldError, InvalidInput, NotFound
from accord.pact.pact_documents import (
    MergeConflict,
    PactProblem,
    check_pact,
    decode_base64_pact,
    interaction_count,
    merge_pacts,
    pact_sha,
)
from accord.pact.pact_schemas import ContractsPublish
from accord.tenancy.ids import TenantId

PactStatus = Literal["created", "unchanged", "replaced", "merged"]

_VERSIONING = "For more information see https://docs.pact.io/go/versioning"


class PactToPublish(msgspec.Struct, frozen=True, kw_only=True):
    provider: str
    document: dict[str, Any]
    merge: bool
    pointer: str  # where the pact is in the request, for errors


class PublishedPact(msgspec.Struct, kw_only=True):
    consumer: str
    consumer_version: str
    provider: str
    sha: str
    status: PactStatus


class PactsPublished(msgspec.Struct, kw_only=True):
    consumer: str
    consumer_version: str
    branch: str | None
    tags: list[str]
    version_existed: bool
    pacts: list[PublishedPact]


def _modification_refused(consumer: str, version: str, provider: str, *, recorded: bool) -> str:
    what = "contract recorded from interactions" if recorded else "pact"
    return (
        f"Cannot change the content of the {what} for {consumer} version {version} and provider {provider}, as "
        "race conditions will cause unreliable results for can-i-deploy. Each pact must be published with a "
        "unique consumer version number. Some Pact libraries generate random data when a concrete value for a "
        "type matcher is not specified, and this can cause the contract to mutate - ensure you have given "
        f"example values for all type matchers. {_VERSIONING}. (To replace it anyway, publish with "
        "?replace=true.)"
    )


class PactPublisher:
    """Stores pacts as contents of kind 'pact' and publishes them for a consumer version, race-free: the
    consumer version's lock (shared with contracts that follow recorded interactions) serializes publishers.

    Published content is immutable by default, like the Pact Broker's: republishing the same pact (by its
    normalized sha) is fine, a different one is a Conflict unless `replace` is asked for or the client merges.
    """

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.pacts = PactRepository(tenant)
        self.follower = ContractFollower(tenant)

    async def publish_contracts(self, data: ContractsPublish, *, replace: bool) -> PactsPublished:
        pacts = self._decode(data)
        mention = VersionMention(
            service=data.pacticipant_name,
            number=data.pacticipant_version_number,
            branch=data.branch,
            tags=tuple(data.tags),
            build_url=data.build_url,
        )
        existed = await self._version_exists(data.pacticipant_name, data.pacticipant_version_number)
        published = await self._publish(mention, pacts, replace=replace)
        return PactsPublished(
            consumer=data.pacticipant_name,
            consumer_version=data.pacticipant_version_number,
            branch=data.branch,
            tags=list(data.tags),
            version_existed=existed,
            pacts=published,
        )

    async def publish_pact(
        self,
        *,
        consumer: str,
        consumer_version: str,
        provider: str,
        document: dict[str, Any],
        merge: bool,
        replace: bool,
    ) -> PublishedPact:
        """PUT (merge=False) or PATCH (merge=True) of one pact."""
        try:
            checked = check_pact(document, consumer=consumer, provider=provider)
        except PactProblem as problem:
            raise InvalidInput(
                problem.detail, errors=[FieldError(detail=problem.detail, pointer=problem.pointer or "/")]
            ) from None
        pact = PactToPublish(provider=provider, document=checked, merge=merge, pointer="/")
        published = await self._publish(
            VersionMention(service=consumer, number=consumer_version), [pact], replace=replace
        )
        return published[0]

    def _decode(self, data: ContractsPublish) -> list[PactToPublish]:
        pacts: list[PactToPublish] = []
        errors: list[FieldError] = []
        seen: set[str] = set()
        for index, contract in enumerate(data.contracts):
            pointer = f"/contracts/{index}"
            if contract.consumer_name != data.pacticipant_name:
                detail = (
                    f"consumerName ('{contract.consumer_name}') must match pacticipantName ('{data.pacticipant_name}')"
                )
                errors.append(FieldError(detail=detail, pointer=f"{pointer}/consumerName"))
                continue
            if contract.provider_name in seen:
                detail = f"more than one pact with provider '{contract.provider_name}'; publish one per provider"
                errors.append(FieldError(detail=detail, pointer=f"{pointer}/providerName"))
                continue
            seen.add(contract.provider_name)
            try:
                document = check_pact(
                    decode_base64_pact(contract.content),
                    consumer=contract.consumer_name,
                    provider=contract.provider_name,
                )
            except PactProblem as problem:
                errors.append(FieldError(detail=f"content {problem.detail}", pointer=f"{pointer}/content"))
                continue
            merge = contract.on_conflict == "merge"
            # Conflicts are reported under `contracts`, where Pact clients look for them.
            pacts.append(
                PactToPublish(provider=contract.provider_name, document=document, merge=merge, pointer="/contracts")
            )
        if errors:
            raise InvalidInput("Some contracts can't be published; see `errors`.", errors=errors)
        return pacts

    async def _version_exists(self, service: str, number: str) -> bool:
        try:
            await self.catalog.find_version(service, number)
        except NotFound:
            return False
        return True

    async def _publish(
        self, mention: VersionMention, pacts: Sequence[PactToPublish], *, replace: bool
    ) -> list[PublishedPact]:
        """All pacts or none; a constant number of statements whatever their number."""
        async with get_engine().transaction():
            ref = await self.catalog.ensure_version(mention)
            provider_ids = await self.catalog.ensure_services([pact.provider for pact in pacts])
            await self.follower.lock([ref.version_id])
            await self.follower.settle_locked(ref.version_id)  # recorded batches not derived yet count as published
            rows = await self.pacts.current(ref.version_id, list(provider_ids.values()))
            current = {row["provider"]: row for row in rows}
            published: list[PublishedPact] = []
            to_store: list[tuple[Any, str, str, int]] = []
            conflicts: list[FieldError] = []
            for pact in pacts:
                existing = current.get(provider_ids[pact.provider])
                document, sha, status = self._resolve(mention, pact, existing, replace=replace, conflicts=conflicts)
                if status != "unchanged":
                    to_store.append(
                        (
                            provider_ids[pact.provider],
                            sha,
                            msgspec.json.encode(document).decode(),
                            interaction_count(document),
                        )
                    )
                published.append(
                    PublishedPact(
                        consumer=mention.service,
                        consumer_version=mention.number,
                        provider=pact.provider,
                        sha=sha,
                        status=status,
                    )
                )
            if conflicts:
                raise Conflict(conflicts[0].detail, errors=conflicts)
            await self.pacts.store(ref.service_id, ref.version_id, to_store)
        return published

    def _resolve(
        self,
        mention: VersionMention,
        pact: PactToPublish,
        existing: dict[str, Any] | None,
        *,
        replace: bool,
        conflicts: list[FieldError],
    ) -> tuple[dict[str, Any], str, PactStatus]:
        """The document to publish, its sha, and what publishing it does to the current publication."""
        if existing is None:
            return pact.document, pact_sha(pact.document), "created"
        recorded = existing["kind"] != "pact"
        document = pact.document
        if pact.merge and not recorded:
            try:
                document = merge_pacts(msgspec.json.decode(existing["content"]), pact.document)
            except MergeConflict as exc:
                conflicts.append(FieldError(detail=str(exc), pointer=pact.pointer))
                return document, existing["sha"], "unchanged"
        sha = pact_sha(document)
        if sha == existing["sha"]:
            return document, sha, "unchanged"
        if pact.merge and not recorded:
            return document, sha, "merged"
        if replace:
            return document, sha, "replaced"
        conflicts.append(
            FieldError(
                detail=_modification_refused(mention.service, mention.number, pact.provider, recorded=recorded),
                pointer=pact.pointer,
            )
        )
        return document, existing["sha"], "unchanged"
