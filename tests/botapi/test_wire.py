"""aiogram, a real Bot API client, talks to the local server over HTTP and parses every answer."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramUnauthorizedError
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from botapi.client import ControlClient


async def test_get_me_names_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.id == bot.id


async def test_unknown_token_is_unauthorized(server_url: str) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server_url))
    async with Bot("42:not-a-registered-token", session=session) as stranger:
        with pytest.raises(TelegramUnauthorizedError):
            await stranger.get_me()


async def test_user_text_and_command_arrive_as_updates(bot: Bot, control: ControlClient) -> None:
    await control.say("张三", "你好")
    await control.say("张三", "/start ABC123")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["你好", "/start ABC123"]
    first = updates[0].message
    assert first is not None
    assert first.from_user is not None
    assert first.chat.id == first.from_user.id
    assert first.from_user.first_name == "张三"
    assert updates[1].message is not None
    assert updates[1].message.entities is not None
    assert updates[1].message.entities[0].type == "bot_command"


async def test_offset_confirms_updates(bot: Bot, control: ControlClient) -> None:
    await control.say("张三", "一")
    await control.say("张三", "二")
    first = await bot.get_updates()
    later = await bot.get_updates(offset=first[-1].update_id)
    assert [u.message.text for u in later if u.message] == ["二"]
    assert await bot.get_updates(offset=first[-1].update_id + 1) == []


async def test_long_polling_returns_when_a_message_arrives(bot: Bot, control: ControlClient) -> None:
    polling = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.2)
    assert not polling.done()
    await control.say("李四", "在吗")
    updates = await polling
    assert [u.message.text for u in updates if u.message] == ["在吗"]


async def test_inline_button_press_edit_and_answer(bot: Bot, control: ControlClient) -> None:
    chat_id = await control.open_chat("王五")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text="通过", callback_data="approve:1")],
            [InlineKeyboardButton(text="退回", callback_data="reject:1")],
        ]
    )
    sent = await bot.send_message(chat_id, "请审核", reply_markup=keyboard)
    await control.press("王五", sent.message_id, button=2)
    await control.press("王五", sent.message_id, data="forged")
    updates = await bot.get_updates()
    queries = [u.callback_query for u in updates if u.callback_query]
    assert [q.data for q in queries] == ["reject:1", "forged"]
    assert queries[0].message is not None
    assert queries[0].message.message_id == sent.message_id
    assert await bot.answer_callback_query(queries[0].id, text="已退回")
    await bot.edit_message_text("已退回", chat_id=chat_id, message_id=sent.message_id)
    view = await control.chat("王五")
    assert view.messages[-1]["text"] == "已退回"
    assert "reply_markup" not in view.messages[-1]
    assert [a["text"] for a in view.callback_answers] == ["已退回"]


async def test_unchanged_edit_and_unknown_chat_are_bad_requests(bot: Bot, control: ControlClient) -> None:
    chat_id = await control.open_chat("赵六")
    sent = await bot.send_message(chat_id, "同一句话")
    with pytest.raises(TelegramBadRequest, match="not modified"):
        await bot.edit_message_text("同一句话", chat_id=chat_id, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(123, "没有这个人")


async def test_documents_both_ways_keep_their_bytes(bot: Bot, control: ControlClient) -> None:
    chat_id = await control.open_chat("钱七")
    docx = b"PK\x03\x04 not really a docx \x00\xff"
    sent = await bot.send_document(chat_id, BufferedInputFile(docx, filename="年报.docx"), caption="草稿")
    assert sent.document is not None
    assert sent.document.file_name == "年报.docx"
    view = await control.chat("钱七")
    assert view.messages[-1]["caption"] == "草稿"
    assert await control.file(view.messages[-1]["document"]["file_id"]) == docx

    await control.upload("钱七", "报告.txt", "一、总体情况\n本年度……".encode())
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.document is not None
    downloaded = await bot.download(update.message.document.file_id)
    assert downloaded is not None
    assert downloaded.read().decode("utf-8") == "一、总体情况\n本年度……"
