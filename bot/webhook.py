"""Receiving updates by webhook instead of long polling: an aiohttp app Telegram (or botapi) POSTs to."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

WEBHOOK_PATH = "/telegram/webhook"


@contextlib.asynccontextmanager
async def webhook(
    dispatcher: Dispatcher, bot: Bot, *, public_url: str, host: str = "127.0.0.1", port: int = 8443
) -> AsyncIterator[str]:
    """Listen on ``host:port``, register ``public_url`` + path with the Bot API, yield the registered URL.

    A random secret token is registered with the webhook, so forged POSTs to the path are refused.
    """
    secret = secrets.token_urlsafe(32)
    app = web.Application()
    SimpleRequestHandler(dispatcher=dispatcher, bot=bot, secret_token=secret).register(app, path=WEBHOOK_PATH)
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    url = public_url.rstrip("/") + WEBHOOK_PATH
    await bot.set_webhook(url, secret_token=secret)
    try:
        yield url
    finally:
        await bot.delete_webhook()
        await runner.cleanup()
