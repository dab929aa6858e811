"""``nianbao setup``: prepare the database and any Temporal namespace for the cycle; safe to run again.

In order: database migrations, the custom search attributes (registered through the operator service
when missing), the yearly kickoff schedule (created or updated), and a look at the task queue (are
workers polling it?). Each step prints one line; the exit code is 0 when the system can run cycles.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from sqlalchemy.engine import make_url
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from contracts import SEARCH_ATTRIBUTE_TYPES
from nianbao.commands.cycle import install_kickoff_schedule
from nianbao.connection import connect, exit_after_client
from nianbao.namespace import NamespaceNotReadyError, register_attributes, workflow_pollers
from nianbao.settings import Settings, SettingsError, load_settings
from storage.migrate import upgrade

EXIT_OK, EXIT_FAILED = 0, 1


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    setup = subparsers.add_parser(
        "setup", help="准备数据库与 Temporal 命名空间：迁移、搜索属性、年度计划、任务队列（可重复运行）"
    )
    setup.add_argument("--no-schedule", action="store_true", help="不安装年度自动启动计划")
    setup.set_defaults(handler=_setup)


def _setup(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_FAILED
    return exit_after_client(asyncio.run(run_setup(settings, schedule=not args.no_schedule)))


async def run_setup(settings: Settings, *, schedule: bool = True) -> int:
    upgrade(settings.database_url)
    # The URL without its password: the backend and the database are what an operator checks.
    print(
        f"数据库：已迁移到最新结构（{make_url(settings.database_url).render_as_string(hide_password=True)}）"
    )
    try:
        client = await connect(settings)
    except RuntimeError as error:
        print(f"错误：无法连接 Temporal（{settings.temporal_address}）：{error}", file=sys.stderr)
        return EXIT_FAILED
    try:
        await _search_attributes(client)
        if schedule:
            print(f"计划：{await install_kickoff_schedule(client, settings.task_queue)}")
        pollers = await workflow_pollers(client, settings.task_queue)
    except NamespaceNotReadyError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_FAILED
    except RPCError as error:
        print(f"错误：Temporal 拒绝了请求（{error.status.name}）：{error.message}", file=sys.stderr)
        return EXIT_FAILED
    if pollers:
        print(f"任务队列 {settings.task_queue}：{pollers} 个 worker 在线")
    else:
        print(f"任务队列 {settings.task_queue}：尚无 worker 在线，请启动 nianbao worker")
    print("准备完毕。")
    return EXIT_OK


async def _search_attributes(client: Client) -> None:
    try:
        added = await register_attributes(client)
    except RPCError as error:
        if error.status is not RPCStatusCode.PERMISSION_DENIED:
            raise
        # Temporal Cloud: namespace API keys may not call the operator service.
        wanted = " ".join(f"--sa {name}={kind}" for name, kind in SEARCH_ATTRIBUTE_TYPES.items())
        raise NamespaceNotReadyError(
            f"无权注册搜索属性（{error.message}）。Temporal Cloud 上请在控制台或用 "
            f"tcld namespace search-attributes add -n {client.namespace} {wanted} 注册后再运行 nianbao setup。"
        ) from None
    names = "、".join(SEARCH_ATTRIBUTE_TYPES)
    print(f"搜索属性：已注册 {'、'.join(added)}" if added else f"搜索属性：{names} 均已存在")
