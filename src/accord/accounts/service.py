"""Users and their memberships: create, authenticate, list, change roles, remove."""

from __future__ import annotations

from uuid import UUID

from accord.accounts.membership_repository import MembershipRepository
from accord.accounts.passwords import hash_password_off_loop, verify_password_off_loop
from accord.accounts.roles import Role
from accord.accounts.schemas import Member, UserCreate
from accord.accounts.user_repository import UserRepository
from accord.db.engine import get_engine
from accord.errors import Conflict, InvalidInput, NotFound, PermissionDenied


def normalize_email(email: str) -> str:
    return email.strip().lower()


class AccountService:
    def __init__(self, users: UserRepository | None = None) -> None:
        self.users = users or UserRepository()

    async def create_user(self, data: UserCreate) -> UUID:
        user_id = await self.users.create(
            email=normalize_email(data.email),
            display_name=data.display_name,
            password_hash=await hash_password_off_loop(data.password),
        )
        if user_id is None:
            raise Conflict(f"A user with the email {normalize_email(data.email)} already exists.")
        return user_id

    async def authenticate(self, email: str, password: str) -> UUID | None:
        """The user's id when the password is theirs; None for a wrong password and an unknown email alike."""
        user = await self.users.find_by_email(normalize_email(email))
        if not await verify_password_off_loop(user.password_hash if user else None, password):
            return None
        return user.id if user else None

    async def user_id_of(self, email: str) -> UUID | None:
        user = await self.users.find_by_email(normalize_email(email))
        return user.id if user else None


class MemberService:
    """A tenant's members; the last owner can be neither demoted nor removed."""

    def __init__(self, repository: MembershipRepository) -> None:
        self.repository = repository

    async def add(self, user_id: UUID, role: Role) -> None:
        if not await self.repository.add(user_id, role):
            raise Conflict("That user is already a member of this tenant.")

    async def list(self) -> list[Member]:
        return [
            Member(
                user_id=row.user_id,
                email=row.email,
                display_name=row.display_name,
                role=row.role,
                created_at=row.created_at,
            )
            for row in await self.repository.list_members()
        ]

    async def change_role(self, user_id: UUID, role: Role) -> None:
        async with get_engine().transaction():
            owners = await self.repository.lock_owners()
            current = await self.repository.role_of(user_id)
            if current is None:
                raise NotFound(f"No member with id {user_id}.")
            if current is Role.OWNER and role is not Role.OWNER and owners == [user_id]:
                raise InvalidInput("The last owner can't be demoted: make someone else an owner first.")
            await self.repository.set_role(user_id, role)

    async def remove(self, user_id: UUID) -> None:
        async with get_engine().transaction():
            owners = await self.repository.lock_owners()
            if owners == [user_id]:
                raise InvalidInput("The last owner can't be removed: make someone else an owner first.")
            if not await self.repository.remove(user_id):
                raise NotFound(f"No member with id {user_id}.")

    async def require(self, user_id: UUID, role: Role) -> None:
        """Raise PermissionDenied unless the user is a member with at least `role` (re-checked in the database
        for writes, so a role removed a moment ago no longer counts)."""
        current = await self.repository.role_of(user_id)
        if current is None or not current.at_least(role):
            raise PermissionDenied(f"This needs the {role.value} role.")
