"""User text inside SQL LIKE patterns: its wildcards and escape character match themselves."""

from __future__ import annotations


def escape_like(text: str) -> str:
    """`text` for a LIKE/ILIKE pattern with PostgreSQL's default escape character, backslash.

    The backslash goes first: escaping `%` first would have the second pass double the escapes it just wrote.
    """
    return text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
