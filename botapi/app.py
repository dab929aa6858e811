"""The aiohttp application: ``/bot{token}/{method}``, ``/file/bot{token}/{path}`` and the control API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable

from aiohttp import web

from botapi import control
from botapi.access_log import RedactedAccessLogger
from botapi.limits import SENDING_METHODS
from botapi.methods import METHODS
from botapi.params import ApiError, read_params
from botapi.state import ServerState
from botapi.webhook import deliver_forever

DEFAULT_TOKEN = "1000000001:nianbao-local-development"


def _unauthorized() -> web.Response:
    return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)


async def call_method(request: web.Request) -> web.Response:
    state = request.app[control.STATE_KEY]
    bot = state.bots.get(request.match_info["token"])
    if bot is None:
        return _unauthorized()
    name = request.match_info["method"]
    name = next((key for key in METHODS if key.lower() == name.lower()), name)
    method = METHODS.get(name)
    try:
        if method is None:
            raise ApiError(404, "Not Found: method not found")
        bot.calls[name] += 1
        params = await read_params(request)
        await bot.faults.apply(name)
        if bot.limits is not None and name in SENDING_METHODS:
            bot.limits.admit(params.integer("chat_id"))
        result = await method(state, bot, params)
    except ApiError as error:
        return web.json_response(error.payload(), status=error.code)
    return web.json_response({"ok": True, "result": result})


async def download_file(request: web.Request) -> web.StreamResponse:
    state = request.app[control.STATE_KEY]
    if request.match_info["token"] not in state.bots:
        return _unauthorized()
    stored = state.file_by_path(request.match_info["path"])
    if stored is None:
        raise web.HTTPNotFound(text="file not found")
    return web.Response(body=stored.data, content_type=stored.mime_type)


async def _webhook_delivery(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.create_task(deliver_forever(app[control.STATE_KEY]))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def create_app(tokens: Iterable[str] = (DEFAULT_TOKEN,)) -> web.Application:
    """A server that knows the given bot tokens; any other token is answered 401."""
    state = ServerState()
    for token in tokens:
        state.add_bot(token)
    app = web.Application(client_max_size=50 * 1024 * 1024)
    app[control.STATE_KEY] = state
    app.router.add_routes(control.routes)
    app.router.add_route("*", "/bot{token}/{method}", call_method)
    app.router.add_get("/file/bot{token}/{path:.+}", download_file)
    app.cleanup_ctx.append(_webhook_delivery)
    return app


@contextlib.asynccontextmanager
async def running_server(
    tokens: Iterable[str] = (DEFAULT_TOKEN,), *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[str]:
    """Serve in this event loop (port 0: any free port) and yield the base URL, e.g. for tests."""
    runner = web.AppRunner(
        create_app(tokens), handler_cancellation=True, access_log_class=RedactedAccessLogger
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_port = runner.addresses[0][1]
    try:
        yield f"http://{host}:{bound_port}"
    finally:
        await runner.cleanup()
