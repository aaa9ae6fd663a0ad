"""Pact API: pacticipant labels (/pacticipants/{name}/labels/{label}, /pacticipants/label/{label}) with the
broker's shapes and semantics, isolation and racing writers, and as matrix ignore selectors."""

from __future__ import annotations

import asyncio
from typing import Any

from accord.catalog.directory import ServiceDirectory
from tests.test_pact_matrix import TO_PRODUCTION, Broker, get_matrix, matrix_url

BASE = "http://testserver.local"


def test_label_a_pacticipant_creating_it(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    created = client.put("/pacticipants/web/labels/team-a", headers=h)
    assert created.status_code == 201, created.text
    assert created.headers["content-type"].startswith("application/hal+json")
    label = created.json()
    assert label["name"] == "team-a"
    assert label["createdAt"].endswith("+00:00")
    assert label["_embedded"]["pacticipant"]["name"] == "web"
    assert label["_links"]["self"] == {
        "href": f"{BASE}/pacticipants/web/labels/team-a",
        "title": "Label",
        "name": "team-a",
    }
    assert label["_links"]["pb:pacticipant"]["href"] == f"{BASE}/pacticipants/web"
    assert client.get("/api/services/web", headers=h).status_code == 200

    again = client.put("/pacticipants/web/labels/team-a", headers=h)
    assert again.status_code == 200
    assert again.json()["createdAt"] == label["createdAt"]
    assert client.get("/pacticipants/web/labels/team-a", headers=h).json()["name"] == "team-a"


def test_pacticipants_embed_their_labels_and_are_found_by_label(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    for pacticipant, label in (("web", "ui"), ("web", "team-a"), ("ios", "ui"), ("api", "team-a")):
        assert client.put(f"/pacticipants/{pacticipant}/labels/{label}", headers=h).status_code == 201
    web = client.get("/pacticipants/web", headers=h).json()
    assert [item["name"] for item in web["_embedded"]["labels"]] == ["team-a", "ui"]
    assert web["_embedded"]["labels"][1]["_links"]["self"]["href"] == f"{BASE}/pacticipants/web/labels/ui"
    assert web["_links"]["pb:label"] == {
        "href": f"{BASE}/pacticipants/web/labels/{{label}}",
        "title": "Get, create or delete a label for the pacticipant",
        "templated": True,
    }
    listed = client.get("/pacticipants", headers=h).json()["_embedded"]["pacticipants"]
    assert {p["name"]: [item["name"] for item in p["_embedded"]["labels"]] for p in listed} == {
        "api": ["team-a"],
        "ios": ["ui"],
        "web": ["team-a", "ui"],
    }

    ui = client.get("/pacticipants/label/ui", headers=tenant_a.headers(tenant_a.read_key))
    assert ui.status_code == 200
    assert [p["name"] for p in ui.json()["_embedded"]["pacticipants"]] == ["ios", "web"]
    assert [p["name"] for p in ui.json()["pacticipants"]] == ["ios", "web"]
    assert ui.json()["_links"]["self"]["href"] == f"{BASE}/pacticipants/label/ui"
    assert client.get("/pacticipants/label/nobody", headers=h).json()["_embedded"]["pacticipants"] == []


def test_delete_and_unknowns(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    client.put("/pacticipants/web/labels/ui", headers=h)
    assert client.delete("/pacticipants/web/labels/ui", headers=h).status_code == 204
    assert client.get("/pacticipants/web/labels/ui", headers=h).status_code == 404
    assert client.delete("/pacticipants/web/labels/ui", headers=h).status_code == 404
    missing = client.get("/pacticipants/nobody/labels/ui", headers=h)
    assert missing.status_code == 404
    assert "nobody" in missing.json()["errors"]["base"][0]
    assert client.get("/pacticipants/web", headers=h).json()["_embedded"]["labels"] == []
    # Deleting the pacticipant takes its labels with it.
    client.put("/pacticipants/web/labels/ui", headers=h)
    assert client.delete("/pacticipants/web", headers=h).status_code == 204
    assert client.get("/pacticipants/label/ui", headers=h).json()["pacticipants"] == []


def test_scopes(client: Any, tenant_a: Any) -> None:
    read = tenant_a.headers(tenant_a.read_key)
    assert client.put("/pacticipants/web/labels/ui", headers=read).status_code == 403
    client.put("/pacticipants/web/labels/ui", headers=tenant_a.headers())
    assert client.delete("/pacticipants/web/labels/ui", headers=read).status_code == 403
    assert client.get("/pacticipants/web/labels/ui", headers=read).status_code == 200
    assert client.get("/pacticipants/label/ui").status_code == 401


def test_isolation(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    a, b = tenant_a.headers(), tenant_b.headers()
    client.put("/pacticipants/web/labels/ui", headers=a)
    assert client.get("/pacticipants/web/labels/ui", headers=b).status_code == 404
    assert client.delete("/pacticipants/web/labels/ui", headers=b).status_code == 404
    assert client.get("/pacticipants/label/ui", headers=b).json()["pacticipants"] == []
    # B labelling its own "web" makes B's rows; A's label stays.
    assert client.put("/pacticipants/web/labels/ui", headers=b).status_code == 201
    assert client.delete("/pacticipants/web/labels/ui", headers=b).status_code == 204
    assert client.get("/pacticipants/web/labels/ui", headers=a).status_code == 200


def test_racing_labellers_make_one_label(client: Any, run: Any, tenant_a: Any) -> None:
    async def race() -> list[bool]:
        labels = ServiceDirectory(tenant_a.id)
        made = await asyncio.gather(*(labels.label("web", "ui") for _ in range(6)))
        return [created for _, created in made]

    assert sorted(run(race)) == [False] * 5 + [True]
    assert len(client.get("/pacticipants/label/ui", headers=tenant_a.headers()).json()["pacticipants"]) == 1


def test_matrix_and_can_i_deploy_ignore_pacticipants_by_label(client: Any, tenant_a: Any) -> None:
    broker = Broker(client, tenant_a.headers())
    broker.record("web", "1", "api")
    broker.record("web", "1", "auth", "/login")
    broker.record("web", "1", "billing", "/pay")
    broker.deploy("api", "10")
    broker.verify("api", "10", "web", "1")
    url = matrix_url({"pacticipant": "web", "version": "1"}, **TO_PRODUCTION)
    assert get_matrix(client, tenant_a, url)["summary"]["deployable"] is False  # auth and billing aren't deployed

    for name in ("auth", "billing"):
        client.put(f"/pacticipants/{name}/labels/third-party", headers=tenant_a.headers())
    ignored = get_matrix(client, tenant_a, url + "&ignore[][label]=third-party&ignore[][label]=nothing-has-it")
    assert ignored["summary"]["deployable"] is True
    assert ignored["summary"]["ignored"] == 2
    assert sorted((r["provider"]["name"], r.get("ignored", False)) for r in ignored["matrix"]) == [
        ("api", False),
        ("auth", True),
        ("billing", True),
    ]
    # Mixed with a pacticipant ignored by name, and on the simplified /can-i-deploy.
    client.delete("/pacticipants/billing/labels/third-party", headers=tenant_a.headers())
    mixed = get_matrix(client, tenant_a, url + "&ignore[][label]=third-party&ignore[][pacticipant]=billing")
    assert mixed["summary"]["deployable"] is True
    simple = "/can-i-deploy?pacticipant=web&version=1&environment=production&ignore[][label]=third-party"
    assert get_matrix(client, tenant_a, simple)["summary"]["deployable"] is False  # billing lost its label
