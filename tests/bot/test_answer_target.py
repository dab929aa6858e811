"""An answer sent as a reply goes to the cell that question asked for; a reply to an unknown one to none."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram.types import Chat, Message, User

from bot.routers.filling import asked_cell, message_key

BOT = User(id=1, is_bot=True, first_name="年报助手")
OFFICER = User(id=2, is_bot=False, first_name="赵填报")
CHAT = Chat(id=2, type="private")
SENT = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def message(message_id: int, sender: User, reply_to: Message | None = None) -> Message:
    return Message(
        message_id=message_id,
        date=SENT,
        chat=CHAT,
        from_user=sender,
        text="7",
        reply_to_message=reply_to,
    )


WALK: dict[str, Any] = {
    "cell": "s2.b",
    "asked": {message_key(message(10, BOT)): "s2.a", message_key(message(12, BOT)): "s2.b"},
}


def test_a_plain_answer_goes_to_the_last_question() -> None:
    assert asked_cell(message(13, OFFICER), WALK) == "s2.b"


def test_a_reply_goes_to_the_question_it_answers() -> None:
    assert asked_cell(message(13, OFFICER, reply_to=message(10, BOT)), WALK) == "s2.a"


def test_a_reply_to_a_question_no_longer_known_goes_nowhere() -> None:
    assert asked_cell(message(13, OFFICER, reply_to=message(3, BOT)), WALK) is None


def test_a_reply_quoting_the_officers_own_message_is_a_plain_answer() -> None:
    assert asked_cell(message(13, OFFICER, reply_to=message(11, OFFICER)), WALK) == "s2.b"
