"""The console's pages: year overview, "not filed yet", one agency-year, downloads and exports."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from domain.document import from_document, render_json
from domain.errors import NianbaoError
from domain.rendering import render_csv, render_docx, render_html
from storage.engine import session_scope
from storage.overview import all_rows
from web.agency_view import NotVisibleError, draft_document, load_agency_year
from web.deps import SignedInUser, services
from web.exports import overview_csv, overview_xlsx
from web.files import CONTENT_TYPES
from web.overview_view import Query, default_year, load_overview, load_unfiled
from web.pages import page
from web.public import not_found

router = APIRouter(prefix="/console")
NOTICES = {
    "reminded": "已发送提醒：{sent} 人；今日已提醒而跳过 {skipped} 个机关；未能提醒 {refused} 个机关。",
    "extended": "截止日期已延至 {deadline}。",
    "kickoff": "已启动 {year} 年度的年报工作（重复启动不会产生第二个周期）。",
}
DOWNLOAD_TYPES = {
    "docx": CONTENT_TYPES[".docx"],
    "html": CONTENT_TYPES[".html"],
    "json": CONTENT_TYPES[".json"],
    "csv": CONTENT_TYPES[".csv"],
}


async def _query(request: Request) -> Query:
    params = dict(request.query_params)
    year = await run_in_threadpool(default_year, services(request).engine, date.today())
    return Query.parse(params, year)


def notice(request: Request) -> str:
    template = NOTICES.get(request.query_params.get("notice", ""))
    if template is None:
        return ""
    values = {k: v for k, v in request.query_params.items() if k != "notice"}
    safe = {k: (v if v.replace("-", "").isdigit() else "") for k, v in values.items()}
    try:
        return template.format(**safe)
    except KeyError:
        return ""


@router.get("")
async def console_root() -> Response:
    return RedirectResponse("/console/", status_code=308)


@router.get("/")
async def overview(request: Request, user: SignedInUser) -> Response:
    query = await _query(request)
    day = await services(request).clock.day(query.year)
    data = await run_in_threadpool(load_overview, services(request).engine, user, query, day)
    return page(
        request, "overview.html", user=user, o=data, q=query, notice=notice(request), csrf=request.state.csrf
    )


@router.get("/unfiled")
async def unfiled(request: Request, user: SignedInUser) -> Response:
    query = await _query(request)
    day = await services(request).clock.day(query.year)
    groups = await run_in_threadpool(load_unfiled, services(request).engine, user, query.year, day)
    return page(
        request,
        "unfiled.html",
        user=user,
        groups=groups,
        q=query,
        day=day,
        notice=notice(request),
        csrf=request.state.csrf,
    )


@router.get("/export.{kind}")
async def export(request: Request, kind: str, user: SignedInUser) -> Response:
    if kind not in ("csv", "xlsx"):
        return not_found(request)
    query = await _query(request)
    day = await services(request).clock.day(query.year)
    engine = services(request).engine

    def rows() -> bytes:
        with session_scope(engine) as session:
            found = all_rows(session=session, scope=user.scope, where=query.where(day.today), sort=query.sort)
        if kind == "csv":
            return overview_csv(found, day)
        return overview_xlsx(found, day, f"{query.year}年度")

    body = await run_in_threadpool(rows)
    media = (
        "text/csv; charset=utf-8"
        if kind == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"nianbao-{query.year}.{kind}"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/{year:int}/{agency}")
async def agency_year(request: Request, year: int, agency: str, user: SignedInUser) -> Response:
    pair = _pair(request.query_params.get("a", ""), request.query_params.get("b", ""))
    try:
        data = await run_in_threadpool(load_agency_year, services(request).engine, user, agency, year, pair)
    except NotVisibleError:
        return not_found(request)
    day = await services(request).clock.day(year)
    return page(
        request,
        "agency_year.html",
        user=user,
        a=data,
        day=day,
        notice=notice(request),
        csrf=request.state.csrf,
    )


@router.get("/{year:int}/{agency}/r{revision:int}.{kind}")
async def download(
    request: Request,
    year: int,
    agency: str,
    revision: int,
    kind: str,
    user: SignedInUser,
) -> Response:
    if kind not in DOWNLOAD_TYPES:
        return not_found(request)
    try:
        document = await run_in_threadpool(
            draft_document, services(request).engine, user, agency, year, revision
        )
        report = from_document(document)
    except (NotVisibleError, NianbaoError):
        return not_found(request)
    renderers = {
        "docx": lambda: render_docx(report),
        "html": lambda: render_html(report).encode(),
        "json": lambda: render_json(report).encode(),
        "csv": lambda: render_csv(report).encode(),
    }
    body = await run_in_threadpool(renderers[kind])
    name = f"{agency}-{year}-r{revision}-draft.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=DOWNLOAD_TYPES[kind], headers=headers)


def _pair(a: str, b: str) -> tuple[int, int] | None:
    if a.isdigit() and b.isdigit() and len(a) < 5 and len(b) < 5:
        return int(a), int(b)
    return None
