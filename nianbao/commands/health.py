"""``nianbao health worker|bot|web``: the container health checks of deploy/compose.yaml.

Exit 0 when the process kind can do its job from here: ``worker`` and ``bot`` reach the database and
Temporal (the namespace holding the search attributes); ``worker`` also sees a worker polling its task
queue (Temporal remembers a poller for some minutes after it left, so this catches a queue nobody
has served for a while, not a worker gone a second ago); ``web`` answers HTTP on ``NIANBAO_WEB_ADDRESS``. Exit 1 with one Chinese line saying what failed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import urllib.request
from typing import Any

from sqlalchemy import text
from temporalio.service import RPCError

from nianbao.connection import connect, exit_after_client
from nianbao.namespace import NamespaceNotReadyError, require_attributes, workflow_pollers
from nianbao.settings import Settings, SettingsError, load_settings
from storage.engine import make_engine

TIMEOUT_SECONDS = 5.0


class UnhealthyError(Exception):
    """What is wrong, in Chinese."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    health = subparsers.add_parser("health", help="健康检查（容器用）：worker、bot 或 web 能否正常工作")
    health.add_argument("kind", choices=("worker", "bot", "web"))
    health.set_defaults(handler=_health)


def _health(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
        if args.kind == "web":
            _web(settings)
        else:
            _database(settings)
            asyncio.run(asyncio.wait_for(_temporal(settings, worker=args.kind == "worker"), TIMEOUT_SECONDS))
    except (SettingsError, UnhealthyError, NamespaceNotReadyError) as problem:
        print(f"不健康：{problem}", file=sys.stderr)
        return exit_after_client(1)
    except TimeoutError:
        print(f"不健康：Temporal 在 {TIMEOUT_SECONDS:g} 秒内没有回答", file=sys.stderr)
        return exit_after_client(1)
    print("健康")
    return exit_after_client(0)


def _web(settings: Settings) -> None:
    host, _, port = settings.web_address.rpartition(":")
    probe_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    try:
        with urllib.request.urlopen(f"http://{probe_host}:{port}/", timeout=TIMEOUT_SECONDS) as response:
            if response.status >= 500:
                raise UnhealthyError(f"网站返回 {response.status}")
    except OSError as error:
        raise UnhealthyError(f"网站没有回答（{settings.web_address}）：{error}") from None


def _database(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        raise UnhealthyError(f"数据库不可用：{type(error).__name__}") from None
    finally:
        engine.dispose()


async def _temporal(settings: Settings, *, worker: bool) -> None:
    try:
        client = await connect(settings)
        await require_attributes(client)
        if worker and not await workflow_pollers(client, settings.task_queue):
            raise UnhealthyError(f"没有 worker 在轮询任务队列 {settings.task_queue}")
    except (RuntimeError, RPCError) as error:
        raise UnhealthyError(f"Temporal 不可用（{settings.temporal_address}）：{error}") from None
