"""The one place JSON request bodies are decoded: what msgspec refuses, and what PostgreSQL can't store, become
clear problems here instead of 500s in whichever handler first touched the body."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.types import Empty

from accord.errors import AppError, FieldError, InvalidInput
from accord.unstorable_text import NUL_DETAIL, nul_pointer

# Handler opt for batch endpoints that report each item's problems on its own (a NUL in one item must not
# refuse the others); those services check NUL per item.
CHECKS_ITEMS_ONE_BY_ONE = "checks_items_one_by_one"


class MalformedBody(AppError):
    status_code = 400
    slug = "malformed-body"
    title = "The request body could not be parsed"


class AccordRequest(Request[Any, Any, Any]):
    """Litestar's Request, with `json()` bounded: invalid UTF-8 and nesting deeper than the decoder's recursion
    limit are malformed bodies (400), and a U+0000 anywhere in the document is refused (422)."""

    async def json(self) -> Any:
        if self._json is Empty and self._connection_state.json is Empty:
            body = await self.body()
            try:
                document = await super().json()
            except UnicodeDecodeError as exc:
                raise MalformedBody(f"The body is not UTF-8: byte {exc.start} is invalid.") from None
            except RecursionError:
                # msgspec is C and stops itself (no crash) at the interpreter's recursion limit.
                raise MalformedBody("The body is nested too deeply.") from None
            # JSON can only spell U+0000 as an escape: one byte scan, the walk runs only when it shows up.
            per_item = self.route_handler.opt.get(CHECKS_ITEMS_ONE_BY_ONE, False)
            if not per_item and b"\\u0000" in body and (pointer := nul_pointer(document)) is not None:
                raise InvalidInput(
                    "Text must not contain the NUL character (\\u0000).",
                    errors=[FieldError(detail=NUL_DETAIL, pointer=pointer)],
                )
            return document
        return await super().json()
