"""The HAL index: every relation a Pact client looks up, as a (templated) link."""

from __future__ import annotations

from typing import Any

from accord.pact.links import Link, Links

# (relation, path template, title). Clients look relations up by name, so the names are the contract.
_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("pb:publish-contracts", "/contracts/publish", "Publish contracts"),
    ("pb:publish-pact", "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}",
     "Publish a pact"),
    ("pb:latest-pact-versions", "/pacts/latest", "Latest pact versions"),
    ("pb:pacticipants", "/pacticipants", "Pacticipants"),
    ("pb:pacticipant", "/pacticipants/{pacticipant}", "Fetch pacticipant by name"),
    ("pb:pacticipant-version", "/pacticipants/{pacticipant}/versions/{version}", "Get, create or delete a version"),
    ("pb:pacticipant-version-tag", "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}", "Tag a version"),
    ("pb:pacticipant-branch-version", "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
     "Add a version to a branch"),
    ("pb:pacticipant-branch", "/pacticipants/{pacticipant}/branches/{branch}", "Get or delete a branch"),
    ("pb:latest-version", "/pacticipants/{pacticipant}/latest-version", "Latest version"),
    ("pb:latest-tagged-version", "/pacticipants/{pacticipant}/latest-version/{tag}", "Latest version with tag"),
    ("pb:latest-provider-pacts", "/pacts/provider/{provider}/latest", "Latest pacts by provider"),
    ("pb:latest-provider-pacts-with-tag", "/pacts/provider/{provider}/latest/{tag}", "Latest pacts with tag"),
    ("pb:latest-provider-pacts-with-branch", "/pacts/provider/{provider}/branch/{branch}/latest",
     "Latest pacts from a branch"),
    ("pb:latest-provider-pacts-with-main-branch", "/pacts/provider/{provider}/branch/latest",
     "Latest pacts from the main branch"),
    ("pb:provider-pacts", "/pacts/provider/{provider}", "All pacts by provider"),
    ("pb:provider-pacts-with-tag", "/pacts/provider/{provider}/tag/{tag}", "Pacts by provider with tag"),
    ("pb:provider-pacts-for-verification", "/pacts/provider/{provider}/for-verification", "Pacts to verify"),
    ("beta:provider-pacts-for-verification", "/pacts/provider/{provider}/for-verification", "Pacts to verify"),
    ("pb:environments", "/environments", "Environments"),
    ("pb:environment", "/environments/{uuid}", "Environment"),
    ("pb:can-i-deploy-pacticipant-version-to-environment",
     "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}",
     "Can a version be deployed to an environment"),
    ("pb:can-i-deploy-branch-to-environment",
     "/can-i-deploy?pacticipant={pacticipant}&branch={branch}&environment={environment}",
     "Can the head of a branch be deployed to an environment"),
    ("pb:matrix", "/matrix", "The matrix"),
    ("pb:webhooks", "/webhooks", "Webhooks"),
    ("pb:webhook", "/webhooks/{uuid}", "Webhook"),
    ("pb:integrations", "/integrations", "Integrations"),
    ("pb:dashboard", "/dashboard", "Dashboard"),
    ("pb:pacticipants-with-label", "/pacticipants/label/{label}", "Pacticipants with a label"),
)  # fmt: skip


def index_resource(links: Links) -> dict[str, Any]:
    body: dict[str, Any] = {"_links": {"self": Link(href=links.url(), title="Index")}}
    for relation, template, title in _TEMPLATES:
        templated = "{" in template
        body["_links"][relation] = Link(href=links.base + template, title=title, templated=templated or None)
    # `beta:` names the relations the broker still marks as beta (beta:provider-pacts-for-verification).
    body["_links"]["curies"] = [
        {"name": prefix, "href": links.base + "/doc/{rel}?context=index", "templated": True}
        for prefix in ("pb", "beta")
    ]
    return body
