"""The identity of the tenant a request or command acts for."""

from typing import NewType
from uuid import UUID

# A tenant id verified for the current credentials. Only the tenancy package mints these: the key resolver
# (for HTTP requests) and TenantDirectory.resolve_slug (for operator commands that name a tenant).
TenantId = NewType("TenantId", UUID)
