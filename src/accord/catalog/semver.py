"""Semver-aware ordering of opaque version numbers."""

from __future__ import annotations

import re

_SEMVER = re.compile(
    r"^v?(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
    r"(?:-(?P<pre>[0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)


def semver_key(number: str) -> str | None:
    """A string that sorts like semver precedence, or None when the number isn't semver.

    Releases sort after their pre-releases (1.0.0-rc.1 < 1.0.0); numeric pre-release parts compare as numbers.
    """
    match = _SEMVER.match(number)
    if match is None:
        return None
    core = ".".join(f"{int(match.group(part)):010d}" for part in ("major", "minor", "patch"))
    pre = match.group("pre")
    if pre is None:
        return f"{core}~"  # '~' sorts after every pre-release character
    parts = [f"0{int(p):010d}" if p.isdigit() else f"1{p}" for p in pre.split(".")]
    return f"{core}-{'.'.join(parts)}"
