"""API keys: how CI jobs and clients authenticate and which tenant they act for."""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import UUID, Array, Timestamptz, Varchar
from piccolo.columns.readable import Readable

from tables.base import TenantTable


class ApiKey(TenantTable, help_text="A tenant's API key. Only a SHA-256 hash of the secret is stored."):
    class Scope(StrEnum):
        read = "read"
        write = "write"
        admin = "admin"

    id = UUID(primary_key=True)
    name = Varchar(length=100, null=False, help_text="What the key is for, e.g. 'ci' or 'deploy-pipeline'.")
    prefix = Varchar(
        length=16, null=False, index=True, help_text="The visible start of the key, to recognise it in lists."
    )
    key_hash = Varchar(
        length=64,
        unique=True,
        null=False,
        help_text="Hex SHA-256 of the whole key. Read-only; never the key.",
    )
    scopes = Array(Varchar(length=16, choices=Scope), null=False, help_text="Any of read, write, admin.")
    last_used_at = Timestamptz(
        null=True, default=None, help_text="Last authenticated request (written at most once a minute)."
    )
    expires_at = Timestamptz(null=True, default=None, help_text="The key stops working after this moment.")
    revoked_at = Timestamptz(null=True, default=None, help_text="Set to revoke the key; it stops working.")

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s (%s)", columns=[cls.name, cls.prefix])
