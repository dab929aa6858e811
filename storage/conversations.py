"""Conversations with the bot: one row per chat (and destiny), its FSM state and data, replaced as a whole."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from storage.errors import InvalidEntryError
from storage.tables import Conversation
from storage.utc import utc_now


def conversation_of(*, session: Session, key: str) -> tuple[str | None, dict[str, Any]]:
    """The state and data stored under ``key``; ``(None, {})`` for a chat with no conversation going on."""
    row = session.get(Conversation, key)
    return (None, {}) if row is None else (row.state, dict(row.data))


def save_conversation(*, session: Session, key: str, state: str | None, data: dict[str, Any]) -> None:
    """Store the state and data under ``key``; a conversation with neither is deleted, not kept empty."""
    if not key.strip():
        raise InvalidEntryError("会话缺少键")
    row = session.get(Conversation, key)
    if state is None and not data:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = Conversation(key=key)
    row.state, row.data, row.updated_at = state, data, utc_now()
    session.add(row)
    session.flush()
