"""A provider spec counts for can-i-deploy (through the static check) only with the provider's own, successful
verification of that spec: the document alone proves nothing about the running provider."""

from __future__ import annotations

from typing import Any

from tests.factories import self_verification
from tests.test_static_checks import SPEC, order_interaction, record, wait_for_checks

SPEC_PATH = "/api/services/orders/versions/1.2.0/spec"
RESULT_PATH = f"{SPEC_PATH}/verification-result"
CAN_I_DEPLOY = {"service": "web", "version": "1", "environment": "production"}


def publish_spec(client: Any, tenant: Any, params: dict[str, str] | None = None) -> dict[str, Any]:
    response = client.post(SPEC_PATH, json=SPEC, params=params or {}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def web_contract_checked_and_orders_deployed(client: Any, tenant: Any) -> None:
    record(client, tenant, order_interaction("web", "1", {"id": 42, "total": 12.5}))
    [check] = wait_for_checks(client, tenant.headers(), expected=1)
    assert check["status"] == "passed"
    deploy = {"service": "orders", "version": "1.2.0", "environment": "production"}
    assert client.post("/api/deployments", json=deploy, headers=tenant.headers()).status_code == 201


def can_i_deploy_web(client: Any, tenant: Any) -> dict[str, Any]:
    answer: dict[str, Any] = client.get("/api/can-i-deploy", params=CAN_I_DEPLOY, headers=tenant.headers()).json()
    return answer


def test_a_spec_without_self_verification_does_not_verify(client: Any, tenant_a: Any) -> None:
    uploaded = publish_spec(client, tenant_a)
    assert uploaded["self_verification"] is None
    web_contract_checked_and_orders_deployed(client, tenant_a)

    answer = can_i_deploy_web(client, tenant_a)
    assert answer["deployable"] is not True
    [row] = answer["rows"]
    assert row["status"] == "unverified"
    assert row["verified_by"] is None
    assert row["static_check"]["passed"] is True
    assert row["static_check"]["spec_self_verified"] is None
    missing = "provider spec for orders 1.2.0 has no successful self-verification result: publish one with"
    assert missing in answer["reason"]
    assert f"PUT {RESULT_PATH}" in answer["reason"]


def test_a_failed_self_verification_is_not_deployable(client: Any, tenant_a: Any) -> None:
    uploaded = publish_spec(client, tenant_a, self_verification(success=False))
    assert uploaded["self_verification"]["success"] is False
    web_contract_checked_and_orders_deployed(client, tenant_a)

    answer = can_i_deploy_web(client, tenant_a)
    assert answer["deployable"] is False
    assert answer["rows"][0]["status"] == "failed"
    assert answer["rows"][0]["verified_by"] is None
    failed = "provider spec for orders 1.2.0 has no successful self-verification result (the one published failed)"
    assert failed in answer["reason"]


def test_a_successful_self_verification_makes_the_static_check_count(client: Any, tenant_a: Any) -> None:
    uploaded = publish_spec(client, tenant_a, self_verification())
    assert uploaded["self_verification"]["success"] is True
    assert uploaded["self_verification"]["verifier"] == "schemathesis"
    assert uploaded["self_verification"]["verifier_version"] == "3.39"
    assert uploaded["self_verification"]["has_report"] is False
    web_contract_checked_and_orders_deployed(client, tenant_a)

    answer = can_i_deploy_web(client, tenant_a)
    assert answer["deployable"] is True
    assert answer["rows"][0]["verified_by"] == "static-check"
    assert answer["rows"][0]["static_check"]["spec_self_verified"] is True


def test_a_result_published_later_flips_the_answer(client: Any, tenant_a: Any) -> None:
    spec = publish_spec(client, tenant_a)
    web_contract_checked_and_orders_deployed(client, tenant_a)
    assert can_i_deploy_web(client, tenant_a)["deployable"] is None
    assert client.get(RESULT_PATH, headers=tenant_a.headers()).status_code == 404

    failed = {"success": False, "verifier": "dredd", "content": "1 failing", "spec_sha": spec["content_sha"]}
    response = client.put(RESULT_PATH, json=failed, headers=tenant_a.headers())
    assert response.status_code == 200, response.text
    assert can_i_deploy_web(client, tenant_a)["deployable"] is False

    passed = {"success": True, "verifier": "dredd", "verifier_version": "14.1", "content": "<p>ok</p>",
              "content_type": "text/html"}  # fmt: skip
    response = client.put(RESULT_PATH, json=passed, headers=tenant_a.headers())
    assert response.status_code == 200, response.text
    assert can_i_deploy_web(client, tenant_a)["deployable"] is True

    # The newest result replaces the previous one, report included.
    stored = client.get(RESULT_PATH, headers=tenant_a.headers()).json()
    assert stored["success"] is True
    assert stored["verifier_version"] == "14.1"
    assert (stored["content"], stored["content_type"]) == ("<p>ok</p>", "text/html")
    assert stored["spec_sha"] == spec["content_sha"]
    [listed] = client.get("/api/services/orders/specs", headers=tenant_a.headers()).json()["items"]
    assert listed["self_verification"]["success"] is True
    assert listed["self_verification"]["has_report"] is True


def test_the_pact_matrix_does_not_count_a_spec_without_self_verification(client: Any, tenant_a: Any) -> None:
    publish_spec(client, tenant_a)
    web_contract_checked_and_orders_deployed(client, tenant_a)
    query = "q[][pacticipant]=web&q[][version]=1&latestby=cvp&environment=production"
    matrix = client.get(f"/matrix?{query}", headers=tenant_a.headers()).json()
    assert matrix["summary"]["deployable"] is not True
    assert matrix["matrix"][0]["verificationResult"] is None
    assert "provider spec for orders 1.2.0 has no successful self-verification result" in matrix["summary"]["reason"]

    client.put(RESULT_PATH, json={"success": True, "verifier": "restassured"}, headers=tenant_a.headers())
    matrix = client.get(f"/matrix?{query}", headers=tenant_a.headers()).json()
    assert matrix["summary"]["deployable"] is True


def test_a_replaced_document_loses_the_old_documents_result(client: Any, tenant_a: Any) -> None:
    publish_spec(client, tenant_a, self_verification())
    changed = {**SPEC, "info": {"title": "Orders", "version": "2"}}
    response = client.post(SPEC_PATH, json=changed, params={"replace": "true"}, headers=tenant_a.headers())
    assert response.status_code == 200, response.text
    assert response.json()["self_verification"] is None
    # An identical re-upload with a result stores it (re-publishing replaces the result).
    response = client.post(SPEC_PATH, json=changed, params=self_verification(), headers=tenant_a.headers())
    assert response.json()["outcome"] == "unchanged"
    assert response.json()["self_verification"]["success"] is True


class TestBadInput:
    def test_a_result_needs_success_and_verifier(self, client: Any, tenant_a: Any) -> None:
        publish_spec(client, tenant_a)
        for body, pointer in (
            ({"verifier": "dredd"}, None),
            ({"success": True}, None),
            ({"success": True, "verifier": ""}, None),
            ({"success": True, "verifier": "   "}, "/verifier"),
            ({"success": "yes", "verifier": "dredd"}, None),
            ({"success": True, "verifier": "dredd", "extra": 1}, None),
            ({"success": True, "verifier": "dredd", "content_type": "text/plain"}, "/content"),
            ({"success": True, "verifier": "dredd", "content": "x", "content_type": "not a type"}, None),
            ({"success": True, "verifier": "dredd", "spec_sha": "abc"}, None),
        ):
            response = client.put(RESULT_PATH, json=body, headers=tenant_a.headers())
            assert response.status_code == 422, (body, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            if pointer:
                assert response.json()["errors"][0]["pointer"] == pointer
        assert client.get(RESULT_PATH, headers=tenant_a.headers()).status_code == 404  # nothing half-written

    def test_a_result_of_another_document_is_a_conflict(self, client: Any, tenant_a: Any) -> None:
        publish_spec(client, tenant_a)
        body = {"success": True, "verifier": "dredd", "spec_sha": "0" * 64}
        response = client.put(RESULT_PATH, json=body, headers=tenant_a.headers())
        assert response.status_code == 409
        assert "verify the current spec" in response.json()["detail"]

    def test_upload_query_needs_both_parameters(self, client: Any, tenant_a: Any) -> None:
        for params, missing in (
            ({"verifier": "dredd"}, "query.verification_success"),
            ({"verification_success": "true"}, "query.verifier"),
            ({"verifier_version": "1"}, "query.verification_success"),
        ):
            response = client.post(SPEC_PATH, json=SPEC, params=params, headers=tenant_a.headers())
            assert response.status_code == 422, response.text
            assert missing in [error.get("parameter") for error in response.json()["errors"]]
        for params, parameter in (
            ({"verification_success": "maybe", "verifier": "x"}, "query.verification_success"),
            ({"verification_success": "true", "verifier": "  "}, "query.verifier"),
            ({"verification_success": "true", "verifier": "x", "verifier_version": ""}, "query.verifier_version"),
        ):
            response = client.post(SPEC_PATH, json=SPEC, params=params, headers=tenant_a.headers())
            assert response.status_code == 422, response.text
            assert [error["parameter"] for error in response.json()["errors"]] == [parameter]
        # None of these uploads stored the spec.
        assert client.get(SPEC_PATH, headers=tenant_a.headers()).status_code == 404

    def test_no_spec_is_not_found(self, client: Any, tenant_a: Any) -> None:
        response = client.put(RESULT_PATH, json={"success": True, "verifier": "dredd"}, headers=tenant_a.headers())
        assert response.status_code == 404


def test_isolation(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    publish_spec(client, tenant_a, self_verification())
    body = {"success": False, "verifier": "dredd"}
    assert client.put(RESULT_PATH, json=body, headers=tenant_b.headers()).status_code == 404
    assert client.get(RESULT_PATH, headers=tenant_b.headers()).status_code == 404
    assert client.get(RESULT_PATH, headers=tenant_a.headers()).json()["success"] is True
    # A spec of the same name in tenant b, not self-verified, leaves tenant a's result alone and vice versa.
    publish_spec(client, tenant_b)
    assert client.get(RESULT_PATH, headers=tenant_b.headers()).status_code == 404
