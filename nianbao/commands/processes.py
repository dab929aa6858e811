"""``nianbao worker``, ``nianbao web`` and ``nianbao up``: the long-running processes.

``up`` is the whole system on one machine: the Temporal dev server (persistent SQLite file under var/,
custom search attributes registered), migrations, the worker, the publication web server and the bot
(against Telegram when a token is configured, else against the local Bot API server that
``nianbao chat`` talks to), all stopped together on Ctrl-C or SIGTERM. Each child is supervised: one
that exits is restarted with back-off (``nianbao.supervisor``) while the others keep running. Every port
is a setting; ``up`` refuses ports already taken and a Temporal already listening on its address that
lacks the search attributes (it would stall every cycle). ``up --demo`` also loads
deploy/demo/, kicks off the demo year and, with the local Bot API server, binds every demo person to the
local chat of their name so that ``nianbao chat --as NAME`` works at once.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from temporalio.service import RPCError

from botapi.state import user_id_for
from contracts import SEARCH_ATTRIBUTE_TYPES
from nianbao.connection import connect
from nianbao.demo import DEMO_DIR, load_demo
from nianbao.namespace import NamespaceNotReadyError, attribute_problems
from nianbao.settings import Settings, SettingsError, load_settings
from nianbao.supervisor import Child, Supervisor
from nianbao.worker import run_worker
from storage.engine import make_engine, session_scope
from storage.kinds import ROLE_LABELS
from storage.migrate import upgrade
from storage.people import bind_chat, list_people

VAR = Path("var")
SERVER_START_SECONDS = 60


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add ``worker``, ``web`` and ``up`` to the ``nianbao`` parser."""
    worker = subparsers.add_parser("worker", help="运行 Temporal worker（执行年报流程）")
    worker.set_defaults(handler=_worker)
    web = subparsers.add_parser("web", help="网站：已发布报告的公开网站，以及协调人的年报工作台（/console/）")
    web.set_defaults(handler=_web)
    up = subparsers.add_parser(
        "up", help="本机启动全部服务（Temporal 开发服务器、worker 等），Ctrl-C 全部停止"
    )
    up.add_argument("--demo", action="store_true", help="同时载入演示机关、人员，并启动一个年度的年报工作")
    up.set_defaults(handler=_up)


def _worker(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    code = 0
    try:
        asyncio.run(run_worker(settings))
        print("worker 已停止。", flush=True)
    except NamespaceNotReadyError as error:
        print(f"错误：{error}", file=sys.stderr)
        code = 1
    except RuntimeError as error:
        print(f"错误：无法连接 Temporal（{settings.temporal_address}）：{error}", file=sys.stderr)
        code = 1
    # The Temporal client's native threads can abort interpreter shutdown (temporalio/sdk-python#300).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _web(args: argparse.Namespace) -> int:
    """The public report site and the coordinators' console (``nianbao.web_process``)."""
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    from nianbao.web_process import run_web

    run_web(settings)
    return 0


def temporal_binary() -> str:
    return shutil.which("temporal") or str(Path(sys.executable).parent / "temporal")


def server_command(settings: Settings, db_file: Path) -> list[str]:
    host, _, port = settings.temporal_address.rpartition(":")
    command = [temporal_binary(), "server", "start-dev", "--db-filename", str(db_file)]
    command += ["--ip", host, "--port", port, "--log-level", "error"]
    if settings.temporal_ui_port:
        command += ["--ui-port", str(settings.temporal_ui_port)]
    else:
        command.append("--headless")
    for name, kind in SEARCH_ATTRIBUTE_TYPES.items():
        command += ["--search-attribute", f"{name}={kind}"]
    return command


def bot_command(local_port: int) -> list[str]:
    """``nianbao bot``: it serves every open cycle, of any year, and stops on SIGINT."""
    return [sys.executable, "-m", "nianbao", "bot", "--local-port", str(local_port)]


def bind_demo_chats(settings: Settings) -> str:
    """Bind every demo person not yet in a chat to the local server's chat of their name.

    ``nianbao chat --as NAME`` speaks in that chat, so a newcomer finds the officers' prompts already
    there and can answer at once, without an invite code.
    """
    with (DEMO_DIR / "people.csv").open(encoding="utf-8") as rows:
        demo_names = {row["name"] for row in csv.DictReader(rows)}
    engine = make_engine(settings.database_url)
    lines: list[str] = []
    try:
        with session_scope(engine) as session:
            for person in list_people(session=session):
                if person.name not in demo_names:
                    continue
                if not person.chat_ids:
                    bind_chat(session=session, person_id=person.person_id, chat_id=user_id_for(person.name))
                held = "、".join(f"{code} {ROLE_LABELS[role]}" for code, role in person.roles)
                lines.append(f"  nianbao chat --as {person.name}    # {held}")
    finally:
        engine.dispose()
    return "\n".join(["在另一个终端里扮演演示人员与机器人对话（/help 查看可用操作）：", *lines])


def is_listening(address: str) -> bool:
    host, _, port = address.rpartition(":")
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, int(port))) == 0


