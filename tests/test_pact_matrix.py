"""The Pact matrix, can-i-deploy, can-i-merge and badges: the query parser, the HTTP resources, and the real
`pact broker can-i-deploy` / `can-i-merge` against a live server."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from accord.composition import deployability_service, matrix_query_service
from accord.errors import InvalidInput, NotFound
from accord.matrix.query import IgnoreSelector, MatrixQuery, Selector
from accord.pact.badges.svg import Badge, render_badge, text_width
from accord.pact.badges.wording import deployability_badge
from accord.pact.matrix.queries import can_i_deploy_query, matrix_query
from accord.pact.matrix.rack_query import parse_nested_query
from accord.pact.matrix.refusals import require_found

SVG_NS = "{http://www.w3.org/2000/svg}"


class Broker:
    """Data through Accord's native API, for one tenant (with the TestClient or an httpx.Client)."""

    def __init__(self, client: Any, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def _ok(self, response: Any) -> Any:
        assert response.status_code in (200, 201), response.text
        return response.json()

    def record(
        self, consumer: str, version: str, provider: str, path: str = "/a", *, branch: str | None = None
    ) -> None:
        item: dict[str, Any] = {
            "consumer": consumer,
            "consumer_version": version,
            "provider": provider,
            "request": {"method": "GET", "path": path},
            "response": {"status": 200, "body": {"path": path}},
        }
        if branch:
            item["consumer_branch"] = branch
        body = self._ok(self.client.post("/api/interactions/batch", json={"items": [item]}, headers=self.headers))
        assert body["errors"] == 0, body

    def label(self, service: str, number: str, *, branches: tuple[str, ...] = (), tags: tuple[str, ...] = ()) -> None:
        body = {"number": number, "branches": list(branches), "tags": list(tags)}
        self._ok(self.client.post(f"/api/services/{service}/versions", json=body, headers=self.headers))

    def deploy(self, service: str, version: str, environment: str = "production") -> None:
        body = {"service": service, "version": version, "environment": environment}
        self._ok(self.client.post("/api/deployments", json=body, headers=self.headers))

    def environment(self, name: str) -> None:
        self._ok(self.client.post("/api/environments", json={"name": name}, headers=self.headers))

    def verify(
        self,
        provider: str,
        provider_version: str,
        consumer: str,
        consumer_version: str,
        *,
        success: bool = True,
        branch: str | None = None,
    ) -> None:
        contract = self._ok(
            self.client.get(f"/api/contracts/{consumer}/{consumer_version}/{provider}", headers=self.headers)
        )
        body: dict[str, Any] = {
            "provider_version": provider_version,
            "contract": {"consumer": consumer, "sha": contract["sha"]},
            "success": success,
        }
        if branch:
            body["provider_branch"] = branch
        self._ok(self.client.post(f"/api/verification/{provider}/results", json=body, headers=self.headers))


def matrix_url(*selectors: dict[str, str], **options: str) -> str:
    """A /matrix URL in the CLI's format: q[][...] in order, brackets unencoded."""
    parts = [f"q[][{key}]={quote(value, safe='')}" for selector in selectors for key, value in selector.items()]
    parts += [f"{key}={quote(value, safe='')}" for key, value in options.items()]
    return "/matrix?" + "&".join(parts)


# --- Rack-style parameters ---------------------------------------------------------------------------------


class TestRackQuery:
    def test_a_repeated_child_key_starts_a_new_hash(self) -> None:
        raw = "q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B&q[][latest]=true&q[][tag]=prod&latestby=cvpv"
        assert parse_nested_query(raw) == {
            "q": [{"pacticipant": "A", "version": "1"}, {"pacticipant": "B", "latest": "true", "tag": "prod"}],
            "latestby": "cvpv",
        }

    def test_percent_encoded_brackets_and_values_are_decoded(self) -> None:
        raw = "q%5B%5D%5Bpacticipant%5D=My+App&q%5B%5D%5Bversion%5D=1.2%2B3&environment=prod%20eu"
        assert parse_nested_query(raw) == {
            "q": [{"pacticipant": "My App", "version": "1.2+3"}],
            "environment": "prod eu",
        }

    def test_lists_hashes_and_last_scalar_wins(self) -> None:
        raw = "ignore[]=a&ignore[][pacticipant]=b&ignore[][version]=2&x=1&x=2&h[k]=v&&=novalue"
        assert parse_nested_query(raw) == {
            "ignore": ["a", {"pacticipant": "b", "version": "2"}],
            "x": "2",
            "h": {"k": "v"},
        }

    def test_conflicting_or_deep_nesting_is_invalid(self) -> None:
        with pytest.raises(InvalidInput):
            parse_nested_query("q=1&q[][pacticipant]=A")
        with pytest.raises(InvalidInput):
            parse_nested_query("q[][a][b]=1")
        assert parse_nested_query("") == {}


class TestMatrixQuery:
    def test_what_can_i_deploy_sends(self) -> None:
        query = matrix_query(
            "q[][pacticipant]=web&q[][version]=1&q[][pacticipant]=api&q[][latest]=true&q[][tag]=prod"
            "&ignore[][pacticipant]=auth&ignore[][pacticipant]=db&ignore[][version]=3&latestby=cvpv"
        )
        assert query == MatrixQuery(
            selectors=(
                Selector(service="web", version="1"),
                Selector(service="api", latest=True, tag="prod"),
            ),
            latestby="cvpv",
            ignore=(IgnoreSelector(service="auth"), IgnoreSelector(service="db", version="3")),
        )

    def test_destinations(self) -> None:
        merge = matrix_query("q[][pacticipant]=web&q[][version]=1&latestby=cvp&latest=true&mainBranch=true")
        assert (merge.main_branch, merge.latest, merge.latestby, merge.infers_integrations) == (True, True, "cvp", True)
        deploy = matrix_query("q[][pacticipant]=web&q[][branch]=main&q[][latest]=true&environment=production")
        assert deploy.selectors == (Selector(service="web", branch="main", latest=True),)
        assert deploy.environment == "production"
        assert deploy.limit == 100

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("latestby=cvp", "Please provide 1 or more version selectors."),
            ("q[][version]=1", "Please specify the pacticipant name"),
            ("q[][pacticipant]=a&q[][version]=1&q[][latest]=true", "A version number and latest flag"),
            ("q[][pacticipant]=a&tag=prod&environment=production", "Cannot specify more than one of tag"),
            ("q[][pacticipant]=a&latest=true&environment=production", "Cannot specify both latest=true"),
            ("q[][pacticipant]=a&limit=0", "The limit must be 1 or greater."),
            ("q[][pacticipant]=a&limit=x", "The limit must be 1 or greater."),
            ("q[][pacticipant]=a&limit=100000", "The limit must be 1000 or less."),
            ("q[][pacticipant]=a&latestby=pv", "latestby must be one of"),
            ("q[][pacticipant]=a&ignore[][version]=1", "Please specify the pacticipant name to ignore"),
        ],
    )
    def test_invalid_queries(self, raw: str, message: str) -> None:
        with pytest.raises(InvalidInput) as raised:
            matrix_query(raw)
        assert any(message in error.detail for error in raised.value.errors)

    def test_simplified_can_i_deploy(self) -> None:
        by_version = can_i_deploy_query("pacticipant=web&version=1&environment=production&ignore[]=auth")
        assert by_version == MatrixQuery(
            selectors=(Selector(service="web", version="1"),),
            environment="production",
            latestby="cvpv",
            ignore=(IgnoreSelector(service="auth"),),
        )
        by_branch = can_i_deploy_query("pacticipant=web&branch=main&to=prod")
        assert by_branch.selectors == (Selector(service="web", branch="main", latest=True),)
        assert (by_branch.tag, by_branch.latest, by_branch.latestby) == ("prod", True, "cvp")
        for raw in ("version=1&environment=e", "pacticipant=a&environment=e", "pacticipant=a&version=1",
                    "pacticipant=a&version=1&environment=e&to=t", "pacticipant=a&version=1&branch=b&to=t"):  # fmt: skip
            with pytest.raises(InvalidInput):
                can_i_deploy_query(raw)


