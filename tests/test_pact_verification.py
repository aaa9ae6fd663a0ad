"""Verifying pacts through the Pact Broker API: pacts for verification (selectors, dedup, pending, WIP),
verification results (publishing, reading, mapping to Accord's results, can-i-deploy), isolation, and the
real `pact verifier` against a stub provider."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.test_pact_publish import (
    PACT_CLI,
    contract,
    pact_cli,
    pact_v2,
    pact_v3,
    pact_v3_messages,
    publication,
    publish,
    write_pacts,
)

PROBLEM = "urn:accord:problem:"


def pact_links(client: Any, tenant: Any, url: str) -> dict[str, Any]:
    response = client.get(url, headers=tenant.headers())
    assert response.status_code == 200, response.text
    return dict(response.json()["_links"])


def post_result(client: Any, tenant: Any, url: str, body: dict[str, Any], expect: int = 201) -> dict[str, Any]:
    response = client.post(url, json=body, headers=tenant.headers())
    assert response.status_code == expect, response.text
    return dict(response.json())


def for_verification(client: Any, tenant: Any, provider: str = "api", expect: int = 200, **body: Any) -> dict[str, Any]:
    response = client.post(f"/pacts/provider/{provider}/for-verification", json=body, headers=tenant.headers())
    assert response.status_code == expect, response.text
    return dict(response.json())


def selected(found: dict[str, Any]) -> list[tuple[str, str]]:
    """(pact name, short description) of each pact for verification."""
    return [(p["_links"]["self"]["name"], p["shortDescription"]) for p in found["_embedded"]["pacts"]]


def deploy(client: Any, tenant: Any, service: str, version: str, environment: str = "production") -> None:
    body = {"service": service, "version": version, "environment": environment}
    response = client.post("/api/deployments", json=body, headers=tenant.headers())
    assert response.status_code in (200, 201), response.text


def release(client: Any, tenant: Any, service: str, version: str, environment: str) -> None:
    body = {"service": service, "version": version, "environment": environment}
    response = client.post("/api/releases", json=body, headers=tenant.headers())
    assert response.status_code in (200, 201), response.text


# Verification results ----------------------------------------------------------------------------------------


class TestVerificationResults:
    def test_published_results_are_accords_verification_results(self, client: Any, tenant_a: Any) -> None:
        publish(client, tenant_a, publication(contract(pact_v3()), branch="main"))
        links = pact_links(client, tenant_a, "/pacts/provider/api/consumer/web/latest")
        body = {
            "success": True,
            "providerApplicationVersion": "2.0.0",
            "providerVersionBranch": "main",
            "providerVersionTags": ["prod"],
            "buildUrl": "https://ci.example.com/api/12",
            "verifiedBy": {"implementation": "Pact-Rust", "version": "1.4.7"},
            "testResults": [
                {"interactionId": "list users", "success": True},
                {"interactionDescription": "create a user", "success": True},
                {"interactionId": "unknown to the pact", "success": True},
            ],
        }
        response = client.post(links["pb:publish-verification-results"]["href"], json=body, headers=tenant_a.headers())
        assert response.status_code == 201, response.text
        result = response.json()
        assert response.headers["location"] == result["_links"]["self"]["href"]
        assert (result["providerName"], result["providerApplicationVersion"], result["success"]) == (
            "api",
            "2.0.0",
            True,
        )
        assert result["buildUrl"] == "https://ci.example.com/api/12"
        assert result["verifiedBy"] == {"implementation": "Pact-Rust", "version": "1.4.7"}
        assert [r["interactionId"] for r in result["testResults"]] == ["list users", "create a user"]
        assert result["_links"]["pb:pact-version"]["href"] == links["pb:pact-version"]["href"]

        latest = client.get(links["pb:latest-verification-results"]["href"], headers=tenant_a.headers()).json()
        assert latest == result
        by_id = client.get(result["_links"]["self"]["href"], headers=tenant_a.headers()).json()
        assert by_id == result

        native = client.get("/api/verification/api/results", headers=tenant_a.headers()).json()["items"]
        assert len(native) == 1
        assert native[0]["sha"] == links["pb:pact-version"]["name"]
        assert [(r["interaction"], r["success"]) for r in native[0]["results"]] == [
            ("list users", True),
            ("create a user", True),
        ]
        version = client.get("/api/services/api/versions/2.0.0", headers=tenant_a.headers()).json()
        assert (version["branches"], version["tags"]) == (["main"], ["prod"])

    def test_failures_are_recorded_as_failures(self, client: Any, tenant_a: Any) -> None:
        publish(client, tenant_a, publication(contract(pact_v2())))
        url = pact_links(client, tenant_a, "/pacts/provider/api/consumer/web/latest")["pb:publish-verification-results"]
        mismatch = {"attribute": "body", "identifier": "$.name", "description": "Expected 'Ann' but received 'Bo'"}
        failed = post_result(
            client,
            tenant_a,
            url["href"],
            {
                "success": True,  # contradicted by its own test results
                "providerApplicationVersion": "2",
                "testResults": [{"interactionId": "get a user", "success": False, "mismatches": [mismatch]}],
            },
        )
        assert failed["success"] is False
        assert failed["testResults"] == [{"interactionId": "get a user", "success": False, "mismatches": [mismatch]}]
        bare = post_result(client, tenant_a, url["href"], {"success": False, "providerApplicationVersion": "3"})
        assert (bare["success"], bare["testResults"]) == (False, [])
        # Older Ruby verifiers send an object.
        ruby = {"tests": [{"description": "get a user", "status": "passed"}], "summary": {"exampleCount": 1}}
        passed = post_result(
            client, tenant_a, url["href"], {"success": True, "providerApplicationVersion": "4", "testResults": ruby}
        )
        assert passed["testResults"] == [{"interactionId": "get a user", "success": True}]

    def test_results_stay_readable_whatever_the_verifier_sends(self, client: Any, tenant_a: Any) -> None:
        wordy = pact_v2()
        wordy["interactions"][0]["description"] = "a request " * 30
        publish(client, tenant_a, publication(contract(wordy)))
        url = pact_links(client, tenant_a, "/pacts/provider/api/consumer/web/latest")["pb:publish-verification-results"]
        mismatches = [{"attribute": "body", "description": f"mismatch {n}"} for n in range(1500)]
        entry = {"interactionId": wordy["interactions"][0]["description"], "success": False, "mismatches": mismatches}
        body = {"success": False, "providerApplicationVersion": "2", "testResults": [entry]}
        result = post_result(client, tenant_a, url["href"], body)
        assert (result["success"], result["testResults"]) == (False, [])
        assert client.get(result["_links"]["self"]["href"], headers=tenant_a.headers()).status_code == 200
        publish(client, tenant_a, publication(contract(pact_v2(name="Bo")), version="2"))
        url = pact_links(client, tenant_a, "/pacts/provider/api/consumer/web/version/2")[
            "pb:publish-verification-results"
        ]
        body["testResults"] = [entry | {"interactionId": "get a user"}]
        result = post_result(client, tenant_a, url["href"], body)
        assert len(result["testResults"][0]["mismatches"]) == 1000
        assert client.get("/api/verification/api/results", headers=tenant_a.headers()).status_code == 200

    def test_results_of_recorded_interactions_and_message_pacts_map_to_their_keys(
        self, client: Any, tenant_a: Any
    ) -> None:
        item = {
            "consumer": "mobile",
            "consumer_version": "5",
            "provider": "api",
            "request": {"method": "GET", "path": "/users/1"},
            "response": {"status": 200, "body": {"id": 1}},
        }
        assert client.post("/api/interactions", json=item, headers=tenant_a.headers()).status_code in (200, 201)
        pact = client.get("/pacts/provider/api/consumer/mobile/latest", headers=tenant_a.headers()).json()
        key = pact["interactions"][0]["_id"]
        post_result(
            client,
            tenant_a,
            pact["_links"]["pb:publish-verification-results"]["href"],
            {
                "success": True,
                "providerApplicationVersion": "2",
                "testResults": [{"interactionId": key, "success": True}],
            },
        )
        publish(client, tenant_a, publication(contract(pact_v3_messages())))
        url = pact_links(client, tenant_a, "/pacts/provider/api/consumer/web/latest")["pb:publish-verification-results"]
        results = [{"interactionId": "a user was created", "success": True}]
        post_result(
            client, tenant_a, url["href"], {"success": True, "providerApplicationVersion": "2", "testResults": results}
        )
        native = client.get("/api/verification/api/results", headers=tenant_a.headers()).json()["items"]
        assert sorted(r["results"][0]["interaction"] for r in native) == sorted([key, "a user was created"])

    def test_errors(self, client: Any, tenant_a: Any) -> None:
        publish(client, tenant_a, publication(contract(pact_v2())))
        links = pact_links(client, tenant_a, "/pacts/provider/api/consumer/web/latest")
        url, sha = links["pb:publish-verification-results"]["href"], links["pb:pact-version"]["name"]
        h = {**tenant_a.headers(), "Accept": "application/problem+json"}
        for body in (
            {"success": True},
            {"success": True, "providerApplicationVersion": "has space"},
            {"success": True, "providerApplicationVersion": "2", "buildUrl": "not a url"},
            {"success": "yes", "providerApplicationVersion": "2"},
        ):
            response = client.post(url, json=body, headers=h)
            assert (response.status_code, response.json()["type"]) == (422, PROBLEM + "validation-failed"), body
        ok = {"success": True, "providerApplicationVersion": "2"}
        for wrong in (
            f"/pacts/provider/api/consumer/ios/pact-version/{sha}/verification-results",
            f"/pacts/provider/web/consumer/web/pact-version/{sha}/verification-results",
            "/pacts/provider/api/consumer/web/pact-version/" + "0" * 64 + "/verification-results",
        ):
            assert client.post(wrong, json=ok, headers=tenant_a.headers()).status_code == 404
        assert (
            client.get(links["pb:latest-verification-results"]["href"], headers=tenant_a.headers()).status_code == 404
        )
        result = post_result(client, tenant_a, url, ok)
        own = result["_links"]["self"]["href"]
        assert client.get(own.replace(sha, "1" * 64), headers=tenant_a.headers()).status_code == 404
        assert client.get(url + "/not-an-id", headers=tenant_a.headers()).status_code == 404
        assert client.post(url, json=ok, headers=tenant_a.headers(tenant_a.read_key)).status_code == 403

    def test_metadata_urls_accept_results(self, client: Any, tenant_a: Any) -> None:
        publish(client, tenant_a, publication(contract(pact_v2()), branch="main"))
        found = for_verification(client, tenant_a, consumerVersionSelectors=[{"mainBranch": True}])
        pact = client.get(found["_embedded"]["pacts"][0]["_links"]["self"]["href"], headers=tenant_a.headers()).json()
        url = pact["_links"]["pb:publish-verification-results"]["href"]
        assert "/metadata/" in url
        post_result(client, tenant_a, url, {"success": True, "providerApplicationVersion": "2"})


# Pacts for verification ----------------------------------------------------------------------------------------


@pytest.fixture
def consumers(client: Any, tenant_a: Any) -> None:
    """web 1 (main, prod, deployed) and 2 (main) share a pact; web 3 (feat) differs; ios 9 (master) is released."""
    publish(client, tenant_a, publication(contract(pact_v2()), version="1", branch="main", tags=["prod"]))
    publish(client, tenant_a, publication(contract(pact_v2()), version="2", branch="main"))
    publish(client, tenant_a, publication(contract(pact_v2(name="Bo")), version="3", branch="feat", tags=["dev"]))
    publish(
        client,
        tenant_a,
        publication(contract(pact_v2("ios"), consumer="ios"), consumer="ios", version="9", branch="master"),
    )
    deploy(client, tenant_a, "web", "1")
    release(client, tenant_a, "ios", "9", "store")


@pytest.mark.usefixtures("consumers")
class TestPactsForVerification:
    def test_get_is_the_index_verifiers_start_from(self, client: Any, tenant_a: Any) -> None:
        found = client.get("/pacts/provider/api/for-verification", headers=tenant_a.headers()).json()
        assert found["_links"]["self"]["href"].endswith("/pacts/provider/api/for-verification")
        # The broker's defaults: each consumer's main branch head, plus what is deployed or released.
        assert selected(found) == [
            ("Pact between ios (9) and api", "latest from main branch, released in store"),
            ("Pact between web (2) and api", "latest from main branch, deployed to production"),
        ]
        assert client.get("/pacts/provider/nobody/for-verification", headers=tenant_a.headers()).status_code == 404

    @pytest.mark.parametrize(
        ("selectors", "expected"),
        [
            ([{"mainBranch": True}], [("ios (9)", "latest from main branch"), ("web (2)", "latest from main branch")]),
            ([{"mainBranch": True, "consumer": "web"}], [("web (2)", "latest from main branch")]),
            ([{"branch": "feat"}], [("web (3)", "latest from branch feat")]),
            ([{"branch": "nope", "fallbackBranch": "main"}], [("web (2)", "latest from branch main")]),
            ([{"tag": "prod", "latest": True}], [("web (1)", "latest with tag prod")]),
            ([{"tag": "dev"}], [("web (3)", "one of dev")]),
            ([{"deployed": True}], [("web (1)", "deployed to production")]),
            ([{"released": True}], [("ios (9)", "released in store")]),
            ([{"environment": "store"}], [("ios (9)", "released in store")]),
            ([{"deployedOrReleased": True}], [("ios (9)", "released in store"), ("web (1)", "deployed to production")]),
            ([{"latest": True}], [("ios (9)", "latest"), ("web (3)", "latest")]),
            ([{"latest": True, "consumer": "ios"}], [("ios (9)", "latest")]),
            ([{"branch": "release"}], []),
            # One entry per content: web 1 (deployed) and 2 (main) published the same pact.
            (
                [{"mainBranch": True, "consumer": "web"}, {"deployed": True}, {"tag": "prod"}],
                [("web (2)", "latest from main branch, deployed to production, one of prod")],
            ),
        ],
    )
    def test_selectors(
        self, client: Any, tenant_a: Any, selectors: list[dict[str, Any]], expected: list[tuple[str, str]]
    ) -> None:
        found = for_verification(client, tenant_a, consumerVersionSelectors=selectors)
        assert selected(found) == [
            (f"Pact between {name.split()[0]} {name.split()[1]} and api", short) for name, short in expected
        ]

    def test_matching_branch_and_notices(self, client: Any, tenant_a: Any) -> None:
        found = for_verification(
            client, tenant_a, consumerVersionSelectors=[{"matchingBranch": True}], providerVersionBranch="feat"
        )
        [pact] = found["_embedded"]["pacts"]
        assert pact["shortDescription"] == "latest from branch feat"
        assert pact["verificationProperties"] == {
            "notices": [
                {
                    "when": "before_verification",
                    "text": f"The pact at {pact['_links']['self']['href']} is being verified because the pact content "
                    "belongs to the consumer version matching the following criterion:\n"
                    "    * latest version from branch 'feat' (3)",
                }
            ]
        }
        fallback = for_verification(
            client, tenant_a, consumerVersionSelectors=[{"branch": "x", "fallbackBranch": "feat"}]
        )
        assert (
            "(fallback branch used as no pact was found from branch 'x') (3)"
            in fallback["_embedded"]["pacts"][0]["verificationProperties"]["notices"][0]["text"]
        )

    @pytest.mark.parametrize(
        ("body", "pointer"),
        [
            ({"consumerVersionSelectors": [{"mainBranch": True, "branch": "x"}]}, "consumerVersionSelectors.0"),
            ({"consumerVersionSelectors": [{"consumer": "web"}]}, "consumerVersionSelectors.0"),
            ({"consumerVersionSelectors": [{"matchingBranch": True}]}, "consumerVersionSelectors.0"),
            ({"consumerVersionSelectors": [{"tag": "a", "branch": "b"}]}, "consumerVersionSelectors.0"),
            ({"consumerVersionSelectors": [{"deployed": True, "released": True}]}, "consumerVersionSelectors.0"),
            ({"consumerVersionSelectors": [{"tag": "a", "fallbackTag": "b"}]}, "consumerVersionSelectors.0"),
            ({"consumerVersionSelectors": [{"branch": "a", "latest": False}]}, "consumerVersionSelectors.0"),
            ({"includeWipPactsSince": "last tuesday"}, "includeWipPactsSince"),
        ],
    )
    def test_contradictory_queries_are_400(
        self, client: Any, tenant_a: Any, body: dict[str, Any], pointer: str
    ) -> None:
        refused = for_verification(client, tenant_a, expect=400, **body)
        assert pointer in refused["errors"]

    def test_unknown_fields_are_422(self, client: Any, tenant_a: Any) -> None:
        h = {**tenant_a.headers(), "Accept": "application/problem+json"}
        response = client.post("/pacts/provider/api/for-verification", json={"selectors": []}, headers=h)
        assert (response.status_code, response.json()["type"]) == (422, PROBLEM + "validation-failed")

    def test_is_a_read(self, client: Any, tenant_a: Any) -> None:
        response = client.post(
            "/pacts/provider/api/for-verification",
            json={"consumerVersionSelectors": [{"mainBranch": True}]},
            headers=tenant_a.headers(tenant_a.read_key),
        )
        assert response.status_code == 200

    def verify(
        self, client: Any, tenant: Any, consumer: str, version: str, provider_version: str, *, success: bool = True
    ) -> None:
        url = pact_links(client, tenant, f"/pacts/provider/api/consumer/{consumer}/version/{version}")[
            "pb:publish-verification-results"
        ]["href"]
        post_result(client, tenant, url, {"success": success, "providerApplicationVersion": provider_version})

    def pending(self, client: Any, tenant: Any, **query: Any) -> dict[str, bool]:
        found = for_verification(
            client, tenant, consumerVersionSelectors=[{"mainBranch": True}], includePendingStatus=True, **query
        )
        return {
            p["_links"]["self"]["name"]: p["verificationProperties"]["pending"] for p in found["_embedded"]["pacts"]
        }

    def test_pending_until_the_provider_branch_verified_it(self, client: Any, tenant_a: Any) -> None:
        web, ios = "Pact between web (2) and api", "Pact between ios (9) and api"
        assert self.pending(client, tenant_a, providerVersionBranch="main") == {ios: True, web: True}
        # A branch that exists before any verification stays pending until it verifies itself.
        client.post(
            "/api/services/api/versions", json={"number": "0.9", "branches": ["other"]}, headers=tenant_a.headers()
        )
        client.post(
            "/api/services/api/versions", json={"number": "1.0", "branches": ["main"]}, headers=tenant_a.headers()
        )
        self.verify(client, tenant_a, "web", "2", "1.0", success=False)
        assert self.pending(client, tenant_a, providerVersionBranch="main")[web] is True
        self.verify(client, tenant_a, "web", "2", "1.0")
        assert self.pending(client, tenant_a, providerVersionBranch="main") == {ios: True, web: False}
        assert self.pending(client, tenant_a, providerVersionBranch="other")[web] is True
        # A branch created after main verified it inherits that verification (the broker's rule).
        assert self.pending(client, tenant_a, providerVersionBranch="brand-new")[web] is False
        assert self.pending(client, tenant_a) == {ios: True, web: False}

        found = for_verification(
            client,
            tenant_a,
            consumerVersionSelectors=[{"mainBranch": True}],
            includePendingStatus=True,
            providerVersionBranch="main",
        )
        notices = {
            p["_links"]["self"]["name"]: p["verificationProperties"]["notices"] for p in found["_embedded"]["pacts"]
        }
        assert notices[web][1]["text"].startswith(
            "This pact has previously been successfully verified by a version of api from branch 'main'."
        )
        assert notices[ios][1]["text"].startswith(
            "This pact is in pending state for this version of api because a successful verification result for a "
            "version of api from branch 'main' has not yet been published."
        )
        assert [n["when"] for n in notices[ios][2:]] == [
            "after_verification:success_true_published_false",
            "after_verification:success_false_published_false",
            "after_verification:success_true_published_true",
            "after_verification:success_false_published_true",
        ]

    def test_pending_by_provider_tags(self, client: Any, tenant_a: Any) -> None:
        web = "Pact between web (2) and api"
        client.post("/api/services/api/versions", json={"number": "1.0", "tags": ["prod"]}, headers=tenant_a.headers())
        assert self.pending(client, tenant_a, providerVersionTags=["prod", "dev"])[web] is True
        self.verify(client, tenant_a, "web", "2", "1.0")
        assert self.pending(client, tenant_a, providerVersionTags=["prod"])[web] is False
        assert self.pending(client, tenant_a, providerVersionTags=["prod", "dev"])[web] is True

    def test_work_in_progress_pacts(self, client: Any, tenant_a: Any) -> None:
        query = {"consumerVersionSelectors": [{"mainBranch": True}], "providerVersionBranch": "main"}
        found = for_verification(client, tenant_a, includeWipPactsSince="2020-01-01", **query)
        wip = [p for p in found["_embedded"]["pacts"] if p["verificationProperties"].get("wip")]
        assert [(p["_links"]["self"]["name"], p["shortDescription"]) for p in wip] == [
            ("Pact between web (3) and api", "latest from branch feat, latest with tag dev")
        ]
        [notice] = wip[0]["verificationProperties"]["notices"]
        assert "is being verified because it is a 'work in progress' pact" in notice["text"]
        assert "from branch 'feat' and tagged with 'dev' (both have the same content)" in notice["text"]
        assert "pending" not in wip[0]["verificationProperties"]  # only with includePendingStatus

        with_pending = for_verification(
            client, tenant_a, includeWipPactsSince="2020-01-01", includePendingStatus=True, **query
        )
        assert [p["verificationProperties"]["pending"] for p in with_pending["_embedded"]["pacts"]] == [
            True,
            True,
            True,
        ]
        # Verified by the provider's branch: no longer work in progress.
        client.post(
            "/api/services/api/versions", json={"number": "1.0", "branches": ["main"]}, headers=tenant_a.headers()
        )
        self.verify(client, tenant_a, "web", "3", "1.0")
        again = for_verification(client, tenant_a, includeWipPactsSince="2020-01-01", **query)
        assert [p["_links"]["self"]["name"] for p in again["_embedded"]["pacts"]] == [
            "Pact between ios (9) and api",
            "Pact between web (2) and api",
        ]
        future = for_verification(client, tenant_a, includeWipPactsSince="2999-01-01T00:00:00Z", **query)
        assert len(future["_embedded"]["pacts"]) == 2
        without_branch = for_verification(
            client, tenant_a, includeWipPactsSince="2020-01-01", consumerVersionSelectors=[{"mainBranch": True}]
        )
        assert len(without_branch["_embedded"]["pacts"]) == 2


# Isolation ---------------------------------------------------------------------------------------------------


def test_tenants_cannot_verify_or_read_each_others_results(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    publish(client, tenant_a, publication(contract(pact_v2()), branch="main"))
    links = pact_links(client, tenant_a, "/pacts/provider/api/consumer/web/latest")
    url = links["pb:publish-verification-results"]["href"]
    result = post_result(client, tenant_a, url, {"success": True, "providerApplicationVersion": "2"})
    b = tenant_b.headers()
    ok = {"success": False, "providerApplicationVersion": "666"}
    assert client.post(url, json=ok, headers=b).status_code == 404
    assert (
        client.post(
            url.replace("/verification-results", "/metadata/eA/verification-results"), json=ok, headers=b
        ).status_code
        == 404
    )
    assert client.get(result["_links"]["self"]["href"], headers=b).status_code == 404
    assert client.get(links["pb:latest-verification-results"]["href"], headers=b).status_code == 404
    assert client.get("/pacts/provider/api/for-verification", headers=b).status_code == 404
    selectors = {"consumerVersionSelectors": [{"mainBranch": True}]}
    assert client.post("/pacts/provider/api/for-verification", json=selectors, headers=b).status_code == 404
    # B's own provider of the same name sees only B's pacts.
    publish(client, tenant_b, publication(contract(pact_v2("ios"), consumer="ios"), consumer="ios", branch="main"))
    assert selected(for_verification(client, tenant_b, **selectors)) == [
        ("Pact between ios (1) and api", "latest from main branch")
    ]
    assert client.get("/api/verification/api/results", headers=b).json()["items"] == []
    latest = client.get(links["pb:latest-verification-results"]["href"], headers=tenant_a.headers()).json()
    assert latest["providerApplicationVersion"] == "2"


# The real verifier ---------------------------------------------------------------------------------------------


class StubProvider:
    """A provider on loopback answering from a {"METHOD /path": (status, body)} table."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, Any]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.answer()

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.answer()

            def answer(self) -> None:
                route = f"{self.command} {self.path.split('?')[0]}"
                status, body = routes.get(route, (404, {"error": "no route"}))
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]


