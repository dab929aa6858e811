"""How notices reach people: the ``Messenger`` protocol and its default, the storage outbox.

Another channel (the Telegram bot, WeCom, DingTalk) implements ``Messenger`` or drains the outbox;
workflows never know which.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Engine

from storage.engine import session_scope
from storage.outbox import enqueue
from storage.people import chat_ids_of


class Messenger(Protocol):
    def send(self, *, person_id: int, text: str, dedup_key: str, kind: str) -> bool:
        """Deliver (or queue) ``text`` for a person once per ``dedup_key``; False when already sent."""
        ...


class OutboxMessenger:
    """Queues one outbox row per chat account of the person (one without a chat id if none is bound yet)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def send(self, *, person_id: int, text: str, dedup_key: str, kind: str) -> bool:
        with session_scope(self._engine) as session:
            chat_ids: tuple[int | None, ...] = chat_ids_of(session=session, person_id=person_id) or (None,)
            queued = [
                enqueue(
                    session=session,
                    dedup_key=f"{dedup_key}-p{person_id}" + (f"-c{chat_id}" if chat_id is not None else ""),
                    kind=kind,
                    text=text,
                    person_id=person_id,
                    chat_id=chat_id,
                )
                for chat_id in chat_ids
            ]
            return any(queued)
