"""The snake_case field names older Pact clients still send (the Ruby client's `repository_url`, ...).

A body type declares each such field twice: the camelCase field the code reads, and a twin named `<field>_`
whose wire name is the snake_case one. After decoding, the twin fills the field when the field was not given;
given both, the camelCase value wins, as it is the broker's documented name.
"""

from __future__ import annotations

from typing import Any

import msgspec


def adopt_snake_case(body: Any, *fields: str) -> None:
    for field in fields:
        twin = getattr(body, f"{field}_")
        if twin is not msgspec.UNSET and getattr(body, field) in (msgspec.UNSET, None):
            setattr(body, field, twin)
