"""The Bot API methods the bot uses, with Telegram's answers and error texts."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from botapi.params import ApiError, Params, bad_request
from botapi.state import Bot, Chat, ServerState, WireObject

Method = Callable[[ServerState, Bot, Params], Awaitable[Any]]
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64


def _chat(state: ServerState, bot: Bot, params: Params) -> Chat:
    chat = state.existing_chat(bot, params.integer("chat_id"))
    if chat is None:
        raise bad_request("chat not found")
    return chat


def _keyboard(params: Params) -> WireObject | None:
    markup = params.structure("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            if len(button.get("callback_data", "").encode()) > MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _text(params: Params, name: str = "text") -> str:
    text = params.text(name)
    if not text.strip():
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    return text


async def get_me(state: ServerState, bot: Bot, params: Params) -> WireObject:
    return {**bot.user(), "can_join_groups": False, "can_read_all_group_messages": False}


async def get_updates(state: ServerState, bot: Bot, params: Params) -> list[WireObject]:
    if bot.webhook_url:
        raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
    offset = params.integer("offset", 0)
    limit = max(1, min(100, params.integer("limit", 100)))
    timeout = max(0, params.integer("timeout", 0))
    if offset > 0:
        bot.updates = [u for u in bot.updates if u["update_id"] >= offset]
    elif offset < 0:
        bot.updates = bot.updates[offset:]
    async with bot.new_update:
        if not bot.updates and timeout:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bot.new_update.wait(), timeout)
    return bot.updates[:limit]


async def send_message(state: ServerState, bot: Bot, params: Params) -> WireObject:
    chat = _chat(state, bot, params)
    text = _text(params)
    return await chat.record(
        bot.user(),
        text=text,
        entities=params.structure("entities"),
        reply_markup=_keyboard(params),
    )


async def send_document(state: ServerState, bot: Bot, params: Params) -> WireObject:
    chat = _chat(state, bot, params)
    reference = params.text("document")
    if reference.startswith("attach://"):
        upload = params.uploads.get(reference.removeprefix("attach://"))
        if upload is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        stored = state.store_file(file_name=upload.filename, mime_type=upload.content_type, data=upload.data)
    elif reference in state.files:
        stored = state.files[reference]
    elif "document" in params.uploads:
        upload = params.uploads["document"]
        stored = state.store_file(file_name=upload.filename, mime_type=upload.content_type, data=upload.data)
    else:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return await chat.record(
        bot.user(),
        document=stored.document(),
        caption=params.optional_text("caption"),
        caption_entities=params.structure("caption_entities"),
        reply_markup=_keyboard(params),
    )


def _own_message(state: ServerState, bot: Bot, params: Params) -> tuple[Chat, WireObject]:
    chat = _chat(state, bot, params)
    message = chat.find(params.integer("message_id"))
    if message is None:
        raise bad_request("message to edit not found")
    if message["from"]["id"] != bot.id:
        raise bad_request("message can't be edited")
    return chat, message


async def edit_message_text(state: ServerState, bot: Bot, params: Params) -> WireObject:
    chat, message = _own_message(state, bot, params)
    text = _text(params)
    markup = _keyboard(params)
    if message.get("text") == text and message.get("reply_markup") == markup:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are exactly "
            "the same as a current content and reply markup of the message"
        )
    message["text"] = text
    message["entities"] = params.structure("entities")
    message["edit_date"] = int(time.time())
    _set_markup(message, markup)
    await chat.touch()
    return message


async def edit_message_reply_markup(state: ServerState, bot: Bot, params: Params) -> WireObject:
    chat, message = _own_message(state, bot, params)
    _set_markup(message, _keyboard(params))
    message["edit_date"] = int(time.time())
    await chat.touch()
    return message


def _set_markup(message: WireObject, markup: WireObject | None) -> None:
    if markup is None:
        message.pop("reply_markup", None)
    else:
        message["reply_markup"] = markup


async def answer_callback_query(state: ServerState, bot: Bot, params: Params) -> bool:
    query_id = params.text("callback_query_id")
    owner = state.open_callbacks.pop(query_id, None)
    if owner is None or owner[0] != bot.token:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    chat = state.existing_chat(bot, owner[1])
    if chat is not None:
        answer = {
            "callback_query_id": query_id,
            "text": params.optional_text("text") or "",
            "show_alert": params.flag("show_alert"),
        }
        chat.callback_answers.append(answer)
        await chat.touch()
    return True


async def set_webhook(state: ServerState, bot: Bot, params: Params) -> bool:
    url = params.text("url", "")
    if url and not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    bot.webhook_url = url
    bot.webhook_secret = params.optional_text("secret_token")
    if params.flag("drop_pending_updates"):
        bot.updates.clear()
    return True


async def delete_webhook(state: ServerState, bot: Bot, params: Params) -> bool:
    bot.webhook_url = ""
    bot.webhook_secret = None
    if params.flag("drop_pending_updates"):
        bot.updates.clear()
    return True


async def get_webhook_info(state: ServerState, bot: Bot, params: Params) -> WireObject:
    return {"url": bot.webhook_url, "has_custom_certificate": False, "pending_update_count": len(bot.updates)}


async def get_file(state: ServerState, bot: Bot, params: Params) -> WireObject:
    stored = state.files.get(params.text("file_id"))
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "file_path": stored.file_path,
    }


async def accept(state: ServerState, bot: Bot, params: Params) -> bool:
    """Methods with no visible effect here (chat actions, command menus)."""
    return True


METHODS: dict[str, Method] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "sendMessage": send_message,
    "sendDocument": send_document,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "answerCallbackQuery": answer_callback_query,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "getFile": get_file,
    "sendChatAction": accept,
    "setMyCommands": accept,
    "deleteMyCommands": accept,
}
