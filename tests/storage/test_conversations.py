"""A chat's conversation is kept whole under its key, and gone once it has neither state nor data."""

from __future__ import annotations

from sqlalchemy import Engine

from storage.conversations import conversation_of, save_conversation
from storage.engine import session_scope


def test_conversation_is_replaced_whole_and_deleted_when_empty(engine: Engine) -> None:
    key = "fsm:1:42:42:default"
    with session_scope(engine) as session:
        assert conversation_of(session=session, key=key) == (None, {})
        save_conversation(
            session=session, key=key, state="Filling:answering", data={"cell": "s2.a", "n": [1]}
        )
    with session_scope(engine) as session:
        assert conversation_of(session=session, key=key) == ("Filling:answering", {"cell": "s2.a", "n": [1]})
        save_conversation(session=session, key=key, state=None, data={"year": 2019})
    with session_scope(engine) as session:
        assert conversation_of(session=session, key=key) == (None, {"year": 2019})
        assert conversation_of(session=session, key="fsm:1:43:43:default") == (None, {})
        save_conversation(session=session, key=key, state=None, data={})
    with session_scope(engine) as session:
        assert conversation_of(session=session, key=key) == (None, {})
