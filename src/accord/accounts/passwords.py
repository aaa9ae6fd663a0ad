"""Password hashing with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended profile)."""

from __future__ import annotations

import asyncio
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # hashing cost grows with length: a megabyte "password" must not become a DoS


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


@functools.cache
def _decoy_hash() -> str:
    return hash_password("decoy password, never anyone's")


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; an unknown user (`None`) costs the same time as a wrong password, so the
    answer's timing does not tell which emails have accounts."""
    try:
        return _hasher().verify(stored_hash or _decoy_hash(), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def hash_password_off_loop(password: str) -> str:
    """Argon2 takes tens of milliseconds of CPU on purpose: run it in a thread, not on the event loop."""
    return await asyncio.to_thread(hash_password, password)


async def verify_password_off_loop(stored_hash: str | None, password: str) -> bool:
    return await asyncio.to_thread(verify_password, stored_hash, password)
