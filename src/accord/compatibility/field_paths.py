"""The dotted field paths mismatch messages name a field of a body by: `lines[0].sku`, not `/lines/0/sku`."""

from __future__ import annotations

import re
from collections.abc import Iterable

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*")


def field_path(parts: Iterable[str | int]) -> str:
    """`customer.address.zip`, `lines[0].sku`, `["odd key"]`: how a message names a field of a body."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += '["' + part.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return text
