"""Contract tests: the main Pact HAL resources against the field names, types and link relations the Pact Broker
documents. The expected shapes are written from the broker's decorators (pact_broker lib/pact_broker/api/
decorators/*.rb, resources/index.rb, read at fd6e5b6 of August 2026), not from Accord's output: a field or
relation Accord drops or renames fails here. Relations to broker features Accord doesn't have are listed with
the reason, and must then be absent (never sent as links that 404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.pact_world import PactWorld, make_pact_world

NONE = type(None)
LINK = dict  # {"href": ..., "title"?: ..., "name"?: ..., "templated"?: ...}
LINKS = list


@dataclass(frozen=True)
class Shape:
    """Fields that must be present with one of their types, fields that may be absent (the broker leaves out
    nil properties), link relations that must be present (a dict, or a list of them), and nested shapes."""

    fields: dict[str, Any] = field(default_factory=dict)
    optional: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)
    nested: dict[str, Shape] = field(default_factory=dict)
    items: dict[str, Shape] = field(default_factory=dict)  # a list field whose every element has the shape


def check(body: Any, shape: Shape, where: str) -> None:
    assert isinstance(body, dict), f"{where}: {body!r}"
    for name, kind in shape.fields.items():
        assert name in body, f"{where}: no `{name}` in {sorted(body)}"
        assert isinstance(body[name], kind), f"{where}.{name}: {body[name]!r} is not {kind}"
    for name, kind in shape.optional.items():
        if name in body:
            assert isinstance(body[name], kind), f"{where}.{name}: {body[name]!r} is not {kind}"
    links = body.get("_links", {})
    for rel, kind in shape.links.items():
        assert rel in links, f"{where}: no `{rel}` relation in {sorted(links)}"
        link = links[rel]
        assert isinstance(link, kind), f"{where}._links.{rel}: {link!r}"
        for one in link if isinstance(link, list) else [link]:
            assert isinstance(one.get("href"), str), f"{where}: {rel} {one!r}"
            assert one["href"].startswith("http"), f"{where}: {rel} {one!r}"
    for name, inner in shape.nested.items():
        if body.get(name) is not None:
            check(body[name], inner, f"{where}.{name}")
    for name, inner in shape.items.items():
        for index, item in enumerate(body[name]):
            check(item, inner, f"{where}.{name}[{index}]")


TAG = Shape(fields={"name": str}, links={"self": LINK})
PACTICIPANT_REF = Shape(fields={"name": str}, links={"self": LINK})

# PacticipantDecorator
PACTICIPANT = Shape(
    fields={"name": str, "displayName": str, "createdAt": str, "_embedded": dict},
    optional={
        "repositoryUrl": str,
        "repositoryName": str,
        "repositoryNamespace": str,
        "mainBranch": str,
        "updatedAt": str,
    },
    links={
        "self": LINK,
        "pb:versions": LINK,
        "pb:branches": LINK,
        "pb:version": LINK,
        "pb:version-tag": LINK,
        "pb:branch-version": LINK,
        "pb:label": LINK,
        "versions": LINK,
        "pb:can-i-deploy-badge": LINK,
        "pb:can-i-deploy-branch-to-environment-badge": LINK,
        "pb:deployed-environments": LINKS,
    },
    nested={
        "_embedded": Shape(
            fields={"labels": list},
            optional={"latestVersion": dict, "latest-version": dict},
            nested={
                "latestVersion": Shape(fields={"number": str}, links={"self": LINK}),
                "latest-version": Shape(fields={"number": str}, links={"self": LINK}),
            },
        )
    },
)

BRANCH_VERSION = Shape(fields={"name": str, "latest": bool}, links={"self": LINK})

# VersionDecorator
VERSION = Shape(
    fields={"number": str, "createdAt": str, "_embedded": dict},
    optional={"buildUrl": str, "updatedAt": str},
    links={
        "self": LINK,
        "pb:pacticipant": LINK,
        "pb:tag": LINK,
        "pb:pact-versions": LINKS,
        "pb:deployed-environments": LINKS,
        "pb:released-environments": LINKS,
        "pb:record-deployment": LINKS,
        "pb:record-release": LINKS,
    },
    nested={
        "_embedded": Shape(
            fields={"branches": list, "branchVersions": list, "tags": list},
            items={"branches": BRANCH_VERSION, "branchVersions": BRANCH_VERSION, "tags": TAG},
        )
    },
)

# PactDecorator: the pact document itself, with the broker's createdAt and links merged in.
PACT = Shape(
    fields={"consumer": dict, "provider": dict, "interactions": list, "metadata": dict, "createdAt": str},
    links={
        "self": LINK,
        "pb:consumer": LINK,
        "pb:consumer-version": LINK,
        "pb:provider": LINK,
        "pb:pact-version": LINK,
        "pb:latest-pact-version": LINK,
        "pb:latest-tagged-pact-version": LINK,
        "pb:pact-webhooks": LINK,
        "pb:tag-prod-version": LINK,
        "pb:tag-version": LINK,
        "pb:publish-verification-results": LINK,
        "pb:latest-verification-results": LINK,
        "pb:matrix-for-consumer-version": LINK,
    },
    nested={"consumer": Shape(fields={"name": str}), "provider": Shape(fields={"name": str})},
)

# Not served, so not linked: the list of every pact version (`pb:all-pact-versions`), the latest untagged pact,
# a consumer's webhooks, diffs, and triggered webhooks. `pb:consumer-versions` (the consumer versions sharing
# the content) is one the broker sends only on the content permalink, and Accord not yet.
NOT_SERVED_PACT_RELATIONS = (
    "pb:all-pact-versions",
    "pb:consumer-versions",
    "pb:latest-untagged-pact-version",
    "pb:consumer-webhooks",
    "pb:previous-distinct",
    "pb:diff-previous-distinct",
    "pb:diff",
    "pb:triggered-webhooks",
)

# VerificationDecorator
VERIFICATION_RESULT = Shape(
    fields={
        "providerName": str,
        "providerApplicationVersion": str,
        "success": bool,
        "verificationDate": str,
        "verifiedBy": dict,
    },
    optional={"buildUrl": str, "testResults": list},
    links={"self": LINK, "pb:pact-version": LINK},
)

# MatrixDecorator
# Known gaps, sent by the broker and not yet by Accord: the `environments` a version is deployed or released to,
# and the `latest` flags of its branch versions and tags (optional below until they are).
MATRIX_TAG = Shape(fields={"name": str}, optional={"latest": bool}, links={"self": LINK})
MATRIX_VERSION = Shape(
    fields={"number": str, "branches": list, "branchVersions": list, "tags": list},
    optional={"branch": (str, NONE)},
    links={"self": LINK},
    items={
        "branches": Shape(fields={"name": str}, optional={"latest": bool}, links={"self": LINK}),
        "branchVersions": Shape(fields={"name": str}, optional={"latest": bool}, links={"self": LINK}),
        "tags": MATRIX_TAG,
    },
)
MATRIX = Shape(
    fields={"summary": dict, "notices": list, "matrix": list},
    nested={
        "summary": Shape(
            fields={"deployable": (bool, NONE), "reason": str, "success": int, "failed": int, "unknown": int}
        )
    },
    items={
        "matrix": Shape(
            fields={"consumer": dict, "provider": dict, "pact": dict, "verificationResult": (dict, NONE)},
            nested={
                "consumer": Shape(
                    fields={"name": str, "version": dict}, links={"self": LINK}, nested={"version": MATRIX_VERSION}
                ),
                "provider": Shape(
                    fields={"name": str, "version": (dict, NONE)},
                    links={"self": LINK},
                    nested={"version": MATRIX_VERSION},
                ),
                "pact": Shape(fields={"createdAt": str}, links={"self": LINK}),
                "verificationResult": Shape(fields={"success": bool, "verifiedAt": str}, links={"self": LINK}),
            },
        ),
        "notices": Shape(fields={"type": str, "text": str}),
    },
)

# EnvironmentDecorator
ENVIRONMENT = Shape(
    fields={"uuid": str, "name": str, "displayName": str, "production": bool, "createdAt": str},
    optional={"contacts": list, "updatedAt": str},
    links={
        "self": LINK,
        "pb:currently-deployed-deployed-versions": LINK,
        "pb:currently-supported-released-versions": LINK,
        "pb:environments": LINK,
    },
)

# DeployedVersionDecorator (`target` is deprecated but still sent when set: older clients read it)
DEPLOYED_VERSION = Shape(
    fields={
        "uuid": str,
        "currentlyDeployed": bool,
        "createdAt": str,
        "_embedded": dict,
    },
    # Left out while nil, as the broker leaves out every nil property.
    optional={"target": str, "applicationInstance": str, "undeployedAt": str},
    links={"self": LINK},
    nested={
        "_embedded": Shape(
            fields={"pacticipant": dict, "version": dict, "environment": dict},
            nested={
                "pacticipant": PACTICIPANT_REF,
                "version": Shape(fields={"number": str}, links={"self": LINK}),
                "environment": Shape(fields={"uuid": str, "name": str}, links={"self": LINK}),
            },
        )
    },
)

# IntegrationsDecorator / IntegrationDecorator. Not served, so not linked: `pb:dashboard` (a dashboard of one
# integration), `pb:group` (groups) and `pb:delete_integration` (deleting integrations).
INTEGRATIONS = Shape(
    fields={"_embedded": dict},
    links={"self": LINK},
    nested={
        "_embedded": Shape(
            fields={"integrations": list},
            items={
                "integrations": Shape(
                    fields={"consumer": dict, "provider": dict},
                    links={"pb:matrix": LINK},
                    nested={"consumer": Shape(fields={"name": str}), "provider": Shape(fields={"name": str})},
                )
            },
        )
    },
)
NOT_SERVED_INTEGRATION_RELATIONS = ("pb:dashboard", "pb:group", "pb:delete_integration")

# DashboardDecorator. Not served, so not linked: `pb:webhook-status` (the webhooks status resource).
DASHBOARD_VERSION = Shape(fields={"number": str, "branch": (str, NONE), "headBranchNames": list})
DASHBOARD_TAG = Shape(fields={"name": str, "latest": bool}, links={"self": LINK})
DASHBOARD = Shape(
    fields={"items": list},
    items={
        "items": Shape(
            fields={
                "consumer": dict,
                "provider": dict,
                "pact": dict,
                "pactTags": list,
                "latestVerificationResult": (dict, NONE),
                "latestVerificationResultTags": list,
                "verificationStatus": str,
                "webhookStatus": str,
                "latestWebhookExecution": (dict, NONE),
            },
            nested={
                "consumer": Shape(
                    fields={"name": str, "version": dict}, links={"self": LINK}, nested={"version": DASHBOARD_VERSION}
                ),
                "provider": Shape(
                    fields={"name": str, "version": (dict, NONE)},
                    links={"self": LINK},
                    nested={"version": DASHBOARD_VERSION},
                ),
                "pact": Shape(fields={"createdAt": str}, links={"self": LINK}),
                "latestVerificationResult": Shape(fields={"success": bool, "verifiedAt": str}, links={"self": LINK}),
                "latestWebhookExecution": Shape(fields={"triggeredAt": str}),
            },
            items={"pactTags": DASHBOARD_TAG, "latestVerificationResultTags": DASHBOARD_TAG},
        )
    },
)

# resources/index.rb. Not served, so not linked: `pb:metrics` (broker-wide row counts), the lists of pact
# versions by tag or branch (Accord serves the latest ones), and can-i-deploy `to` a tag (Accord's
# /can-i-deploy takes an environment).
NOT_SERVED_INDEX_RELATIONS = (
    "pb:metrics",
    "pb:tagged-pact-versions",
    "pb:branch-pact-versions",
    "pb:latest-branch-pact-versions",
    "pb:latest-main-branch-pact-versions",
    "pb:main-branch-pact-versions",
    "pb:provider-pacts-with-branch",
    "pb:provider-pacts-with-main-branch",
    "pb:can-i-deploy-pacticipant-version-to-tag",
)
INDEX = Shape(
    links=dict.fromkeys(
        (
            "self",
            "pb:publish-contracts",
            "pb:latest-pact-versions",
            "pb:publish-pact",
            "pb:pacticipants",
            "pb:pacticipant",
            "pb:latest-provider-pacts",
            "pb:latest-provider-pacts-with-tag",
            "pb:latest-provider-pacts-with-branch",
            "pb:latest-provider-pacts-with-main-branch",
            "pb:provider-pacts-with-tag",
            "pb:provider-pacts",
            "pb:latest-version",
            "pb:latest-tagged-version",
            "pb:webhooks",
            "pb:webhook",
            "pb:integrations",
            "pb:pacticipant-version-tag",
            "pb:pacticipant-branch",
            "pb:pacticipant-branch-version",
            "pb:pacticipant-version",
            "pb:provider-pacts-for-verification",
            "beta:provider-pacts-for-verification",
            "pb:can-i-deploy-pacticipant-version-to-environment",
        ),
        LINK,
    )
    | {"curies": LINKS}
)


@pytest.fixture
def world(client: Any, tenant_a: Any) -> PactWorld:
    return make_pact_world(client, tenant_a.headers())


def resources(world: PactWorld) -> dict[str, tuple[str, Shape]]:
    matrix = "/matrix?q[][pacticipant]=web&q[][version]=1&q[][pacticipant]=api&latestby=cvpv"
    return {
        "index": ("/", INDEX),
        "pacticipant": ("/pacticipants/web", PACTICIPANT),
        "version": ("/pacticipants/web/versions/1", VERSION),
        "pact": ("/pacts/provider/api/consumer/web/version/1", PACT),
        "verification result": (
            f"/pacts/provider/api/consumer/web/pact-version/{world.sha}/verification-results/{world.result}",
            VERIFICATION_RESULT,
        ),
        "matrix": (matrix, MATRIX),
        "environment": (f"/environments/{world.environment_uuid}", ENVIRONMENT),
        "deployed version": (f"/deployed-versions/{world.deployment_uuid}", DEPLOYED_VERSION),
        "integrations": ("/integrations", INTEGRATIONS),
        "dashboard": ("/dashboard", DASHBOARD),
    }


@pytest.mark.parametrize(
    "name",
    [
        "index",
        "pacticipant",
        "version",
        "pact",
        "verification result",
        "matrix",
        "environment",
        "deployed version",
        "integrations",
        "dashboard",
    ],
)
def test_resource_has_the_brokers_shape(client: Any, tenant_a: Any, world: PactWorld, name: str) -> None:
    path, shape = resources(world)[name]
    response = client.get(path, headers=tenant_a.headers(tenant_a.read_key))
    assert response.status_code == 200, response.text
    check(response.json(), shape, name)


def test_collections_embed_their_items_in_the_brokers_shapes(client: Any, tenant_a: Any, world: PactWorld) -> None:
    h = tenant_a.headers(tenant_a.read_key)
    pacticipants = client.get("/pacticipants", headers=h).json()
    for item in pacticipants["_embedded"]["pacticipants"]:
        check(
            item, Shape(fields=PACTICIPANT.fields, optional=PACTICIPANT.optional, links={"self": LINK}), "pacticipants"
        )
    versions = client.get("/pacticipants/web/versions", headers=h).json()
    check(versions, Shape(links={"self": LINK, "pb:pacticipant": LINK, "pb:versions": LINKS}), "versions")
    for item in versions["_embedded"]["versions"]:
        check(item, Shape(fields={"number": str, "createdAt": str}, links={"self": LINK}), "versions")
    environments = client.get("/environments", headers=h).json()
    for item in environments["_embedded"]["environments"]:
        check(item, ENVIRONMENT, "environments")


def test_what_the_dashboard_knows_of_a_verified_pair(client: Any, tenant_a: Any, world: PactWorld) -> None:
    """The values, not only the types: the world's consumer version is on main and tagged prod, and so is the
    provider version that verified it."""
    item = client.get("/dashboard", headers=tenant_a.headers()).json()["items"][0]
    assert item["consumer"]["version"] | {"_links": None} == {
        "number": "1",
        "branch": "main",
        "headBranchNames": ["main"],
        "_links": None,
    }
    assert item["provider"]["version"]["headBranchNames"] == ["main"]
    assert [(t["name"], t["latest"]) for t in item["pactTags"]] == [("prod", True)]
    assert [(t["name"], t["latest"]) for t in item["latestVerificationResultTags"]] == [("prod", True)]
    assert item["latestVerificationResult"]["success"] is True
    assert (
        client.get(item["latestVerificationResult"]["_links"]["self"]["href"], headers=tenant_a.headers()).status_code
        == 200
    )
    assert client.get(item["pact"]["_links"]["self"]["href"], headers=tenant_a.headers()).status_code == 200
    assert (item["verificationStatus"], item["webhookStatus"]) == ("success", "not_run")
    assert item["latestWebhookExecution"] is None


def test_relations_accord_does_not_serve_are_absent(client: Any, tenant_a: Any, world: PactWorld) -> None:
    h = tenant_a.headers()
    integration = client.get("/integrations", headers=h).json()["_embedded"]["integrations"][0]
    assert not set(NOT_SERVED_INTEGRATION_RELATIONS) & set(integration["_links"])
    assert "pb:webhook-status" not in client.get("/dashboard", headers=h).json()["items"][0]["_links"]
    assert not set(NOT_SERVED_INDEX_RELATIONS) & set(client.get("/", headers=h).json()["_links"])
    pact = client.get("/pacts/provider/api/consumer/web/version/1", headers=h).json()
    assert not set(NOT_SERVED_PACT_RELATIONS) & set(pact["_links"])
