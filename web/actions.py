"""The console's actions, each audited and each sent through the cycle's own update path.

Remind (one agency, or every agency of a government that has not published: only people with pending work,
at most once per cycle day per agency), extend a deadline with a reason, kick off a year.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import col, or_, select
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from contracts import Actor
from storage.engine import session_scope
from storage.errors import InvalidEntryError
from storage.extensions import extend_deadline, extensions_of
from storage.kinds import Channel
from storage.overview import PUBLISHED, OverviewFilter, overview_page
from storage.overview_details import last_reminders
from storage.tables import Agency, CycleStatus
from web.clock import CycleDay
from web.cycle_actions import ActionRefusedError, CycleActions
from web.deps import SignedInUser, checked_csrf, services
from web.pages import page
from web.users import ConsoleUser

router = APIRouter(prefix="/console", dependencies=[Depends(checked_csrf)])


def refusal(request: Request, user: ConsoleUser, message: str, status_code: int = 403) -> Response:
    return page(request, "refused.html", status_code=status_code, user=user, message=message)


def _cycle(request: Request) -> CycleActions | None:
    return services(request).cycle


def _actor(user: ConsoleUser) -> Actor:
    return Actor(user.person_id, user.name, Channel.WEB)


def _agency(request: Request, code: str) -> Agency | None:
    with session_scope(services(request).engine) as session:
        return session.get(Agency, code)


def _back(path: str, **notice: object) -> Response:
    return RedirectResponse(f"{path}?{urlencode({k: str(v) for k, v in notice.items()})}", status_code=303)


@router.post("/{year:int}/{code}/remind")
async def remind(request: Request, year: int, code: str, user: SignedInUser) -> Response:
    agency = await run_in_threadpool(_agency, request, code)
    if agency is None or not user.may_act_on(agency):
        return refusal(request, user, "您不是该机关（或其上级政府）的协调人，不能发送提醒。")
    cycle = _cycle(request)
    if cycle is None:
        return refusal(request, user, "未连接年报流程服务（Temporal），无法发送提醒。", 503)
    try:
        sent = await cycle.remind(agency_code=code, year=year, actor=_actor(user))
    except ActionRefusedError as error:
        return refusal(request, user, str(error), 409)
    return _back(f"/console/{year}/{code}", notice="reminded", sent=sent, skipped=0, refused=0)


@router.post("/remind-all")
async def remind_all(
    request: Request, year: Annotated[int, Form()], parent: Annotated[str, Form()], user: SignedInUser
) -> Response:
    """Remind every agency of ``parent`` that has not published, skipping those reminded this cycle day."""
    if parent not in user.coordinated:
        return refusal(request, user, "您不是该政府的协调人，不能一键提醒其下属机关。")
    cycle = _cycle(request)
    if cycle is None:
        return refusal(request, user, "未连接年报流程服务（Temporal），无法发送提醒。", 503)
    day = await services(request).clock.day(year)
    pending = await run_in_threadpool(_pending_codes, request, user, year, parent, day)
    sent = skipped = refused = 0
    for code, reminded_today in pending:
        if reminded_today:
            skipped += 1
            continue
        try:
            sent += await cycle.remind(agency_code=code, year=year, actor=_actor(user))
        except ActionRefusedError:
            refused += 1
    return _back(
        "/console/unfiled", year=year, notice="reminded", sent=sent, skipped=skipped, refused=refused
    )


def _pending_codes(
    request: Request, user: ConsoleUser, year: int, parent: str, day: CycleDay
) -> list[tuple[str, bool]]:
    with session_scope(services(request).engine) as session:
        where = OverviewFilter(year=year, today=day.today, parent=parent)
        rows, _ = overview_page(session=session, scope=user.scope, where=where, limit=100_000)
        codes = [row.code for row in rows if row.stage not in (PUBLISHED, "not_started")]
        last = last_reminders(session=session, year=year, codes=codes)
        return [(code, code in last and day.day_of(last[code]) == day.today) for code in codes]


@router.post("/{year:int}/{code}/extend")
async def extend(
    request: Request,
    year: int,
    code: str,
    user: SignedInUser,
    deadline: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    agency = await run_in_threadpool(_agency, request, code)
    if agency is None or not user.may_act_on(agency):
        return refusal(request, user, "您不是该机关（或其上级政府）的协调人，不能延长截止日期。")
    try:
        new_deadline = date.fromisoformat(deadline)
    except ValueError:
        return refusal(request, user, "新的截止日期格式应为 YYYY-MM-DD。", 400)

    def record() -> None:
        with session_scope(services(request).engine) as session:
            status = session.get(CycleStatus, (code, year))
            if status is None:
                raise InvalidEntryError(f"{agency.name} 的 {year} 年度年报工作尚未启动，无法延期")
            earlier = extensions_of(session=session, agency_code=code, year=year)
            previous = earlier[-1].deadline if earlier else status.deadline
            extend_deadline(
                session=session,
                agency_code=code,
                year=year,
                deadline=new_deadline,
                reason=reason,
                person_id=user.person_id,
                previous=previous,
                channel=Channel.WEB,
            )

    try:
        await run_in_threadpool(record)
    except InvalidEntryError as error:
        return refusal(request, user, str(error), 400)
    return _back(f"/console/{year}/{code}", notice="extended", deadline=new_deadline.isoformat())


@router.post("/kickoff")
async def kickoff(request: Request, year: Annotated[int, Form()], user: SignedInUser) -> Response:
    if user.read_only:
        return refusal(request, user, "只有协调人可以启动年报工作。")
    cycle = _cycle(request)
    if cycle is None:
        return refusal(request, user, "未连接年报流程服务（Temporal），无法启动。", 503)
    if not 2000 <= year <= date.today().year:
        return refusal(request, user, "年度无效。", 400)
    codes = await run_in_threadpool(_coordinated_codes, request, user)
    try:
        # As ``nianbao kickoff``: real days start today; a simulated year starts on 1 January after it.
        simulated = services(request).settings.day_seconds != 86400
        await cycle.kickoff(
            year=year, agency_codes=codes, start_date=date(year + 1, 1, 1) if simulated else None
        )
    except ActionRefusedError as error:
        return refusal(request, user, str(error), 409)
    return _back("/console/", year=year, notice="kickoff")


def _coordinated_codes(request: Request, user: ConsoleUser) -> tuple[str, ...]:
    with session_scope(services(request).engine) as session:
        query = select(Agency.code).where(
            col(Agency.active).is_(True),
            or_(col(Agency.code).in_(user.coordinated), col(Agency.parent_code).in_(user.coordinated)),
        )
        return tuple(sorted(session.exec(query)))
