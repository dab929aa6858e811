"""Injected 429/5xx answers look like Telegram's; webhooks receive updates; a Dispatcher runs against it."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramConflictError, TelegramRetryAfter, TelegramServerError
from aiogram.types import Message
from aiohttp import web

from botapi.client import ControlClient


async def test_retry_after_then_server_error_then_success(bot: Bot, control: ControlClient) -> None:
    chat_id = await control.open_chat("张三")
    await control.inject("retry_after", count=1, retry_after=7)
    await control.inject("server_error", count=1, status=502)
    with pytest.raises(TelegramRetryAfter) as too_many:
        await bot.send_message(chat_id, "提醒")
    assert too_many.value.retry_after == 7
    with pytest.raises(TelegramServerError):
        await bot.send_message(chat_id, "提醒")
    await bot.send_message(chat_id, "提醒")
    view = await control.chat("张三")
    assert [m["text"] for m in view.messages] == ["提醒"]
    assert (await control.stats())["faults_served"] == {"retry_after": 1, "server_error": 1, "delay": 0}


async def test_faults_spare_polling_unless_named(bot: Bot, control: ControlClient) -> None:
    await control.inject("retry_after", count=1)
    assert await bot.get_updates() == []
    await control.inject("retry_after", count=1, methods=["getUpdates"])
    with pytest.raises(TelegramRetryAfter):
        await bot.get_updates()


@contextlib.asynccontextmanager
async def webhook_receiver() -> AsyncIterator[tuple[str, list[dict[str, object]], list[str | None]]]:
    received: list[dict[str, object]] = []
    secrets: list[str | None] = []

    async def receive(request: web.Request) -> web.Response:
        received.append(await request.json())
        secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", received, secrets
    finally:
        await runner.cleanup()


async def test_webhook_receives_updates_and_blocks_polling(bot: Bot, control: ControlClient) -> None:
    async with webhook_receiver() as (url, received, secrets):
        await bot.set_webhook(url, secret_token="s3cret")
        await control.say("李四", "通过网络钩子")
        for _ in range(100):
            if received:
                break
            await asyncio.sleep(0.05)
        assert received[0]["message"]["text"] == "通过网络钩子"  # type: ignore[index]
        assert secrets == ["s3cret"]
        with pytest.raises(TelegramConflictError):
            await bot.get_updates()
        await bot.delete_webhook()
        await control.say("李四", "回到轮询")
        assert [u.message.text for u in await bot.get_updates() if u.message] == ["回到轮询"]


async def test_aiogram_dispatcher_polls_and_replies(bot: Bot, control: ControlClient) -> None:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(f"收到：{message.text}")

    polling = asyncio.create_task(dispatcher.start_polling(bot, polling_timeout=1, handle_signals=False))
    try:
        sent = await control.say("王五", "你好")
        view = await control.chat("王五", after=sent["message_id"], wait=10)
        assert [m["text"] for m in view.messages] == ["收到：你好"]
    finally:
        await dispatcher.stop_polling()
        await polling


async def test_module_runs_as_a_server(unused_tcp_port: int) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "botapi",
        "--port",
        str(unused_tcp_port),
        "--token",
        "77:local",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{unused_tcp_port}/bot77:local/getMe"
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with session.get(url) as response:
                        body = await response.json()
                        break
                await asyncio.sleep(0.05)
        assert body["ok"] is True
        assert body["result"]["id"] == 77
    finally:
        process.terminate()
        await process.wait()
