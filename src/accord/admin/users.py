"""Operator accounts for /admin (Piccolo's user table)."""

from __future__ import annotations

import asyncpg
from piccolo.apps.user.tables import BaseUser

from accord.errors import Conflict, FieldError, InvalidInput


class AdminUserService:
    async def create(self, *, username: str, email: str, password: str) -> int:
        """Create an active superuser who can log in to /admin; returns its id."""
        if await BaseUser.exists().where(BaseUser.username == username):
            raise Conflict(f"An admin user named '{username}' already exists.")
        try:
            user = await BaseUser.create_user(
                username=username, password=password, email=email, admin=True, superuser=True, active=True
            )
        except ValueError as exc:  # Piccolo's password and username rules
            raise InvalidInput(str(exc), errors=[FieldError(detail=str(exc), parameter="password")]) from None
        except asyncpg.UniqueViolationError:
            raise Conflict(f"An admin user named '{username}' or with that email already exists.") from None
        return int(user.id)

    async def exists(self) -> bool:
        return bool(await BaseUser.exists())
