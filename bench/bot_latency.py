"""Bot reply latency: 500 officers answer a question at once; compared with an echo bot in the same run.

Everything is real and local: the Temporal dev server, the worker with a SQLite file, the local Bot API
server, the nianbao bot (every answer is a workflow update, checked and saved before the reply) and a
bare aiogram echo bot on the same server. Printed: p50/p95 reply latency and answers per second for
both, and the ratios, so the numbers compare across machines. ``python -m bench bot_latency --officers N``; the last line is
``RESULT bot_latency …`` for scripts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiogram import Dispatcher
from aiogram.types import Message
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from bot.app import build_dispatcher, make_bot
from botapi.app import DEFAULT_TOKEN, running_server
from botapi.client import ControlClient
from botapi.state import user_id_for
from contracts import (
    QUERY_STATUS,
    SEARCH_ATTRIBUTE_TYPES,
    CycleInput,
    CycleStatus,
    report_workflow_id,
)
from nianbao.bot_process import StorageDirectory
from nianbao.conversation_storage import DatabaseStorage
from nianbao.settings import Settings
from nianbao.worker import build_worker
from storage.agencies import import_agencies, parse_agency_csv
from storage.engine import make_engine, session_scope
from storage.kinds import RoleName
from storage.migrate import upgrade
from storage.people import add_person_with_role, bind_chat

OFFICERS = 500
START_BATCH = 50
VISIBILITY_POLLS = 120  # half-second polls of the visibility listing before giving up
MAX_REPLY_SECONDS = 60
YEAR = 2019
ECHO_TOKEN = "1000000002:echo-bot"
_KEYS: dict[str, Callable[[str], SearchAttributeKey[Any]]] = {
    "Keyword": SearchAttributeKey.for_keyword,
    "Int": SearchAttributeKey.for_int,
    "Bool": SearchAttributeKey.for_bool,
}


def _seed(settings: Settings, officers: int) -> list[str]:
    """One department per officer under one government; each officer's chat already bound."""
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    rows = ["code,name,kind,parent", "bench,基准市人民政府,government,"]
    rows += [f"b{i:04d},基准部门{i},department,bench" for i in range(officers)]
    names = [f"填报员{i:04d}" for i in range(officers)]
    with session_scope(engine) as session:
        import_agencies(session=session, rows=parse_agency_csv("\n".join(rows) + "\n"))
        for i, name in enumerate(names):
            grant = add_person_with_role(
                session=session, name=name, agency_code=f"b{i:04d}", role=RoleName.OFFICER
            )
            assert grant.person.id is not None
            bind_chat(session=session, person_id=grant.person.id, chat_id=user_id_for(name))
    engine.dispose()
    return names


async def _start_cycles(client: Client, settings: Settings, officers: int) -> None:
    """Start every cycle, then wait (a batch at a time, so queries do not time out) until each has loaded."""
    codes = [f"b{i:04d}" for i in range(officers)]
    for code in codes:
        await client.start_workflow(
            "ReportCycle",
            CycleInput(code, YEAR, f"{YEAR + 1}-01-02"),
            id=report_workflow_id(code, YEAR),
            task_queue=settings.task_queue,
        )

    async def loaded(code: str) -> None:
        handle = client.get_workflow_handle(report_workflow_id(code, YEAR))
        while True:
            with contextlib.suppress(RPCError):
                status = await handle.query(QUERY_STATUS, result_type=CycleStatus)
                if status.history:  # the draft is open and drafting has begun
                    return
            await asyncio.sleep(0.5)

    for batch in range(0, officers, START_BATCH):
        await asyncio.gather(*(loaded(code) for code in codes[batch : batch + START_BATCH]))
    # The bot finds an officer's cycles in Temporal's visibility listing, which lags a little behind.
    listed = f"WorkflowType = 'ReportCycle' AND ExecutionStatus = 'Running' AND NianbaoYear = {YEAR}"
    for _ in range(VISIBILITY_POLLS):
        if (await client.count_workflows(listed)).count >= officers:
            return
        await asyncio.sleep(0.5)
    raise RuntimeError("the cycles never showed in the visibility listing")


@asynccontextmanager
async def _polling(dispatcher: Dispatcher, token: str, url: str) -> AsyncIterator[None]:
    bot = make_bot(token, url)
    task = asyncio.create_task(dispatcher.start_polling(bot, polling_timeout=1, handle_signals=False))
    try:
        yield
    finally:
        await dispatcher.stop_polling()
        await task
        await bot.session.close()


def _echo_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(f"收到：{message.text}")

    return dispatcher


