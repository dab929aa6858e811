from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from botapi.app import DEFAULT_TOKEN, running_server
from botapi.client import ControlClient


@pytest.fixture
async def server_url() -> AsyncIterator[str]:
    async with running_server() as url:
        yield url


@pytest.fixture
async def bot(server_url: str) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server_url))
    async with Bot(DEFAULT_TOKEN, session=session) as client:
        yield client


@pytest.fixture
async def control(server_url: str) -> AsyncIterator[ControlClient]:
    async with ControlClient(server_url) as client:
        yield client
