"""The dashboard's cookies: HttpOnly, SameSite=Lax, Secure when ACCORD_SECURE_COOKIES (HTTPS) says so."""

from __future__ import annotations

from litestar.datastructures import Cookie

SESSION_COOKIE = "accord_session"
# Before login there is no session to hold a form's token: the login and invitation forms use a
# double-submit cookie instead (the form's hidden field must equal this cookie's value).
ANONYMOUS_CSRF_COOKIE = "accord_csrf"


def session_cookie(token: str, *, max_age: int, secure: bool) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE, value=token, max_age=max_age, path="/", httponly=True, samesite="lax", secure=secure
    )


def cleared_session_cookie(*, secure: bool) -> Cookie:
    return Cookie(key=SESSION_COOKIE, value="", max_age=0, path="/", httponly=True, samesite="lax", secure=secure)


def anonymous_csrf_cookie(token: str, *, secure: bool) -> Cookie:
    return Cookie(
        key=ANONYMOUS_CSRF_COOKIE, value=token, max_age=3600, path="/", httponly=True, samesite="lax", secure=secure
    )
