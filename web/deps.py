"""Request-scoped dependencies: the application's services, the session, the signed-in user, CSRF."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from nianbao.settings import Settings
from storage.engine import session_scope
from storage.errors import NotFoundError
from web.clock import CycleClock, FixedClock
from web.cycle_actions import CycleActions
from web.security import SESSION_COOKIE, ConsoleSession, SessionCodec, csrf_matches
from web.users import ConsoleUser, console_user


@dataclass(frozen=True)
class Services:
    """Everything the routes need, built once by the composition root and held on ``app.state``."""

    settings: Settings
    engine: Engine
    codec: SessionCodec
    clock: CycleClock | FixedClock
    cycle: CycleActions | None


class SignInRequiredError(Exception):
    """No valid session: the console answers with the sign-in page."""


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def console_session(request: Request) -> ConsoleSession | None:
    return services(request).codec.loads(request.cookies.get(SESSION_COOKIE))


async def signed_in_user(request: Request) -> ConsoleUser:
    session = console_session(request)
    if session is None or session.person_id is None:
        raise SignInRequiredError
    engine = services(request).engine
    person_id = session.person_id

    def load() -> ConsoleUser | None:
        with session_scope(engine) as db:
            try:
                return console_user(session=db, person_id=person_id)
            except NotFoundError:
                return None

    user = await run_in_threadpool(load)
    if user is None:
        raise SignInRequiredError
    request.state.csrf = session.csrf
    return user


def checked_csrf(request: Request, csrf: Annotated[str, Form()] = "") -> None:
    """Every form carries the session's CSRF token; anything else is refused before it is read further."""
    if not csrf_matches(console_session(request), csrf):
        raise HTTPException(
            status_code=403, detail="表单已失效或来源不明（缺少有效的防伪令牌），请刷新页面后重试"
        )


SignedInUser = Annotated[ConsoleUser, Depends(signed_in_user)]
