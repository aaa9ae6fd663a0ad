"""Pact API: pacticipants, versions, branches and tags — HAL shapes and broker semantics through HTTP, the real
`pact broker` CLI against a live server, Pact-shaped errors, isolation and races."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from accord.catalog.directory import ServiceDirectory
from accord.catalog.schemas import ServiceFields
from accord.catalog.version_history import VersionHistory
from accord.catalog.version_labels import VersionLabels

PACT = str(Path(sys.executable).parent / "pact")
BASE = "http://testserver.local"


def hal_get(client: Any, path: str, headers: dict[str, str], status: int = 200) -> dict[str, Any]:
    response = client.get(path, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/hal+json")
    body: dict[str, Any] = response.json()
    return body


class TestPacticipants:
    def test_post_creates_then_returns_the_existing_one_unchanged(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers(tenant_a.write_key)
        body = {"name": "order-api", "repositoryUrl": "git@github.com:acme/order.git", "mainBranch": "trunk"}
        created = client.post("/pacticipants", json=body, headers=h)
        assert created.status_code == 201, created.text
        resource = created.json()
        assert resource["name"] == "order-api"
        assert resource["displayName"] == "Order Api"  # generated like the broker's
        assert resource["repositoryUrl"] == "git@github.com:acme/order.git"
        assert resource["mainBranch"] == "trunk"
        assert resource["createdAt"].endswith("+00:00")
        again = client.post("/pacticipants", json={"name": "order-api", "displayName": "Other"}, headers=h)
        assert again.status_code == 200
        assert again.json()["displayName"] == "Order Api"
        native = client.get("/api/services/order-api", headers=h).json()
        assert native["repository_url"] == "git@github.com:acme/order.git"
        assert native["display_name"] is None

    def test_resource_links_and_embedded_latest_version(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.put("/pacticipants/web/versions/1", json={}, headers=h)
        client.put("/pacticipants/web/versions/2", json={}, headers=h)
        resource = hal_get(client, "/pacticipants/web", tenant_a.headers(tenant_a.read_key))
        links = resource["_links"]
        assert links["self"]["href"] == f"{BASE}/pacticipants/web"
        assert links["pb:versions"]["href"] == f"{BASE}/pacticipants/web/versions"
        assert links["pb:latest-version"]["href"] == f"{BASE}/pacticipants/web/latest-version"
        assert links["pb:branches"]["href"] == f"{BASE}/pacticipants/web/branches"
        assert links["pb:version"] == {
            "href": f"{BASE}/pacticipants/web/versions/{{version}}",
            "title": "Get, create or delete a pacticipant version",
            "templated": True,
        }
        assert links["pb:version-tag"]["href"] == f"{BASE}/pacticipants/web/versions/{{version}}/tags/{{tag}}"
        assert links["pb:branch-version"]["href"].endswith("/pacticipants/web/branches/{branch}/versions/{version}")
        assert links["pb:deployed-environments"] == []
        assert links["pb:can-i-deploy-badge"]["href"] == (
            f"{BASE}/pacticipants/web/latest-version/{{tag}}/can-i-deploy/to/{{environmentTag}}/badge"
        )
        assert links["pb:can-i-deploy-branch-to-environment-badge"]["templated"] is True
        assert links["curies"][0]["name"] == "pb"
        assert resource["_embedded"]["latestVersion"]["number"] == "2"
        assert resource["_embedded"]["latestVersion"]["_links"]["self"]["href"] == f"{BASE}/pacticipants/web/versions/2"
        assert "repositoryUrl" not in resource  # unset fields are left out, as the broker does

    def test_main_branch_is_detected_when_not_set(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.put("/pacticipants/web/branches/feature-x/versions/1", headers=h)
        assert "mainBranch" not in hal_get(client, "/pacticipants/web", h)
        client.put("/pacticipants/web/branches/master/versions/1", headers=h)
        assert hal_get(client, "/pacticipants/web", h)["mainBranch"] == "master"
        client.patch("/pacticipants/web", json={"mainBranch": "feature-x"}, headers=h)
        assert hal_get(client, "/pacticipants/web", h)["mainBranch"] == "feature-x"

    def test_put_replaces_and_patch_merges_or_creates(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        missing = client.put("/pacticipants/web", json={"displayName": "Web"}, headers=h)
        assert missing.status_code == 404
        created = client.patch(
            "/pacticipants/web",
            json={"displayName": "Web", "repositoryUrl": "https://git/web"},
            headers={**h, "Content-Type": "application/merge-patch+json"},
        )
        assert created.status_code == 201, created.text
        merged = client.patch("/pacticipants/web", json={"mainBranch": "main"}, headers=h)
        assert merged.status_code == 200
        assert (merged.json()["displayName"], merged.json()["repositoryUrl"]) == ("Web", "https://git/web")
        cleared = client.patch("/pacticipants/web", json={"repositoryUrl": None}, headers=h).json()
        assert "repositoryUrl" not in cleared
        replaced = client.put("/pacticipants/web", json={"name": "web", "repositoryUrl": "https://x"}, headers=h)
        assert replaced.status_code == 200
        native = client.get("/api/services/web", headers=h).json()
        assert (native["display_name"], native["repository_url"], native["main_branch"]) == (None, "https://x", None)

    def test_delete_removes_everything_of_it(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.put("/pacticipants/web/versions/1/tags/prod", headers=h)
        client.post("/api/deployments", json={"service": "web", "version": "1", "environment": "prod"}, headers=h)
        client.put("/pacticipants/api/versions/9", json={}, headers=h)
        assert client.delete("/pacticipants/web", headers=h).status_code == 204
        assert client.get("/pacticipants/web", headers=h).status_code == 404
        assert client.get("/api/deployments", params={"service": "web"}, headers=h).json()["items"] == []
        assert client.get("/api/services/api", headers=h).status_code == 200
        assert client.delete("/pacticipants/web", headers=h).status_code == 404

    def test_list_embeds_pages_and_searches(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        for name in ("alpha", "beta-service", "gamma"):
            client.post("/pacticipants", json={"name": name}, headers=h)
        listed = hal_get(client, "/pacticipants", h)
        assert [p["name"] for p in listed["_embedded"]["pacticipants"]] == ["alpha", "beta-service", "gamma"]
        # The broker still serves the list at the top level too (the CLI's table output reads it there).
        assert [p["displayName"] for p in listed["pacticipants"]] == ["Alpha", "Beta Service", "Gamma"]
        assert [link["name"] for link in listed["_links"]["pb:pacticipants"]] == ["alpha", "beta-service", "gamma"]
        first = hal_get(client, "/pacticipants?size=2", h)
        assert [p["name"] for p in first["_embedded"]["pacticipants"]] == ["alpha", "beta-service"]
        rest = hal_get(client, first["_links"]["next"]["href"].removeprefix(BASE), h)
        assert [p["name"] for p in rest["_embedded"]["pacticipants"]] == ["gamma"]
        assert "next" not in rest["_links"]
        found = hal_get(client, "/pacticipants?q=SERV", h)
        assert [p["name"] for p in found["_embedded"]["pacticipants"]] == ["beta-service"]

    def test_bad_bodies_get_pact_shaped_errors_or_problems_on_request(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        missing_name = client.post("/pacticipants", json={"displayName": "X"}, headers=h)
        assert missing_name.status_code == 400  # the broker's status for invalid input
        assert "`name`" in str(missing_name.json()["errors"])
        unknown = client.post("/pacticipants", json={"name": "x", "colour": "red"}, headers=h)
        assert unknown.status_code == 400
        assert "colour" in unknown.json()["errors"]
        problem = client.post(
            "/pacticipants", json={"name": "a/b"}, headers={**h, "Accept": "application/problem+json"}
        )
        assert problem.status_code == 422
        assert problem.json()["type"] == "urn:accord:problem:validation-failed"
        not_found = client.get("/pacticipants/nobody", headers=h)
        assert not_found.json()["errors"] == {"base": ["No pacticipant named 'nobody'."]}


class TestVersions:
    def test_put_creates_replaces_build_url_and_tags(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        body = {"buildUrl": "https://ci/1", "tags": [{"name": "dev"}, {"name": "qa"}]}
        created = client.put("/pacticipants/web/versions/1.0.0", json=body, headers=h)
        assert created.status_code == 201, created.text
        assert created.json()["buildUrl"] == "https://ci/1"
        assert [t["name"] for t in created.json()["_embedded"]["tags"]] == ["dev", "qa"]
        replaced = client.put("/pacticipants/web/versions/1.0.0", json={"tags": [{"name": "prod"}]}, headers=h)
        assert replaced.status_code == 200
        assert "buildUrl" not in replaced.json()
        native = client.get("/api/services/web/versions/1.0.0", headers=h).json()
        assert (native["build_url"], native["tags"]) == (None, ["prod"])
        untouched_tags = client.put("/pacticipants/web/versions/1.0.0", json={}, headers=h).json()
        assert [t["name"] for t in untouched_tags["_embedded"]["tags"]] == ["prod"]
        # The Ruby client PUTs without a body.
        assert client.put("/pacticipants/web/versions/2.0.0", headers=h).status_code == 201

    def test_patch_merges(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        created = client.patch("/pacticipants/web/versions/2", json={"buildUrl": "https://ci/2"}, headers=h)
        assert created.status_code == 201
        merged = client.patch("/pacticipants/web/versions/2", json={"tags": [{"name": "dev"}]}, headers=h)
        assert merged.status_code == 200
        assert merged.json()["buildUrl"] == "https://ci/2"
        assert [t["name"] for t in merged.json()["_embedded"]["tags"]] == ["dev"]

    def test_version_resource_shape(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.put("/pacticipants/web/branches/main/versions/1", headers=h)
        client.put("/pacticipants/web/branches/main/versions/2", headers=h)
        client.put("/pacticipants/web/branches/release/versions/1", headers=h)
        client.put("/pacticipants/web/versions/1/tags/prod", headers=h)
        client.post("/api/environments", json={"name": "test", "display_name": "Test env"}, headers=h)
        version = hal_get(client, "/pacticipants/web/versions/1", tenant_a.headers(tenant_a.read_key))
        assert version["number"] == "1"
        assert [(b["name"], b["latest"]) for b in version["_embedded"]["branchVersions"]] == [
            ("main", False),
            ("release", True),
        ]
        assert version["_embedded"]["branches"] == version["_embedded"]["branchVersions"]
        assert version["_embedded"]["branchVersions"][0]["_links"]["self"]["href"] == (
            f"{BASE}/pacticipants/web/branches/main/versions/1"
        )
        assert (
            version["_embedded"]["tags"][0]["_links"]["self"]["href"] == f"{BASE}/pacticipants/web/versions/1/tags/prod"
        )
        links = version["_links"]
        assert links["self"] == {"href": f"{BASE}/pacticipants/web/versions/1", "title": "Version", "name": "1"}
        assert links["pb:pacticipant"]["href"] == f"{BASE}/pacticipants/web"
        assert links["pb:tag"]["templated"] is True
        environment_id = client.get("/api/environments/test", headers=h).json()["id"]
        assert links["pb:record-deployment"] == [
            {
                "href": f"{BASE}/pacticipants/web/versions/1/deployed-versions/environment/{environment_id}",
                "title": "Record deployment to Test env",
                "name": "test",
            }
        ]
        assert links["pb:record-release"][0]["href"] == (
            f"{BASE}/pacticipants/web/versions/1/released-versions/environment/{environment_id}"
        )

    def test_version_links_to_its_deployments_releases_and_pacts(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.post("/api/deployments", json={"service": "web", "version": "1", "environment": "prod"}, headers=h)
        client.post("/api/releases", json={"service": "web", "version": "1", "environment": "store"}, headers=h)
        contract = {
            "consumer": "web",
            "consumer_version": "1",
            "provider": "api",
            "interactions": [{"request": {"method": "GET", "path": "/"}, "response": {"status": 200}}],
        }
        assert client.post("/api/contracts", json=contract, headers=h).status_code == 201
        links = hal_get(client, "/pacticipants/web/versions/1", h)["_links"]
        assert [(d["name"], d["currently_deployed"]) for d in links["pb:deployed-environments"]] == [("Prod", True)]
        assert links["pb:deployed-environments"][0]["href"].startswith(f"{BASE}/deployed-versions/")
        assert [(r["name"], r["currently_supported"]) for r in links["pb:released-environments"]] == [("Store", True)]
        assert links["pb:pact-versions"] == [
            {
                "href": f"{BASE}/pacts/provider/api/consumer/web/version/1",
                "title": "Pact",
                "name": "Pact between web (1) and api",
            }
        ]

    def test_list_newest_first_with_pages(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        for number in ("1", "2", "3"):
            client.put(f"/pacticipants/web/versions/{number}", json={}, headers=h)
        listed = hal_get(client, "/pacticipants/web/versions?size=2", h)
        assert [v["number"] for v in listed["_embedded"]["versions"]] == ["3", "2"]
        assert listed["_links"]["self"]["title"] == "All application versions of web"
        assert listed["_links"]["pb:pacticipant"]["href"] == f"{BASE}/pacticipants/web"
        assert listed["_embedded"]["versions"][0]["_links"]["self"]["href"] == f"{BASE}/pacticipants/web/versions/3"
        rest = hal_get(client, listed["_links"]["next"]["href"].removeprefix(BASE), h)
        assert [v["number"] for v in rest["_embedded"]["versions"]] == ["1"]
        assert client.get("/pacticipants/nobody/versions", headers=h).status_code == 404

    def test_latest_versions(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.put("/pacticipants/web/versions/1/tags/prod", headers=h)
        client.put("/pacticipants/web/branches/feature/login/versions/2", headers=h)
        client.put("/pacticipants/web/versions/3", json={}, headers=h)
        latest = hal_get(client, "/pacticipants/web/latest-version", h)
        assert latest["number"] == "3"
        assert latest["_links"]["self"]["href"] == f"{BASE}/pacticipants/web/latest-version"
        tagged = hal_get(client, "/pacticipants/web/latest-version/prod", h)
        assert tagged["number"] == "1"
        assert tagged["_links"]["self"]["href"] == f"{BASE}/pacticipants/web/latest-version/prod"
        head = hal_get(client, "/pacticipants/web/branches/feature%2Flogin/latest-version", h)
        assert head["number"] == "2"
        assert hal_get(client, "/pacticipants/web/branches/feature/login/latest-version", h)["number"] == "2"
        assert client.get("/pacticipants/web/latest-version/nope", headers=h).status_code == 404
        assert client.get("/pacticipants/other/latest-version", headers=h).status_code == 404

    def test_delete_version(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.put("/pacticipants/web/versions/1/tags/prod", headers=h)
        assert client.delete("/pacticipants/web/versions/1", headers=h).status_code == 204
        assert client.get("/pacticipants/web/versions/1", headers=h).status_code == 404
        assert client.get("/api/services/web", headers=h).status_code == 200


class TestTagsAndBranches:
    def test_tag_auto_creates_and_is_idempotent(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers(tenant_a.write_key)
        created = client.put("/pacticipants/web/versions/1/tags/prod", json={"name": "prod"}, headers=h)
        assert created.status_code == 201, created.text
        tag = created.json()
        assert tag["name"] == "prod"
        assert tag["_links"]["self"] == {
            "href": f"{BASE}/pacticipants/web/versions/1/tags/prod",
            "title": "Tag",
            "name": "prod",
        }
        assert tag["_links"]["version"]["href"] == f"{BASE}/pacticipants/web/versions/1"
        assert tag["_links"]["pacticipant"]["name"] == "web"
        assert client.put("/pacticipants/web/versions/1/tags/prod", headers=h).status_code == 200
        assert hal_get(client, "/pacticipants/web/versions/1/tags/prod", h)["name"] == "prod"
        assert client.delete("/pacticipants/web/versions/1/tags/prod", headers=h).status_code == 204
        assert client.get("/pacticipants/web/versions/1/tags/prod", headers=h).status_code == 404
        assert client.delete("/pacticipants/web/versions/1/tags/prod", headers=h).status_code == 404

    def test_branch_versions_with_slashes_escaped_or_not(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        added = client.put("/pacticipants/web/branches/feature%2Flogin/versions/1", headers=h)
        assert added.status_code == 201, added.text
        assert added.json()["_links"] == {
            "self": {"href": f"{BASE}/pacticipants/web/branches/feature%2Flogin/versions/1", "title": "Branch version"},
            "pb:branch": {
                "href": f"{BASE}/pacticipants/web/branches/feature%2Flogin",
                "title": "Branch",
                "name": "feature/login",
            },
            "pb:version": {"href": f"{BASE}/pacticipants/web/versions/1", "title": "Version", "name": "1"},
        }
        # The CLI's create-or-update-version puts the name into the path unescaped.
        assert client.put("/pacticipants/web/branches/feature/login/versions/1", headers=h).status_code == 200
        assert client.put("/pacticipants/web/branches/feature/login/versions/2", headers=h).status_code == 201
        native = client.get("/api/services/web/versions/2", headers=h).json()
        assert native["branches"] == ["feature/login"]
        branch = hal_get(client, "/pacticipants/web/branches/feature%2Flogin", h)
        assert branch["name"] == "feature/login"
        assert branch["_links"]["pb:latest-version"]["href"] == (
            f"{BASE}/pacticipants/web/branches/feature%2Flogin/latest-version"
        )
        assert (
            hal_get(client, "/pacticipants/web/branches/feature/login/versions/2", h)["_links"]["pb:version"]["name"]
            == "2"
        )
        assert client.delete("/pacticipants/web/branches/feature/login/versions/2", headers=h).status_code == 204
        assert client.get("/pacticipants/web/branches/feature/login/versions/2", headers=h).status_code == 404
        assert client.put("/pacticipants/web/branches/feature/login", headers=h).status_code == 405
        bad = client.put("/pacticipants/web/branches/bad%20name/versions/1", headers=h)
        assert bad.status_code == 400
        assert "path.branch" in bad.json()["errors"]

    def test_can_i_deploy_the_head_of_a_branch(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.put("/pacticipants/web/branches/feature%2Fx/versions/1", headers=h)
        client.post("/api/environments", json={"name": "prod"}, headers=h)
        path = "/pacticipants/web/branches/feature%2Fx/latest-version/can-i-deploy/to-environment/prod"
        answer = hal_get(client, path, h)
        assert answer["summary"]["deployable"] is True  # nothing it depends on
        badge = client.get(path + "/badge", headers=h)
        assert badge.status_code == 200
        assert badge.headers["content-type"].startswith("image/svg+xml")
        assert "can-i-deploy feature/x to prod" in badge.text
        assert client.get(path.replace("/prod", "/nowhere"), headers=h).status_code == 404
        assert client.put(path, headers=h).status_code == 405

    def test_branch_list_and_delete_keeps_versions(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        for branch in ("main", "feat-a", "feat-b"):
            client.put(f"/pacticipants/web/branches/{branch}/versions/1", headers=h)
        listed = hal_get(client, "/pacticipants/web/branches?size=2", h)
        assert [b["name"] for b in listed["_embedded"]["branches"]] == ["feat-a", "feat-b"]
        assert listed["_links"]["self"]["title"] == "web branches"
        assert [link["name"] for link in listed["_links"]["pb:branches"]] == ["feat-a", "feat-b"]
        assert "next" in listed["_links"]
        assert [b["name"] for b in hal_get(client, "/pacticipants/web/branches?q=MAI", h)["_embedded"]["branches"]] == [
            "main"
        ]
        assert client.delete("/pacticipants/web/branches/feat-a", headers=h).status_code == 204
        assert client.get("/pacticipants/web/branches/feat-a", headers=h).status_code == 404
        assert client.delete("/pacticipants/web/branches/feat-a", headers=h).status_code == 404
        assert client.get("/api/services/web/versions/1", headers=h).json()["branches"] == ["main", "feat-b"]


def test_links_follow_forwarded_headers(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    client.put("/pacticipants/web/versions/1/tags/prod", headers=h)
    forwarded = {
        **h,
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "broker.example.com",
        "X-Forwarded-Prefix": "/pact",
    }
    version = hal_get(client, "/pacticipants/web/versions/1", forwarded)
    assert version["_links"]["self"]["href"] == "https://broker.example.com/pact/pacticipants/web/versions/1"
    assert version["_embedded"]["tags"][0]["_links"]["self"]["href"].startswith("https://broker.example.com/pact/")
    listed = hal_get(client, "/pacticipants", forwarded)
    assert listed["_links"]["self"]["href"] == "https://broker.example.com/pact/pacticipants"
    assert hal_get(client, "/pacticipants/web", forwarded)["_links"]["pb:version"]["href"] == (
        "https://broker.example.com/pact/pacticipants/web/versions/{version}"
    )


def test_scopes(client: Any, tenant_a: Any) -> None:
    read = tenant_a.headers(tenant_a.read_key)
    assert client.post("/pacticipants", json={"name": "web"}, headers=read).status_code == 403
    assert client.put("/pacticipants/web/versions/1/tags/x", headers=read).status_code == 403
    assert client.get("/pacticipants", headers=read).status_code == 200
    assert client.get("/pacticipants").status_code == 401


def test_isolation(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    a, b = tenant_a.headers(), tenant_b.headers()
    client.put("/pacticipants/web/branches/main/versions/1", headers=a)
    client.put("/pacticipants/web/versions/1/tags/prod", headers=a)
    for path in (
        "/pacticipants/web",
        "/pacticipants/web/versions",
        "/pacticipants/web/versions/1",
        "/pacticipants/web/latest-version",
        "/pacticipants/web/latest-version/prod",
        "/pacticipants/web/versions/1/tags/prod",
        "/pacticipants/web/branches",
        "/pacticipants/web/branches/main",
        "/pacticipants/web/branches/main/versions/1",
        "/pacticipants/web/branches/main/latest-version",
    ):
        assert client.get(path, headers=b).status_code == 404, path
    assert client.get("/pacticipants", headers=b).json()["_embedded"]["pacticipants"] == []
    for path in (
        "/pacticipants/web",
        "/pacticipants/web/versions/1",
        "/pacticipants/web/versions/1/tags/prod",
        "/pacticipants/web/branches/main",
        "/pacticipants/web/branches/main/versions/1",
    ):
        assert client.delete(path, headers=b).status_code == 404, path
    assert client.put("/pacticipants/web", json={"displayName": "B"}, headers=b).status_code == 404
    # B's writes make B's own rows; A's stay as they were.
    assert client.patch("/pacticipants/web", json={"displayName": "B"}, headers=b).status_code == 201
    assert client.put("/pacticipants/web/versions/1", json={"buildUrl": "https://b"}, headers=b).status_code == 201
    assert client.patch("/pacticipants/web/versions/1", json={"buildUrl": "https://b"}, headers=b).status_code == 200
    assert client.put("/pacticipants/web/versions/1/tags/prod", headers=b).status_code == 201
    assert client.put("/pacticipants/web/branches/main/versions/1", headers=b).status_code == 201
    assert client.post("/pacticipants", json={"name": "web"}, headers=b).status_code == 200
    mine = hal_get(client, "/pacticipants/web", a)
    assert mine["displayName"] == "Web"
    assert "buildUrl" not in hal_get(client, "/pacticipants/web/versions/1", a)
    assert [p["name"] for p in hal_get(client, "/pacticipants", a)["_embedded"]["pacticipants"]] == ["web"]


def test_concurrent_creation_makes_one_row_each(client: Any, run: Any, tenant_a: Any) -> None:
    async def race() -> None:
        pacticipants = ServiceDirectory(tenant_a.id)
        versions = VersionHistory(tenant_a.id)
        labels = VersionLabels(tenant_a.id)
        prod = ["prod"]
        await asyncio.gather(
            *(pacticipants.merge("web", ServiceFields(display_name=f"Web {i}")) for i in range(4)),
            *(versions.replace("web", "1", build_url=f"https://ci/{i}", tags=prod) for i in range(4)),
            *(labels.tag("web", "1", "prod") for _ in range(4)),
            *(labels.add_to_branch("web", "feature/x", "1") for _ in range(4)),
        )

    run(race)
    h = tenant_a.headers()
    assert len(client.get("/api/services", headers=h).json()["items"]) == 1
    versions = client.get("/api/services/web/versions", headers=h).json()["items"]
    assert [(v["number"], v["tags"], v["branches"]) for v in versions] == [("1", ["prod"], ["feature/x"])]
    assert versions[0]["build_url"].startswith("https://ci/")


# The real client ---------------------------------------------------------------------------------------------


def pact(
    server: Any, *args: str, token: str | None = None, basic: str | None = None
) -> subprocess.CompletedProcess[str]:
    command, *rest = args
    auth = ["--broker-token", token] if token else ["-u", "ci", "-p", basic or ""]
    return subprocess.run(
        [PACT, "broker", command, "--broker-base-url", server.base_url, *auth, *rest],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def api(server: Any, tenant: Any, path: str) -> Any:
    response = httpx.get(f"{server.base_url}/api{path}", headers=tenant.headers(tenant.read_key), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.e2e
def test_cli_manages_pacticipants(live_server: Any, live_tenant: Any) -> None:
    key = live_tenant.write_key
    created = ok(
        pact(
            live_server,
            "create-or-update-pacticipant",
            "--name",
            "web",
            "--display-name",
            "Web App",
            "--main-branch",
            "main",
            "--repository-url",
            "https://github.com/acme/web",
            token=key,
        )
    )
    assert "created successfully" in created
    service = api(live_server, live_tenant, "/services/web")
    assert (service["display_name"], service["main_branch"], service["repository_url"]) == (
        "Web App",
        "main",
        "https://github.com/acme/web",
    )
    updated = ok(pact(live_server, "create-or-update-pacticipant", "--name", "web", "--display-name", "Web", token=key))
    assert "updated successfully" in updated
    service = api(live_server, live_tenant, "/services/web")
    assert (service["display_name"], service["main_branch"]) == ("Web", "main")

    described = ok(pact(live_server, "describe-pacticipant", "--name", "web", token=live_tenant.read_key))
    assert "Display Name: Web" in described
    assert "Main Branch: main" in described
    assert "Repo URL: https://github.com/acme/web" in described
    ok(pact(live_server, "create-or-update-pacticipant", "--name", "order-api", basic=key))
    listed = ok(pact(live_server, "list-pacticipants", "-o", "table", basic=live_tenant.read_key))
    assert '"order-api"' in listed
    assert '"Order Api"' in listed
    assert '"web"' in listed

    missing = pact(live_server, "describe-pacticipant", "--name", "nobody", token=key)
    assert missing.returncode != 0
    wrong = pact(live_server, "list-pacticipants", token="acc_not_a_key")
    assert wrong.returncode != 0
    assert "not valid" in wrong.stdout + wrong.stderr
    wrong_basic = pact(live_server, "list-pacticipants", basic="acc_not_a_key")
    assert wrong_basic.returncode != 0
    read_only = pact(live_server, "create-or-update-pacticipant", "--name", "x", token=live_tenant.read_key)
    assert read_only.returncode != 0


@pytest.mark.e2e
def test_cli_manages_versions_tags_and_branches(live_server: Any, live_tenant: Any) -> None:
    key = live_tenant.write_key
    ok(
        pact(
            live_server,
            "create-or-update-version",
            "--pacticipant",
            "web",
            "--version",
            "1.0.0",
            "--branch",
            "feature/login",
            "--tag",
            "dev",
            token=key,
        )
    )
    version = api(live_server, live_tenant, "/services/web/versions/1.0.0")
    assert (version["branches"], version["tags"]) == (["feature/login"], ["dev"])
    ok(pact(live_server, "create-or-update-version", "--pacticipant", "web", "--version", "1.1.0", basic=key))
    assert api(live_server, live_tenant, "/services/web/versions/1.1.0")["tags"] == []

    tagged = ok(
        pact(
            live_server, "create-version-tag", "--pacticipant", "web", "--version", "1.0.0", "--tag", "prod", token=key
        )
    )
    assert "Success" in tagged
    assert api(live_server, live_tenant, "/services/web/versions/1.0.0")["tags"] == ["dev", "prod"]
    ok(
        pact(
            live_server,
            "create-version-tag",
            "--pacticipant",
            "new-app",
            "--version",
            "7",
            "--tag",
            "prod",
            "--auto-create-version",
            token=key,
        )
    )
    assert api(live_server, live_tenant, "/services/new-app/versions/7")["tags"] == ["prod"]

    read = live_tenant.read_key
    latest = ok(pact(live_server, "describe-version", "--pacticipant", "web", token=read))
    assert "1.1.0" in latest
    assert "1.0.0" not in latest
    latest_prod = ok(pact(live_server, "describe-version", "--pacticipant", "web", "--latest", "prod", token=read))
    assert "1.0.0" in latest_prod
    assert "dev, prod" in latest_prod
    missing = pact(live_server, "describe-version", "--pacticipant", "web", "--latest", "nope", token=read)
    assert missing.returncode != 0

    deleted = ok(pact(live_server, "delete-branch", "--pacticipant", "web", "--branch", "feature/login", token=key))
    assert "Successfully deleted" in deleted
    assert api(live_server, live_tenant, "/services/web/versions/1.0.0")["branches"] == []
