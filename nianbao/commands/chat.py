"""``nianbao chat --as PERSON``: play a person chatting with the bot through the local Bot API server.

Lines typed are sent as that person's messages (``/start CODE``, ``12``, ``跳过`` …); ``#N`` presses
button N as numbered on screen, ``/upload PATH`` sends a file, ``/save N PATH`` keeps file N the bot
sent, ``/quit`` leaves. Messages from the bot, edits and button answers appear as they arrive. With
input from a pipe, each line waits for the bot's reply before the next is sent, so scripts replay.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

from botapi.client import ControlClient, ControlError
from botapi.transcript import Transcript

# The local server `nianbao up` and `nianbao bot` start when no token is configured.
DEFAULT_SERVER = f"http://127.0.0.1:{os.environ.get('NIANBAO_LOCAL_BOT_API_PORT', '8081')}"
SETTLE_SECONDS = 0.4
HELP = "输入文字即发送；#数字 按下按钮；/upload 路径 发送文件；/save 编号 路径 保存文件；/quit 退出"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``nianbao chat`` and ``nianbao bot`` to the ``nianbao`` parser."""
    bot = subparsers.add_parser("bot", help="运行聊天机器人（未配置令牌时同时启动本地 Bot API 服务器）")
    bot.add_argument(
        "--local-port", type=int, default=None, help="本地 Bot API 服务器端口（默认 NIANBAO_LOCAL_BOT_API_PORT）"
    )
    bot.add_argument("--webhook-url", default=None, help="以 webhook 方式接收消息时的公网地址（默认长轮询）")
    bot.add_argument("--webhook-port", type=int, default=8443, help="webhook 监听端口")
    bot.set_defaults(handler=run_bot)
    parser = subparsers.add_parser("chat", help="以某人身份在终端里与机器人对话（本地 Bot API 服务器）")
    parser.add_argument("--as", dest="person", required=True, help="姓名，例如 张三")
    parser.add_argument(
        "--server",
        default=os.environ.get("NIANBAO_BOT_API_URL", DEFAULT_SERVER),
        help="本地 Bot API 服务器地址",
    )
    parser.add_argument("--token", default=None, help="机器人令牌（服务器有多个机器人时）")
    parser.add_argument("--reply-wait", type=float, default=10.0, help="每条输入后最多等待回复的秒数")
    parser.set_defaults(handler=run)


def run_bot(args: argparse.Namespace) -> int:
    from nianbao.bot_process import Receiving, serve
    from nianbao.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    with contextlib.suppress(KeyboardInterrupt):
        receiving = Receiving(webhook_url=args.webhook_url, webhook_port=args.webhook_port)
        local_port = args.local_port or settings.local_bot_api_port
        asyncio.run(serve(settings, local_port=local_port, receiving=receiving))
    return 0


def run(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_converse(args))
    except KeyboardInterrupt:
        return 0


class _Screen:
    """Prints the chat as it changes and lets the input loop wait for the bot's answer."""

    def __init__(self, control: ControlClient, person: str) -> None:
        self.control = control
        self.person = person
        self.transcript = Transcript()
        self.version = 0
        self.printed = asyncio.Condition()
        self.lines_printed = 0

    async def refresh(self, wait: float) -> None:
        view = await self.control.chat(self.person, wait=wait, version=self.version)
        self.version = view.version
        lines = self.transcript.new_lines(view.messages, view.callback_answers)
        if lines:
            print("\n".join(lines), flush=True)
            async with self.printed:
                self.lines_printed += len(lines)
                self.printed.notify_all()

    async def follow(self) -> None:
        while True:
            await self.refresh(wait=25)

    async def await_reply(self, since: int, patience: float) -> None:
        """Until something new was printed after ``since`` lines, then until the bot pauses."""
        async with self.printed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.printed.wait_for(lambda: self.lines_printed > since), patience)
        while True:
            seen = self.lines_printed
            await asyncio.sleep(SETTLE_SECONDS)
            if self.lines_printed == seen:
                return


async def _converse(args: argparse.Namespace) -> int:
    async with ControlClient(args.server, bot_token=args.token) as control:
        try:
            await control.open_chat(args.person)
        except (ControlError, OSError) as error:
            print(f"无法连接本地 Bot API 服务器 {args.server}：{error}", file=sys.stderr)
            return 2
        screen = _Screen(control, args.person)
        await screen.refresh(wait=0)
        print(f"你现在是「{args.person}」。{HELP}", flush=True)
        follower = asyncio.create_task(screen.follow())
        try:
            await _read_lines(screen, args.reply_wait)
        finally:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
    return 0


async def _read_lines(screen: _Screen, reply_wait: float) -> None:
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            print(f"{screen.person}> ", end="", flush=True)
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line or line.strip() in {"/quit", "/退出"}:
            return
        text = line.strip()
        if not text:
            continue
        before = screen.lines_printed
        try:
            expects_reply = await _act(screen, text)
        except ControlError as error:
            print(f"（操作未完成：{error}）", flush=True)
            continue
        if expects_reply:
            await screen.await_reply(before, reply_wait)


async def _act(screen: _Screen, text: str) -> bool:
    """Do what the line says; True if the bot is expected to answer."""
    control, person = screen.control, screen.person
    if text.startswith("#") and text[1:].isdigit():
        button = screen.transcript.buttons.get(int(text[1:]))
        if button is None:
            print(f"（没有编号为 {text} 的按钮）", flush=True)
            return False
        await control.press(person, button.message_id, button=button.position)
        return True
    if text.startswith("/upload "):
        path = text.removeprefix("/upload ").strip()
        try:
            data = await asyncio.to_thread(_read, path)
        except OSError:
            print(f"（无法读取文件：{path}）", flush=True)
            return False
        await control.upload(person, os.path.basename(path), data)
        return True
    if text.startswith("/save "):
        await _save(screen, text.removeprefix("/save ").split(maxsplit=1))
        return False
    await control.say(person, text)
    return True


async def _save(screen: _Screen, words: list[str]) -> None:
    documents = screen.transcript.documents
    if len(words) != 2 or not words[0].isdigit() or not 1 <= int(words[0]) <= len(documents):
        print(f"（用法：/save 编号 路径，编号为 1 到 {len(documents)}）", flush=True)
        return
    data = await screen.control.file(documents[int(words[0]) - 1]["file_id"])
    await asyncio.to_thread(_write, words[1], data)
    print(f"（已保存到 {words[1]}，{len(data)} 字节）", flush=True)


def _read(path: str) -> bytes:
    return Path(path).expanduser().read_bytes()


def _write(path: str, data: bytes) -> None:
    Path(path).expanduser().write_bytes(data)
