"""The bot's FSM storage over the project's database, so a conversation survives a bot restart.

An aiogram ``BaseStorage`` on ``storage.conversations``. Every change is written through before the
handler goes on; reads come from memory once a key has been loaded, as one bot process owns its chats
(Telegram hands each update to one getUpdates caller or one webhook).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy import Engine

from storage.conversations import conversation_of, save_conversation
from storage.engine import session_scope

Conversation = tuple[str | None, dict[str, Any]]


class DatabaseStorage(BaseStorage):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._keys = DefaultKeyBuilder(with_bot_id=True, with_business_connection_id=True, with_destiny=True)
        self._known: dict[str, Conversation] = {}

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        _, data = await self._load(key)
        await self._save(key, (name, data))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        state, _ = await self._load(key)
        await self._save(key, (state, dict(data)))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict((await self._load(key))[1])

    async def close(self) -> None:
        self._known.clear()

    async def _load(self, key: StorageKey) -> Conversation:
        text = self._keys.build(key)
        if text not in self._known:
            self._known[text] = await asyncio.to_thread(self._read, text)
        return self._known[text]

    async def _save(self, key: StorageKey, conversation: Conversation) -> None:
        text = self._keys.build(key)
        await asyncio.to_thread(self._write, text, conversation)
        self._known[text] = conversation

    def _read(self, key: str) -> Conversation:
        with session_scope(self._engine) as session:
            return conversation_of(session=session, key=key)

    def _write(self, key: str, conversation: Conversation) -> None:
        state, data = conversation
        with session_scope(self._engine) as session:
            save_conversation(session=session, key=key, state=state, data=data)
