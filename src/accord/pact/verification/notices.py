"""What verifiers print about each pact for verification: why it is verified, whether it is pending, and what
publishing the result will do. The wording follows the Pact Broker's, which users and docs know."""

from __future__ import annotations

from collections.abc import Sequence

from accord.verification.selection import SelectedContract, Selection

READ_MORE_PENDING = "Read more at https://docs.pact.io/go/pending"
READ_MORE_WIP = "Read more at https://docs.pact.io/go/wip"


def _join(words: Sequence[str], quote: bool = True) -> str:
    items = [f"'{word}'" if quote else word for word in words]
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def short_description(selection: Selection) -> str:
    """Concise: Pact Go names its test cases with these."""
    selector = selection.selector
    fallback_used = selector.fallback is not None and selection.label == selector.fallback
    match selector.kind:
        case "main":
            return "latest from main branch"
        case "branch":
            return f"latest from branch {selector.fallback if fallback_used else selector.value}"
        case "tag-latest":
            return f"latest with tag {selector.fallback if fallback_used else selector.value}"
        case "tag-all":
            return f"one of {selector.consumer} {selector.value}" if selector.consumer else f"one of {selector.value}"
        case "deployed":
            return f"deployed to {selection.environment}"
        case "released":
            return f"released in {selection.environment}"
        case _:
            return "latest"


def _description(selection: Selection, provider: str) -> str:
    selector = selection.selector
    version = f"version of {selector.consumer}" if selector.consumer else "version"
    fallback_used = selector.fallback is not None and selection.label == selector.fallback
    match selector.kind:
        case "main":
            text = f"latest {version} from the main branch '{selection.label}'"
        case "branch" if fallback_used:
            text = (
                f"latest {version} from branch '{selector.fallback}' (fallback branch used as no pact was found "
                f"from branch '{selector.value}')"
            )
        case "branch":
            text = f"latest {version} from branch '{selector.value}'"
        case "tag-latest" if fallback_used:
            text = (
                f"latest {version} tagged '{selector.fallback}' (fallback tag used as no pact was found with tag "
                f"'{selector.value}')"
            )
        case "tag-latest":
            text = f"latest {version} tagged '{selector.value}'"
        case "tag-all":
            who = f"{selector.consumer} versions" if selector.consumer else "consumer versions"
            text = f"all {who} tagged '{selector.value}'"
        case "deployed":
            who = f"version(s) of {selector.consumer}" if selector.consumer else "consumer version(s)"
            text = f"{who} currently deployed to {selection.environment}"
        case "released":
            who = f"version(s) of {selector.consumer}" if selector.consumer else "consumer version(s)"
            text = f"{who} released and supported in {selection.environment}"
        case _:
            text = f"latest version of {selector.consumer or 'a consumer'} that has a pact with {provider}"
    return f"{text} ({selection.consumer_version})"


def short_descriptions(pact: SelectedContract) -> str:
    if pact.wip:
        return ", ".join(
            f"latest {'from branch' if via == 'branch' else 'with tag'} {name}" for via, name in pact.wip_labels
        )
    return ", ".join(dict.fromkeys(short_description(selection) for selection in pact.selections))


def _pending_for(pact: SelectedContract, provider_branch: str | None, any_or_a: str = "any") -> str:
    if provider_branch:
        return f"{any_or_a} version of {pact.provider} from branch '{provider_branch}'"
    if not pact.pending_tags:
        return pact.provider
    if len(pact.pending_tags) == 1:
        return f"{any_or_a} version of {pact.provider} with tag '{pact.pending_tags[0]}'"
    return f"{any_or_a} versions of {pact.provider} with tag {_join(pact.pending_tags)}"


def _verified_by(pact: SelectedContract, provider_branch: str | None) -> str:
    if provider_branch:
        return f"a version of {pact.provider} from branch '{provider_branch}'"
    if not pact.non_pending_tags:
        return pact.provider
    if len(pact.non_pending_tags) == 1:
        return f"a version of {pact.provider} with tag '{pact.non_pending_tags[0]}'"
    return f"a version of {pact.provider} with tag {_join(pact.non_pending_tags)}"


