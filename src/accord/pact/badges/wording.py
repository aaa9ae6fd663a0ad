"""What each badge says, worded as the broker's badges: the native answers (a pair's status, a matrix answer) as
label, status and colour. Badges always render (200): a name that doesn't exist shows as "unknown", like the
broker's badges, since a README can't show an error page."""

from __future__ import annotations

import re

from accord.matrix.answer import MatrixAnswer
from accord.matrix.contract_status import ContractStatus
from accord.pact.badges.svg import Badge, BadgeColor

_PACT_STATUS: dict[str, tuple[str, BadgeColor]] = {
    "verified": ("verified", "brightgreen"),
    "failed": ("failed", "red"),
    "changed": ("changed", "orange"),
    "unknown": ("unknown", "lightgrey"),
}
_SEPARATORS = re.compile(r"[\s_\-]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def _initials(name: str) -> str:
    parts = [part for part in _SEPARATORS.split(name) if part]
    if len(parts) == 1:
        parts = [part for part in _CAMEL.split(name) if part]
    return "".join(part[0] for part in parts) if len(parts) > 1 else name


def _pact_title(
    consumer: str,
    provider: str,
    *,
    label: str | None,
    initials: bool,
    consumer_tag: str | None,
    provider_tag: str | None,
) -> str:
    """As the broker titles it: `label=consumer|provider` picks one name, `initials=true` abbreviates."""

    def name(value: str, tag: str | None) -> str:
        shown = _initials(value) if initials else value
        return shown + (f" ({tag})" if tag else "")

    consumer_name, provider_name = name(consumer, consumer_tag), name(provider, provider_tag)
    chosen = (label or "").lower()
    title = (
        consumer_name
        if chosen == "consumer"
        else provider_name
        if chosen == "provider"
        else (f"{consumer_name}/{provider_name}")
    )
    return f"{title} pact".lower()


def deployability_badge(answer: MatrixAnswer, label: str) -> Badge:
    missing = (
        "pacticipant not found"
        if answer.unknown_services
        else "version not found"
        if answer.missing_versions
        else "environment not found"
        if answer.unknown_environment
        else None
    )
    if missing:
        return Badge(label=label, status="unknown", color="lightgrey", detail=missing)
    if answer.deployable is None:
        return Badge(label=label, status="unknown", color="lightgrey", detail="a verification is missing")
    if answer.deployable:
        return Badge(label=label, status="deployable", color="brightgreen")
    return Badge(label=label, status="not deployable", color="red")


def pact_badge(
    status: ContractStatus,
    consumer: str,
    provider: str,
    *,
    consumer_tag: str | None = None,
    provider_tag: str | None = None,
    label: str | None = None,
    initials: bool = False,
) -> Badge:
    """The verification status of the newest pact of the pair."""
    if status.status == "not-found":
        return Badge(label="pact not found", status="unknown", color="lightgrey")
    text, color = _PACT_STATUS[status.status]
    title = _pact_title(
        consumer, provider, label=label, initials=initials, consumer_tag=consumer_tag, provider_tag=provider_tag
    )
    return Badge(label=title, status=text, color=color)


def can_i_merge_badge(answer: MatrixAnswer, label: str | None) -> Badge:
    """The head of the main branch against the heads of the main branches of its integrations."""
    badge = deployability_badge(answer, label or "can-i-merge")
    if badge.status == "deployable":
        return Badge(label=badge.label, status="success", color="brightgreen")
    if badge.status == "not deployable":
        return Badge(label=badge.label, status="failed", color="red")
    if answer.missing_versions:
        return Badge(label=badge.label, status="unknown", color="lightgrey", detail="no main branch version")
    return badge
