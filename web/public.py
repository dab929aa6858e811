"""The public report site: an index by year and agency, one page per report, and the published files.

Files are served from the publish directory only (``web.files.safe_file``); every other path is a 404
page, directories included, so nothing is ever listed.
"""

from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from storage.engine import session_scope
from storage.published import PublishedRevision, published_revisions
from web.deps import services
from web.files import content_type, safe_file
from web.pages import page
from web.security import REPORT_POLICY

router = APIRouter()


def _load(request: Request, **where: object) -> list[PublishedRevision]:
    with session_scope(services(request).engine) as session:
        return published_revisions(session=session, **where)  # type: ignore[arg-type]


@router.get("/")
async def index(request: Request) -> Response:
    revisions = await run_in_threadpool(_load, request)
    years = [
        (year, _latest_per_agency(list(group))) for year, group in groupby(revisions, key=lambda r: r.year)
    ]
    return page(request, "public_index.html", years=years)


@router.get("/{year:int}/")
async def year_index(request: Request, year: int) -> Response:
    revisions = await run_in_threadpool(_load, request, year=year)
    if not revisions:
        return not_found(request)
    return page(request, "public_year.html", year=year, reports=_latest_per_agency(revisions))


@router.get("/{year:int}/{agency}/")
async def report(request: Request, year: int, agency: str) -> Response:
    revisions = await run_in_threadpool(_load, request, year=year, agency_code=agency)
    if not revisions:
        return not_found(request)
    latest = revisions[-1]
    return page(request, "public_report.html", year=year, latest=latest, revisions=list(reversed(revisions)))


@router.get("/{path:path}")
async def published_file(request: Request, path: str) -> Response:
    found = safe_file(services(request).settings.publish_dir, path)
    if found is None:
        return not_found(request)
    headers = {"Content-Security-Policy": REPORT_POLICY} if found.suffix == ".html" else {}
    if found.suffix in (".docx", ".csv"):
        headers["Content-Disposition"] = f'attachment; filename="{found.name}"'
    return FileResponse(found, media_type=content_type(found), headers=headers)


def not_found(request: Request) -> Response:
    return page(request, "not_found.html", status_code=404)


def _latest_per_agency(revisions: list[PublishedRevision]) -> list[PublishedRevision]:
    latest: dict[str, PublishedRevision] = {}
    for revision in revisions:
        latest[revision.agency_code] = revision
    return sorted(latest.values(), key=lambda r: r.agency_code)
