"""One tenant's small Pact world, made through the Pact API only: a consumer version (branch, tag, label) with a
pact, a provider version that verified it, an environment with a deployment and a release, and a webhook. The
contract tests and the Accept tests read every Pact resource from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tests.test_pact_publish import contract, pact_v2, publication


@dataclass(frozen=True)
class PactWorld:
    sha: str
    metadata: str
    environment_uuid: str
    deployment_uuid: str
    release_uuid: str
    webhook_uuid: str
    result: str

    def path_values(self) -> dict[str, str]:
        """A value for every path parameter of the Pact routes, naming something that exists."""
        return {
            "pacticipant": "web",
            "consumer": "web",
            "provider": "api",
            "version": "1",
            "tag": "prod",
            "provider_tag": "prod",
            "to": "production",
            "branch": "main",
            "rest": "main",
            "label": "team",
            "environment": "production",
            "sha": self.sha,
            "metadata": self.metadata,
            "environment_uuid": self.environment_uuid,
            "deployment_uuid": self.deployment_uuid,
            "release_uuid": self.release_uuid,
            "webhook_uuid": self.webhook_uuid,
            "result": self.result,
        }


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code in (status, 201), response.text
    return response.json()


def make_pact_world(client: Any, headers: dict[str, str]) -> PactWorld:
    body = publication(contract(pact_v2()), version="1", branch="main", tags=["prod"])
    _ok(client.post("/contracts/publish", json=body, headers=headers))
    _ok(client.put("/pacticipants/web/labels/team", headers=headers))
    pact = _ok(client.get("/pacts/provider/api/consumer/web/latest", headers=headers))
    verification = {
        "success": True,
        "providerApplicationVersion": "2",
        "providerVersionBranch": "main",
        "providerVersionTags": ["prod"],
    }
    verified = _ok(
        client.post(pact["_links"]["pb:publish-verification-results"]["href"], json=verification, headers=headers)
    )
    environment = _ok(client.post("/environments", json={"name": "production", "production": True}, headers=headers))
    env = environment["uuid"]
    deployed = _ok(
        client.post(f"/pacticipants/web/versions/1/deployed-versions/environment/{env}", json={}, headers=headers)
    )
    released = _ok(
        client.post(f"/pacticipants/api/versions/2/released-versions/environment/{env}", json={}, headers=headers)
    )
    webhook = {
        "events": [{"name": "contract_published"}],
        "consumer": {"name": "web"},
        "provider": {"name": "api"},
        "request": {"method": "POST", "url": "https://hooks.example.com/pact"},
    }
    hook = _ok(client.post("/webhooks", json=webhook, headers=headers))
    found = _ok(client.post("/pacts/provider/api/for-verification", json={}, headers=headers))
    # The pact's URL for verification carries its metadata segment: .../pact-version/{sha}/metadata/{metadata}
    pact_path = urlsplit(found["_embedded"]["pacts"][0]["_links"]["self"]["href"]).path
    return PactWorld(
        sha=pact["_links"]["pb:pact-version"]["name"],
        metadata=pact_path.rsplit("/metadata/", 1)[1],
        environment_uuid=env,
        deployment_uuid=deployed["uuid"],
        release_uuid=released["uuid"],
        webhook_uuid=hook["_links"]["self"]["href"].rsplit("/", 1)[1],
        result=verified["_links"]["self"]["href"].rsplit("/", 1)[1],
    )
