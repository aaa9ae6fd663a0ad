"""Fixtures: approved example responses consumers may mock providers with."""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import JSONB, UUID, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.constraints import Unique

from tables.base import TenantTable, Vector
from tables.services import Service, ServiceVersion


class Fixture(TenantTable, help_text="An example response consumers may mock a provider operation with."):
    class Status(StrEnum):
        draft = "draft"
        approved = "approved"
        rejected = "rejected"
        deprecated = "deprecated"

    class Source(StrEnum):
        consumer = "consumer"
        provider = "provider"
        manual = "manual"

    id = UUID(primary_key=True)
    provider = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The provider.")
    operation = Varchar(length=512, default="", help_text="operationId, or 'METHOD /path/template'.")
    request = JSONB(help_text="{method, path, query, headers, body}")
    response = JSONB(help_text="{status, headers, body}")
    status = Varchar(length=16, default=Status.draft, choices=Status, help_text="Review state.")
    source = Varchar(length=16, default=Source.manual, choices=Source, help_text="Who proposed it.")
    priority = Integer(default=0, help_text="Higher wins when several fixtures match.")
    notes = Text(default="", help_text="Free text.")
    approved_by = Varchar(length=255, null=True, default=None, help_text="Who approved it.")
    approved_at = Timestamptz(null=True, default=None, help_text="When it was approved.")
    hash = Varchar(length=64, null=False, help_text="Dedup key: provider, operation, request, response.")
    # accord.embeddings.hashing.DIMENSIONS, as on interactions.
    embedding = Vector(dimensions=256, null=True, help_text="Feature-hashed request, for similarity search.")

    fixture_unique_hash = Unique(["tenant", "hash"])


class FixtureVersion(TenantTable, help_text="A provider version a fixture is valid for."):
    id = UUID(primary_key=True)
    fixture = ForeignKey(Fixture, null=False, on_delete=OnDelete.cascade, help_text="The fixture.")
    version = ForeignKey(ServiceVersion, null=False, on_delete=OnDelete.cascade, help_text="Provider version.")

    fixture_version_unique = Unique(["fixture", "version"])
