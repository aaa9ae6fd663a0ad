"""Every Pact GET answers the `Accept` headers Pact clients send: the Ruby client's
`application/hal+json, application/json, */*`, the Rust client's `application/hal+json, application/json`, and
`application/json` alone (curl scripts, HAL browsers). The routes are read from the Pact router, so a new one
is covered the day it is added."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accord.pact.router import pact_router
from tests.pact_world import PactWorld, make_pact_world

ACCEPTS = [
    "application/hal+json, application/json, */*",
    "application/hal+json, application/json",
    "application/json",
]

# Routes that need a query to say anything (the broker's required parameters).
QUERIES = {
    "/matrix": "q[][pacticipant]=web&q[][version]=1&q[][pacticipant]=api&latestby=cvpv",
    "/can-i-deploy": "pacticipant=web&version=1&environment=production",
}


def pact_get_routes() -> list[str]:
    return sorted({route.path for route in pact_router().routes if "GET" in getattr(route, "methods", ())})


def concrete(template: str, world: PactWorld) -> str:
    """The route with every `{name:type}` filled in by something of the world."""
    values = world.path_values()
    path = re.sub(r"\{(\w+):\w+\}", lambda m: values[m.group(1)], template)
    return f"{path}?{QUERIES[template]}" if template in QUERIES else path


@pytest.fixture
def world(client: Any, tenant_a: Any) -> PactWorld:
    return make_pact_world(client, tenant_a.headers())


def test_every_pact_get_route_is_exercised() -> None:
    # Guards the parametrization below against an empty or unfillable route list.
    routes = pact_get_routes()
    assert len(routes) > 40
    names = {name for route in routes for name in re.findall(r"\{(\w+):\w+\}", route)}
    assert names <= set(PactWorld("", "", "", "", "", "", "").path_values())


@pytest.mark.parametrize("template", pact_get_routes())
def test_pact_gets_answer_the_clients_accept_headers(
    client: Any, tenant_a: Any, world: PactWorld, template: str
) -> None:
    # The Accept variants share one world per route: building it is the slow part.
    for accept in ACCEPTS:
        response = client.get(concrete(template, world), headers={**tenant_a.headers(), "Accept": accept})
        assert response.status_code == 200, (template, accept, response.text)
        media = response.headers["content-type"]
        if template.endswith("/badge"):
            assert media.startswith("image/svg+xml")  # a badge is an image whatever the client accepts
        else:
            # The broker's content type, whichever of the JSON types was asked for: clients accept both.
            assert media == "application/hal+json;charset=utf-8", (template, accept)
            assert isinstance(response.json(), dict)
