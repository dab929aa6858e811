"""The dispatcher with every feature router and its dependencies, and the two ways to receive updates."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from temporalio.client import Client

from bot.access import IdentityMiddleware
from bot.cycle import CycleGateway
from bot.errors import register_error_handlers
from bot.identity import Directory
from bot.retry import RetryMiddleware
from bot.routers import (
    approval,
    choosing,
    coordination,
    fallback,
    filling,
    findings,
    registration,
    upload,
)
from bot.throttling import ThrottlingMiddleware


def build_dispatcher(
    *, temporal: Client, directory: Directory, storage: BaseStorage | None = None
) -> Dispatcher:
    """Handlers receive ``identity``, ``directory`` and ``cycle`` (the gateway to every year's cycles).

    One chat's updates are handled one at a time, in order (``SimpleEventIsolation``): a burst of answers
    goes to the questions in the order they were asked. ``storage`` keeps the conversations (the process
    passes one over the database, so a walk survives a restart); memory when none is given.
    """
    dispatcher = Dispatcher(
        storage=storage or MemoryStorage(),
        events_isolation=SimpleEventIsolation(),
        directory=directory,
        cycle=CycleGateway(temporal),
    )
    dispatcher.update.outer_middleware(ThrottlingMiddleware())
    access = IdentityMiddleware(directory)
    dispatcher.message.outer_middleware(access)
    dispatcher.callback_query.outer_middleware(access)
    features = (registration, approval, coordination, choosing, upload, findings, filling, fallback)
    dispatcher.include_routers(*(feature.build_router() for feature in features))
    register_error_handlers(dispatcher)
    return dispatcher


def make_bot(token: str, api_url: str) -> Bot:
    """A bot talking to Telegram, or to any Bot API server such as the local one in ``botapi``."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    session.middleware(RetryMiddleware())
    return Bot(token, session=session)
