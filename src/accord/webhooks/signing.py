"""What makes a delivery verifiable and safe to log: its signature, its idempotency id, redaction."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

SIGNATURE_HEADER = "X-Accord-Signature"
TIMESTAMP_HEADER = "X-Accord-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
EVENT_HEADER = "X-Accord-Event"
REDACTED = "[redacted]"

# Header names whose values are credentials, whatever the receiver calls them.
_SECRET_HEADER = re.compile(r"authorization|cookie|token|secret|password|api[-_]?key|signature", re.IGNORECASE)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` (the timestamp is signed so a capture can't be
    replayed later as fresh)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name: REDACTED if _SECRET_HEADER.search(name) else value for name, value in headers.items()}


def redact_url(url: str) -> str:
    """The URL without a password in its user info."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:{REDACTED}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
