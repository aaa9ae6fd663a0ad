"""The values of `${pactbroker.*}` / `${accord.*}` for one delivery of one event."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from accord.webhooks.context_repository import EventContextRepository, EventRow
from accord.webhooks.links import EventLinks

# The broker's names; every variable exists (empty when the event has no such thing), as in the broker.
NAMES = (
    "eventName", "consumerName", "providerName", "consumerVersionNumber", "providerVersionNumber",
    "consumerVersionBranch", "providerVersionBranch", "consumerVersionTags", "providerVersionTags",
    "consumerLabels", "providerLabels", "pactUrl", "verificationResultUrl", "githubVerificationStatus",
    "bitbucketVerificationStatus", "azureDevOpsVerificationStatus", "gitlabVerificationStatus", "buildUrl",
    "environmentName", "eventId", "deliveryId", "specSha",
)  # fmt: skip

_STATUS = {  # verification outcome -> each CI's commit status word
    None: ("pending", "INPROGRESS", "pending", "pending"),
    True: ("success", "SUCCESSFUL", "succeeded", "success"),
    False: ("failure", "FAILED", "failed", "failed"),
}


def _uuid(subject: dict[str, Any], key: str) -> UUID | None:
    value = subject.get(key)
    return UUID(value) if isinstance(value, str) else None


async def variables_for(
    context: EventContextRepository,
    event: EventRow,
    *,
    links: EventLinks,
    base_url: str,
    provider_version: UUID | None = None,
    delivery_id: UUID | None = None,
) -> dict[str, str]:
    subject = event.subject
    values = dict.fromkeys(NAMES, "")
    values.update(
        eventName=event.name,
        eventId=str(event.id),
        deliveryId=str(delivery_id or ""),
        consumerName=event.consumer or "",
        providerName=event.provider or "",
        specSha=subject.get("spec_sha") or "",
        consumerLabels=event.consumer_labels or "",
        providerLabels=event.provider_labels or "",
    )
    content = _uuid(subject, "content")
    consumer_version = _uuid(subject, "consumer_version")
    if content is not None and consumer_version is None:
        consumer_version = await context.latest_consumer_version_of(content)
    provider_version = provider_version or _uuid(subject, "provider_version")
    if event.name in ("deployment_recorded", "release_recorded"):
        # One service in both roles: its version fills both sides.
        consumer_version = provider_version = _uuid(subject, "version")
        environment = _uuid(subject, "environment")
        values["environmentName"] = (await context.environment_name(environment) or "") if environment else ""
    for side, version_id in (("consumer", consumer_version), ("provider", provider_version)):
        version = await context.version(version_id) if version_id else None
        if version is not None:
            values[f"{side}VersionNumber"] = version.number
            values[f"{side}VersionBranch"] = version.branch or ""
            values[f"{side}VersionTags"] = version.tags or ""
    success: bool | None = None
    verification = _uuid(subject, "verification")
    sha = await context.content_sha(content) if content else None
    if sha and event.consumer and event.provider:
        pair = {"provider": event.provider, "consumer": event.consumer, "sha": sha}
        values["pactUrl"] = links.contract_url(base_url, **pair)
        if verification is not None:
            values["verificationResultUrl"] = links.verification_result_url(base_url, **pair, result=str(verification))
    if verification is not None:
        result = await context.verification(verification)
        if result is not None:
            success = result.success
            values["buildUrl"] = result.build_url or ""
    github, bitbucket, azure, gitlab = _STATUS[success]
    values.update(
        githubVerificationStatus=github,
        bitbucketVerificationStatus=bitbucket,
        azureDevOpsVerificationStatus=azure,
        gitlabVerificationStatus=gitlab,
    )
    return values
