"""What a matrix answer found, as data: why the selected versions can, cannot, or may not yet be deployed.

The findings carry no sentences: each API words them in its own vocabulary (the Pact adapter as the broker's
notices, `accord.pact.matrix.wording`). Whether a finding is a warning, an error or a success is its kind.
"""

from __future__ import annotations

import msgspec

from accord.matrix.query import Selector


class PickedVersion(msgspec.Struct, frozen=True, kw_only=True):
    """A version a finding names, with how it was picked, so that an API can describe it as its users asked.

    `selector` is None when no selector picked it (the other side of a lone selector); `number` is None when
    the selector picked no version. `several`: the selector stands for more than one version; `matched`: for
    at least one."""

    service: str
    number: str | None
    selector: Selector | None = None
    main_branch: str | None = None
    service_exists: bool = True
    several: bool = False
    matched: bool = True


class UntrustedSpec(msgspec.Struct, frozen=True, kw_only=True):
    """A provider version's spec without a passed self-verification (`spec_verified`: None, none published;
    False, the one published failed), so a passed static check against it verifies nothing."""

    provider: str
    version: str
    spec_verified: bool | None


# Warnings: the answer stands, but may not mean what the asker thinks.


class CannotIgnore(msgspec.Struct, frozen=True, kw_only=True):
    """An ignore selector that matched no version."""

    ignored: PickedVersion


class NoDestination(msgspec.Struct, frozen=True, kw_only=True):
    """One version checked against no destination: the answer ignores where it is going."""


class UnpinnedSelector(msgspec.Struct, frozen=True, kw_only=True):
    """The versions checked were picked by tag, branch or environment, not by number: they may move on."""


# Errors: why the versions cannot (or cannot yet) be deployed.


class MissingVersion(msgspec.Struct, frozen=True, kw_only=True):
    """A specified selector that matched no version (or whose service does not exist)."""

    service: str
    selector: Selector
    service_exists: bool


class UncoveredIntegration(msgspec.Struct, frozen=True, kw_only=True):
    """A consumer needs the provider, but no contract between the selected versions is there to verify."""

    consumer: str
    provider: str


class UnverifiedContract(msgspec.Struct, frozen=True, kw_only=True):
    """No verification of the contract yet; `untrusted_spec` when it only passed a check against such a spec."""

    consumer: PickedVersion
    provider: PickedVersion
    untrusted_spec: UntrustedSpec | None = None


class ContractFailsSpec(msgspec.Struct, frozen=True, kw_only=True):
    """The contract does not match the provider version's spec (`mismatches`: the first few, maybe none)."""

    consumer: PickedVersion
    provider: PickedVersion
    mismatches: tuple[str, ...]


class SpecNotSelfVerified(msgspec.Struct, frozen=True, kw_only=True):
    """The contract matches the provider version's spec, whose own verification failed."""

    consumer: PickedVersion
    provider: PickedVersion
    spec: UntrustedSpec


class VerificationFailed(msgspec.Struct, frozen=True, kw_only=True):
    """The provider version's verification of the contract failed."""

    consumer: PickedVersion
    provider: PickedVersion


# Successes: nothing stands in the way.


class AllVerified(msgspec.Struct, frozen=True, kw_only=True):
    """Every row the answer considered is verified."""


class NoMissingDependencies(msgspec.Struct, frozen=True, kw_only=True):
    """No row to consider: nothing the versions depend on is missing."""


Finding = (
    CannotIgnore
    | NoDestination
    | UnpinnedSelector
    | MissingVersion
    | UncoveredIntegration
    | UnverifiedContract
    | ContractFailsSpec
    | SpecNotSelfVerified
    | VerificationFailed
    | AllVerified
    | NoMissingDependencies
)
