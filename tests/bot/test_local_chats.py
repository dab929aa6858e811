"""After a restart of the local Bot API server, notices still reach people who registered before it."""

from __future__ import annotations

import pytest
from aiogram import Bot
from sqlalchemy import Engine

from bot.delivery import Delivery, DeliveryRefusedError
from botapi.client import ControlClient
from botapi.state import user_id_for
from nianbao.bot_process import open_bound_chats
from nianbao.settings import Settings
from storage.agencies import import_agencies, parse_agency_csv
from storage.engine import session_scope
from storage.kinds import RoleName
from storage.people import add_person_with_role, bind_chat


def registered(engine: Engine, name: str) -> int:
    """A person bound (as ``/start`` on the local server binds them) to the chat of their name."""
    with session_scope(engine) as session:
        grant = add_person_with_role(session=session, name=name, agency_code="hq", role=RoleName.OFFICER)
        assert grant.person.id is not None
        bind_chat(session=session, person_id=grant.person.id, chat_id=user_id_for(name))
    return user_id_for(name)


@pytest.fixture
def hq(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        import_agencies(
            session=session, rows=parse_agency_csv("code,name,kind,parent\nhq,红桥区,government,\n")
        )
    return engine


async def test_bound_chats_are_open_on_a_fresh_server(
    hq: Engine, settings: Settings, server_url: str, bot: Bot, control: ControlClient
) -> None:
    chat_id = registered(hq, "王填报")
    delivery = Delivery(bot)
    with pytest.raises(DeliveryRefusedError):
        await delivery.send_text(chat_id, "提醒", dedup_key="before")

    assert await open_bound_chats(settings, server_url) == 1
    assert await delivery.send_text(chat_id, "提醒：请填报", dedup_key="after")
    texts = [m["text"] for m in (await control.chat("王填报")).messages]
    assert texts == ["提醒：请填报"]