async def _round(
    control: ControlClient, names: list[str], text: str, expect: str
) -> tuple[list[float], float]:
    """Everyone sends ``text`` at once; each latency runs until that person's reply arrives.

    A reply without ``expect`` (a refusal, an apology) is reported: it would make the numbers lie.
    """

    async def one(name: str) -> tuple[float, float, str]:
        start = time.perf_counter()
        sent = await control.say(name, text)
        view = await control.chat(name, after=sent["message_id"], wait=MAX_REPLY_SECONDS)
        replies = [str(m.get("text", "")) for m in view.messages if m["from"]["is_bot"]]
        if not replies:
            raise RuntimeError(f"{name} got no reply to {text!r} within {MAX_REPLY_SECONDS} s")
        return start, time.perf_counter(), replies[0]

    spans = await asyncio.gather(*(one(name) for name in names))
    failed = Counter(reply.splitlines()[0] for *_, reply in spans if expect not in reply)
    for reply, count in failed.items():
        print(f"warning: {count} of {len(names)} replies to {text!r} were {reply!r}")
    first, last = min(s for s, _, _ in spans), max(e for _, e, _ in spans)
    return [end - start for start, end, _ in spans], len(names) / (last - first)


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1]


async def measure(officers: int) -> None:
    directory = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    settings = Settings(
        database_url=f"sqlite:///{directory / 'bench.db'}",
        publish_dir=directory / "published",
        task_queue=f"bench-{uuid.uuid4().hex[:8]}",
    )
    names = _seed(settings, officers)
    binary = shutil.which("temporal") or str(Path(sys.executable).parent / "temporal")
    keys = tuple(_KEYS[kind](name) for name, kind in SEARCH_ATTRIBUTE_TYPES.items())
    async with await WorkflowEnvironment.start_local(
        dev_server_existing_path=binary, search_attributes=keys
    ) as env:
        engine = make_engine(settings.database_url)
        with ThreadPoolExecutor(max_workers=16) as executor:
            async with build_worker(env.client, settings, engine, executor):
                await _start_cycles(env.client, settings, officers)
                # As the bot process composes it: conversations kept in the database.
                nianbao = build_dispatcher(
                    temporal=env.client, directory=StorageDirectory(engine), storage=DatabaseStorage(engine)
                )
                async with (
                    running_server((DEFAULT_TOKEN, ECHO_TOKEN)) as url,
                    _polling(nianbao, DEFAULT_TOKEN, url),
                    _polling(_echo_dispatcher(), ECHO_TOKEN, url),
                    ControlClient(url, max_connections=0) as control,
                    ControlClient(url, bot_token=ECHO_TOKEN, max_connections=0) as echo,
                ):
                    await _round(control, names, "/fill", "已填 0/")
                    bot_latencies, bot_rate = await _round(control, names, "5", "已保存")
                    echo_latencies, echo_rate = await _round(echo, names, "5", "收到")
        engine.dispose()
    shutil.rmtree(directory, ignore_errors=True)
    _print(officers, bot_latencies, bot_rate, echo_latencies, echo_rate)


def _print(officers: int, bot: list[float], bot_rate: float, echo: list[float], echo_rate: float) -> None:
    print(f"{officers} officers answering at once (each answer a checked, saved workflow update)")
    print(f"{'':14}{'p50 ms':>10}{'p95 ms':>10}{'answers/s':>12}")
    for label, latencies, rate in (("nianbao bot", bot, bot_rate), ("echo bot", echo, echo_rate)):
        p50, p95 = _percentile(latencies, 0.5) * 1000, _percentile(latencies, 0.95) * 1000
        print(f"{label:14}{p50:>10.1f}{p95:>10.1f}{rate:>12.1f}")
    ratio_p50 = _percentile(bot, 0.5) / _percentile(echo, 0.5)
    ratio_p95 = _percentile(bot, 0.95) / _percentile(echo, 0.95)
    print(
        f"ratio to echo: p50 ×{ratio_p50:.1f}, p95 ×{ratio_p95:.1f}, throughput ×{bot_rate / echo_rate:.2f}"
    )
    print(
        f"RESULT bot_latency officers={officers}"
        f" p50_ms={_percentile(bot, 0.5) * 1000:.1f} p95_ms={_percentile(bot, 0.95) * 1000:.1f}"
        f" echo_p50_ms={_percentile(echo, 0.5) * 1000:.1f} echo_p95_ms={_percentile(echo, 0.95) * 1000:.1f}"
        f" p95_ratio={ratio_p95:.2f} answers_per_s={bot_rate:.1f} echo_answers_per_s={echo_rate:.1f}",
        flush=True,
    )


def main(argv: list[str]) -> int:
    """``--officers N`` (or a bare ``N``): how many officers answer at once."""
    parser = argparse.ArgumentParser(prog="python -m bench bot_latency")
    parser.add_argument("count", nargs="?", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--officers", type=int, default=None, help=f"officers answering at once ({OFFICERS})")
    args = parser.parse_args(argv)
    asyncio.run(measure(args.officers or args.count or OFFICERS))
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    # The Temporal runtime's threads can abort interpreter shutdown (PyGILState_Release): leave at once.
    sys.stdout.flush()
    os._exit(code)
