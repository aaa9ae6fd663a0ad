"""Users are global (one person, many tenants): this repository is not tenant-scoped."""

from __future__ import annotations

from uuid import UUID

from accord.db.engine import connection
from accord.db.rows import Row, row_as


class UserRow(Row, frozen=True, kw_only=True):
    """A user with the hash their password is checked against (never shown)."""

    id: UUID
    email: str
    display_name: str
    password_hash: str


class UserRepository:
    """The user_account table."""

    async def create(self, *, email: str, display_name: str, password_hash: str) -> UUID | None:
        """The new user's id, or None when the email is taken (race-free: the unique index decides)."""
        async with connection() as conn:
            return await conn.fetchval(  # type: ignore[no-any-return]
                "INSERT INTO user_account (id, email, display_name, password_hash, created_at, updated_at) "
                "VALUES (gen_random_uuid(), $1, $2, $3, now(), now()) ON CONFLICT (email) DO NOTHING RETURNING id",
                email,
                display_name,
                password_hash,
            )

    async def find_by_email(self, email: str) -> UserRow | None:
        async with connection() as conn:
            row = await conn.fetchrow(
                "SELECT id, email, display_name, password_hash FROM user_account WHERE email = $1", email
            )
        return row_as(UserRow, row)

    async def set_password(self, user_id: UUID, password_hash: str) -> None:
        async with connection() as conn:
            await conn.execute(
                "UPDATE user_account SET password_hash = $2, updated_at = now() WHERE id = $1", user_id, password_hash
            )
