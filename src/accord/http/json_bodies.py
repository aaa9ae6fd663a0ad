"""The one place JSON request bodies are decoded: what msgspec refuses, and what PostgreSQL can't store, become
clear problems here instead of 500s in whichever handler first touched the body."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.types import Empty

from accord.errors import AppError, FieldError, InvalidInput
from accord.http.text_values import nul_pointer


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
            if b"\\u0000" in body and (pointer := nul_pointer(document)) is not None:
                raise InvalidInput(
                    "Text must not contain the NUL character (\\u0000).",
                    errors=[FieldError(detail="must not contain the NUL character (\\u0000)", pointer=pointer)],
                )
            return document
        return await super().json()
