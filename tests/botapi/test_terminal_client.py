"""``nianbao chat --as PERSON`` shows the chat, sends lines, presses numbered buttons, moves files."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

MENU = InlineKeyboardMarkup(
    inline_keyboard=[
        [
            InlineKeyboardButton(text="通过", callback_data="approve"),
            InlineKeyboardButton(text="退回", callback_data="reject"),
        ]
    ]
)


def demo_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.message(F.text == "菜单")
    async def menu(message: Message) -> None:
        await message.answer("请选择", reply_markup=MENU)

    @dispatcher.message(F.document)
    async def document(message: Message, bot: Bot) -> None:
        assert message.document is not None
        data = await bot.download(message.document.file_id)
        assert data is not None
        await message.answer_document(
            BufferedInputFile(data.read()[::-1], filename="倒序.bin"), caption="已处理"
        )

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(f"收到：{message.text}")

    @dispatcher.callback_query()
    async def pressed(query: CallbackQuery) -> None:
        await query.answer(f"已选择 {query.data}")
        assert isinstance(query.message, Message)
        await query.message.edit_text(f"你选择了 {query.data}")

    return dispatcher


@pytest.fixture
async def demo_bot(bot: Bot) -> AsyncIterator[None]:
    dispatcher = demo_dispatcher()
    polling = asyncio.create_task(dispatcher.start_polling(bot, polling_timeout=1, handle_signals=False))
    yield
    await dispatcher.stop_polling()
    await polling


@pytest.mark.usefixtures("demo_bot")
async def test_a_scripted_conversation(server_url: str, tmp_path: Path) -> None:
    upload = tmp_path / "草稿.bin"
    upload.write_bytes(b"\x01\x02\x03")
    saved = tmp_path / "回执.bin"
    script = f"你好\n菜单\n#2\n/upload {upload}\n/save 1 {saved}\n/quit\n"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "nianbao", "chat", "--as", "张三", "--server", server_url,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(process.communicate(script.encode()), 60)
    screen = stdout.decode()

    assert process.returncode == 0, stderr.decode()
    assert "收到：你好" in screen
    assert "[#1 通过] [#2 退回]" in screen
    assert "（提示）已选择 reject" in screen
    assert "（已修改）" in screen
    assert "你选择了 reject" in screen
    assert "[文件 1] 倒序.bin（3 字节）" in screen
    assert saved.read_bytes() == b"\x03\x02\x01"


async def test_unreachable_server_is_explained(unused_tcp_port: int) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "nianbao", "chat", "--as", "张三", "--server", f"http://127.0.0.1:{unused_tcp_port}",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await process.communicate()
    assert process.returncode == 2
    assert "无法连接本地 Bot API 服务器" in stderr.decode()