# --- Badges, rendering only --------------------------------------------------------------------------------


def parse_svg(text: str) -> ET.Element:
    root = ET.fromstring(text)  # noqa: S314 - our own SVG, parsed to prove it is well-formed
    assert root.tag == f"{SVG_NS}svg"
    return root


def test_badge_svg_is_valid_escaped_and_sized_to_its_text() -> None:
    short = parse_svg(render_badge(Badge(label="pact", status="verified", color="brightgreen")))
    long = parse_svg(render_badge(Badge(label="a much longer label here", status="verified", color="brightgreen")))
    assert float(long.attrib["width"]) > float(short.attrib["width"]) + 100
    texts = [element.text for element in short.iter(f"{SVG_NS}text")]
    assert texts == ["pact", "pact", "verified", "verified"]
    assert short.find(f"{SVG_NS}title") is not None
    assert "#4c1" in render_badge(Badge(label="x", status="y", color="brightgreen"))

    hostile = render_badge(Badge(label='<script>alert("x")</script> & \x07', status="a\"b'", color="red"))
    root = parse_svg(hostile)
    assert "<script>" not in hostile
    assert next(element.text for element in root.iter(f"{SVG_NS}text")) == '<script>alert("x")</script> & '
    assert text_width("WWW") > text_width("iii") > 0
    assert text_width("漢字") == 22.0


# --- The matrix over HTTP ------------------------------------------------------------------------------------


@pytest.fixture
def broker(client: Any, tenant_a: Any) -> Broker:
    return Broker(client, tenant_a.headers())


