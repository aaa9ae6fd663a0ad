"""Display names the Pact Broker derives from names when none is given ('order-api' -> 'Order Api')."""

from __future__ import annotations

import re

_ACRONYM_THEN_WORD = re.compile(r"([A-Z])([A-Z])([a-z])")
_LOWER_THEN_UPPER = re.compile(r"([a-z\d])([A-Z])(\S)")
_SEPARATOR = re.compile(r"(?<=\S)[-_\s.](?=\S)")


def generated_display_name(name: str) -> str:
    """The broker's GenerateDisplayName: split camel case and separators, capitalise each word."""
    spaced = _ACRONYM_THEN_WORD.sub(r"\1 \2\3", name)
    spaced = _LOWER_THEN_UPPER.sub(r"\1 \2\3", spaced)
    spaced = _SEPARATOR.sub(" ", spaced)
    return " ".join(word[:1].upper() + word[1:] for word in spaced.split())


def display_name(name: str, stored: str | None) -> str:
    """The stored display name, else the generated one: clients read `displayName` as a required string."""
    return stored if stored else generated_display_name(name)
