"""`${pactbroker.name}` and `${accord.name}` variables in a webhook's URL, headers and body.

Both prefixes read the same values (Accord's names are the broker's); an unknown variable stays as written,
as the broker leaves it. Values are URL-escaped in the URL, JSON-escaped inside JSON bodies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

_VARIABLE = re.compile(r"\$\{(pactbroker|accord)\.([A-Za-z][A-Za-z0-9]*)\}")


def render_text(text: str, variables: Mapping[str, str], escape: Callable[[str], str] = str) -> str:
    def replace(match: re.Match[str]) -> str:
        value = variables.get(match.group(2))
        return match.group(0) if value is None else escape(value)

    return _VARIABLE.sub(replace, text)


def render_url(url: str, variables: Mapping[str, str]) -> str:
    return render_text(url, variables, lambda value: quote(value, safe=""))


def render_json(value: Any, variables: Mapping[str, str]) -> Any:
    """Replace variables in every string of a JSON value (keys included); the structure stays valid JSON."""
    if isinstance(value, str):
        return render_text(value, variables)
    if isinstance(value, list):
        return [render_json(item, variables) for item in value]
    if isinstance(value, dict):
        return {render_text(str(key), variables): render_json(item, variables) for key, item in value.items()}
    return value


def placeholder_url(url: str) -> str:
    """The URL with each variable replaced by a harmless word, to check its scheme and host before saving."""
    return _VARIABLE.sub("x", url)
