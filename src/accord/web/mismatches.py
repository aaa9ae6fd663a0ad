"""A replayed verification's mismatches come in each verifier's own shape (Pact's, or whatever a tool sent):
read the common fields into one pointer and one sentence for the page."""

from __future__ import annotations

from typing import Any

import msgspec

_POINTER_KEYS = ("path", "pointer", "attribute", "key")
_SENTENCE_KEYS = ("description", "message", "mismatch", "reason")


class MismatchLine(msgspec.Struct, frozen=True, kw_only=True):
    pointer: str | None
    sentence: str
    expected: str | None = None
    actual: str | None = None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()


def describe_mismatch(mismatch: Any) -> MismatchLine:
    if not isinstance(mismatch, dict):
        return MismatchLine(pointer=None, sentence=_text(mismatch))
    pointer = next((_text(mismatch[k]) for k in _POINTER_KEYS if mismatch.get(k) not in (None, "")), None)
    sentence = next((_text(mismatch[k]) for k in _SENTENCE_KEYS if mismatch.get(k) not in (None, "")), None)
    return MismatchLine(
        pointer=pointer,
        sentence=sentence or _text(mismatch),
        expected=_text(mismatch["expected"]) if "expected" in mismatch else None,
        actual=_text(mismatch["actual"]) if "actual" in mismatch else None,
    )
