"""A spec's self-verification: the provider's own proof, from a tool that ran against the running provider,
that it implements the document. Without a passed one, a static check against the spec proves nothing."""

from __future__ import annotations

import msgspec

from accord.errors import FieldError, InvalidInput
from accord.specs.repository import SelfVerificationColumns
from accord.specs.schemas import SelfVerification, SelfVerificationCreate


def self_verification_of(row: SelfVerificationColumns) -> SelfVerification | None:
    """The self-verification columns of a spec row, or None when none was published."""
    # set_verification writes the verifier and the time with the verdict: all three or none.
    if row.verification_success is None or row.verifier is None or row.verified_at is None:
        return None
    return SelfVerification(
        success=row.verification_success,
        verifier=row.verifier,
        verifier_version=row.verifier_version,
        content_type=row.verification_content_type,
        has_report=row.has_report,
        verified_at=row.verified_at,
    )


def require_consistent(data: SelfVerificationCreate, *, in_query: bool = False) -> SelfVerificationCreate:
    """Names stripped and not blank; a report's media type without a report is a mistake worth saying; a report
    without one is text."""
    data.verifier = data.verifier.strip()
    data.verifier_version = data.verifier_version.strip() if data.verifier_version is not None else None
    for name, value in (("verifier", data.verifier), ("verifier_version", data.verifier_version)):
        if value == "":
            where = {"parameter": f"query.{name}"} if in_query else {"pointer": f"/{name}"}
            raise InvalidInput(
                f"{name} is blank.", errors=[FieldError(detail="name the tool and its version", **where)]
            )
    if data.content_type is not None and data.content is None:
        raise InvalidInput(
            "content_type describes the report in content, and there is no content.",
            errors=[FieldError(detail="send content with content_type, or leave both out", pointer="/content")],
        )
    if data.content is not None and data.content_type is None:
        data.content_type = "text/plain"
    return data


def from_upload_query(
    success: bool | None, verifier: str | None, verifier_version: str | None
) -> SelfVerificationCreate | None:
    """The self-verification given with a raw spec upload in its query (the body is the document itself).

    verification_success and verifier come together or not at all."""
    if success is None and verifier is None and verifier_version is None:
        return None
    missing = [name for name, value in (("verification_success", success), ("verifier", verifier)) if value is None]
    if missing:
        raise InvalidInput(
            "A self-verification result needs verification_success (true or false) and verifier (the tool that "
            "checked the running provider against the spec).",
            errors=[
                FieldError(detail="required with a self-verification result", parameter=f"query.{name}")
                for name in missing
            ],
        )
    values = {"success": success, "verifier": verifier, "verifier_version": verifier_version}
    try:
        return require_consistent(msgspec.convert(values, SelfVerificationCreate), in_query=True)
    except msgspec.ValidationError as exc:
        field = str(exc).rsplit("$.", 1)[-1].rstrip("`")
        parameter = {"success": "verification_success"}.get(field, field)
        raise InvalidInput(
            f"The self-verification is not valid: {exc}",
            errors=[FieldError(detail=str(exc), parameter=f"query.{parameter}")],
        ) from None
