"""What the local Bot API server remembers: bots, users, private chats, messages, files, pending updates.

Objects are kept as the wire dicts Telegram sends (``message_id``, ``chat``, ``from`` …) so that what a
bot receives and what a test reads back are the same thing. Everything lives in memory: the server is
for development and tests, and a user id is derived from the person's name so it survives restarts.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from botapi.faults import FaultPlan
from botapi.limits import SendLimits

WireObject = dict[str, Any]


def user_id_for(name: str) -> int:
    """A stable positive id per name, in the range Telegram uses for people."""
    digest = hashlib.sha256(name.encode()).digest()
    return 1_000_000_000 + int.from_bytes(digest[:4], "big") % 1_000_000_000


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    data: bytes

    @property
    def file_path(self) -> str:
        return f"documents/{self.file_unique_id}/{self.file_name}"

    def document(self) -> WireObject:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.data),
        }


@dataclass
class Bot:
    """One bot account: its identity, its queue of updates and, if set, its webhook."""

    token: str
    username: str
    first_name: str
    updates: list[WireObject] = field(default_factory=list)
    update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    new_update: asyncio.Condition = field(default_factory=asyncio.Condition)
    webhook_url: str = ""
    webhook_secret: str | None = None
    faults: FaultPlan = field(default_factory=FaultPlan)
    limits: SendLimits | None = None
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def id(self) -> int:
        return int(self.token.split(":", 1)[0])

    def user(self) -> WireObject:
        return {"id": self.id, "is_bot": True, "first_name": self.first_name, "username": self.username}

    async def push(self, kind: str, payload: WireObject) -> WireObject:
        update = {"update_id": next(self.update_ids), kind: payload}
        async with self.new_update:
            self.updates.append(update)
            self.new_update.notify_all()
        return update


@dataclass
class Chat:
    """A private chat between one user and one bot: every message both sides sent, in order."""

    user: WireObject
    messages: list[WireObject] = field(default_factory=list)
    callback_answers: list[WireObject] = field(default_factory=list)
    message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    version: int = 0

    @property
    def id(self) -> int:
        return int(self.user["id"])

    def wire_chat(self) -> WireObject:
        chat: WireObject = {"id": self.id, "type": "private", "first_name": self.user["first_name"]}
        if "username" in self.user:
            chat["username"] = self.user["username"]
        return chat

    async def record(self, sender: WireObject, **content: Any) -> WireObject:
        message = {
            "message_id": next(self.message_ids),
            "date": int(time.time()),
            "chat": self.wire_chat(),
            "from": sender,
            **{key: value for key, value in content.items() if value is not None},
        }
        async with self.changed:
            self.messages.append(message)
            self.version += 1
            self.changed.notify_all()
        return message

    async def touch(self) -> None:
        """Something in the chat changed in place (an edit, a button answer): wake the readers."""
        async with self.changed:
            self.version += 1
            self.changed.notify_all()

    def find(self, message_id: int) -> WireObject | None:
        return next((m for m in self.messages if m["message_id"] == message_id), None)


@dataclass
class ServerState:
    """Everything the server knows; one instance per running app."""

    bots: dict[str, Bot] = field(default_factory=dict)
    chats: dict[tuple[str, int], Chat] = field(default_factory=dict)
    files: dict[str, StoredFile] = field(default_factory=dict)
    file_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    callback_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    open_callbacks: dict[str, tuple[str, int]] = field(default_factory=dict)

    def add_bot(self, token: str, username: str | None = None) -> Bot:
        bot_id = token.split(":", 1)[0]
        if ":" not in token or not bot_id.isdigit():
            raise ValueError(f"机器人令牌格式不对：{token!r}（应为“数字:密钥”）")
        name = username or f"nianbao_{bot_id}_bot"
        return self.bots.setdefault(token, Bot(token=token, username=name, first_name="年报助手"))

    def default_bot(self) -> Bot:
        if not self.bots:
            raise LookupError("no bot registered")
        return next(iter(self.bots.values()))

    def chat(self, bot: Bot, name: str) -> Chat:
        """The private chat of the user called ``name`` with ``bot``, opened on first use."""
        user_id = user_id_for(name)
        key = (bot.token, user_id)
        if key not in self.chats:
            user = {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"}
            self.chats[key] = Chat(user=user)
        return self.chats[key]

    def existing_chat(self, bot: Bot, chat_id: int) -> Chat | None:
        return self.chats.get((bot.token, chat_id))

    def store_file(self, *, file_name: str, mime_type: str, data: bytes) -> StoredFile:
        number = next(self.file_ids)
        unique = hashlib.sha256(data).hexdigest()[:16] + f"n{number}"
        stored = StoredFile(
            file_id=f"BQAC-local-{number}-{unique}",
            file_unique_id=unique,
            file_name=file_name,
            mime_type=mime_type,
            data=data,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == path), None)
