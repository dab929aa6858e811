"""The control API: what a person does on their phone, done over HTTP by tests and the terminal client.

Users are named (``{"name": "张三"}``); the private chat id is the user's stable id. Every route takes an
optional ``bot`` (token) and defaults to the first bot the server was started with.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import itertools
from typing import Any

from aiohttp import web

from botapi.faults import Fault
from botapi.limits import SendLimits
from botapi.state import Bot, Chat, ServerState, WireObject

STATE_KEY = web.AppKey("state", ServerState)
routes = web.RouteTableDef()
MAX_WAIT_SECONDS = 60.0


def _fail(status: int, reason: str) -> web.HTTPException:
    """A JSON-less error with the reason as plain text, so that curl shows it as is."""
    return web.HTTPNotFound(text=reason) if status == 404 else web.HTTPBadRequest(text=reason)


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise _fail(400, "请求体必须是 JSON 对象") from None
    if not isinstance(body, dict):
        raise _fail(400, "请求体必须是 JSON 对象")
    return body


def _bot(request: web.Request, body: dict[str, Any] | None = None) -> Bot:
    state = request.app[STATE_KEY]
    token = (body or {}).get("bot") or request.query.get("bot")
    if token is None:
        try:
            return state.default_bot()
        except LookupError:
            raise _fail(404, "服务器上没有机器人") from None
    if token not in state.bots:
        raise _fail(404, "没有这个机器人")
    return state.bots[token]


def _chat(request: web.Request, body: dict[str, Any]) -> tuple[Bot, Chat]:
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _fail(400, "缺少姓名")
    bot = _bot(request, body)
    return bot, request.app[STATE_KEY].chat(bot, name.strip())


@routes.post("/control/bots")
async def add_bot(request: web.Request) -> web.Response:
    body = await _body(request)
    try:
        bot = request.app[STATE_KEY].add_bot(str(body.get("token", "")), body.get("username"))
    except ValueError as error:
        raise _fail(400, str(error)) from None
    return web.json_response(bot.user())


@routes.post("/control/users")
async def open_chat(request: web.Request) -> web.Response:
    _, chat = _chat(request, await _body(request))
    return web.json_response({"user": chat.user, "chat_id": chat.id})


@routes.post("/control/messages")
async def send_text(request: web.Request) -> web.Response:
    body = await _body(request)
    bot, chat = _chat(request, body)
    text = body.get("text")
    if not isinstance(text, str) or not text:
        raise _fail(400, "缺少消息内容")
    entities = None
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        entities = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    message = await chat.record(chat.user, text=text, entities=entities)
    await bot.push("message", message)
    return web.json_response(message)


@routes.post("/control/documents")
async def send_document(request: web.Request) -> web.Response:
    body = await _body(request)
    bot, chat = _chat(request, body)
    try:
        data = base64.b64decode(str(body.get("content_base64", "")), validate=True)
    except binascii.Error:
        raise _fail(400, "文件内容不是 base64 编码") from None
    stored = request.app[STATE_KEY].store_file(
        file_name=str(body.get("file_name") or "document"),
        mime_type=str(body.get("mime_type") or "application/octet-stream"),
        data=data,
    )
    message = await chat.record(chat.user, document=stored.document(), caption=body.get("caption"))
    await bot.push("message", message)
    return web.json_response(message)


_chat_instances = itertools.count(1)


@routes.post("/control/callbacks")
async def press_button(request: web.Request) -> web.Response:
    body = await _body(request)
    bot, chat = _chat(request, body)
    message = chat.find(int(body.get("message_id", 0)))
    if message is None or message["from"]["id"] != bot.id:
        raise _fail(404, "该对话中没有这条机器人消息")
    data = body.get("data") if "data" in body else _button_data(message, body.get("button"))
    state = request.app[STATE_KEY]
    query_id = f"{bot.id}{next(state.callback_ids):012d}"
    state.open_callbacks[query_id] = (bot.token, chat.id)
    query = {
        "id": query_id,
        "from": chat.user,
        "message": message,
        "chat_instance": str(next(_chat_instances)),
        "data": data,
    }
    await bot.push("callback_query", query)
    return web.json_response(query)


def _button_data(message: WireObject, number: Any) -> str:
    """``button`` counts the inline buttons from 1, row by row, as the terminal client shows them."""
    buttons = [b for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
    if not isinstance(number, int) or not 1 <= number <= len(buttons):
        raise _fail(400, f"按钮编号应为 1 到 {len(buttons)}")
    return str(buttons[number - 1].get("callback_data", ""))


@routes.get("/control/chats/{name}")
async def read_chat(request: web.Request) -> web.Response:
    """The chat's messages after message id ``after``, and its ``version`` (bumped by every change).

    With ``wait`` seconds, first wait for a new bot message after ``after`` or, when ``version`` is
    given, for any change since that version (the terminal client shows edits this way).
    """
    bot = _bot(request)
    chat = request.app[STATE_KEY].chat(bot, request.match_info["name"])
    after = int(request.query.get("after", 0))
    wait = min(float(request.query.get("wait", 0)), MAX_WAIT_SECONDS)
    seen_version = request.query.get("version")

    def ready() -> bool:
        if seen_version is not None:
            return chat.version > int(seen_version)
        return any(m["message_id"] > after and m["from"]["id"] == bot.id for m in chat.messages)

    if wait > 0:
        async with chat.changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(chat.changed.wait_for(ready), wait)
    messages = [m for m in chat.messages if m["message_id"] > after]
    return web.json_response(
        {
            "chat_id": chat.id,
            "version": chat.version,
            "messages": messages,
            "callback_answers": chat.callback_answers,
        }
    )


@routes.get("/control/files/{file_id}")
async def read_file(request: web.Request) -> web.Response:
    stored = request.app[STATE_KEY].files.get(request.match_info["file_id"])
    if stored is None:
        raise _fail(404, "没有这个文件")
    return web.Response(body=stored.data, content_type=stored.mime_type)


@routes.post("/control/faults")
async def add_fault(request: web.Request) -> web.Response:
    body = await _body(request)
    try:
        fault = Fault.from_request(body)
    except (TypeError, ValueError) as error:
        raise _fail(400, str(error)) from None
    _bot(request, body).faults.add(fault)
    return web.json_response({"ok": True})


@routes.delete("/control/faults")
async def clear_faults(request: web.Request) -> web.Response:
    _bot(request).faults.clear()
    return web.json_response({"ok": True})


@routes.post("/control/limits")
async def enforce_limits(request: web.Request) -> web.Response:
    """Refuse sends beyond ``per_second`` overall or closer than ``per_chat_interval`` in one chat."""
    body = await _body(request)
    _bot(request, body).limits = SendLimits(
        per_second=int(body.get("per_second", 30)),
        per_chat_interval=float(body.get("per_chat_interval", 1.0)),
    )
    return web.json_response({"ok": True})


@routes.get("/control/stats")
async def stats(request: web.Request) -> web.Response:
    bot = _bot(request)
    return web.json_response(
        {
            "calls": dict(bot.calls),
            "faults_served": bot.faults.served,
            "limit_refusals": bot.limits.refused if bot.limits else 0,
            "pending_updates": len(bot.updates),
        }
    )
