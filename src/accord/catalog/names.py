"""The one rule for names that travel in URL paths (services, versions, tags, branches, environments), as regex
patterns for msgspec and Litestar constraints, so bodies (native and Pact) and path parameters agree.

A name must not be able to pass for another one, or to change a URL it is put in:
- no control characters, and no invisible or direction-changing ones (zero-width spaces and joiners, bidi
  embeddings, overrides and isolates, the BOM, tag characters), which make two different names look alike;
- no `/` (except in branch names, which clients percent-encode), and no name that is just `.` or `..`, which
  URL resolution would read as "this" or "the parent" path segment.
"""

from __future__ import annotations

import re

# C0, DEL and C1 controls; soft hyphen; Arabic letter mark; Mongolian vowel separator; zero-width space,
# joiners, LRM/RLM; line and paragraph separators, bidi embeddings and overrides; word joiner, invisible
# operators, bidi isolates; BOM; interlinear annotation marks; tag characters.
_INVISIBLE = (
    r"\x00-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    r"\U000e0000-\U000e007f"
)
_NOT_DOT_SEGMENT = r"(?!\.{1,2}$)"

# Blanks inside a service name are fine ("Order service"), not around it.
SERVICE_NAME_PATTERN = rf"^{_NOT_DOT_SEGMENT}[^/\s{_INVISIBLE}](?:[^/{_INVISIBLE}]*[^/\s{_INVISIBLE}])?$"
# Version numbers, tags, environment names, application instances: one path segment, no blanks.
SEGMENT_PATTERN = rf"^{_NOT_DOT_SEGMENT}[^/\s{_INVISIBLE}]+$"
# Branches may hold slashes ("feature/login"), but none of their parts may be `.` or `..`.
BRANCH_NAME_PATTERN = rf"^(?!(?:.*/)?\.{{1,2}}(?:/|$))[^\s{_INVISIBLE}]+$"

SERVICE_NAME = re.compile(SERVICE_NAME_PATTERN)
SEGMENT = re.compile(SEGMENT_PATTERN)
BRANCH_NAME = re.compile(BRANCH_NAME_PATTERN)
