"""Provider specs: upload (JSON, YAML), validation, idempotence and replacement, reads, isolation, races;
and the operation resolver the interactions slice names requests with."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import pytest
import yaml

from accord.composition import spec_service
from accord.errors import AppError, InvalidInput
from accord.specs.documents import DocumentTooLarge, parse_document
from accord.specs.operations import OperationIndex, OperationIndexCache
from accord.specs.repository import SpecRepository
from accord.specs.validation import validate_openapi

URL = "/api/services/orders/versions/{}/spec"
PROBLEM = "urn:accord:problem:"


def make_swagger_spec() -> dict[str, Any]:
    ok = {"200": {"description": "ok"}}
    param = {"name": "id", "in": "path", "required": True, "type": "string"}
    return {
        "swagger": "2.0",
        "info": {"title": "Orders", "version": "1"},
        "paths": {"/orders/{id}": {"get": {"operationId": "getOrder", "parameters": [param], "responses": ok}}},
    }


def make_v3_spec() -> dict[str, Any]:
    """A small valid OpenAPI 3.0 document: three operations, two with an operationId."""
    ok = {"200": {"description": "ok"}}
    param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Orders", "version": "1"},
        "paths": {
            "/orders": {"get": {"operationId": "listOrders", "responses": ok}, "post": {"responses": ok}},
            "/orders/{id}": {"get": {"operationId": "getOrder", "parameters": [param], "responses": ok}},
        },
    }


def upload(client: Any, tenant: Any, version: str, body: str | bytes, media_type: str, **params: Any) -> Any:
    return client.post(
        URL.format(version),
        content=body,
        params=params,
        headers={**tenant.headers(tenant.write_key), "Content-Type": media_type},
    )


def upload_json(client: Any, tenant: Any, version: str, document: dict[str, Any], **params: Any) -> Any:
    return upload(client, tenant, version, json.dumps(document), "application/json", **params)


def spec_rows(run: Any, tenant: Any) -> int:
    async def count() -> int:
        return int(await SpecRepository(tenant.id).count())

    return int(run(count))


class TestUpload:
    def test_json_upload_creates_service_version_and_spec(self, client: Any, tenant_a: Any) -> None:
        response = upload_json(client, tenant_a, "1.0.0", make_v3_spec())
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["service"] == "orders"
        assert body["version"] == "1.0.0"
        assert body["openapi_version"] == "3.0.3"
        assert body["source_format"] == "json"
        assert body["operations"] == 3
        assert body["outcome"] == "created"
        assert len(body["content_sha"]) == 64
        assert client.get("/api/services/orders/versions/1.0.0", headers=tenant_a.headers()).status_code == 200

    @pytest.mark.parametrize("media_type", ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"])
    def test_yaml_upload(self, client: Any, tenant_a: Any, media_type: str) -> None:
        response = upload(client, tenant_a, "1", yaml.safe_dump(make_v3_spec()), f"{media_type}; charset=utf-8")
        assert response.status_code == 201, response.text
        assert response.json()["source_format"] == "yaml"

    @pytest.mark.parametrize("version", ["3.0.0", "3.0.3", "3.1.0", "2.0"])
    def test_openapi_3_0_3_1_and_swagger_2_are_accepted(self, client: Any, tenant_a: Any, version: str) -> None:
        document = make_swagger_spec() if version == "2.0" else {**make_v3_spec(), "openapi": version}
        response = upload_json(client, tenant_a, "1", document)
        assert response.status_code == 201, response.text
        assert response.json()["openapi_version"] == version

    @pytest.mark.parametrize("version", ["3.2.0", "4.0.0", "1.2"])
    def test_other_versions_are_refused(self, client: Any, tenant_a: Any, version: str) -> None:
        document = make_v3_spec()
        document["openapi"] = version
        response = upload_json(client, tenant_a, "1", document)
        assert response.status_code == 422
        assert response.json()["type"] == PROBLEM + "validation-failed"
        assert "3.0, 3.1 and Swagger 2.0" in response.json()["detail"]
        assert response.json()["errors"][0]["pointer"] == "/openapi"

    def test_unquoted_yaml_version_gets_a_hint(self, client: Any, tenant_a: Any) -> None:
        text = yaml.safe_dump(make_v3_spec()).replace("openapi: 3.0.3", "openapi: 3.0")
        response = upload(client, tenant_a, "1", text, "application/yaml")
        assert response.status_code == 422
        assert "quote it" in response.json()["detail"]

    def test_invalid_spec_is_422_with_the_validators_message_and_pointer(self, client: Any, tenant_a: Any) -> None:
        document = make_v3_spec()
        del document["info"]["version"]
        response = upload_json(client, tenant_a, "1", document)
        assert response.status_code == 422
        problem = response.json()
        assert problem["type"] == PROBLEM + "validation-failed"
        assert "'version' is a required property" in problem["detail"]
        assert problem["errors"] == [{"detail": "'version' is a required property", "pointer": "/info"}]
        assert client.get("/api/services/orders", headers=tenant_a.headers()).status_code == 404  # nothing created

    def test_unresolvable_reference_is_422(self, client: Any, tenant_a: Any) -> None:
        document = make_v3_spec()
        document["paths"]["/orders"]["get"]["responses"]["200"] = {"$ref": "#/components/responses/Missing"}
        response = upload_json(client, tenant_a, "1", document)
        assert response.status_code == 422
        assert "#/components/responses/Missing" in response.json()["detail"]

    @pytest.mark.parametrize("ref", ["https://example.com/order.json", "file:///etc/passwd", "other.yaml#/Order"])
    def test_external_references_are_refused_without_fetching(self, client: Any, tenant_a: Any, ref: str) -> None:
        document = make_v3_spec()
        document["paths"]["/orders"]["get"]["responses"]["200"] = {"$ref": ref}
        response = upload_json(client, tenant_a, "1", document)
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/paths/~1orders/get/responses/200/$ref"

    def test_malformed_yaml_is_422_with_the_parsers_message(self, client: Any, tenant_a: Any) -> None:
        response = upload(client, tenant_a, "1", "openapi: 3.0.3\ninfo: [unclosed\n", "application/yaml")
        assert response.status_code == 422
        assert response.json()["type"] == PROBLEM + "validation-failed"
        assert response.json()["detail"].startswith("YAML is malformed")

    def test_malformed_json_is_422(self, client: Any, tenant_a: Any) -> None:
        response = upload(client, tenant_a, "1", '{"openapi": ', "application/json")
        assert response.status_code == 422
        assert response.json()["type"] == PROBLEM + "validation-failed"
        assert "truncated" in response.json()["detail"] or "malformed" in response.json()["detail"]

    @pytest.mark.parametrize("body", ["", "[]", "just a string", "null"])
    def test_empty_or_non_object_documents_are_422(self, client: Any, tenant_a: Any, body: str) -> None:
        assert upload(client, tenant_a, "1", body, "application/yaml").status_code == 422

    def test_yaml_alias_bomb_is_refused(self, client: Any, tenant_a: Any) -> None:
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
        bomb = "openapi: 3.0.3\n" + "\n".join(lines) + "\n"
        response = upload(client, tenant_a, "1", bomb, "application/yaml")
        assert response.status_code == 413
        assert response.json()["type"] == PROBLEM + "payload-too-large"

    @pytest.mark.parametrize("media_type", ["text/plain", "application/xml", ""])
    def test_other_media_types_are_415(self, client: Any, tenant_a: Any, media_type: str) -> None:
        response = upload(client, tenant_a, "1", json.dumps(make_v3_spec()), media_type)
        assert response.status_code == 415
        assert response.json()["type"] == PROBLEM + "unsupported-media-type"

    def test_read_key_cannot_upload(self, client: Any, tenant_a: Any) -> None:
        response = client.post(
            URL.format("1"),
            content=json.dumps(make_v3_spec()),
            headers={**tenant_a.headers(tenant_a.read_key), "Content-Type": "application/json"},
        )
        assert response.status_code == 403

    def test_bad_version_number_is_422_not_500(self, client: Any, tenant_a: Any) -> None:
        response = upload_json(client, tenant_a, "x" * 300, make_v3_spec())
        assert response.status_code == 422


class TestIdempotenceAndReplacement:
    def test_same_content_in_any_formatting_is_unchanged(self, client: Any, tenant_a: Any, run: Any) -> None:
        document = make_v3_spec()
        first = upload_json(client, tenant_a, "1", document)
        assert first.status_code == 201
        # Same document: other key order, other whitespace, YAML instead of JSON.
        reordered = json.dumps(dict(reversed(list(document.items()))), indent=4)
        again = upload(client, tenant_a, "1", reordered, "application/json")
        as_yaml = upload(client, tenant_a, "1", yaml.safe_dump(document), "application/yaml")
        for response in (again, as_yaml):
            assert response.status_code == 200, response.text
            assert response.json()["outcome"] == "unchanged"
            assert response.json()["content_sha"] == first.json()["content_sha"]
            assert response.json()["created_at"] == first.json()["created_at"]
            assert response.json()["source_format"] == "json"  # a no-op keeps what was stored
        assert spec_rows(run, tenant_a) == 1

    def test_different_content_is_409_unless_replace(self, client: Any, tenant_a: Any) -> None:
        first = upload_json(client, tenant_a, "1", make_v3_spec())
        changed = make_v3_spec()
        changed["info"]["title"] = "Orders v2"

        refused = upload_json(client, tenant_a, "1", changed)
        assert refused.status_code == 409
        assert refused.json()["type"] == PROBLEM + "conflict"
        assert "replace=true" in refused.json()["detail"]
        stored = client.get(URL.format("1"), headers=tenant_a.headers()).json()
        assert stored["info"]["title"] == "Orders"

        replaced = upload_json(client, tenant_a, "1", changed, replace="true")
        assert replaced.status_code == 200
        assert replaced.json()["outcome"] == "replaced"
        assert replaced.json()["content_sha"] != first.json()["content_sha"]
        assert replaced.json()["created_at"] == first.json()["created_at"]
        assert client.get(URL.format("1"), headers=tenant_a.headers()).json()["info"]["title"] == "Orders v2"

    def test_replace_with_identical_content_is_unchanged(self, client: Any, tenant_a: Any) -> None:
        upload_json(client, tenant_a, "1", make_v3_spec())
        response = upload_json(client, tenant_a, "1", make_v3_spec(), replace="true")
        assert response.status_code == 200
        assert response.json()["outcome"] == "unchanged"


class TestRead:
    def test_get_returns_the_document_as_json(self, client: Any, tenant_a: Any) -> None:
        document = make_v3_spec()
        upload(client, tenant_a, "1", yaml.safe_dump(document), "application/yaml")
        response = client.get(URL.format("1"), headers=tenant_a.headers(tenant_a.read_key))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
        assert response.json() == document

    def test_original_format_round_trips_byte_for_byte(self, client: Any, tenant_a: Any) -> None:
        text = (
            "# Orders API, hand written\r\n"
            "openapi: '3.0.3'\r\n"
            "info: {title: Orders ünïcode 注文, version: '1'}   # trailing comment\r\n"
            "paths:\r\n"
            "  /orders:\r\n"
            "    get:\r\n"
            "      responses:\r\n"
            "        200: {description: ok}\r\n"
        ).encode()
        assert upload(client, tenant_a, "1", text, "application/yaml").status_code == 201
        original = client.get(URL.format("1"), params={"format": "original"}, headers=tenant_a.headers())
        assert original.status_code == 200
        assert original.headers["content-type"].startswith("application/yaml")
        assert original.content == text
        # YAML's integer status keys are JSON strings in the parsed document.
        parsed = client.get(URL.format("1"), headers=tenant_a.headers()).json()
        assert parsed["paths"]["/orders"]["get"]["responses"] == {"200": {"description": "ok"}}

        pretty = json.dumps(make_v3_spec(), indent=3).encode()
        assert upload(client, tenant_a, "2", pretty, "application/json").status_code == 201
        original = client.get(URL.format("2"), params={"format": "original"}, headers=tenant_a.headers())
        assert original.headers["content-type"].startswith("application/json")
        assert original.content == pretty

    def test_missing_spec_is_404(self, client: Any, tenant_a: Any) -> None:
        client.post("/api/services", json={"name": "orders"}, headers=tenant_a.headers())
        client.post("/api/services/orders/versions", json={"number": "1"}, headers=tenant_a.headers())
        for version in ("1", "2"):
            response = client.get(URL.format(version), headers=tenant_a.headers())
            assert response.status_code == 404
            assert response.json()["type"] == PROBLEM + "not-found"

    def test_unknown_format_is_422(self, client: Any, tenant_a: Any) -> None:
        upload_json(client, tenant_a, "1", make_v3_spec())
        response = client.get(URL.format("1"), params={"format": "xml"}, headers=tenant_a.headers())
        assert response.status_code == 422

    def test_list_newest_version_first_with_pages_and_filters(self, client: Any, tenant_a: Any) -> None:
        shas = {}
        for version, openapi in [("1", "3.0.3"), ("2", "3.1.0"), ("3", "3.0.3")]:
            document = make_v3_spec()
            document["openapi"] = openapi
            document["info"]["title"] = f"Orders {version}"
            shas[version] = upload_json(client, tenant_a, version, document).json()["content_sha"]
        client.post("/api/services/orders/versions", json={"number": "4"}, headers=tenant_a.headers())  # no spec

        page = client.get("/api/services/orders/specs", params={"limit": 2}, headers=tenant_a.headers()).json()
        assert [item["version"] for item in page["items"]] == ["3", "2"]
        assert page["items"][0]["content_sha"] == shas["3"]
        assert page["items"][1]["openapi_version"] == "3.1.0"
        assert set(page["items"][0]) == {
            "version", "content_sha", "openapi_version", "source_format", "self_verification", "created_at",
            "updated_at",
        }  # fmt: skip
        rest = client.get(
            "/api/services/orders/specs", params={"cursor": page["next_cursor"]}, headers=tenant_a.headers()
        ).json()
        assert [item["version"] for item in rest["items"]] == ["1"]
        assert rest["next_cursor"] is None

        def versions(**params: str) -> list[str]:
            body = client.get("/api/services/orders/specs", params=params, headers=tenant_a.headers()).json()
            return [item["version"] for item in body["items"]]

        assert versions(openapi_version="3.0") == ["3", "1"]
        assert versions(content_sha=shas["2"]) == ["2"]
        assert client.get("/api/services/nobody/specs", headers=tenant_a.headers()).status_code == 404
        bad_cursor = client.get("/api/services/orders/specs", params={"cursor": "zz"}, headers=tenant_a.headers())
        assert bad_cursor.status_code == 422


class TestDelete:
    def test_delete_removes_the_spec_only(self, client: Any, tenant_a: Any) -> None:
        upload_json(client, tenant_a, "1", make_v3_spec())
        assert client.delete(URL.format("1"), headers=tenant_a.headers(tenant_a.write_key)).status_code == 204
        assert client.get(URL.format("1"), headers=tenant_a.headers()).status_code == 404
        assert client.get("/api/services/orders/versions/1", headers=tenant_a.headers()).status_code == 200
        assert client.delete(URL.format("1"), headers=tenant_a.headers()).status_code == 404
        assert upload_json(client, tenant_a, "1", make_v3_spec()).status_code == 201


class TestIsolation:
    def test_tenant_b_can_neither_see_nor_change_a_spec(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        created = upload_json(client, tenant_a, "1", make_v3_spec()).json()
        b = tenant_b.headers()
        assert client.get(URL.format("1"), headers=b).status_code == 404
        assert client.get(URL.format("1"), params={"format": "original"}, headers=b).status_code == 404
        assert client.get("/api/services/orders/specs", headers=b).status_code == 404
        assert client.delete(URL.format("1"), headers=b).status_code == 404

        # B's upload to the same names creates B's own service, version and spec; A's is untouched.
        changed = make_v3_spec()
        changed["info"]["title"] = "B's"
        response = upload_json(client, tenant_b, "1", changed)
        assert response.status_code == 201
        assert response.json()["outcome"] == "created"
        assert client.get("/api/services/orders/specs", headers=b).json()["items"][0]["version"] == "1"
        a_spec = client.get(URL.format("1"), headers=tenant_a.headers()).json()
        assert a_spec["info"]["title"] == "Orders"
        listed = client.get("/api/services/orders/specs", headers=tenant_a.headers()).json()["items"]
        assert [item["content_sha"] for item in listed] == [created["content_sha"]]
        assert client.delete(URL.format("1"), headers=b).status_code == 204
        assert client.get(URL.format("1"), headers=tenant_a.headers()).status_code == 200


class TestConcurrency:
    def test_concurrent_identical_uploads_of_a_new_version_store_one_spec(
        self, client: Any, tenant_a: Any, run: Any
    ) -> None:
        raw = json.dumps(make_v3_spec()).encode()

        async def race() -> list[Any]:
            uploads = (spec_service(tenant_a.id).upload("orders", "9", raw, "json", replace=False) for _ in range(6))
            return await asyncio.gather(*uploads, return_exceptions=True)

        results = run(race)
        assert not [result for result in results if isinstance(result, BaseException)]
        assert sorted(result.outcome for result in results) == ["created"] + ["unchanged"] * 5
        assert spec_rows(run, tenant_a) == 1

    def test_concurrent_http_uploads_never_500(self, client: Any, tenant_a: Any, run: Any) -> None:
        body = json.dumps(make_v3_spec())

        async def race() -> list[int]:
            loop = asyncio.get_running_loop()
            calls = [loop.run_in_executor(None, upload, client, tenant_a, "7", body, "application/json")]
            calls.append(loop.run_in_executor(None, upload, client, tenant_a, "7", body, "application/json"))
            return [response.status_code for response in await asyncio.gather(*calls)]

        assert sorted(run(race)) == [200, 201]
        assert spec_rows(run, tenant_a) == 1

    def test_concurrent_different_uploads_keep_one_and_refuse_the_other(
        self, client: Any, tenant_a: Any, run: Any
    ) -> None:
        documents = [make_v3_spec(), make_v3_spec()]
        documents[1]["info"]["title"] = "Other"

        async def race() -> list[Any]:
            uploads = (
                spec_service(tenant_a.id).upload("orders", "1", json.dumps(d).encode(), "json", replace=False)
                for d in documents
            )
            return await asyncio.gather(*uploads, return_exceptions=True)

        results = run(race)
        assert sorted(type(result).__name__ for result in results) == ["Conflict", "SpecUpload"]
        assert spec_rows(run, tenant_a) == 1


class TestLatestOperationIndex:
    def test_uses_the_newest_version_with_a_spec(self, client: Any, tenant_a: Any, tenant_b: Any, run: Any) -> None:
        old = make_v3_spec()
        new = make_v3_spec()
        new["paths"]["/orders/{id}"]["get"]["operationId"] = "fetchOrder"
        upload_json(client, tenant_a, "1", old)
        upload_json(client, tenant_a, "2", new)
        client.post("/api/services/orders/versions", json={"number": "3"}, headers=tenant_a.headers())  # no spec
        provider_id = client.get("/api/services/orders", headers=tenant_a.headers()).json()["id"]

        async def lookup(tenant: Any) -> Any:
            return await spec_service(tenant.id).latest_operation_index(provider_id)

        index = run(lookup, tenant_a)
        assert index is not None
        assert index.resolve("GET", "/orders/42") == "fetchOrder"
        assert index.resolve("POST", "/orders") == "POST /orders"
        assert run(lookup, tenant_a) is index  # cached by content
        assert run(lookup, tenant_b) is None  # another tenant's provider has no spec for B

        client.delete(URL.format("2"), headers=tenant_a.headers())
        assert run(lookup, tenant_a).resolve("GET", "/orders/42") == "getOrder"

    def test_none_without_a_spec(self, client: Any, tenant_a: Any, run: Any) -> None:
        client.post("/api/services", json={"name": "orders"}, headers=tenant_a.headers())
        provider_id = client.get("/api/services/orders", headers=tenant_a.headers()).json()["id"]

        async def lookup() -> Any:
            return await spec_service(tenant_a.id).latest_operation_index(provider_id)

        assert run(lookup) is None


# The pieces, without the database ------------------------------------------------------------------------


def _ok() -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok"}}}


def index_of(paths: dict[str, Any], **root: Any) -> OperationIndex:
    return OperationIndex.from_document({"openapi": "3.0.3", "paths": paths, **root})


class TestOperationIndex:
    def test_operation_id_or_method_and_template(self) -> None:
        index = index_of({"/orders/{id}": {"get": {"operationId": "getOrder", **_ok()}, "delete": _ok()}})
        assert index.resolve("GET", "/orders/42") == "getOrder"
        assert index.resolve("delete", "/orders/42") == "DELETE /orders/{id}"
        assert index.operation_count == 2

    def test_literal_segments_beat_templates_whatever_the_order(self) -> None:
        for paths in (
            {"/orders/{id}": {"get": _ok()}, "/orders/new": {"get": _ok()}},
            {"/orders/new": {"get": _ok()}, "/orders/{id}": {"get": _ok()}},
        ):
            index = index_of(paths)
            assert index.resolve("GET", "/orders/new") == "GET /orders/new"
            assert index.resolve("GET", "/orders/7") == "GET /orders/{id}"

    def test_backtracks_when_the_literal_branch_dead_ends(self) -> None:
        index = index_of({"/a/b/d": {"get": _ok()}, "/a/{x}/c": {"get": _ok()}})
        assert index.resolve("GET", "/a/b/c") == "GET /a/{x}/c"
        assert index.resolve("GET", "/a/b/d") == "GET /a/b/d"

    def test_partial_templates_rank_between_literals_and_whole_segment_templates(self) -> None:
        index = index_of(
            {
                "/files/{name}": {"get": _ok()},
                "/files/{id}.json": {"get": _ok()},
                "/files/{name}.{format}": {"get": _ok()},
                "/files/index.json": {"get": _ok()},
                "/reports/{year}-{month}": {"get": _ok()},
            }
        )
        assert index.resolve("GET", "/files/index.json") == "GET /files/index.json"
        assert index.resolve("GET", "/files/7.json") == "GET /files/{id}.json"
        assert index.resolve("GET", "/files/7.xml") == "GET /files/{name}.{format}"
        assert index.resolve("GET", "/files/7") == "GET /files/{name}"
        assert index.resolve("GET", "/reports/2024-01") == "GET /reports/{year}-{month}"
        assert index.resolve("GET", "/reports/2024") is None

    def test_trailing_slashes_query_strings_and_full_urls(self) -> None:
        index = index_of({"/orders": {"get": _ok()}, "/items/": {"get": _ok()}, "/": {"get": _ok()}})
        assert index.resolve("GET", "/orders/") == "GET /orders"
        assert index.resolve("GET", "/items") == "GET /items/"
        assert index.resolve("GET", "/orders?page=2#top") == "GET /orders"
        assert index.resolve("GET", "https://api.example.com/orders?x=1") == "GET /orders"
        assert index.resolve("GET", "/") == "GET /"
        assert index.resolve("GET", "") == "GET /"

    def test_missing_method_or_path_is_none(self) -> None:
        index = index_of({"/orders/new": {"get": _ok()}, "/orders/{id}": {"post": _ok()}})
        assert index.resolve("POST", "/orders/new") is None  # the concrete path matches; it has no POST
        assert index.resolve("HEAD", "/orders/new") is None
        assert index.resolve("GET", "/customers") is None
        assert index.resolve("GET", "/orders/1/lines") is None
        assert index.resolve("GET", "/" + "/a" * 10_000) is None

    def test_template_values_are_segments_and_literals_compare_decoded(self) -> None:
        index = index_of({"/files/{name}": {"get": _ok()}, "/files/read me": {"get": _ok()}})
        assert index.resolve("GET", "/files/read%20me") == "GET /files/read me"
        assert index.resolve("GET", "/files/a%2Fb") == "GET /files/{name}"
        assert index.resolve("GET", "/files/a/b") is None

    def test_absolute_server_url_with_a_base_path(self) -> None:
        index = index_of({"/orders": {"get": _ok()}}, servers=[{"url": "https://api.example.com/v1/"}])
        assert index.resolve("GET", "/v1/orders") == "GET /orders"
        assert index.resolve("GET", "https://api.example.com/v1/orders") == "GET /orders"
        # Requests recorded relative to the base path resolve too.
        assert index.resolve("GET", "/orders") == "GET /orders"
        assert index.resolve("GET", "/v2/orders") is None

    def test_relative_server_urls_and_variables_with_defaults(self) -> None:
        servers = [
            {"url": "v1"},
            {"url": "./api/"},
            {
                "url": "{scheme}://{host}/{base}/{stage}",
                "variables": {
                    "scheme": {"default": "https", "enum": ["https", "http"]},
                    "host": {"default": "example.com"},
                    "base": {"default": "svc"},
                    "stage": {"default": "prod"},
                },
            },
        ]
        index = index_of({"/orders": {"get": _ok()}}, servers=servers)
        for path in ("/v1/orders", "/api/orders", "/svc/prod/orders", "/orders"):
            assert index.resolve("GET", path) == "GET /orders", path

    def test_path_and_operation_servers_override_the_root(self) -> None:
        index = index_of(
            {
                "/orders": {"servers": [{"url": "/shop"}], "get": _ok()},
                "/admin": {"get": {"servers": [{"url": "/internal"}], **_ok()}, "post": _ok()},
            },
            servers=[{"url": "/v1"}],
        )
        assert index.resolve("GET", "/shop/orders") == "GET /orders"
        assert index.resolve("GET", "/v1/orders") is None
        assert index.resolve("GET", "/internal/admin") == "GET /admin"
        assert index.resolve("POST", "/v1/admin") == "POST /admin"

    def test_swagger_base_path(self) -> None:
        index = OperationIndex.from_document(
            {"swagger": "2.0", "basePath": "/api/v2", "paths": {"/pets/{petId}": {"get": {"operationId": "getPet"}}}}
        )
        assert index.resolve("GET", "/api/v2/pets/1") == "getPet"
        assert index.resolve("GET", "/pets/1") == "getPet"
        assert index.resolve("GET", "/api/v1/pets/1") is None

    def test_path_item_references_and_junk_are_handled(self) -> None:
        index = OperationIndex.from_document(
            {
                "openapi": "3.1.0",
                "paths": {
                    "/orders": {"$ref": "#/components/pathItems/Orders"},
                    "x-extension": {"get": _ok()},
                    "/broken": {"$ref": "#/components/pathItems/Nope"},
                    "/odd": "not an object",
                },
                "components": {"pathItems": {"Orders": {"get": {"operationId": "listOrders", **_ok()}}}},
            }
        )
        assert index.resolve("GET", "/orders") == "listOrders"
        assert index.resolve("GET", "/broken") is None
        assert index.operation_count == 1
        assert OperationIndex.from_document({}).resolve("GET", "/") is None

    def test_absurdly_long_templates_are_skipped(self) -> None:
        long_path = "/a" * 5_000
        index = index_of({long_path: {"get": _ok()}, "/b": {"get": _ok()}})
        assert index.resolve("GET", long_path) is None
        assert index.resolve("GET", "/b") == "GET /b"


class TestOperationIndexCache:
    def test_least_recently_used_goes_first(self) -> None:
        cache = OperationIndexCache(max_entries=2)
        first, second, third = OperationIndex(), OperationIndex(), OperationIndex()
        cache.put("a", first)
        cache.put("b", second)
        assert cache.get("a") is first  # now "b" is the least recently used
        cache.put("c", third)
        assert cache.get("b") is None
        assert cache.get("a") is first
        assert cache.get("c") is third
        assert len(cache) == 2


class TestDocuments:
    def test_sha_ignores_formatting_key_order_and_json_vs_yaml(self) -> None:
        document = make_v3_spec()
        compact = parse_document(json.dumps(document, separators=(",", ":")).encode(), "json")
        pretty = parse_document(json.dumps(dict(reversed(list(document.items()))), indent=2).encode(), "json")
        as_yaml = parse_document(yaml.safe_dump(document).encode(), "yaml")
        assert compact.content_sha == pretty.content_sha == as_yaml.content_sha
        assert compact.canonical == json.dumps(document, sort_keys=True, separators=(",", ":")).encode()

    def test_yaml_keys_and_dates_become_strings(self) -> None:
        parsed = parse_document(b"200: {released: 2024-01-31}\ntrue: x\n1.5: y\n", "yaml")
        assert parsed.document == {"200": {"released": "2024-01-31"}, "true": "x", "1.5": "y"}

    def test_recursive_aliases_and_values_json_lacks_are_refused(self) -> None:
        for text in ("a: &x [*x]\n", "a: !!binary aGVsbG8=\n", "a: .nan\n", "a: !!set {x, y}\n", 'a: "\\0"\n'):
            with pytest.raises(InvalidInput):
                parse_document(text.encode(), "yaml")

    def test_too_many_bytes_is_too_large(self) -> None:
        with pytest.raises(DocumentTooLarge):
            parse_document(b" " * (10 * 1024 * 1024 + 1), "json")

    def test_not_utf8_is_invalid(self) -> None:
        with pytest.raises(InvalidInput):
            parse_document("openapi: 3.0.3 é".encode("latin-1"), "yaml")

    def test_circular_references_are_invalid_and_recursive_schemas_fine(self) -> None:
        document = make_v3_spec()
        response = document["paths"]["/orders"]["get"]["responses"]["200"]
        response["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
        document["components"] = {"schemas": {"A": {"$ref": "#/components/schemas/B"}}}
        document["components"]["schemas"]["B"] = {"$ref": "#/components/schemas/A"}
        with pytest.raises(InvalidInput, match="circle"):
            validate_openapi(document)
        tree = {
            "type": "object",
            "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}},
        }
        document["components"] = {"schemas": {"A": tree}}
        assert validate_openapi(document) == "3.0.3"

    def test_the_validator_itself_never_fetches_references(self) -> None:
        # parse_document refuses external references first; this is the second line of defence.
        with socket.create_server(("127.0.0.1", 0)) as listener:
            listener.setblocking(False)
            port = listener.getsockname()[1]
            for ref in (f"http://127.0.0.1:{port}/order.json", "file:///etc/hostname", "order.json"):
                document = make_v3_spec()
                document["paths"]["/orders"]["get"]["responses"]["200"] = {"$ref": ref}
                with pytest.raises(InvalidInput):
                    validate_openapi(document)
            with pytest.raises(BlockingIOError):
                listener.accept()

    def test_validation_does_not_keep_documents_alive(self) -> None:
        from openapi_spec_validator.validation.validators import SpecValidator

        for _ in range(3):
            validate_openapi(make_v3_spec())
            with pytest.raises(AppError):
                validate_openapi({"openapi": "3.0.3"})
        cache_info = SpecValidator.iter_errors.__wrapped__.cache_info()  # type: ignore[attr-defined]
        assert cache_info.currsize == 0
