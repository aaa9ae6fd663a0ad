"""Following local `$ref`s (`#/components/...`) through an OpenAPI document.

Specs, the static checker, the mock and the spec diff all resolve references this one way. Only references
into the same document are followed: uploads with any other kind are refused (specs.validation), so a stored
spec never needs one, and an older row that has one reads as pointing to nothing.
"""

from __future__ import annotations

from typing import Any

from accord.openapi.json_pointers import join, parts_of, resolve

# Chains of references longer than this are absurd (or a loop); what they lead to counts as absent. The spec
# diff and the mock allowed 16 hops, the router and the checker 8: the larger keeps every chain that worked.
MAX_REF_HOPS = 16


def lookup(document: Any, ref: str) -> Any:
    """The value a local reference points to (`#` is the whole document), or None."""
    if ref != "#" and not ref.startswith("#/"):
        return None
    return resolve(document, ref)


def follow(document: Any, value: Any, pointer: str | None = None) -> tuple[Any, str | None]:
    """`value` with its `$ref`s followed, and the JSON pointer of where the result is defined (`pointer`, the
    value's own, when it is no reference). A reference to nothing gives (None, its pointer), a chain longer
    than MAX_REF_HOPS (None, None): callers read both as an absent value."""
    for _ in range(MAX_REF_HOPS):
        ref = value.get("$ref") if isinstance(value, dict) else None
        if not isinstance(ref, str):
            return value, pointer
        pointer = join("", *parts_of(ref))
        value = lookup(document, ref)
    return None, None
