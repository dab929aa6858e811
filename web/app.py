"""The application factory: settings, engine, clock and cycle client are injected, never built at import.

``nianbao web`` (``nianbao.web_process``) builds the real ones; tests and benchmarks pass their own.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import FileResponse, RedirectResponse, Response

from web import actions, console, public, signin
from web.deps import Services, SignInRequiredError
from web.files import content_type, safe_file
from web.pages import page
from web.security import security_headers

STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger(__name__)


def create_app(services: Services) -> FastAPI:
    app = FastAPI(title="nianbao", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.services = services
    app.middleware("http")(security_headers)

    @app.get("/static/{name}")
    async def static(request: Request, name: str) -> Response:
        found = safe_file(STATIC_DIR, name)
        if found is None:
            return public.not_found(request)
        return FileResponse(found, media_type=content_type(found), headers={"Cache-Control": "max-age=3600"})

    app.include_router(signin.router)
    app.include_router(actions.router)
    app.include_router(console.router)
    app.include_router(public.router)

    @app.exception_handler(SignInRequiredError)
    async def sign_in_required(request: Request, _error: SignInRequiredError) -> Response:
        if request.method == "GET":
            return RedirectResponse("/console/signin", status_code=303)
        return signin.sign_in_page(request, "请先登录。", status_code=401)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return public.not_found(request)
        message = (
            error.detail if isinstance(error.detail, str) and error.status_code == 403 else "请求无法处理。"
        )
        return page(request, "error.html", status_code=error.status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, _error: RequestValidationError) -> Response:
        return page(request, "error.html", status_code=400, message="请求的参数不完整或格式有误。")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return page(request, "error.html", status_code=500, message="服务器内部错误，请稍后重试。")

    return app