def _with_these_tags(pact: SelectedContract) -> str:
    return {0: "", 1: "with this tag "}.get(len(pact.pending_tags), "with these tags ")


def inclusion_reason(pact: SelectedContract, url: str, provider_branch: str | None) -> str:
    if pact.wip:
        branches = [name for via, name in pact.wip_labels if via == "branch"]
        tags = [name for via, name in pact.wip_labels if via == "tag"]
        parts = []
        if branches:
            parts.append(f"from {'branch' if len(branches) == 1 else 'branches'} {_join(branches)}")
        if tags:
            parts.append(f"tagged with {_join(tags)}")
        same = {1: "", 2: " (both have the same content)"}.get(len(pact.wip_labels), " (all have the same content)")
        versions = "version" if len(pact.wip_labels) == 1 else "versions"
        return (
            f"The pact at {url} is being verified because it is a 'work in progress' pact (ie. it is the pact for "
            f"the latest {versions} of {pact.consumer} {' and '.join(parts)}{same} and it has not yet been "
            f"successfully verified by {_pending_for(pact, provider_branch, 'a')} when the pact's application "
            f"version was explicitly specified in the consumer version selectors). {READ_MORE_WIP}"
        )
    count = len(pact.selections)
    versions = "the consumer version" if count == 1 else "the consumer versions"
    criteria = "criterion" if count == 1 else "criteria"
    described = "\n".join(f"    * {_description(selection, pact.provider)}" for selection in pact.selections)
    return (
        f"The pact at {url} is being verified because the pact content belongs to {versions} matching the "
        f"following {criteria}:\n{described}"
    )


def pending_reason(pact: SelectedContract, provider_branch: str | None) -> str:
    if pact.pending and pact.wip:
        return (
            f"This pact is in pending state for this version of {pact.provider} because it was included as a "
            f"'work in progress' pact. If this verification fails, it will not cause the overall build to fail. "
            f"{READ_MORE_PENDING}"
        )
    if pact.pending:
        return (
            f"This pact is in pending state for this version of {pact.provider} because a successful verification "
            f"result for {_pending_for(pact, provider_branch, 'a')} has not yet been published. If this "
            f"verification fails, it will not cause the overall build to fail. {READ_MORE_PENDING}"
        )
    return (
        f"This pact has previously been successfully verified by {_verified_by(pact, provider_branch)}. If this "
        f"verification fails, it will fail the build. {READ_MORE_PENDING}"
    )


def notices(
    pact: SelectedContract, url: str, provider_branch: str | None, *, pending_status: bool
) -> list[dict[str, str]]:
    found = [{"when": "before_verification", "text": inclusion_reason(pact, url, provider_branch)}]
    if not pending_status:
        return found
    found.append({"when": "before_verification", "text": pending_reason(pact, provider_branch)})
    if pact.pending:
        who, tags = _pending_for(pact, provider_branch), _with_these_tags(pact)
        still_pending = (
            f"This pact is still in pending state for {who} as a successful verification result {tags}has not yet "
            "been published"
        )
        no_longer_pending = (
            f"This pact is no longer in pending state for {who}, as a successful verification result {tags}has been "
            f"published. If a verification for a version of {pact.provider} {tags}fails in the future, it will fail "
            f"the build. {READ_MORE_PENDING}"
        )
        unpublished_success = (
            f"This pact is still in pending state for {who} as the successful verification results {tags}have not "
            "yet been published."
        )
        found += [
            {"when": "after_verification:success_true_published_false", "text": unpublished_success},
            {"when": "after_verification:success_false_published_false", "text": still_pending},
            {"when": "after_verification:success_true_published_true", "text": no_longer_pending},
            {"when": "after_verification:success_false_published_true", "text": still_pending},
        ]
    return found
