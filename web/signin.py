"""Signing in and out of the console: name and password, rate-limited, CSRF-checked, session rotated."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from storage.credentials import sign_in
from storage.engine import session_scope
from web.deps import checked_csrf, console_session, services
from web.pages import page
from web.security import SESSION_COOKIE, new_session, set_session_cookie
from web.users import console_user

router = APIRouter(prefix="/console")


def sign_in_page(request: Request, message: str = "", status_code: int = 200, name: str = "") -> Response:
    """The sign-in form, with a fresh anonymous session to carry its CSRF token."""
    session = console_session(request)
    if session is None or session.person_id is not None:
        session = new_session()
    response = page(
        request, "signin.html", status_code=status_code, csrf=session.csrf, message=message, name=name
    )
    set_session_cookie(response, request, services(request).codec, session)
    return response


@router.get("/signin")
async def sign_in_form(request: Request) -> Response:
    return sign_in_page(request)


@router.post("/signin", dependencies=[Depends(checked_csrf)])
async def sign_in_submit(
    request: Request, name: Annotated[str, Form()] = "", password: Annotated[str, Form()] = ""
) -> Response:
    engine = services(request).engine
    client = request.client.host if request.client else "unknown"

    def check() -> tuple[int | None, bool]:
        with session_scope(engine) as db:
            outcome = sign_in(session=db, name=name, password=password, client=client)
            person = outcome.person
            if person is None or person.id is None:
                return None, outcome.locked
            user = console_user(session=db, person_id=person.id)
            return (person.id if user is not None else None), False

    person_id, locked = await run_in_threadpool(check)
    if locked:
        return sign_in_page(request, "尝试次数过多，请 15 分钟后再试。", status_code=429, name=name)
    if person_id is None:
        return sign_in_page(request, "姓名或密码不正确（或该人员没有使用控制台的角色）。", 401, name)
    response = RedirectResponse("/console/", status_code=303)
    # A new session on sign-in: a token planted before it (session fixation) is worth nothing after.
    set_session_cookie(response, request, services(request).codec, new_session(person_id))
    return response


@router.post("/signout", dependencies=[Depends(checked_csrf)])
async def sign_out(request: Request) -> Response:
    response = RedirectResponse("/console/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response
