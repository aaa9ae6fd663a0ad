"""What a static compatibility check reports: per interaction, passed, failed (with why) or not checkable."""

from __future__ import annotations

from typing import Literal

import msgspec

ContractKind = Literal["interactions", "pact"]
InteractionStatus = Literal["passed", "failed", "not_checkable"]
Side = Literal["request", "response"]


class Mismatch(msgspec.Struct, frozen=True, kw_only=True):
    """One way an interaction disagrees with the spec.

    `pointer` points into the interaction as the contract holds it (`/response/body/total`), `spec_pointer` into
    the provider's document at the schema, parameter or response the contract disagrees with (after `$ref`s).
    """

    interaction: str
    where: Side
    pointer: str
    spec_pointer: str
    message: str


class InteractionResult(msgspec.Struct, kw_only=True):
    interaction: str  # a recorded interaction's key, a pact interaction's description (or v4 key)
    index: int  # its position in the contract: keys and descriptions need not be unique
    status: InteractionStatus
    operation: str | None = None  # the spec operation the request calls, when it calls one
    mismatches: list[Mismatch] = []
    reason: str | None = None  # why it is not checkable


class CheckReport(msgspec.Struct, kw_only=True):
    """The verdict on a whole contract: compatible when no interaction failed."""

    compatible: bool
    passed: int
    failed: int
    not_checkable: int
    results: list[InteractionResult]
