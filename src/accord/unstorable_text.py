"""Checks on text that arrives from clients: PostgreSQL can't store U+0000 in text or jsonb."""

from __future__ import annotations

from typing import Any

from accord.openapi import json_pointers

NUL = "\x00"
NUL_DETAIL = "must not contain the NUL character (\\u0000)"


def nul_pointer(value: Any) -> str | None:
    """The JSON pointer of a string (or key) holding U+0000 in a decoded JSON document, else None.

    Iterative, so a deep document can't exhaust the stack here."""
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        pointer, item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return pointer or "/"
        elif isinstance(item, dict):
            for key, child in item.items():
                child_pointer = f"{pointer}/{json_pointers.escape(key)}"
                if isinstance(key, str) and NUL in key:
                    return child_pointer
                pending.append((child_pointer, child))
        elif isinstance(item, list):
            pending.extend((f"{pointer}/{index}", child) for index, child in enumerate(item))
    return None