@pytest.fixture
def stub_provider() -> Iterator[StubProvider]:
    stub = StubProvider()
    thread = threading.Thread(target=stub.server.serve_forever, daemon=True)
    thread.start()
    yield stub
    stub.server.shutdown()
    stub.server.server_close()


def pact_verifier(live_server: Any, tenant: Any, stub: StubProvider, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        PACT_CLI, "verifier", "--broker-url", live_server.base_url, "--token", tenant.admin_key,
        "--provider-name", "api", "--hostname", "127.0.0.1", "--port", str(stub.port), "--no-colour", *args,
    ]  # fmt: skip
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true"}
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, env=env)


@pytest.mark.e2e
def test_pact_verifier_publishes_results_that_count_for_can_i_deploy(
    live_server: Any, live_tenant: Any, stub_provider: StubProvider, tmp_path: Path
) -> None:
    pacts = write_pacts(tmp_path / "pacts", pact_v2())
    published = pact_cli(
        live_server, live_tenant, "publish", str(pacts), "--consumer-app-version", "1", "--branch", "main"
    )
    assert published.returncode == 0, published.stdout + published.stderr
    stub_provider.routes["GET /users/1"] = (200, {"id": 1, "name": "Ann"})

    verified = pact_verifier(
        live_server, live_tenant, stub_provider, "--publish", "--provider-version", "2", "--provider-branch", "main"
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "has a matching body (OK)" in verified.stdout

    base, headers = live_server.base_url, live_tenant.headers()
    [result] = httpx.get(f"{base}/api/verification/api/results", headers=headers).json()["items"]
    assert (result["consumer"], result["provider_version"], result["success"]) == ("web", "2", True)
    assert result["results"] == [{"interaction": "get a user", "success": True, "mismatches": []}]
    assert result["verified_by"]["implementation"] == "Pact-Rust"
    version = httpx.get(f"{base}/api/services/api/versions/2", headers=headers).json()
    assert version["branches"] == ["main"]

    deployed = httpx.post(
        f"{base}/api/deployments", json={"service": "api", "version": "2", "environment": "production"}, headers=headers
    )
    assert deployed.status_code in (200, 201), deployed.text
    verdict = httpx.get(
        f"{base}/api/can-i-deploy",
        params={"service": "web", "version": "1", "environment": "production"},
        headers=headers,
    ).json()
    assert verdict["deployable"] is True, verdict
    assert verdict["rows"][0]["verification"]["id"] == result["id"]


@pytest.mark.e2e
def test_pact_verifier_publishes_failures_and_reads_pending_status(
    live_server: Any, live_tenant: Any, stub_provider: StubProvider, tmp_path: Path
) -> None:
    pacts = write_pacts(tmp_path / "pacts", pact_v2(), pact_v3("ios"))
    published = pact_cli(
        live_server, live_tenant, "publish", str(pacts), "--consumer-app-version", "1", "--branch", "main"
    )
    assert published.returncode == 0, published.stdout + published.stderr
    stub_provider.routes["GET /users/1"] = (200, {"id": 1, "name": "somebody else"})
    stub_provider.routes["GET /users"] = (200, [{"id": 1}])
    stub_provider.routes["POST /users"] = (201, None)

    selectors = ["--consumer-version-selectors", '{"mainBranch": true}', "--enable-pending"]
    failed = pact_verifier(
        live_server, live_tenant, stub_provider, *selectors, "--filter-consumer", "web",
        "--publish", "--provider-version", "3", "--provider-branch", "main",
    )  # fmt: skip
    # Pending: a failure is reported, and published, but does not fail the build.
    assert failed.returncode == 0, failed.stdout + failed.stderr
    assert "This pact is in pending state for this version of api" in failed.stdout
    assert "has a matching body (FAILED)" in failed.stdout

    base, headers = live_server.base_url, live_tenant.headers()
    [result] = httpx.get(f"{base}/api/verification/api/results", headers=headers).json()["items"]
    assert (result["consumer"], result["provider_version"], result["success"]) == ("web", "3", False)
    [outcome] = result["results"]
    assert outcome["interaction"] == "get a user"
    assert outcome["success"] is False
    assert outcome["mismatches"][0]["attribute"] == "body"

    stub_provider.routes["GET /users/1"] = (200, {"id": 1, "name": "Ann"})
    passed = pact_verifier(
        live_server, live_tenant, stub_provider, *selectors,
        "--publish", "--provider-version", "4", "--provider-branch", "main",
    )  # fmt: skip
    assert passed.returncode == 0, passed.stdout + passed.stderr
    results = httpx.get(f"{base}/api/verification/api/results", headers=headers).json()["items"]
    assert sorted((r["consumer"], r["provider_version"], r["success"]) for r in results) == [
        ("ios", "4", True),
        ("web", "3", False),
        ("web", "4", True),
    ]
    # Verified on main now: no longer pending, so a failure would fail the build.
    stub_provider.routes["GET /users/1"] = (500, {})
    strict = pact_verifier(live_server, live_tenant, stub_provider, *selectors, "--provider-branch", "main")
    assert strict.returncode != 0
    assert "This pact has previously been successfully verified by a version of api from branch 'main'" in strict.stdout
