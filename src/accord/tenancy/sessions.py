"""Logging in and out: a session is a random cookie secret whose hash is stored with the user.

Here rather than in accounts: a session is how a page request finds its tenant (the session store), as a key is
for the API; accounts only tells whose password it is.
"""

from __future__ import annotations

import datetime
import secrets
from uuid import UUID

import msgspec

from accord.accounts.service import AccountService
from accord.accounts.tokens import new_token, token_hash
from accord.tenancy import session_store
from accord.tenant_ids import TenantId

SESSION_LIFETIME = datetime.timedelta(hours=12)


class NewSession(msgspec.Struct, frozen=True, kw_only=True):
    token: str  # the cookie's value; only its hash is stored
    expires_at: datetime.datetime


class SessionService:
    def __init__(self, accounts: AccountService | None = None) -> None:
        self.accounts = accounts or AccountService()

    async def log_in(self, email: str, password: str) -> NewSession | None:
        """A new session when the password is right; None otherwise (the caller shows one message for all)."""
        user_id = await self.accounts.authenticate(email, password)
        if user_id is None:
            return None
        return await self.start(user_id)

    async def start(self, user_id: UUID, tenant: TenantId | None = None) -> NewSession:
        """A session for a user who has just proved who they are (password, or an accepted invitation)."""
        token = new_token()
        expires_at = datetime.datetime.now(tz=datetime.UTC) + SESSION_LIFETIME
        await session_store.create_session(
            user_id=user_id,
            tenant=tenant,
            token_hash=token_hash(token),
            csrf_token=secrets.token_urlsafe(32),
            expires_at=expires_at,
        )
        return NewSession(token=token, expires_at=expires_at)

    async def resolve(self, token: str) -> session_store.SessionRecord | None:
        return await session_store.find_session(token_hash(token))

    async def log_out(self, token: str) -> None:
        await session_store.delete_session(token_hash(token))
