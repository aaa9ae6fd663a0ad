"""The static contract checker against a corpus of real-world-shaped specs and contracts.

Specs (tests/corpus/compatibility/specs): OpenAPI 3.0 with deep `$ref`s, `allOf` composition, a `oneOf` with a
discriminator and a discriminated base; OpenAPI 3.1 with `type: [..., "null"]`; Swagger 2.0 with body and form
parameters, `definitions`, consumes/produces and a basePath. Contracts (.../contracts): recorded interactions and
pacts v2, v3 and v4. Every failing interaction is pinned down to its exact mismatches: where, pointer into the
contract, pointer into the spec, message. Pure functions: the database the suite starts is not used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.compatibility.checker import check_contract
from accord.compatibility.contract_interactions import pact_interactions
from accord.compatibility.pact_matchers import ANY_INDEX, ANY_KEY, body_rules, parse_path
from accord.compatibility.parameters import coerce
from accord.compatibility.schemas import CheckReport, ContractKind
from accord.compatibility.spec_model import CompiledSpec, CompiledSpecCache, compile_spec
from accord.specs.documents import parse_document
from accord.specs.operations import OperationIndex
from accord.specs.validation import validate_openapi

CORPUS = Path(__file__).parent / "corpus" / "compatibility"
Expected = dict[str, list[tuple[str, str, str, str]]]


def load_document(name: str) -> tuple[dict[str, Any], str]:
    path = CORPUS / "specs" / name
    parsed = parse_document(path.read_bytes(), "yaml" if path.suffix == ".yaml" else "json")
    return parsed.document, parsed.content_sha


def load_spec(name: str) -> CompiledSpec:
    return compile_spec(*load_document(name))


def load_contract(name: str) -> tuple[list[dict[str, Any]], ContractKind]:
    document = json.loads((CORPUS / "contracts" / name).read_text())
    if isinstance(document, dict):
        return pact_interactions(document), "pact"
    return document, "interactions"


def check(spec_name: str, contract_name: str) -> CheckReport:
    interactions, kind = load_contract(contract_name)
    return check_contract(load_spec(spec_name), interactions, kind)


def failures(report: CheckReport) -> Expected:
    return {
        result.interaction: [(each.where, each.pointer, each.spec_pointer, each.message) for each in result.mismatches]
        for result in report.results
        if result.status == "failed"
    }


def statuses(report: CheckReport) -> dict[str, str]:
    return {result.interaction: result.status for result in report.results}


def recorded(method: str, path: str, status: int = 200, **parts: Any) -> dict[str, Any]:
    """A recorded interaction; parts: query, headers, body (request) and response_headers, response_body."""
    return {
        "key": f"{method} {path}",
        "operation": None,
        "request": {
            "method": method,
            "path": path,
            "query": parts.get("query", {}),
            "headers": parts.get("headers", {}),
            "body": parts.get("body"),
        },
        "response": {
            "status": status,
            "headers": parts.get("response_headers", {"content-type": "application/json"}),
            "body": parts.get("response_body"),
        },
    }


def spec_of(paths: dict[str, Any], **components: Any) -> CompiledSpec:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    if components:
        document["components"] = components
    return CompiledSpec(document, "test")


def returning(schema: dict[str, Any], **operation: Any) -> dict[str, Any]:
    """A GET operation answering 200 with a JSON body of `schema`."""
    return {
        "get": {
            **operation,
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
        }
    }


ORDERS_RECORDED_FAIL: Expected = {
    "amount as a string": [
        (
            "response",
            "/response/body/total/amount",
            "/components/schemas/Money/properties/amount",
            "response body field `total.amount` is a string in the contract but `number` in the spec",
        ),
    ],
    "fields the provider never promised": [
        (
            "response",
            "/response/body/customer/nickname",
            "/components/schemas/Customer",
            "response body field `customer.nickname` is in the contract but not in the spec",
        ),
        (
            "response",
            "/response/body/loyaltyPoints",
            "/components/schemas/Order",
            "response body field `loyaltyPoints` is in the contract but not in the spec",
        ),
    ],
    "a status the spec doesn't know, deep in a page": [
        (
            "response",
            "/response/body/items/0/status",
            "/components/schemas/OrderStatus",
            'response body field `items[0].status` is "refunded" in the contract but "pending", "paid", "shipped" or '
            '"cancelled" in the spec',
        ),
    ],
    "a payment method no schema is for": [
        (
            "response",
            "/response/body/payment/method",
            "/components/schemas/Payment/discriminator",
            'response body field `payment.method` is "crypto" in the contract but "card" or "bank_transfer" in the '
            "spec",
        ),
    ],
    "a card payment with an iban and a short last4": [
        (
            "response",
            "/response/body/payment/iban",
            "/components/schemas/CardPayment",
            "response body field `payment.iban` is in the contract but not in the spec",
        ),
        (
            "response",
            "/response/body/payment/last4",
            "/components/schemas/CardPayment/properties/last4",
            'response body field `payment.last4` is "42" in the contract but a string matching `^\\d{4}$` in the spec',
        ),
    ],
    "create without request id, total, sending an id": [
        (
            "request",
            "/request/headers/x-request-id",
            "/components/parameters/RequestId",
            "request header `X-Request-Id` is missing in the contract but required in the spec",
        ),
        (
            "request",
            "/request/body/id",
            "/components/schemas/Resource/properties/id",
            "request body field `id` is sent in the contract but read-only in the spec",
        ),
        (
            "request",
            "/request/body/total",
            "/components/schemas/Order/allOf/1/properties/total",
            "request body field `total` is missing in the contract but required in the spec",
        ),
        (
            "request",
            "/request/body/lines/0/quantity",
            "/components/schemas/OrderLine/properties/quantity",
            "request body field `lines[0].quantity` is 3000000000 in the contract but format `int32` in the spec",
        ),
        (
            "request",
            "/request/body/lines/0/unitPrice/currency",
            "/components/schemas/Money/properties/currency",
            'request body field `lines[0].unitPrice.currency` is "eur" in the contract but a string matching '
            "`^[A-Z]{3}$` in the spec",
        ),
    ],
    "limit too high, status unknown": [
        (
            "request",
            "/request/query/limit",
            "/components/parameters/Limit/schema",
            "query parameter `limit` is 500 in the contract but at most 100 in the spec",
        ),
        (
            "request",
            "/request/query/status/1",
            "/components/schemas/OrderStatus",
            'query parameter `status[1]` is "lost" in the contract but "pending", "paid", "shipped" or "cancelled" '
            "in the spec",
        ),
        (
            "request",
            "/request/query/placedAfter",
            "/paths/~1orders/get/parameters/2/schema",
            'query parameter `placedAfter` is "yesterday" in the contract but format `date` in the spec',
        ),
    ],
    "an order id that is no uuid": [
        (
            "request",
            "/request/path",
            "/components/parameters/OrderId/schema",
            'path parameter `orderId` is "42" in the contract but format `uuid` in the spec',
        ),
    ],
    "an order as text": [
        (
            "request",
            "/request/headers/content-type",
            "/components/requestBodies/NewOrder/content",
            "request body is `text/plain` in the contract but the spec accepts only `application/json`",
        ),
        (
            "response",
            "/response/status",
            "/paths/~1orders/post/responses",
            "response status 500 is in the contract but only 201 or 4XX in the spec",
        ),
    ],
    "a password read back": [
        (
            "request",
            "/request/path",
            "/paths/~1customers~1{customerId}/parameters/0/schema",
            "path parameter `customerId` is 0 in the contract but at least 1 in the spec",
        ),
        (
            "response",
            "/response/body/password",
            "/components/schemas/Customer/allOf/1/properties/password",
            "response body field `password` is read in the contract but write-only in the spec",
        ),
    ],
    "a rate limit header in words": [
        (
            "response",
            "/response/headers/X-RateLimit-Remaining",
            "/paths/~1orders/post/responses/201/headers/X-RateLimit-Remaining/schema",
            'response header `X-RateLimit-Remaining` is "lots" in the contract but `integer` in the spec',
        ),
    ],
    "a body after a 204": [
        (
            "response",
            "/response/body",
            "/paths/~1orders~1{orderId}/delete/responses/204",
            "response body is in the contract but the spec documents none for status 204",
        ),
    ],
    "a path the spec doesn't have": [
        ("request", "/request/path", "/paths", "request path `/v2/invoices/1` is in the contract but not in the spec"),
    ],
    "a method the path doesn't have": [
        (
            "request",
            "/request/method",
            "/paths/~1orders~1{orderId}",
            "request method `POST` is in the contract but `/orders/{orderId}` has only `GET`, `DELETE` or `PATCH` in "
            "the spec",
        ),
    ],
    "a parcel weighed in words": [
        (
            "response",
            "/response/body/0/weightGrams",
            "/components/schemas/Parcel/allOf/1/properties/weightGrams",
            "response body field `[0].weightGrams` is a string in the contract but `integer` in the spec",
        ),
        (
            "response",
            "/response/body/1/carrier",
            "/components/schemas/Freight",
            "response body field `[1].carrier` is in the contract but not in the spec",
        ),
    ],
    "null where the spec promises an object, a number for notes": [
        (
            "response",
            "/response/body/total",
            "/components/schemas/Money",
            "response body field `total` is null in the contract but `object` in the spec",
        ),
        (
            "response",
            "/response/body/notes",
            "/components/schemas/Order/allOf/1/properties/notes",
            "response body field `notes` is an integer in the contract but `string` or `null` in the spec",
        ),
    ],
}

ORDERS_PACT_V3_FAIL: Expected = {
    "a regex where the spec has an integer": [
        (
            "response",
            "/response/body/lines/0/quantity",
            "/components/schemas/OrderLine/properties/quantity",
            "response body field `lines[0].quantity` has a `regex` matcher in the contract but is `integer` in the "
            "spec",
        ),
    ],
    "an integer matcher on a string": [
        (
            "response",
            "/response/body/status",
            "/components/schemas/OrderStatus",
            "response body field `status` has an `integer` matcher in the contract but is `string` in the spec",
        ),
    ],
    "decimals where the spec has integers": [
        (
            "response",
            "/response/body/lines/0/quantity",
            "/components/schemas/OrderLine/properties/quantity",
            "response body field `lines[0].quantity` has a `decimal` matcher in the contract but is `integer` in the "
            "spec",
        ),
    ],
    "a date where the spec has a date-time": [
        (
            "response",
            "/response/body/createdAt",
            "/components/schemas/Resource/properties/createdAt",
            "response body field `createdAt` has a `date` matcher in the contract but format `date-time` in the spec",
        ),
    ],
    "at least 60 lines of an order of at most 50": [
        (
            "response",
            "/response/body/lines",
            "/components/schemas/Order/allOf/1/properties/lines",
            "response body field `lines` has a `type` matcher for at least 60 items in the contract but at most 50 "
            "in the spec",
        ),
    ],
    "a type matcher still checks the shape": [
        (
            "response",
            "/response/body/total/amount",
            "/components/schemas/Money/properties/amount",
            "response body field `total.amount` is a string in the contract but `number` in the spec",
        ),
        (
            "response",
            "/response/body/giftWrap",
            "/components/schemas/Order",
            "response body field `giftWrap` is in the contract but not in the spec",
        ),
    ],
    "an exact status the spec doesn't have": [
        (
            "response",
            "/response/body/status",
            "/components/schemas/OrderStatus",
            'response body field `status` is "refunded" in the contract but "pending", "paid", "shipped" or '
            '"cancelled" in the spec',
        ),
    ],
    "a request body of the wrong shape": [
        (
            "request",
            "/request/body/lines",
            "/components/schemas/Order/allOf/1/properties/lines",
            "request body field `lines` is an object in the contract but `array` in the spec",
        ),
        (
            "request",
            "/request/body/total/amount",
            "/components/schemas/Money/properties/amount",
            "request body field `total.amount` is -1 in the contract but at least 0 in the spec",
        ),
    ],
}

ORDERS_PACT_V2: Expected = {
    "ten orders in words": [
        (
            "request",
            "/request/query",
            "/components/parameters/Limit/schema",
            'query parameter `limit` is "ten" in the contract but `integer` in the spec',
        ),
    ],
    "an order created with a 200": [
        (
            "response",
            "/response/status",
            "/paths/~1orders/post/responses",
            "response status 200 is in the contract but only 201 or 4XX in the spec",
        ),
    ],
    "a v2 regex on an integer": [
        (
            "response",
            "/response/body/lines/0/quantity",
            "/components/schemas/OrderLine/properties/quantity",
            "response body field `lines[0].quantity` has a `regex` matcher in the contract but is `integer` in the "
            "spec",
        ),
    ],
}

LIBRARY_PACT_V4: Expected = {
    "book-with-bad-numbers": [
        (
            "response",
            "/response/body/content/authors/0/born",
            "/components/schemas/Author/properties/born",
            "response body field `authors[0].born` is a string in the contract but `integer` or `null` in the spec",
        ),
        (
            "response",
            "/response/body/content/pages",
            "/components/schemas/Book/properties/pages",
            "response body field `pages` is 0 in the contract but greater than 0 in the spec",
        ),
        (
            "response",
            "/response/body/content/rating",
            "/components/schemas/Book/properties/rating",
            "response body field `rating` is 7 in the contract but at most 5 in the spec",
        ),
    ],
    "lend-with-a-note": [
        (
            "request",
            "/request/body/content/note",
            "/paths/~1loans/post/requestBody/content/application~1json/schema",
            "request body field `note` is in the contract but not in the spec",
        ),
        (
            "response",
            "/response/body/content/status",
            "/components/schemas/Loan/properties/status",
            'response body field `status` is "overdue" in the contract but "active" in the spec',
        ),
    ],
    "bad-isbn": [
        (
            "request",
            "/request/path",
            "/paths/~1books~1{isbn}/parameters/0/schema",
            'path parameter `isbn` is "12345" in the contract but a string matching `^97[89]\\d{10}$` in the spec',
        ),
    ],
}

LIBRARY_RECORDED: Expected = {
    "loan without member, due a weekday": [
        (
            "request",
            "/request/body/memberId",
            "/paths/~1loans/post/requestBody/content/application~1json/schema/properties/memberId",
            "request body field `memberId` is missing in the contract but required in the spec",
        ),
        (
            "request",
            "/request/body/due",
            "/paths/~1loans/post/requestBody/content/application~1json/schema/properties/due",
            'request body field `due` is "Tuesday" in the contract but format `date` in the spec',
        ),
    ],
    "a page number of zero, availability as yes": [
        (
            "request",
            "/request/query/page",
            "/paths/~1books/get/parameters/1/schema",
            "query parameter `page` is 0 in the contract but at least 1 in the spec",
        ),
        (
            "request",
            "/request/query/available",
            "/paths/~1books/get/parameters/2/schema",
            'query parameter `available` is "yes" in the contract but `boolean` in the spec',
        ),
    ],
    # A recorded array shorter than the spec allows: the provider never answers that (once missed: minItems was
    # relaxed in responses like `required`).
    "no author, a series at position zero": [
        (
            "response",
            "/response/body/authors",
            "/components/schemas/Book/properties/authors",
            "response body field `authors` has 0 items in the contract but at least 1 in the spec",
        ),
        (
            "response",
            "/response/body/series/position",
            "/components/schemas/Series/properties/position",
            "response body field `series.position` is 0 in the contract but at least 1 in the spec",
        ),
    ],
}

# Every validation keyword the checker reports, one violation per interaction where possible: array lengths,
# uniqueness and `contains`; string lengths, patterns and formats; numeric bounds and multiples; enum, const,
# object sizes and `dependentRequired`; in query parameters, request bodies and response bodies.
CONSTRAINTS_RECORDED: Expected = {
    "tags: none": [
        (
            "response",
            "/response/body/items/0/tags",
            "/components/schemas/Item/properties/tags",
            "response body field `items[0].tags` has 0 items in the contract but at least 1 in the spec",
        ),
    ],
    "tags: too many": [
        (
            "response",
            "/response/body/items/0/tags",
            "/components/schemas/Item/properties/tags",
            "response body field `items[0].tags` has 4 items in the contract but at most 3 in the spec",
        ),
    ],
    "tags: repeated": [
        (
            "response",
            "/response/body/items/0/tags",
            "/components/schemas/Item/properties/tags",
            "response body field `items[0].tags` has duplicate items in the contract but unique items in the spec",
        ),
    ],
    "sizes: no M": [
        (
            "response",
            "/response/body/items/0/sizes",
            "/components/schemas/Item/properties/sizes",
            "response body field `items[0].sizes` has no item matching the spec's `contains` in the contract "
            '({"const":"M"})',
        ),
    ],
    "code: too short": [
        (
            "response",
            "/response/body/items/0/code",
            "/components/schemas/Item/properties/code",
            "response body field `items[0].code` is 2 characters long in the contract but at least 3 in the spec",
        ),
    ],
    "code: too long": [
        (
            "response",
            "/response/body/items/0/code",
            "/components/schemas/Item/properties/code",
            "response body field `items[0].code` is 9 characters long in the contract but at most 8 in the spec",
        ),
    ],
    "code: lowercase": [
        (
            "response",
            "/response/body/items/0/code",
            "/components/schemas/Item/properties/code",
            'response body field `items[0].code` is "abcd" in the contract '
            "but a string matching `^[A-Z]+$` in the spec",
        ),
    ],
    "email: not an address": [
        (
            "response",
            "/response/body/items/0/email",
            "/components/schemas/Item/properties/email",
            'response body field `items[0].email` is "ada" in the contract but format `email` in the spec',
        ),
    ],
    "price: negative": [
        (
            "response",
            "/response/body/items/0/price",
            "/components/schemas/Item/properties/price",
            "response body field `items[0].price` is -5 in the contract but at least 0 in the spec",
        ),
    ],
    "price: at the exclusive maximum": [
        (
            "response",
            "/response/body/items/0/price",
            "/components/schemas/Item/properties/price",
            "response body field `items[0].price` is 1000 in the contract but less than 1000 in the spec",
        ),
    ],
    "price: not a multiple of 5": [
        (
            "response",
            "/response/body/items/0/price",
            "/components/schemas/Item/properties/price",
            "response body field `items[0].price` is 12 in the contract but a multiple of 5 in the spec",
        ),
    ],
    "rating: at the exclusive minimum": [
        (
            "response",
            "/response/body/items/0/rating",
            "/components/schemas/Item/properties/rating",
            "response body field `items[0].rating` is 0 in the contract but greater than 0 in the spec",
        ),
    ],
    "rating: above the maximum": [
        (
            "response",
            "/response/body/items/0/rating",
            "/components/schemas/Item/properties/rating",
            "response body field `items[0].rating` is 5.5 in the contract but at most 5 in the spec",
        ),
    ],
    "kind: unknown": [
        (
            "response",
            "/response/body/items/0/kind",
            "/components/schemas/Item/properties/kind",
            'response body field `items[0].kind` is "game" in the contract but "book" or "film" in the spec',
        ),
    ],
    "schemaVersion: another": [
        (
            "response",
            "/response/body/items/0/schemaVersion",
            "/components/schemas/Item/properties/schemaVersion",
            "response body field `items[0].schemaVersion` is 2 in the contract but 1 in the spec",
        ),
    ],
    "labels: too many": [
        (
            "response",
            "/response/body/items/0/labels",
            "/components/schemas/Item/properties/labels",
            "response body field `items[0].labels` has 3 fields in the contract but at most 2 in the spec",
        ),
    ],
    "a page longer than the spec allows": [
        (
            "response",
            "/response/body/items",
            "/paths/~1items/get/responses/200/content/application~1json/schema/properties/items",
            "response body field `items` has 3 items in the contract but at most 2 in the spec",
        ),
    ],
    "query values outside the parameters' constraints": [
        (
            "request",
            "/request/query/limit",
            "/paths/~1items/get/parameters/0/schema",
            "query parameter `limit` is 0 in the contract but at least 1 in the spec",
        ),
        (
            "request",
            "/request/query/sort",
            "/paths/~1items/get/parameters/1/schema",
            'query parameter `sort` is "date" in the contract but "name" or "price" in the spec',
        ),
        (
            "request",
            "/request/query/ids",
            "/paths/~1items/get/parameters/2/schema",
            "query parameter `ids` has duplicate items in the contract but unique items in the spec",
        ),
    ],
    "an empty id list": [
        (
            "request",
            "/request/query/ids",
            "/paths/~1items/get/parameters/2/schema",
            "query parameter `ids` has 0 items in the contract but at least 1 in the spec",
        ),
    ],
    "request: code too short, lowercase": [
        (
            "request",
            "/request/body/code",
            "/components/schemas/ItemCreate/properties/code",
            "request body field `code` is 2 characters long in the contract but at least 3 in the spec",
        ),
        (
            "request",
            "/request/body/code",
            "/components/schemas/ItemCreate/properties/code",
            'request body field `code` is "ab" in the contract but a string matching `^[A-Z]+$` in the spec',
        ),
    ],
    "request: code too long": [
        (
            "request",
            "/request/body/code",
            "/components/schemas/ItemCreate/properties/code",
            "request body field `code` is 9 characters long in the contract but at most 8 in the spec",
        ),
    ],
    "request: tags none": [
        (
            "request",
            "/request/body/tags",
            "/components/schemas/ItemCreate/properties/tags",
            "request body field `tags` has 0 items in the contract but at least 1 in the spec",
        ),
    ],
    "request: tags too many, repeated": [
        (
            "request",
            "/request/body/tags",
            "/components/schemas/ItemCreate/properties/tags",
            "request body field `tags` has 4 items in the contract but at most 3 in the spec",
        ),
        (
            "request",
            "/request/body/tags",
            "/components/schemas/ItemCreate/properties/tags",
            "request body field `tags` has duplicate items in the contract but unique items in the spec",
        ),
    ],
    "request: price not a multiple of 5": [
        (
            "request",
            "/request/body/price",
            "/components/schemas/ItemCreate/properties/price",
            "request body field `price` is 7 in the contract but a multiple of 5 in the spec",
        ),
    ],
    "request: only one property": [
        (
            "request",
            "/request/body",
            "/components/schemas/ItemCreate",
            "request body has 1 field in the contract but at least 2 in the spec",
        ),
    ],
    "request: a discount without a price": [
        (
            "request",
            "/request/body",
            "/components/schemas/ItemCreate",
            "request body has `discount` without `price` in the contract "
            "but the spec requires them together (`dependentRequired`)",
        ),
    ],
}

PETSTORE_PACT_V2: Expected = {
    "sold pets, two hundred at a time": [
        (
            "request",
            "/request/query",
            "/paths/~1pets/get/parameters/0/items",
            'query parameter `status[1]` is "lost" in the contract but "available", "pending" or "sold" in the spec',
        ),
        (
            "request",
            "/request/query",
            "/paths/~1pets/get/parameters/1",
            "query parameter `limit` is 200 in the contract but at most 100 in the spec",
        ),
        (
            "response",
            "/response/headers/X-Rate-Limit",
            "/paths/~1pets/get/responses/200/headers/X-Rate-Limit",
            'response header `X-Rate-Limit` is "many" in the contract but `integer` in the spec',
        ),
        (
            "response",
            "/response/body/1/packSize",
            "/definitions/Dog/allOf/1/properties/packSize",
            "response body field `[1].packSize` is a string in the contract but `integer` in the spec",
        ),
    ],
    "adding a pet without a key or a name": [
        (
            "request",
            "/request/headers/api_key",
            "/parameters/ApiKey",
            "request header `api_key` is missing in the contract but required in the spec",
        ),
        (
            "request",
            "/request/body/name",
            "/definitions/Pet/properties/name",
            "request body field `name` is missing in the contract but required in the spec",
        ),
        (
            "request",
            "/request/body/id",
            "/definitions/Pet/properties/id",
            "request body field `id` is sent in the contract but read-only in the spec",
        ),
    ],
    "renaming without a name": [
        (
            "request",
            "/request/body",
            "/paths/~1pets~1{petId}/post/parameters/0",
            "form field `name` is missing in the contract but required in the spec",
        ),
        (
            "request",
            "/request/body",
            "/paths/~1pets~1{petId}/post/parameters/1",
            'form field `status` is "gone" in the contract but "available", "pending" or "sold" in the spec',
        ),
    ],
    "a free store order": [
        (
            "request",
            "/request/path",
            "/paths/~1store~1orders~1{orderId}/get/parameters/0",
            "path parameter `orderId` is 11 in the contract but at most 10 in the spec",
        ),
        (
            "response",
            "/response/body/quantity",
            "/definitions/StoreOrder/properties/quantity",
            "response body field `quantity` is 0 in the contract but at least 1 in the spec",
        ),
        (
            "response",
            "/response/body/shipDate",
            "/definitions/StoreOrder/properties/shipDate",
            'response body field `shipDate` is "2026-11-21" in the contract but format `date-time` in the spec',
        ),
        (
            "response",
            "/response/body/price",
            "/definitions/StoreOrder/properties/price",
            "response body field `price` is 0 in the contract but greater than 0 in the spec",
        ),
    ],
}


class TestCorpus:
    @pytest.mark.parametrize(
        "name", ["orders-3.0.yaml", "library-3.1.yaml", "petstore-2.0.json", "constraints-3.1.yaml"]
    )
    def test_specs_are_valid_openapi(self, name: str) -> None:
        document, _ = load_document(name)
        assert validate_openapi(document) in ("3.0.3", "3.1.0", "2.0")

    @pytest.mark.parametrize(
        ("spec_name", "contract_name"),
        [
            ("orders-3.0.yaml", "orders-recorded-pass.json"),
            ("orders-3.0.yaml", "orders-pact-v3.json"),
            ("petstore-2.0.json", "petstore-recorded.json"),
            ("constraints-3.1.yaml", "constraints-recorded-pass.json"),
        ],
    )
    def test_compatible_contracts_pass_every_interaction(self, spec_name: str, contract_name: str) -> None:
        report = check(spec_name, contract_name)
        assert failures(report) == {}
        assert report.compatible
        assert report.passed == len(report.results) > 0
        assert all(result.operation for result in report.results)

    @pytest.mark.parametrize(
        ("spec_name", "contract_name", "expected"),
        [
            ("orders-3.0.yaml", "orders-recorded-fail.json", ORDERS_RECORDED_FAIL),
            ("orders-3.0.yaml", "orders-pact-v3-fail.json", ORDERS_PACT_V3_FAIL),
            ("orders-3.0.yaml", "orders-pact-v2.json", ORDERS_PACT_V2),
            ("library-3.1.yaml", "library-pact-v4.json", LIBRARY_PACT_V4),
            ("library-3.1.yaml", "library-recorded.json", LIBRARY_RECORDED),
            ("petstore-2.0.json", "petstore-pact-v2.json", PETSTORE_PACT_V2),
            ("constraints-3.1.yaml", "constraints-recorded-fail.json", CONSTRAINTS_RECORDED),
        ],
    )
    def test_incompatible_interactions_report_exact_mismatches(
        self, spec_name: str, contract_name: str, expected: Expected
    ) -> None:
        report = check(spec_name, contract_name)
        assert failures(report) == expected
        assert not report.compatible
        assert report.failed == len(expected)
        for result in report.results:
            assert all(each.interaction == result.interaction for each in result.mismatches)

    def test_the_other_interactions_of_mixed_contracts_pass(self) -> None:
        assert statuses(check("orders-3.0.yaml", "orders-pact-v2.json"))["paid orders, ten at a time"] == "passed"
        library = statuses(check("library-3.1.yaml", "library-pact-v4.json"))
        assert library["get-earthsea"] == library["search-le-guin"] == "passed"
        assert statuses(check("library-3.1.yaml", "library-recorded.json"))["loan with no due date"] == "passed"

    def test_messages_are_not_checkable_and_not_failures(self) -> None:
        report = check("library-3.1.yaml", "library-pact-v4.json")
        event = next(result for result in report.results if result.interaction == "book-returned-event")
        assert event.status == "not_checkable"
        assert event.reason == "a message interaction: an OpenAPI spec doesn't describe messages"
        assert (report.passed, report.failed, report.not_checkable) == (3, 3, 1)

    def test_an_encoded_body_is_not_read_but_the_rest_is_checked(self) -> None:
        report = check("library-3.1.yaml", "library-pact-v4.json")
        cover = next(result for result in report.results if result.interaction == "cover-image")
        assert (cover.status, cover.operation) == ("passed", "addBook")


class TestInteractionShapes:
    def test_keys_are_recorded_keys_pact_descriptions_or_v4_keys(self) -> None:
        spec = load_spec("orders-3.0.yaml")
        request = {"method": "GET", "path": "/v2/orders"}
        response = {"status": 200, "body": {"items": []}}
        pact = [
            {"description": "v3 description", "key": "ignored", "request": request, "response": response},
            {
                "type": "Synchronous/HTTP",
                "key": "v4-key",
                "description": "v4 description",
                "request": request,
                "response": response,
            },
            {"type": "Synchronous/HTTP", "description": "v4 without a key", "request": request, "response": response},
        ]
        names = [result.interaction for result in check_contract(spec, pact, "pact").results]
        assert names == ["v3 description", "v4-key", "v4 without a key"]
        recorded_names = check_contract(
            spec, [{"key": "abc", "request": request, "response": response}], "interactions"
        )
        assert [result.interaction for result in recorded_names.results] == ["abc"]

    def test_v3_message_pacts_and_malformed_interactions_are_not_checkable(self) -> None:
        spec = load_spec("orders-3.0.yaml")
        pact = {"messages": [{"description": "order placed", "contents": {"id": 1}, "metadata": {"topic": "x"}}]}
        items = [*pact_interactions(pact), {"description": "no request"}, {"request": {"path": "/x"}, "response": {}}]
        report = check_contract(spec, items, "pact")
        assert [(result.status, result.reason) for result in report.results] == [
            ("not_checkable", "a message interaction: an OpenAPI spec doesn't describe messages"),
            ("not_checkable", "the interaction has no request and response to check"),
            ("not_checkable", "the request has no method or path"),
        ]
        assert report.compatible  # nothing failed

    def test_a_pact_response_without_a_body_relies_on_no_body(self) -> None:
        spec = load_spec("orders-3.0.yaml")
        pact = [
            {
                "description": "just the status",
                "request": {"method": "GET", "path": "/v2/orders"},
                "response": {"status": 200},
            }
        ]
        assert statuses(check_contract(spec, pact, "pact")) == {"just the status": "passed"}

    def test_v4_status_code_matchers_accept_any_documented_status_of_the_class(self) -> None:
        spec = load_spec("orders-3.0.yaml")
        request = {
            "method": "POST",
            "path": "/v2/orders",
            "headers": {"X-Request-Id": ["3e1f2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"]},
            "body": {
                "content": {
                    "status": "pending",
                    "lines": [{"sku": "A", "quantity": 1, "unitPrice": {"amount": 1, "currency": "EUR"}}],
                    "total": {"amount": 1, "currency": "EUR"},
                },
                "contentType": "application/json",
            },
        }

        def interaction(status: int, accepted: Any) -> dict[str, Any]:
            rules = {"status": {"matchers": [{"match": "statusCode", "status": accepted}]}}
            return {
                "type": "Synchronous/HTTP",
                "key": f"{status} {accepted}",
                "request": request,
                "response": {"status": status, "matchingRules": rules},
            }

        report = check_contract(
            spec, [interaction(200, "success"), interaction(299, [201]), interaction(302, "redirect")], "pact"
        )
        assert statuses(report) == {"200 success": "passed", "299 [201]": "passed", "302 redirect": "failed"}


class TestRequests:
    def test_server_base_paths_are_optional_and_path_parameters_are_coerced(self) -> None:
        spec = spec_of(
            {
                "/items/{id}": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "maximum": 9}}
                    ],
                    **returning({"type": "object"}),
                }
            }
        )
        spec.document["servers"] = [{"url": "/api"}]
        spec = CompiledSpec(spec.document, "with servers")
        report = check_contract(
            spec,
            [recorded("GET", "/api/items/7"), recorded("GET", "/items/7"), recorded("GET", "/api/items/70")],
            "interactions",
        )
        assert [result.status for result in report.results] == ["passed", "passed", "failed"]
        assert (
            report.results[2].mismatches[0].message
            == "path parameter `id` is 70 in the contract but at most 9 in the spec"
        )

    def test_head_is_answered_wherever_get_is_and_a_query_may_ride_on_the_path(self) -> None:
        limit = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
        spec = spec_of({"/items": returning({"type": "object"}, parameters=[limit])})
        head = recorded("HEAD", "/items", response_headers={})
        on_the_path = recorded("GET", "/items?limit=many")
        report = check_contract(spec, [head, on_the_path, recorded("DELETE", "/items")], "interactions")
        assert report.results[0].status == "passed"
        assert failures(report) == {
            "GET /items?limit=many": [
                (
                    "request",
                    "/request/path",
                    "/paths/~1items/get/parameters/0/schema",
                    'query parameter `limit` is "many" in the contract but `integer` in the spec',
                )
            ],
            "DELETE /items": [
                (
                    "request",
                    "/request/method",
                    "/paths/~1items",
                    "request method `DELETE` is in the contract but `/items` has only `GET` in the spec",
                )
            ],
        }

    def test_header_and_cookie_parameters(self) -> None:
        parameters = [
            {"name": "X-Version", "in": "header", "required": True, "schema": {"type": "integer"}},
            {"name": "Accept", "in": "header", "required": True, "schema": {"type": "string", "enum": ["x"]}},
            {"name": "session", "in": "cookie", "required": True, "schema": {"type": "string", "minLength": 4}},
        ]
        spec = spec_of({"/me": returning({"type": "object"}, parameters=parameters)})
        ok = recorded("GET", "/me", headers={"x-version": "2", "cookie": "theme=dark; session=abcdef"})
        bad = recorded("GET", "/me", headers={"X-Version": "two", "Cookie": "session=ab"})
        report = check_contract(spec, [ok, bad], "interactions")
        assert report.results[0].status == "passed"  # Accept is described by content negotiation, not checked
        assert failures(report)["GET /me"] == [
            (
                "request",
                "/request/headers/X-Version",
                "/paths/~1me/get/parameters/0/schema",
                'request header `X-Version` is "two" in the contract but `integer` in the spec',
            ),
            (
                "request",
                "/request/headers/Cookie",
                "/paths/~1me/get/parameters/2/schema",
                "cookie parameter `session` is 2 characters long in the contract but at least 4 in the spec",
            ),
        ]

    def test_a_required_body_must_be_sent_and_a_bodiless_operation_takes_none(self) -> None:
        body = {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}
        spec = spec_of(
            {
                "/a": {
                    "post": {"requestBody": body, "responses": {"204": {"description": "ok"}}},
                    "put": {"responses": {"204": {"description": "ok"}}},
                }
            }
        )
        report = check_contract(
            spec,
            [
                recorded("POST", "/a", 204, response_headers={}),
                recorded("PUT", "/a", 204, body={"x": 1}, response_headers={}),
            ],
            "interactions",
        )
        assert [mismatch.message for result in report.results for mismatch in result.mismatches] == [
            "request body is missing in the contract but required in the spec",
            "request body is in the contract but not in the spec",
        ]
        assert [mismatch.spec_pointer for result in report.results for mismatch in result.mismatches] == [
            "/paths/~1a/post/requestBody",
            "/paths/~1a/put",
        ]

    def test_media_types_match_exactly_by_range_or_by_json_suffix(self) -> None:
        schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
        spec = spec_of(
            {
                "/json": {
                    "post": {
                        "requestBody": {"content": {"application/json": {"schema": schema}}},
                        "responses": {"204": {"description": "ok"}},
                    }
                },
                "/text": {
                    "post": {
                        "requestBody": {"content": {"text/*": {"schema": {"type": "string", "maxLength": 3}}}},
                        "responses": {"204": {"description": "ok"}},
                    }
                },
            }
        )

        def post(path: str, content_type: str | None, body: Any) -> dict[str, Any]:
            headers = {"content-type": content_type} if content_type else {}
            return recorded("POST", path, 204, headers=headers, body=body, response_headers={})

        report = check_contract(
            spec,
            [
                post("/json", "application/vnd.acme+json", {"n": 1}),
                post("/json", None, '{"n": "one"}'),
                post("/text", "text/csv", "a,b,c,d"),
                post("/text", "application/xml", "<n/>"),
            ],
            "interactions",
        )
        assert [result.status for result in report.results] == ["passed", "failed", "failed", "failed"]
        assert [result.mismatches[0].message for result in report.results[1:]] == [
            "request body field `n` is a string in the contract but `integer` in the spec",
            "request body is 7 characters long in the contract but at most 3 in the spec",
            "request body is `application/xml` in the contract but the spec accepts only `text/*`",
        ]

    def test_url_encoded_bodies_are_read_as_their_schema_says(self) -> None:
        schema = {
            "type": "object",
            "required": ["qty"],
            "properties": {"qty": {"type": "integer", "minimum": 1}, "gift": {"type": "boolean"}},
        }
        spec = spec_of(
            {
                "/f": {
                    "post": {
                        "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": schema}}},
                        "responses": {"204": {"description": "ok"}},
                    }
                }
            }
        )
        form = {"content-type": "application/x-www-form-urlencoded"}
        report = check_contract(
            spec,
            [
                recorded("POST", "/f", 204, headers=form, body="qty=2&gift=true", response_headers={}),
                recorded("POST", "/f", 204, headers=form, body="qty=0&gift=maybe", response_headers={}),
            ],
            "interactions",
        )
        assert failures(report) == {
            "POST /f": [
                (
                    "request",
                    "/request/body",
                    "/paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/qty",
                    "request body field `qty` is 0 in the contract but at least 1 in the spec",
                ),
                (
                    "request",
                    "/request/body",
                    "/paths/~1f/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/gift",
                    "request body field `gift` is a string in the contract but `boolean` in the spec",
                ),
            ]
        }

    def test_one_of_in_requests_must_match_exactly_one(self) -> None:
        schema = {
            "oneOf": [
                {"type": "object", "properties": {"a": {"type": "integer"}}},
                {"type": "object", "properties": {"b": {"type": "integer"}}},
            ]
        }
        spec = spec_of(
            {
                "/x": {
                    "post": {
                        "requestBody": {"content": {"application/json": {"schema": schema}}},
                        "responses": {"204": {"description": "ok"}},
                    }
                }
            }
        )
        report = check_contract(spec, [recorded("POST", "/x", 204, body={"a": 1}, response_headers={})], "interactions")
        assert failures(report)["POST /x"][0][3] == (
            "request body matches more than one of the spec's `oneOf` alternatives in the contract but exactly one "
            "in the spec"
        )


class TestResponses:
    def test_nullable_and_its_ref_sibling_in_3_0(self) -> None:
        schemas = {"Money": {"type": "object", "properties": {"amount": {"type": "number"}}}}
        spec = spec_of(
            {
                "/m": returning(
                    {
                        "type": "object",
                        "properties": {
                            "price": {
                                "$ref": "#/components/schemas/Money",
                                "nullable": True,
                                "description": "ignored sibling",
                            },
                            "tags": {
                                "type": "array",
                                "nullable": True,
                                "items": {"type": "string", "enum": ["a"], "nullable": True},
                            },
                        },
                    }
                )
            },
            schemas=schemas,
        )
        report = check_contract(
            spec,
            [
                recorded("GET", "/m", response_body={"price": None, "tags": None}),
                recorded("GET", "/m", response_body={"price": {"amount": 1}, "tags": ["a", None]}),
                recorded("GET", "/m", response_body={"price": {"amount": "1"}, "tags": ["b"]}),
            ],
            "interactions",
        )
        assert [result.status for result in report.results] == ["passed", "passed", "failed"]
        assert [each[3] for each in failures(report)["GET /m"]] == [
            "response body field `price.amount` is a string in the contract but `number` in the spec",
            'response body field `tags[0]` is "b" in the contract but "a" or null in the spec',
        ]

    def test_additional_properties_let_consumers_read_undeclared_fields(self) -> None:
        spec = spec_of(
            {
                "/open": returning(
                    {"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": True}
                ),
                "/map": returning({"type": "object", "additionalProperties": {"type": "integer"}}),
                "/free": returning({"type": "object"}),
                "/closed": returning({"type": "object", "properties": {"a": {"type": "integer"}}}),
            }
        )
        report = check_contract(
            spec,
            [
                recorded("GET", "/open", response_body={"a": 1, "b": "x"}),
                recorded("GET", "/map", response_body={"x": 1, "y": "2"}),
                recorded("GET", "/free", response_body={"anything": [1]}),
                recorded("GET", "/closed", response_body={"a": 1, "b": 2}),
            ],
            "interactions",
        )
        assert failures(report) == {
            "GET /map": [
                (
                    "response",
                    "/response/body/y",
                    "/paths/~1map/get/responses/200/content/application~1json/schema/additionalProperties",
                    "response body field `y` is a string in the contract but `integer` in the spec",
                )
            ],
            "GET /closed": [
                (
                    "response",
                    "/response/body/b",
                    "/paths/~1closed/get/responses/200/content/application~1json/schema",
                    "response body field `b` is in the contract but not in the spec",
                )
            ],
        }

    def test_a_consumer_may_read_fewer_fields_than_required_but_not_a_shorter_array(self) -> None:
        schema = {
            "type": "object",
            "required": ["a", "b"],
            "minProperties": 2,
            "properties": {
                "a": {"type": "integer"},
                "b": {"type": "array", "minItems": 2, "items": {"type": "integer"}},
            },
        }
        spec = spec_of({"/few": returning(schema)})
        report = check_contract(spec, [recorded("GET", "/few", response_body={"b": [1, 2]})], "interactions")
        assert report.results[0].status == "passed"
        report = check_contract(spec, [recorded("GET", "/few", response_body={"b": [1]})], "interactions")
        assert [m.message for m in report.results[0].mismatches] == [
            "response body field `b` has 1 item in the contract but at least 2 in the spec"
        ]

    def test_statuses_exact_then_range_then_default(self) -> None:
        responses = {"200": {"description": "ok"}, "4XX": {"description": "client"}, "default": {"description": "else"}}
        spec = spec_of(
            {"/s": {"get": {"responses": responses}}, "/t": {"get": {"responses": {"2XX": {"description": "ok"}}}}}
        )
        bodiless = {"response_headers": {}}
        report = check_contract(
            spec,
            [recorded("GET", "/s", status, **bodiless) for status in (200, 418, 503)]
            + [recorded("GET", "/t", status, **bodiless) for status in (204, 301)],
            "interactions",
        )
        assert [result.status for result in report.results] == ["passed"] * 4 + ["failed"]
        assert (
            report.results[4].mismatches[0].message == "response status 301 is in the contract but only 2XX in the spec"
        )


class TestOperationIndexLocate:
    def test_template_operation_methods_and_parameter_values(self) -> None:
        index = OperationIndex.from_document(
            {
                "openapi": "3.0.3",
                "servers": [{"url": "https://x.example/v1"}],
                "paths": {
                    "/files/{name}.{ext}": {"get": {"operationId": "getFile"}, "put": {}},
                    "/files/{id}": {"delete": {}},
                },
            }
        )
        found = index.locate("GET", "/v1/files/read%20me.tar.gz")
        assert found is not None
        assert (found.template, found.operation, found.methods) == ("/files/{name}.{ext}", "getFile", ("get", "put"))
        assert found.parameters == {"name": "read me", "ext": "tar.gz"}
        missing_method = index.locate("POST", "/files/7")
        assert missing_method is not None
        assert (missing_method.template, missing_method.operation, missing_method.parameters) == (
            "/files/{id}",
            None,
            {"id": "7"},
        )
        assert index.locate("GET", "/v1/nothing") is None


class TestCompilation:
    def test_specs_are_cached_by_content_sha_least_recently_used_out(self) -> None:
        cache = CompiledSpecCache(max_entries=2)
        document, _ = load_document("library-3.1.yaml")
        first, second, third = (CompiledSpec(document, sha) for sha in ("a", "b", "c"))
        assert cache.put(first) is first
        assert cache.put(CompiledSpec(document, "a")) is first  # the same content: the one already kept
        cache.put(second)
        assert cache.get("a") is first  # now the most recently used
        cache.put(third)
        assert (cache.get("a"), cache.get("b"), cache.get("c")) == (first, None, third)

    def test_compile_spec_reuses_the_compiled_spec_of_a_content(self) -> None:
        document, sha = load_document("orders-3.0.yaml")
        assert compile_spec(document, sha) is compile_spec(dict(document), sha)

    def test_the_document_is_not_changed_and_validators_are_built_on_first_use(self) -> None:
        document, _ = load_document("petstore-2.0.json")
        before = json.dumps(document, sort_keys=True)
        spec = CompiledSpec(document, "fresh")
        assert json.dumps(document, sort_keys=True) == before
        assert spec.converted["definitions"]["StoreOrder"]["properties"]["price"] == {
            "type": "number",
            "exclusiveMinimum": 0,
        }
        interactions, kind = load_contract("petstore-recorded.json")
        check_contract(spec, interactions[:1], kind)
        request, response = spec.engine("request"), spec.engine("response")
        compiled = (request.fast.compiled_schemas, response.fast.compiled_schemas)
        assert 0 < compiled[0] < compiled[1]  # the query parameters; the Pet schemas
        check_contract(spec, interactions[:1], kind)
        assert (request.fast.compiled_schemas, response.fast.compiled_schemas) == compiled
        assert spec.operation("post", "/pets/{petId}") is not None  # built now, on demand

    def test_a_spec_that_cannot_be_used_makes_interactions_not_checkable(self) -> None:
        spec = spec_of({"/b": returning({"$ref": "#/components/schemas/Missing"})})
        report = check_contract(spec, [recorded("GET", "/b", response_body={"a": 1})], "interactions")
        result = report.results[0]
        assert result.status == "not_checkable"
        assert result.reason is not None
        assert result.reason.startswith("the spec can't be used to check it:")


class TestPactRules:
    def test_paths_in_every_spelling(self) -> None:
        assert parse_path("$.a.b[0]['c d'][*].*") == ("a", "b", 0, "c d", ANY_INDEX, ANY_KEY)
        assert parse_path("$") == ()
        assert parse_path("$..a") is None

    def test_v2_and_v3_rules_read_alike_and_cascade(self) -> None:
        v2 = body_rules({"$.body.items": {"min": 1}, "$.body.items[*].id": {"regex": "\\\\d+"}})
        v3 = body_rules(
            {
                "body": {
                    "$.items": {"matchers": [{"match": "type", "min": 1}]},
                    "$.items[*].id": {"matchers": [{"match": "regex", "regex": "\\\\d+"}]},
                }
            }
        )
        for rules in (v2, v3):
            assert rules.relaxes(("items", 3, "name"), "enum")  # the type matcher on items cascades
            assert not rules.relaxes(("items", 3, "name"), "type")
            assert rules.relaxes(("items", 0, "id"), "pattern")
            assert not rules.relaxes(("other",), "enum")

    def test_or_combined_matchers_relax_what_either_would(self) -> None:
        rules = body_rules({"body": {"$.n": {"combine": "OR", "matchers": [{"match": "integer"}, {"match": "regex"}]}}})
        assert rules.relaxes(("n",), "pattern")
        assert not body_rules({"body": {"$.n": {"matchers": [{"match": "integer"}, {"match": "regex"}]}}}).relaxes(
            ("n",), "pattern"
        )


class TestParameterCoercion:
    DOCUMENT: dict[str, Any] = {}
    INTEGERS = {"type": "array", "items": {"type": "integer"}}

    @pytest.mark.parametrize(
        ("values", "options", "expected"),
        [
            (["1", "2"], {"location": "query"}, [1, 2]),
            (["1,2"], {"location": "query", "explode": False}, [1, 2]),
            (["1|2"], {"location": "query", "style": "pipeDelimited", "explode": False}, [1, 2]),
            (["1,2"], {"location": "header"}, [1, 2]),
            ([".1,2"], {"location": "path", "style": "label"}, [1, 2]),
            ([";ids=1,2"], {"location": "path", "style": "matrix"}, [1, 2]),
            (["1 2"], {"location": "query", "collection_format": "ssv"}, [1, 2]),
            (["1", "x"], {"location": "query", "collection_format": "multi"}, [1, "x"]),
        ],
    )
    def test_arrays(self, values: list[str], options: dict[str, Any], expected: list[Any]) -> None:
        assert coerce(self.DOCUMENT, self.INTEGERS, values, **options) == expected

    @pytest.mark.parametrize(
        ("schema", "text", "expected"),
        [
            ({"type": "integer"}, "-7", -7),
            ({"type": "number"}, "2.5e1", 25.0),
            ({"type": "number"}, "3", 3),
            ({"type": "boolean"}, "false", False),
            ({"type": "boolean"}, "no", "no"),
            ({"type": ["integer", "null"]}, "null", None),
            ({"type": "string"}, "12", "12"),
        ],
    )
    def test_scalars(self, schema: dict[str, Any], text: str, expected: Any) -> None:
        assert coerce(self.DOCUMENT, schema, [text], location="query") == expected


class TestSchemas:
    def test_recursive_schemas_are_checked_to_any_depth(self) -> None:
        node = {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            },
        }
        spec = spec_of({"/tree": returning({"$ref": "#/components/schemas/Node"})}, schemas={"Node": node})
        deep: dict[str, Any] = {"name": "leaf", "children": []}
        for depth in range(30):
            deep = {"name": f"level {depth}", "children": [deep]}
        wrong = json.loads(json.dumps(deep).replace('"leaf"', "7"))
        report = check_contract(
            spec,
            [recorded("GET", "/tree", response_body=deep), recorded("GET", "/tree", response_body=wrong)],
            "interactions",
        )
        assert report.results[0].status == "passed"
        [mismatch] = report.results[1].mismatches
        assert mismatch.pointer == "/response/body" + "/children/0" * 30 + "/name"
        assert mismatch.spec_pointer == "/components/schemas/Node/properties/name"

    @pytest.mark.parametrize(
        ("schema", "value", "message"),
        [
            (
                {"type": "string", "format": "email"},
                "nobody",
                'is "nobody" in the contract but format `email` in the spec',
            ),
            ({"type": "string", "format": "date"}, "2026-02-30", 'is "2026-02-30" in the contract but format `date`'),
            ({"type": "string", "format": "date-time"}, "2026-11-21 10:00", "but format `date-time` in the spec"),
            ({"type": "string", "format": "uuid"}, "1234", 'is "1234" in the contract but format `uuid` in the spec'),
            ({"type": "string", "format": "byte"}, "not base64!", "in the contract but format `byte` in the spec"),
            (
                {"type": "integer", "format": "int64"},
                2**63,
                "is 9223372036854775808 in the contract but format `int64`",
            ),
            ({"type": "integer", "format": "int32"}, -(2**31) - 1, "is -2147483649 in the contract but format `int32`"),
        ],
    )
    def test_formats(self, schema: dict[str, Any], value: Any, message: str) -> None:
        spec = spec_of({"/f": returning({"type": "object", "properties": {"field": schema}})})
        valid = {
            "email": "a@b.example",
            "date": "2024-02-29",
            "date-time": "2026-11-21T10:00:00Z",
            "byte": "aGk=",
            "uuid": "7d9e2c1a-3b4f-4a5e-8c6d-9e0f1a2b3c4d",
        }
        report = check_contract(
            spec,
            [
                recorded("GET", "/f", response_body={"field": value}),
                recorded("GET", "/f", response_body={"field": valid.get(schema["format"], 7)}),
            ],
            "interactions",
        )
        [mismatch] = report.results[0].mismatches
        assert mismatch.message.startswith("response body field `field` ")
        assert message in mismatch.message
        assert report.results[1].status == "passed"

    def test_swagger_produces_lists_the_media_types_of_responses(self) -> None:
        spec = load_spec("petstore-2.0.json")
        html = recorded("GET", "/api/v2/pets/4", response_headers={"content-type": "text/html"}, response_body="<p/>")
        assert failures(check_contract(spec, [html], "interactions")) == {
            "GET /api/v2/pets/4": [
                (
                    "response",
                    "/response/headers/content-type",
                    "/paths/~1pets~1{petId}/get/produces",
                    "response body is `text/html` in the contract but the spec returns only `application/json` or "
                    "`application/xml`",
                )
            ]
        }


class TestConcurrency:
    def test_threads_sharing_a_fresh_spec_get_the_reports_one_thread_gets(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        document, _ = load_document("orders-3.0.yaml")
        interactions, kind = load_contract("orders-recorded-fail.json")
        expected = check_contract(CompiledSpec(document, "sequential"), interactions, kind)
        shared = CompiledSpec(document, "shared")
        with ThreadPoolExecutor(max_workers=8) as pool:
            reports = list(pool.map(lambda _: check_contract(shared, interactions, kind), range(16)))
        assert all(report == expected for report in reports)
