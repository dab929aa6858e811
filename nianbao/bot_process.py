"""The bot process: the aiogram dispatcher with its directory, the outbox sender, polling or a webhook.

The bot package never touches the database; this entry point gives it a ``Directory`` backed by storage,
keeps its conversations in the database (``nianbao.conversation_storage``) and drains the outbox (the notices the cycle's worker queued) through ``bot.delivery``.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import timedelta, timezone

from aiogram import Bot, Dispatcher
from sqlalchemy import Engine
from sqlmodel import Session

from bot.app import build_dispatcher, make_bot
from bot.delivery import Delivery, DeliveryError, DeliveryRefusedError
from bot.identity import Identity, IssuedCode, RegistrationRefusedError
from bot.keyboards import notice_keyboard
from bot.webhook import webhook
from botapi.app import DEFAULT_TOKEN, running_server
from botapi.client import ControlClient
from botapi.state import user_id_for
from contracts import Role
from nianbao.connection import connect
from nianbao.conversation_storage import DatabaseStorage
from nianbao.settings import Settings
from storage.engine import make_engine, read_scope, session_scope
from storage.errors import ConflictError, InviteRefusedError, NotFoundError
from storage.invites import create_invite, redeem_invite
from storage.kinds import RoleName
from storage.migrate import upgrade
from storage.outbox import claim_pending, mark_failed, mark_sent
from storage.people import chat_ids_of, list_people, person_by_chat, roles_of
from storage.tables import Outbox, Person

OUTBOX_IDLE_SECONDS = 1.0
UNBOUND_RETRY = timedelta(minutes=10)
FAILED_RETRY = timedelta(minutes=1)
CHINA = timezone(timedelta(hours=8))


class StorageDirectory:
    """``bot.identity.Directory`` on the people, chat bindings and invites tables."""

    def __init__(self, engine: Engine, *, invite_ttl: timedelta = timedelta(hours=72)) -> None:
        self._engine = engine
        self._invite_ttl = invite_ttl

    async def identify(self, chat_id: int) -> Identity | None:
        return await asyncio.to_thread(self._identify, chat_id)

    async def redeem(self, *, code: str, chat_id: int, name: str) -> Identity:
        return await asyncio.to_thread(self._redeem, code, chat_id, name)

    async def issue_invite(self, *, agency_code: str, role: Role, issued_by: int) -> IssuedCode:
        return await asyncio.to_thread(self._issue, agency_code, role, issued_by)

    def _issue(self, agency_code: str, role: Role, issued_by: int) -> IssuedCode:
        try:
            with session_scope(self._engine) as session:
                issued = create_invite(
                    session=session,
                    agency_code=agency_code,
                    role=RoleName(role.value),
                    ttl=self._invite_ttl,
                    created_by=issued_by,
                )
        except NotFoundError as missing:
            raise RegistrationRefusedError(str(missing)) from None
        expires = issued.expires_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
        return IssuedCode(issued.code, agency_code, role, expires)

    def _identify(self, chat_id: int) -> Identity | None:
        # A read: no write lock, so a chat is identified while workers write (WAL).
        with read_scope(self._engine) as session:
            person = person_by_chat(session=session, chat_id=chat_id)
            return None if person is None else self._identity(session, person)

    def _redeem(self, code: str, chat_id: int, name: str) -> Identity:
        try:
            with session_scope(self._engine) as session:
                redemption = redeem_invite(session=session, code=code, chat_id=chat_id, name=name)
                return self._identity(session, redemption.person)
        except (InviteRefusedError, ConflictError) as refusal:
            raise RegistrationRefusedError(str(refusal)) from None

    @staticmethod
    def _identity(session: Session, person: Person) -> Identity:
        assert person.id is not None
        roles = roles_of(session=session, person_id=person.id)
        return Identity(person.id, person.name, tuple((code, Role(role.value)) for code, role in roles))


class OutboxSender:
    """Sends what the worker queued, marking each message sent, or failed to be retried later."""

    def __init__(self, engine: Engine, delivery: Delivery) -> None:
        self._engine = engine
        self._delivery = delivery

    async def run_forever(self) -> None:
        while True:
            if not await self.send_due():
                await asyncio.sleep(OUTBOX_IDLE_SECONDS)

    async def send_due(self) -> int:
        """Send every message due now; returns how many were handled."""
        claimed = await asyncio.to_thread(self._claim)
        await asyncio.gather(*(self._send(message) for message in claimed))
        return len(claimed)

    def _claim(self) -> list[Outbox]:
        with session_scope(self._engine) as session:
            return claim_pending(session=session)

    async def _send(self, message: Outbox) -> None:
        assert message.id is not None
        # A person who registered after the notice was queued is reached at the chat bound since.
        chat_id = message.chat_id or await asyncio.to_thread(self._bound_chat, message.person_id)
        if chat_id is None:
            await asyncio.to_thread(self._failed, message.id, "尚未绑定聊天账号", UNBOUND_RETRY)
            return
        try:
            await self._delivery.send_text(
                chat_id,
                message.text,
                dedup_key=message.dedup_key,
                reply_markup=notice_keyboard(message.kind),
            )
        except DeliveryRefusedError as refusal:
            await asyncio.to_thread(self._failed, message.id, str(refusal), UNBOUND_RETRY)
        except DeliveryError as error:
            await asyncio.to_thread(self._failed, message.id, str(error), FAILED_RETRY)
        else:
            await asyncio.to_thread(self._sent, message.id)

    def _bound_chat(self, person_id: int | None) -> int | None:
        if person_id is None:
            return None
        with read_scope(self._engine) as session:
            chats = chat_ids_of(session=session, person_id=person_id)
        return chats[0] if chats else None

    def _sent(self, message_id: int) -> None:
        with session_scope(self._engine) as session:
            mark_sent(session=session, message_id=message_id)

    def _failed(self, message_id: int, error: str, retry_in: timedelta) -> None:
        with session_scope(self._engine) as session:
            mark_failed(session=session, message_id=message_id, error=error, retry_in=retry_in)


@dataclass(frozen=True)
class Receiving:
    """How updates arrive: long polling (no URL), or a webhook at ``webhook_url`` served on ``webhook_port``."""

    webhook_url: str | None = None
    webhook_port: int = 8443


async def serve(settings: Settings, *, local_port: int, receiving: Receiving) -> None:
    """The bot against Telegram when a token is configured, else against a local Bot API server."""
    if settings.bot_token.get_secret_value():
        await run_bot(settings, receiving=receiving)
        return
    async with running_server((DEFAULT_TOKEN,), port=local_port) as url:
        await open_bound_chats(settings, url)
        print(
            f"未配置机器人令牌：使用本地 Bot API 服务器 {url}（用 nianbao chat --as 姓名 对话）", flush=True
        )
        await run_bot(settings, receiving=receiving, api_url=url, token=DEFAULT_TOKEN)


async def open_bound_chats(settings: Settings, url: str) -> int:
    """Open, on a fresh local server, the chat of every person bound to the chat of their own name.

    The local server forgets its chats when it stops; without this, notices to people who registered
    before a restart would be refused as sent to an unknown chat until they spoke again.
    """
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            names = [p.name for p in list_people(session=session) if user_id_for(p.name) in p.chat_ids]
    finally:
        engine.dispose()
    async with ControlClient(url) as control:
        for name in names:
            await control.open_chat(name)
    return len(names)


async def poll(dispatcher: Dispatcher, bot: Bot) -> None:
    """Long polling until cancelled; then the pollers stop before this returns.

    Cancelling ``start_polling`` itself would leave aiogram's polling tasks running, still taking
    updates, after the bot was meant to be gone.
    """
    polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))
    try:
        await asyncio.shield(polling)
    except asyncio.CancelledError:
        try:
            await dispatcher.stop_polling()
        except RuntimeError:  # cancelled before polling began
            polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
        raise


async def run_bot(
    settings: Settings,
    *,
    receiving: Receiving,
    api_url: str | None = None,
    token: str | None = None,
) -> None:
    """Receive updates and drain the outbox until cancelled; conversations are kept in the database."""
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    bot: Bot = make_bot(token or settings.bot_token.get_secret_value(), api_url or settings.bot_api_url)
    directory = StorageDirectory(engine, invite_ttl=timedelta(hours=settings.invite_ttl_hours))
    dispatcher = build_dispatcher(
        temporal=await connect(settings), directory=directory, storage=DatabaseStorage(engine)
    )
    sender = asyncio.create_task(OutboxSender(engine, Delivery(bot)).run_forever())
    try:
        if receiving.webhook_url:
            public_url, port = receiving.webhook_url, receiving.webhook_port
            async with webhook(dispatcher, bot, public_url=public_url, host="0.0.0.0", port=port):
                await asyncio.Event().wait()
        else:
            await poll(dispatcher, bot)
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender
        await bot.session.close()
        engine.dispose()
