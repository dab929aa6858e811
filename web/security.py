"""Security headers on every answer, signed session cookies, and CSRF tokens for every form.

The session is a signed (not encrypted) cookie holding only a random CSRF token, the person's number and
when they signed in; it is HttpOnly, SameSite=Strict and limited to ``/console``. A form is accepted only
with the CSRF token of the session that rendered it.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "nianbao_console"
SESSION_MAX_AGE_SECONDS = 8 * 3600
CONSOLE_PATH = "/console"

PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Published HTML reports carry their own <style> block (domain.rendering.html) and never any script.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    csrf: str
    person_id: int | None = None


class SessionCodec:
    """Signs and reads the session cookie with the web secret."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="nianbao-console-session")

    def dumps(self, session: ConsoleSession) -> str:
        return self._serializer.dumps({"csrf": session.csrf, "pid": session.person_id})

    def loads(self, cookie: str | None) -> ConsoleSession | None:
        if not cookie:
            return None
        try:
            data: Any = self._serializer.loads(cookie, max_age=SESSION_MAX_AGE_SECONDS)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("csrf"), str):
            return None
        person = data.get("pid")
        return ConsoleSession(csrf=data["csrf"], person_id=person if isinstance(person, int) else None)


def new_session(person_id: int | None = None) -> ConsoleSession:
    return ConsoleSession(csrf=secrets.token_urlsafe(24), person_id=person_id)


def set_session_cookie(
    response: Response, request: Request, codec: SessionCodec, session: ConsoleSession
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        codec.dumps(session),
        max_age=SESSION_MAX_AGE_SECONDS,
        path=CONSOLE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def csrf_matches(session: ConsoleSession | None, token: str | None) -> bool:
    return session is not None and token is not None and hmac.compare_digest(session.csrf, token)


async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Middleware: the headers every answer carries (a route may set a narrower policy itself)."""
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.url.path.startswith(CONSOLE_PATH):
        response.headers["Cache-Control"] = "no-store"
    return response
