"""``nianbao web``: the console and the public report site (``web.app``) under uvicorn.

The composition root of the web process: it builds the settings, the engine, the session signer and a
Temporal cycle client that connects on first use, so the public site and the console's reading pages work
while Temporal is still starting (or down); actions then answer that the cycle cannot be reached.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import date

import uvicorn
from sqlmodel import select
from temporalio.client import Client

from contracts import Actor
from nianbao.connection import connect
from nianbao.settings import Settings
from storage.engine import make_engine, session_scope
from storage.migrate import upgrade
from storage.tables import CycleStatus
from web.app import create_app
from web.clock import CycleClock
from web.cycle_actions import ActionRefusedError, TemporalCycleActions
from web.deps import Services
from web.security import SessionCodec


class LazyCycle:
    """``TemporalCycleActions`` over a client connected on first use (and again after a failure)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: Client | None = None
        self._lock = asyncio.Lock()

    async def _actions(self) -> TemporalCycleActions:
        async with self._lock:
            if self._client is None:
                try:
                    self._client = await asyncio.wait_for(connect(self._settings), 5)
                except (RuntimeError, TimeoutError, OSError):
                    raise ActionRefusedError(
                        f"无法连接年报流程服务（Temporal {self._settings.temporal_address}），请稍后重试"
                    ) from None
            return TemporalCycleActions(self._client, self._settings.task_queue)

    async def remind(self, *, agency_code: str, year: int, actor: Actor) -> int:
        return await (await self._actions()).remind(agency_code=agency_code, year=year, actor=actor)

    async def kickoff(self, *, year: int, agency_codes: tuple[str, ...], start_date: date | None) -> str:
        actions = await self._actions()
        return await actions.kickoff(year=year, agency_codes=agency_codes, start_date=start_date)

    async def today(self, *, agency_code: str, year: int) -> date | None:
        try:
            actions = await self._actions()
        except ActionRefusedError:
            return None
        return await actions.today(agency_code=agency_code, year=year)


def build_services(settings: Settings) -> Services:
    engine = make_engine(settings.database_url)
    cycle = LazyCycle(settings)

    async def today_of(year: int) -> date | None:
        with session_scope(engine) as session:
            codes = session.exec(
                select(CycleStatus.agency_code)
                .where(CycleStatus.year == year, CycleStatus.stage != "published")
                .limit(1)
            ).all()
        return await cycle.today(agency_code=codes[0], year=year) if codes else None

    secret = settings.web_secret.get_secret_value() or secrets.token_urlsafe(32)
    return Services(
        settings=settings,
        engine=engine,
        codec=SessionCodec(secret),
        clock=CycleClock(today_of, settings.day_seconds),
        cycle=cycle,
    )


def run_web(settings: Settings) -> None:
    upgrade(settings.database_url)
    settings.publish_dir.mkdir(parents=True, exist_ok=True)
    host, _, port = settings.web_address.rpartition(":")
    app = create_app(build_services(settings))
    print(
        f"网站：http://{settings.web_address}/ ，工作台：http://{settings.web_address}/console/", flush=True
    )
    uvicorn.run(app, host=host, port=int(port), log_level="warning", server_header=False)
