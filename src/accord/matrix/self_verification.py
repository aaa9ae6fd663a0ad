"""Why a passed static check does not verify a contract: the provider's spec lacks a passed self-verification."""

from __future__ import annotations

from urllib.parse import quote

from accord.matrix.answer import MatrixLine
from accord.matrix.findings import UntrustedSpec


def missing_self_verification(provider: str, version: str, spec_verified: bool | None) -> str:
    """The sentence for a spec whose self-verification is missing (None) or failed (False)."""
    path = f"/api/services/{quote(provider, safe='')}/versions/{quote(version, safe='')}/spec/verification-result"
    failed = " (the one published failed)" if spec_verified is False else ""
    return (
        f"provider spec for {provider} {version} has no successful self-verification result{failed}: publish one "
        f"with PUT {path} (or with the spec upload: ?verification_success=true&verifier=<tool>), so that the "
        "static check against the spec counts"
    )


def untrusted_spec(line: MatrixLine) -> UntrustedSpec | None:
    """The spec of a line whose static check passed but does not verify it (not self-verified), else None."""
    check = line.static_check
    if check is None or not check.passed or check.verifies or line.provider_version is None:
        return None
    return UntrustedSpec(
        provider=line.provider, version=line.provider_version.number, spec_verified=check.spec_verified
    )
