"""API key format: generation, hashing and reading it from an Authorization header."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets

import msgspec

KEY_PREFIX = "acc_"
_PREFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


class NewKey(msgspec.Struct, frozen=True, kw_only=True):
    secret: str
    prefix: str
    key_hash: str


def hash_key(secret: str) -> str:
    # A plain SHA-256 is enough: the secret is 256 random bits, so there is nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def generate_key() -> NewKey:
    """`acc_<8 visible chars>_<43 secret chars>`; the visible part is stored to tell keys apart in lists."""
    visible = "".join(secrets.choice(_PREFIX_CHARS) for _ in range(8))
    prefix = f"{KEY_PREFIX}{visible}"
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(secret=secret, prefix=prefix, key_hash=hash_key(secret))


def key_from_authorization(header: str | None) -> str | None:
    """The key in `Bearer <key>`, or in `Basic` credentials (as the password, or a lone username)."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return value or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, _, password = decoded.partition(":")
        return password or username or None
    return None