def get_matrix(client: Any, tenant: Any, url: str, status: int = 200) -> dict[str, Any]:
    response = client.get(url, headers=tenant.headers())
    assert response.status_code == status, response.text
    return dict(response.json())


TO_PRODUCTION = {"latestby": "cvpv", "environment": "production"}


class TestMatrix:
    def test_deployable_answer_has_the_brokers_shape(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api", branch="main")
        broker.label("web", "1", tags=("prod",))
        broker.deploy("api", "10")
        broker.verify("api", "10", "web", "1", branch="main")

        response = client.get(
            matrix_url({"pacticipant": "web", "version": "1"}, **TO_PRODUCTION), headers=tenant_a.headers()
        )
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/hal+json")
        body = response.json()
        assert body["summary"] == {
            "deployable": True,
            "reason": "All required verification results are published and successful",
            "success": 1,
            "failed": 0,
            "unknown": 0,
        }
        assert body["notices"] == [
            {"type": "success", "text": "All required verification results are published and successful"}
        ]
        [row] = body["matrix"]
        base = "http://testserver.local"
        main_branch_version = {
            "name": "main",
            "_links": {"self": {"href": f"{base}/pacticipants/web/branches/main/versions/1"}},
        }
        assert row["consumer"] == {
            "name": "web",
            "version": {
                "number": "1",
                "branch": "main",
                "branches": [main_branch_version],
                "branchVersions": [main_branch_version],
                "tags": [
                    {"name": "prod", "_links": {"self": {"href": f"{base}/pacticipants/web/versions/1/tags/prod"}}}
                ],
                "_links": {"self": {"href": f"{base}/pacticipants/web/versions/1", "title": "Version"}},
            },
            "_links": {"self": {"href": f"{base}/pacticipants/web"}},
        }
        assert row["provider"]["name"] == "api"
        assert row["provider"]["version"]["number"] == "10"
        assert row["provider"]["version"]["branch"] == "main"
        assert row["pact"]["_links"]["self"]["href"] == f"{base}/pacts/provider/api/consumer/web/version/1"
        assert row["pact"]["createdAt"].endswith("+00:00")
        verification = row["verificationResult"]
        assert verification["success"] is True
        assert verification["verifiedAt"].endswith("+00:00")
        assert verification["_links"]["self"]["href"].startswith(
            f"{base}/pacts/provider/api/consumer/web/pact-version/"
        )

    def test_failed_missing_and_absent_verifications(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api")
        broker.deploy("other", "1")  # production exists, api isn't in it
        url = matrix_url({"pacticipant": "web", "version": "1"}, **TO_PRODUCTION)

        absent = get_matrix(client, tenant_a, url)
        assert absent["summary"]["deployable"] is False
        assert absent["summary"]["reason"] == (
            "There is no verified pact between version 1 of web and a version of api currently in production "
            "(no version is currently recorded as deployed/released in this environment)"
        )
        assert absent["matrix"][0]["provider"]["version"] is None
        assert absent["matrix"][0]["verificationResult"] is None

        broker.deploy("api", "10")
        missing = get_matrix(client, tenant_a, url)
        assert missing["summary"]["deployable"] is None
        assert missing["summary"]["unknown"] == 1
        assert missing["notices"] == [
            {
                "type": "error",
                "text": "There is no verified pact between version 1 of web and the version of api currently in "
                "production (10)",
            }
        ]
        assert missing["matrix"][0]["provider"]["version"]["number"] == "10"
        assert missing["matrix"][0]["verificationResult"] is None

        broker.verify("api", "10", "web", "1", success=False)
        failed = get_matrix(client, tenant_a, url)
        assert failed["summary"]["deployable"] is False
        assert failed["summary"]["failed"] == 1
        assert failed["summary"]["reason"] == (
            "The verification for the pact between version 1 of web and the version of api currently in "
            "production (10) failed"
        )
        assert failed["matrix"][0]["verificationResult"]["success"] is False

        unknown_version = get_matrix(
            client, tenant_a, matrix_url({"pacticipant": "web", "version": "9"}, **TO_PRODUCTION)
        )
        assert unknown_version["summary"]["deployable"] is False
        assert (
            unknown_version["summary"]["reason"] == "No pacts or verifications have been published for version 9 of web"
        )

    def test_a_provider_must_have_verified_every_consumer_version_in_the_environment(
        self, client: Any, broker: Broker, tenant_a: Any
    ) -> None:
        broker.record("web", "1", "api", "/a")
        broker.record("web", "2", "api", "/b")
        broker.record("mobile", "5", "api", "/m")
        broker.deploy("web", "1")
        broker.deploy("web", "2", "staging")
        broker.verify("api", "11", "web", "1")
        url = matrix_url({"pacticipant": "api", "version": "11"}, **TO_PRODUCTION)
        answer = get_matrix(client, tenant_a, url)
        assert answer["summary"]["deployable"] is True
        assert [(r["consumer"]["version"]["number"], r["provider"]["version"]["number"]) for r in answer["matrix"]] == [
            ("1", "11")
        ]

        broker.deploy("web", "2")  # replaces web 1 in production: not verified by api 11
        answer = get_matrix(client, tenant_a, url)
        assert answer["summary"]["deployable"] is None
        assert (
            "There is no verified pact between the version of web currently in production (2) and version 11 of api"
            in answer["summary"]["reason"]
        )

    def test_the_latest_tagged_version_of_a_named_provider(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api")
        broker.verify("api", "10", "web", "1")
        broker.label("api", "10", tags=("prod",))
        url = matrix_url(
            {"pacticipant": "web", "version": "1"},
            {"pacticipant": "api", "latest": "true", "tag": "prod"},
            latestby="cvpv",
        )
        assert get_matrix(client, tenant_a, url)["summary"]["deployable"] is True

        broker.label("api", "11", tags=("prod",))  # newer prod version, never verified web 1
        later = get_matrix(client, tenant_a, url)
        assert later["summary"]["deployable"] is None
        assert later["summary"]["reason"] == (
            "There is no verified pact between version 1 of web and the latest version of api with tag prod (11)"
        )
        assert later["matrix"][0]["provider"]["version"]["tags"][0]["name"] == "prod"

        none = get_matrix(
            client,
            tenant_a,
            matrix_url({"pacticipant": "web", "version": "1"}, {"pacticipant": "api", "latest": "true", "tag": "nope"}),
        )
        assert none["summary"]["deployable"] is False
        assert "No version with tag nope exists for api" in none["summary"]["reason"]

    def test_latest_versions_and_warnings_without_a_destination(
        self, client: Any, broker: Broker, tenant_a: Any
    ) -> None:
        broker.record("web", "1", "api")
        broker.verify("api", "10", "web", "1")
        url = matrix_url({"pacticipant": "web", "version": "1"}, latestby="cvp", latest="true")
        answer = get_matrix(client, tenant_a, url)
        assert answer["summary"]["deployable"] is True
        assert answer["notices"][0] == {
            "type": "warning",
            "text": "WARN: It is recommended to specify the environment into which you are deploying. Without the "
            "environment, this result will not be reliable.",
        }
        broker.verify("api", "9", "web", "1", success=False)  # an older build, created after 10: now the latest
        assert get_matrix(client, tenant_a, url)["summary"]["deployable"] is False

    def test_can_i_merge_checks_the_main_branch_heads(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "2", "api", branch="feature")
        broker.verify("api", "20", "web", "2", branch="main")
        broker.verify("api", "21", "web", "2", branch="feature", success=False)
        url = matrix_url({"pacticipant": "web", "version": "2"}, latestby="cvp", latest="true", mainBranch="true")
        answer = get_matrix(client, tenant_a, url)
        assert answer["summary"]["deployable"] is True
        assert answer["matrix"][0]["provider"]["version"]["number"] == "20"

        broker.verify("api", "22", "web", "2", branch="main", success=False)
        failed = get_matrix(client, tenant_a, url)
        assert failed["summary"]["deployable"] is False
        assert "the latest version of api from branch main (22)" in failed["summary"]["reason"]

    def test_branch_head_selector(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api", branch="main")
        broker.record("web", "2", "api", "/b", branch="main")
        broker.deploy("api", "10")
        broker.verify("api", "10", "web", "1")
        url = matrix_url({"pacticipant": "web", "branch": "main", "latest": "true"}, **TO_PRODUCTION)
        answer = get_matrix(client, tenant_a, url)
        assert answer["summary"]["deployable"] is None  # the head is web 2
        assert answer["matrix"][0]["consumer"]["version"]["number"] == "2"
        assert any("recommended to specify the version number" in n["text"] for n in answer["notices"])

    def test_ignore(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api")
        broker.record("web", "1", "auth", "/login")
        broker.deploy("api", "10")
        broker.verify("api", "10", "web", "1")
        url = matrix_url({"pacticipant": "web", "version": "1"}, **TO_PRODUCTION)
        assert get_matrix(client, tenant_a, url)["summary"]["deployable"] is False  # auth isn't deployed

        ignored = get_matrix(client, tenant_a, url + "&ignore[][pacticipant]=auth&ignore[][pacticipant]=ghost")
        assert ignored["summary"]["deployable"] is True
        assert ignored["summary"]["ignored"] == 1
        assert [(r["provider"]["name"], r.get("ignored", False)) for r in ignored["matrix"]] == [
            ("api", False),
            ("auth", True),
        ]
        assert {"type": "warning", "text": "WARN: Cannot ignore any version of ghost (no such pacticipant exists)"} in (
            ignored["notices"]
        )

    def test_every_verdict_without_latestby(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api")
        broker.verify("api", "10", "web", "1", success=False)
        broker.verify("api", "10", "web", "1")
        pair = matrix_url({"pacticipant": "web"}, {"pacticipant": "api"})
        assert [r["verificationResult"]["success"] for r in get_matrix(client, tenant_a, pair)["matrix"]] == [
            True,
            False,
        ]
        latest = get_matrix(client, tenant_a, pair + "&latestby=cvpv")
        assert [r["verificationResult"]["success"] for r in latest["matrix"]] == [True]
        lone = get_matrix(client, tenant_a, matrix_url({"pacticipant": "api", "version": "10"}, latestby="cvpv"))
        assert [(r["consumer"]["name"], r["verificationResult"]["success"]) for r in lone["matrix"]] == [("web", True)]

    def test_invalid_queries_get_pact_shaped_errors(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api")
        no_selectors = client.get("/matrix?latestby=cvp", headers=tenant_a.headers())
        # The broker's matrix answers 400 with its messages as a plain list.
        assert no_selectors.status_code == 400
        assert no_selectors.headers["content-type"] == "application/hal+json;charset=utf-8"
        assert no_selectors.json()["errors"] == ["Please provide 1 or more version selectors."]

        unknown = get_matrix(client, tenant_a, matrix_url({"pacticipant": "nobody", "version": "1"}), 400)
        assert unknown["errors"] == ["Pacticipant nobody not found"]
        nowhere = matrix_url({"pacticipant": "web", "version": "1"}, environment="nowhere")
        assert get_matrix(client, tenant_a, nowhere, 400)["errors"] == [
            "Environment with name 'nowhere' does not exist"
        ]
        problem = client.get(nowhere, headers={**tenant_a.headers(), "Accept": "application/problem+json"})
        assert problem.status_code == 422
        assert problem.json()["type"] == "urn:accord:problem:validation-failed"
        assert client.get(nowhere).status_code == 401

    def test_statements_per_query_do_not_grow_with_history(
        self, client: Any, broker: Broker, tenant_a: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from accord.matrix.query_repository import MatrixQueryRepository

        calls: list[str] = []
        original = MatrixQueryRepository.fetch_records

        async def counting(self: MatrixQueryRepository, sql: str, *args: Any) -> Any:
            calls.append(sql)
            return await original(self, sql, *args)

        monkeypatch.setattr(MatrixQueryRepository, "fetch_records", counting)
        broker.record("web", "1", "api")
        broker.deploy("api", "10")
        broker.verify("api", "10", "web", "1")
        url = matrix_url({"pacticipant": "web", "version": "1"}, **TO_PRODUCTION)
        get_matrix(client, tenant_a, url)
        few = len(calls)
        for number in range(2, 12):
            broker.record("web", str(number), "api", f"/{number}")
            broker.record("mobile", str(number), "api", f"/m{number}")
            broker.verify("api", "10", "web", str(number))
            broker.deploy("mobile", str(number))
        calls.clear()
        assert get_matrix(client, tenant_a, url)["summary"]["deployable"] is True
        assert len(calls) == few <= 4


class TestCanIDeploy:
    def test_by_version_branch_and_tag(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api", branch="main")
        broker.deploy("api", "10")
        broker.verify("api", "10", "web", "1")
        by_version = get_matrix(client, tenant_a, "/can-i-deploy?pacticipant=web&version=1&environment=production")
        assert by_version["summary"]["deployable"] is True
        assert by_version["matrix"][0]["provider"]["version"]["number"] == "10"
        by_branch = get_matrix(client, tenant_a, "/can-i-deploy?pacticipant=web&branch=main&environment=production")
        assert by_branch["summary"]["deployable"] is True
        assert by_branch["matrix"][0]["consumer"]["version"]["number"] == "1"

        broker.label("api", "10", tags=("prod",))
        by_tag = get_matrix(client, tenant_a, "/can-i-deploy?pacticipant=web&version=1&to=prod")
        assert by_tag["summary"]["deployable"] is True
        broker.record("web", "1", "auth", "/login")
        blocked = get_matrix(client, tenant_a, "/can-i-deploy?pacticipant=web&version=1&environment=production")
        assert blocked["summary"]["deployable"] is False
        ignoring = "/can-i-deploy?pacticipant=web&version=1&environment=production&ignore[]=auth"
        assert get_matrix(client, tenant_a, ignoring)["summary"]["deployable"] is True

    def test_path_addressed_forms(self, client: Any, broker: Broker, tenant_a: Any, run: Any) -> None:
        broker.record("web", "1", "api", branch="main")
        broker.label("web", "1", tags=("rc",))
        broker.deploy("api", "10")
        broker.verify("api", "10", "web", "1")
        tagged = get_matrix(client, tenant_a, "/pacticipants/web/latest-version/rc/can-i-deploy/to/production")
        assert tagged["summary"]["deployable"] is True
        deployability = deployability_service(tenant_a.id)
        assert run(deployability.branch_head_to, "web", "main", "production").deployable is True
        broker.label("api", "10", tags=("prod",))
        to_tag = get_matrix(client, tenant_a, "/pacticipants/web/latest-version/rc/can-i-deploy/to/prod")
        assert to_tag["summary"]["deployable"] is True

        for missing in (
            "/pacticipants/nobody/latest-version/rc/can-i-deploy/to/production",
            "/pacticipants/web/latest-version/nope/can-i-deploy/to/production",
        ):
            response = client.get(missing, headers=tenant_a.headers())
            assert response.status_code == 404, missing
            assert "errors" in response.json()
        for branch, environment in (("nope", "production"), ("main", "nowhere")):
            with pytest.raises(NotFound):
                require_found(run(deployability.branch_head_to, "web", branch, environment))

    def test_invalid_parameters(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api")
        missing = get_matrix(client, tenant_a, "/can-i-deploy?pacticipant=web", 400)
        assert missing["errors"] == [
            "is missing (or give branch= for the latest version of a branch)",
            "Must specify either an environment or a 'to' tag.",
        ]
        unknown = get_matrix(client, tenant_a, "/can-i-deploy?pacticipant=nobody&version=1&environment=x", 400)
        assert unknown["errors"] == ["Pacticipant nobody not found", "Environment with name 'x' does not exist"]


def get_badge(client: Any, tenant: Any, url: str) -> tuple[str, str]:
    response = client.get(url, headers=tenant.headers())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "no-cache"
    texts = [element.text or "" for element in parse_svg(response.text).iter(f"{SVG_NS}text")]
    return texts[1], texts[3]


class TestBadges:
    def test_pact_badges_follow_the_newest_pact_and_verdict(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        url = "/pacts/provider/api/consumer/web-app/latest/badge"
        assert get_badge(client, tenant_a, url) == ("pact not found", "unknown")
        broker.record("web-app", "1", "api")
        assert get_badge(client, tenant_a, url) == ("web-app/api pact", "unknown")
        broker.verify("api", "10", "web-app", "1")
        assert get_badge(client, tenant_a, url) == ("web-app/api pact", "verified")
        assert get_badge(client, tenant_a, url + "?label=consumer") == ("web-app pact", "verified")
        assert get_badge(client, tenant_a, url + "?initials=true") == ("wa/api pact", "verified")
        broker.record("web-app", "2", "api", "/changed")
        assert get_badge(client, tenant_a, url) == ("web-app/api pact", "changed")
        broker.verify("api", "10", "web-app", "2", success=False)
        assert get_badge(client, tenant_a, url) == ("web-app/api pact", "failed")

        broker.label("web-app", "1", tags=("prod",))
        tagged = "/pacts/provider/api/consumer/web-app/latest/prod/badge"
        assert get_badge(client, tenant_a, tagged) == ("web-app (prod)/api pact", "verified")
        assert get_badge(client, tenant_a, "/pacts/provider/api/consumer/web-app/latest-untagged/badge")[1] == "failed"
        broker.label("api", "10", tags=("live",))
        matrix = "/matrix/provider/api/latest/live/consumer/web-app/latest/prod/badge"
        assert get_badge(client, tenant_a, matrix) == ("web-app (prod)/api (live) pact", "verified")

    def test_can_i_deploy_and_can_i_merge_badges(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api", branch="main")
        broker.label("web", "1", tags=("rc",))
        broker.deploy("api", "10")
        tagged = "/pacticipants/web/latest-version/rc/can-i-deploy/to/production/badge"
        assert get_badge(client, tenant_a, tagged) == ("can-i-deploy rc to production", "unknown")
        broker.verify("api", "10", "web", "1", branch="main")
        assert get_badge(client, tenant_a, tagged) == ("can-i-deploy rc to production", "deployable")
        assert get_badge(client, tenant_a, tagged + "?label=web") == ("web", "deployable")
        head = "/pacticipants/web/branches/main/latest-version/can-i-deploy/to-environment/production/badge"
        assert get_badge(client, tenant_a, head) == ("can-i-deploy main to production", "deployable")
        merge = "/pacticipants/web/main-branch/can-i-merge/badge"
        assert get_badge(client, tenant_a, merge) == ("can-i-merge", "success")

        broker.verify("api", "11", "web", "1", branch="main", success=False)
        assert get_badge(client, tenant_a, merge) == ("can-i-merge", "failed")
        broker.deploy("api", "11")
        assert get_badge(client, tenant_a, head) == ("can-i-deploy main to production", "not deployable")

    def test_unknown_names_render_unknown_badges(self, client: Any, broker: Broker, tenant_a: Any) -> None:
        broker.record("web", "1", "api", branch="main")
        for url in (
            "/pacts/provider/nobody/consumer/web/latest/badge",
            "/pacticipants/nobody/latest-version/rc/can-i-deploy/to/production/badge",
            "/pacticipants/web/latest-version/nope/can-i-deploy/to/production/badge",
            "/pacticipants/nobody/main-branch/can-i-merge/badge",
            "/pacticipants/api/main-branch/can-i-merge/badge",  # no main branch version
        ):
            assert get_badge(client, tenant_a, url)[1] == "unknown", url
        assert client.get("/pacts/provider/api/consumer/web/latest/badge").status_code == 401


def test_isolation(client: Any, broker: Broker, tenant_a: Any, tenant_b: Any) -> None:
    broker.record("web", "1", "api", branch="main")
    broker.label("web", "1", tags=("rc",))
    broker.deploy("api", "10")
    broker.verify("api", "10", "web", "1", branch="main")
    a_url = matrix_url({"pacticipant": "web", "version": "1"}, **TO_PRODUCTION)
    assert get_matrix(client, tenant_a, a_url)["summary"]["deployable"] is True

    assert "Pacticipant web not found" in get_matrix(client, tenant_b, a_url, 400)["errors"]
    assert get_matrix(client, tenant_b, "/can-i-deploy?pacticipant=web&version=1&environment=production", 400)
    assert (
        client.get(
            "/pacticipants/web/latest-version/rc/can-i-deploy/to/production", headers=tenant_b.headers()
        ).status_code
        == 404
    )
    for url in (
        "/pacts/provider/api/consumer/web/latest/badge",
        "/pacts/provider/api/consumer/web/latest/rc/badge",
        "/pacts/provider/api/consumer/web/latest-untagged/badge",
        "/matrix/provider/api/latest/rc/consumer/web/latest/rc/badge",
        "/pacticipants/web/latest-version/rc/can-i-deploy/to/production/badge",
        "/pacticipants/web/main-branch/can-i-merge/badge",
    ):
        assert get_badge(client, tenant_b, url)[1] == "unknown", url

    # B's own data of the same names doesn't mix with A's either.
    Broker(client, tenant_b.headers()).record("web", "1", "api")
    Broker(client, tenant_b.headers()).deploy("api", "10")
    b_answer = get_matrix(client, tenant_b, a_url)
    assert b_answer["summary"]["deployable"] is None
    assert b_answer["matrix"][0]["verificationResult"] is None
    assert get_matrix(client, tenant_a, a_url)["summary"]["deployable"] is True


# --- The real `pact` CLI against a live server ---------------------------------------------------------------

PACT = str(Path(sys.executable).parent / "pact")


@pytest.fixture
def live_broker(live_server: Any, live_tenant: Any) -> Any:
    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        yield Broker(http, live_tenant.headers())


def pact_broker(live_server: Any, live_tenant: Any, command: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PACT, "broker", command, "--broker-base-url", live_server.base_url, "--broker-token", live_tenant.read_key,
         "--retries", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip


@pytest.mark.e2e
class TestCli:
    def test_can_i_deploy_to_an_environment(self, live_server: Any, live_tenant: Any, live_broker: Broker) -> None:
        live_broker.record("web", "1", "api")
        live_broker.record("web", "2", "api", "/b")
        live_broker.deploy("other", "1")
        args = ("--pacticipant", "web", "--version", "1", "--to-environment", "production")

        absent = pact_broker(live_server, live_tenant, "can-i-deploy", *args)
        assert absent.returncode != 0, absent.stdout
        assert "Computer says no" in absent.stdout
        assert "a version of api currently in production (no version is currently recorded" in absent.stdout

        live_broker.deploy("api", "10")
        missing = pact_broker(live_server, live_tenant, "can-i-deploy", *args)
        assert missing.returncode != 0
        assert "There is no verified pact between version 1 of web and the version of api currently" in missing.stdout

        live_broker.verify("api", "10", "web", "1")
        yes = pact_broker(live_server, live_tenant, "can-i-deploy", *args)
        assert yes.returncode == 0, yes.stdout + yes.stderr
        assert "Computer says yes" in yes.stdout
        assert "All required verification results are published and successful" in yes.stdout

        live_broker.verify("api", "10", "web", "2", success=False)
        failed = pact_broker(
            live_server, live_tenant, "can-i-deploy", "-a", "web", "-e", "2", "--to-environment", "production"
        )
        assert failed.returncode != 0
        assert "The verification for the pact between version 2 of web and the version of api" in failed.stdout

        unknown = pact_broker(
            live_server, live_tenant, "can-i-deploy", "-a", "web", "-e", "1", "--to-environment", "nowhere"
        )
        assert unknown.returncode != 0
        assert "Environment with name 'nowhere' does not exist" in unknown.stdout

    def test_ignore_branch_latest_and_basic_auth(self, live_server: Any, live_tenant: Any, live_broker: Broker) -> None:
        live_broker.record("web", "1", "api", branch="main")
        live_broker.record("web", "1", "auth", "/login")
        live_broker.deploy("api", "10")
        live_broker.verify("api", "10", "web", "1")
        args = ("-a", "web", "-e", "1", "--to-environment", "production")
        assert pact_broker(live_server, live_tenant, "can-i-deploy", *args).returncode != 0  # auth isn't deployed
        ignoring = pact_broker(live_server, live_tenant, "can-i-deploy", *args, "--ignore", "auth")
        assert ignoring.returncode == 0, ignoring.stdout

        head = ("-a", "web", "--branch", "main", "--latest", "--to-environment", "production", "--ignore", "auth")
        assert pact_broker(live_server, live_tenant, "can-i-deploy", *head).returncode == 0

        basic = subprocess.run(
            [PACT, "broker", "can-i-deploy", "--broker-base-url", live_server.base_url, "-u", "ci", "-p",
             live_tenant.read_key, *args, "--ignore", "auth"],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert basic.returncode == 0, basic.stdout
        wrong = subprocess.run(
            [PACT, "broker", "can-i-deploy", "--broker-base-url", live_server.base_url, "-k", "acc_nope",
             "--retries", "0", *args],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert wrong.returncode != 0

    def test_can_i_merge(self, live_server: Any, live_tenant: Any, live_broker: Broker) -> None:
        live_broker.record("web", "2", "api", branch="feature")
        live_broker.verify("api", "20", "web", "2", branch="main")
        merge = pact_broker(live_server, live_tenant, "can-i-merge", "--pacticipant", "web", "--version", "2")
        assert merge.returncode == 0, merge.stdout + merge.stderr
        assert "Computer says yes" in merge.stdout

        live_broker.verify("api", "21", "web", "2", branch="main", success=False)
        blocked = pact_broker(live_server, live_tenant, "can-i-merge", "--pacticipant", "web", "--version", "2")
        assert blocked.returncode != 0
        assert "the latest version of api from branch main (21) failed" in blocked.stdout

    def test_json_output_is_our_response(self, live_server: Any, live_tenant: Any, live_broker: Broker) -> None:
        live_broker.record("web", "1", "api")
        live_broker.deploy("api", "10")
        live_broker.verify("api", "10", "web", "1")
        result = pact_broker(
            live_server, live_tenant, "can-i-deploy", "-a", "web", "-e", "1", "--to-environment", "production",
            "--output", "json",
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        body = json.loads(result.stdout.strip().splitlines()[-1])
        assert body["summary"]["deployable"] is True
        [row] = body["matrix"]
        assert (row["consumer"]["name"], row["consumer"]["version"]["number"]) == ("web", "1")
        assert (row["provider"]["name"], row["provider"]["version"]["number"]) == ("api", "10")
        assert row["verificationResult"]["success"] is True
        assert row["verificationResult"]["_links"]["self"]["href"].startswith(live_server.base_url + "/pacts/")


def test_branch_head_isolation(broker: Broker, tenant_a: Any, tenant_b: Any, run: Any) -> None:
    broker.record("web", "1", "api", branch="main")
    broker.deploy("api", "10")
    assert run(deployability_service(tenant_a.id).branch_head_to, "web", "main", "production").deployable is None
    answer = run(deployability_service(tenant_b.id).branch_head_to, "web", "main", "production")
    with pytest.raises(NotFound):
        require_found(answer)
    badge = deployability_badge(answer, "can-i-deploy main to production")
    assert (badge.status, badge.detail) == ("unknown", "pacticipant not found")


def test_concurrent_queries_while_verifications_arrive(client: Any, broker: Broker, tenant_a: Any, run: Any) -> None:
    from accord.composition import verification_service
    from accord.verification.schemas import ContractRef, VerificationResultCreate

    broker.record("web", "1", "api")
    broker.deploy("api", "10")
    sha = client.get("/api/contracts/web/1/api", headers=tenant_a.headers()).json()["sha"]
    query = MatrixQuery(selectors=(Selector(service="web", version="1"),), environment="production", latestby="cvpv")

    async def race() -> list[Any]:
        queries, verifications = matrix_query_service(tenant_a.id), verification_service(tenant_a.id)
        result = VerificationResultCreate(
            provider_version="10", contract=ContractRef(consumer="web", sha=sha), success=True
        )
        return await asyncio.gather(
            *(queries.answer(query) for _ in range(8)), *(verifications.record("api", result) for _ in range(4))
        )

    outcomes = run(race)
    assert {answer.deployable for answer in outcomes[:8]} <= {None, True}
    listed = client.get("/api/verification/api/results", headers=tenant_a.headers()).json()["items"]
    assert len(listed) == 4
    final = get_matrix(client, tenant_a, matrix_url({"pacticipant": "web", "version": "1"}, **TO_PRODUCTION))
    assert final["summary"]["deployable"] is True
    assert len(final["matrix"]) == 1  # the newest of the four verdicts by api 10