def wait_for(address: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not is_listening(address):
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Temporal 开发服务器未能启动（{address}），请查看 {VAR / 'temporal.log'}")
        time.sleep(0.2)


def ports_in_use(settings: Settings) -> list[str]:
    """The ports ``up`` would open itself that something else already holds, named by their setting."""
    host = settings.temporal_address.rpartition(":")[0]
    wanted = {"NIANBAO_WEB_ADDRESS": settings.web_address}
    if settings.temporal_ui_port and not is_listening(settings.temporal_address):
        wanted["NIANBAO_TEMPORAL_UI_PORT"] = f"{host}:{settings.temporal_ui_port}"
    if not settings.bot_token.get_secret_value():
        wanted["NIANBAO_LOCAL_BOT_API_PORT"] = f"127.0.0.1:{settings.local_bot_api_port}"
    return [f"{name}（{address}）" for name, address in wanted.items() if is_listening(address)]


async def _shared_temporal_problem(settings: Settings) -> str | None:
    """Why the Temporal already listening on our address cannot be used, or None if it can."""
    try:
        client = await connect(settings)
        problems = await attribute_problems(client)
    except (RuntimeError, RPCError) as error:
        return f"{settings.temporal_address} 上运行的不是可用的 Temporal（{error}）"
    if problems:
        return (
            f"{settings.temporal_address} 上已有一个 Temporal，但命名空间 {settings.temporal_namespace} "
            f"缺少搜索属性（{', '.join(problems)}）：请对它运行 nianbao setup，"
            "或把 NIANBAO_TEMPORAL_ADDRESS 设为空闲端口，由 nianbao up 自行启动"
        )
    return None


def _interrupt(_signum: int, _frame: object) -> None:
    # SIGTERM (docker stop, systemd) stops everything the same way Ctrl-C does.
    raise KeyboardInterrupt


def _up(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    VAR.mkdir(exist_ok=True)
    # Started in the background (``&``, nohup, some supervisors) SIGINT arrives ignored, and children would
    # inherit that and never stop on the SIGINT sent to them below: take it back as Ctrl-C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    supervisor = Supervisor()
    try:
        busy = ports_in_use(settings)
        if busy:
            raise RuntimeError(f"端口已被占用，请换一个端口：{'、'.join(busy)}")
        if is_listening(settings.temporal_address):
            problem = asyncio.run(_shared_temporal_problem(settings))
            if problem:
                raise RuntimeError(problem)
            print(f"使用已在运行的 Temporal：{settings.temporal_address}")
        else:
            log = (VAR / "temporal.log").open("ab")
            command = server_command(settings, VAR / "temporal.db")
            server = supervisor.start(Child("Temporal", command, output=log))
            assert server.process is not None
            wait_for(settings.temporal_address, server.process)
            print(f"Temporal 开发服务器已启动：{settings.temporal_address}（数据在 {VAR / 'temporal.db'}）")
        upgrade(settings.database_url)
        supervisor.start(Child("worker", [sys.executable, "-m", "nianbao", "worker"]))
        supervisor.start(Child("web", [sys.executable, "-m", "nianbao", "web"]))
        if args.demo:
            print(load_demo(settings))
            if not settings.bot_token.get_secret_value():
                print(bind_demo_chats(settings))
        # After the demo's chats are bound: the bot opens them on its local server before it sends anything.
        supervisor.start(Child("bot", bot_command(settings.local_bot_api_port)))
        print("全部服务已启动，按 Ctrl-C 停止；意外退出的服务会自动重启。", flush=True)
        signal.signal(signal.SIGTERM, _interrupt)
        supervisor.run_forever()
    except KeyboardInterrupt:
        print("正在停止……")
        return 0
    except RuntimeError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    finally:
        supervisor.stop_all()
