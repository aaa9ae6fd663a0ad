"""Publishing pacts, translated: POST /contracts/publish and the PUT/PATCH of one pact become documents for
the native DocumentPublisher; its refusals become the Pact Broker's conflict wording."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import msgspec

from accord.catalog.service import VersionMention
from accord.contracts.document_publisher import (
    DocumentPublisher,
    DocumentsRefused,
    DocumentToPublish,
    PublishedDocument,
    RefusedDocument,
)
from accord.contracts.documents import DocumentProblem, check_document
from accord.errors import Conflict, FieldError, InvalidInput
from accord.pact.pacts.schemas import ContractsPublish

_VERSIONING = "For more information see https://docs.pact.io/go/versioning"


class PactsPublished(msgspec.Struct, kw_only=True):
    consumer: str
    consumer_version: str
    branch: str | None
    tags: list[str]
    version_existed: bool
    pacts: list[PublishedDocument]


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


def _conflict(refused: DocumentsRefused) -> Conflict:
    def detail(item: RefusedDocument) -> str:
        if item.merge_conflict is not None:
            return item.merge_conflict
        mention = refused.mention
        return _modification_refused(mention.service, mention.number, item.provider, recorded=item.recorded)

    errors = [FieldError(detail=detail(item), pointer=item.pointer) for item in refused.refused]
    return Conflict(errors[0].detail, errors=errors)


def decode_base64_pact(content: str) -> dict[str, Any]:
    """A pact sent base64-encoded (as /contracts/publish does)."""
    try:
        raw = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise DocumentProblem("is not valid Base64") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentProblem(f"has a non UTF-8 character at byte {exc.start}") from None
    try:
        document = msgspec.json.decode(text)
    except msgspec.DecodeError:
        raise DocumentProblem("could not be parsed as application/json") from None
    except RecursionError:  # msgspec stops (without crashing) at the interpreter's recursion limit
        raise DocumentProblem("is nested too deeply") from None
    if not isinstance(document, dict):
        raise DocumentProblem(f"must be a JSON object, not {type(document).__name__}")
    return document


def _documents(data: ContractsPublish) -> list[DocumentToPublish]:
    documents: list[DocumentToPublish] = []
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, contract in enumerate(data.contracts):
        pointer = f"/contracts/{index}"
        if contract.consumer_name != data.pacticipant_name:
            detail = f"consumerName ('{contract.consumer_name}') must match pacticipantName ('{data.pacticipant_name}')"
            errors.append(FieldError(detail=detail, pointer=f"{pointer}/consumerName"))
            continue
        if contract.provider_name in seen:
            detail = f"more than one pact with provider '{contract.provider_name}'; publish one per provider"
            errors.append(FieldError(detail=detail, pointer=f"{pointer}/providerName"))
            continue
        seen.add(contract.provider_name)
        try:
            document = check_document(
                decode_base64_pact(contract.content), consumer=contract.consumer_name, provider=contract.provider_name
            )
        except DocumentProblem as problem:
            errors.append(FieldError(detail=f"content {problem.detail}", pointer=f"{pointer}/content"))
            continue
        merge = contract.on_conflict == "merge"
        # Conflicts are reported under `contracts`, where Pact clients look for them.
        documents.append(
            DocumentToPublish(provider=contract.provider_name, document=document, merge=merge, pointer="/contracts")
        )
    if errors:
        raise InvalidInput("Some contracts can't be published; see `errors`.", errors=errors)
    return documents


async def publish_contracts(publisher: DocumentPublisher, data: ContractsPublish, *, replace: bool) -> PactsPublished:
    documents = _documents(data)
    mention = VersionMention(
        service=data.pacticipant_name,
        number=data.pacticipant_version_number,
        branch=data.branch,
        tags=tuple(data.tags),
        build_url=data.build_url,
    )
    existed = await publisher.version_exists(data.pacticipant_name, data.pacticipant_version_number)
    try:
        published = await publisher.publish(mention, documents, replace=replace)
    except DocumentsRefused as refused:
        raise _conflict(refused) from None
    return PactsPublished(
        consumer=data.pacticipant_name,
        consumer_version=data.pacticipant_version_number,
        branch=data.branch,
        tags=list(data.tags),
        version_existed=existed,
        pacts=published,
    )


async def publish_pact(
    publisher: DocumentPublisher,
    *,
    consumer: str,
    consumer_version: str,
    provider: str,
    document: dict[str, Any],
    merge: bool,
    replace: bool,
) -> PublishedDocument:
    """PUT (merge=False) or PATCH (merge=True) of one pact."""
    try:
        checked = check_document(document, consumer=consumer, provider=provider)
    except DocumentProblem as problem:
        raise InvalidInput(
            problem.detail, errors=[FieldError(detail=problem.detail, pointer=problem.pointer or "/")]
        ) from None
    item = DocumentToPublish(provider=provider, document=checked, merge=merge, pointer="/")
    try:
        published = await publisher.publish(
            VersionMention(service=consumer, number=consumer_version), [item], replace=replace
        )
    except DocumentsRefused as refused:
        raise _conflict(refused) from None
    return published[0]
