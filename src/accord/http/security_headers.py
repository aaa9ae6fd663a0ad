"""Security headers on every response Accord sends, its own, Litestar's (404, 401 from middleware) and the
mounted admin's, from the one `before_send` hook (accord.http.response_start): constant headers appended to the
start message, nothing parsed.

- `X-Content-Type-Options: nosniff` everywhere: a browser must not guess HTML out of a JSON or text body.
- Framing is refused everywhere (`X-Frame-Options` for old browsers, CSP `frame-ancestors` for new ones): the
  admin and the docs page are the HTML ones, and refusing it for JSON costs nothing.
- `Cache-Control: no-store` on the responses that carry a newly issued secret, so no cache keeps a key.
"""

from __future__ import annotations

from litestar.types import Scope

# Route handlers whose responses carry a new secret: `opt={ISSUES_SECRET_OPT_KEY: True}`, or for a mounted app
# (one route handler for many pages) the path prefix, inside the mount, of the POSTs that answer with one.
ISSUES_SECRET_OPT_KEY = "issues_secret"  # noqa: S105 (an opt key, not a secret)

_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
]
_NO_STORE = (b"cache-control", b"no-store")


def _issues_secret(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    marker = handler.opt.get(ISSUES_SECRET_OPT_KEY) if handler is not None else None
    if marker is None or marker is True:
        return marker is True
    # A mount: Litestar has already rewritten scope["path"] to the path inside it.
    return scope.get("method") == "POST" and scope["path"].startswith(marker)


def add_security_headers(headers: list[tuple[bytes, bytes]], scope: Scope) -> None:
    headers.extend(_ALWAYS)
    if _issues_secret(scope):
        headers[:] = [(name, value) for name, value in headers if name.lower() != b"cache-control"]
        headers.append(_NO_STORE)
