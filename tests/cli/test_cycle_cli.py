"""The operator drives a year from the shell: ``nianbao kickoff/status/submit/ready/acknowledge/approve/…``.

Each command runs as its own process against the session's dev server and the test's database, with the
worker running in the test process, exactly as an operator's shell would.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

from contracts import KICKOFF_SCHEDULE_ID
from nianbao.settings import Settings
from tests.workflows.cycle_env import (  # noqa: F401 (fixtures used by name)
    REPORTS,
    CycleWorld,
    engine_fixture,
    published_csv,
    report_document,
    settings_fixture,
    temporal_env_fixture,
    wait_for_status,
    world_fixture,
)

YEAR = "2019"
BEIJING = timezone(timedelta(hours=8))


async def nianbao(world: CycleWorld, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one command as its own process; asynchronously, so the in-process worker keeps working."""
    variables = {
        **os.environ,
        "NIANBAO_TEMPORAL_ADDRESS": world.client.service_client.config.target_host,
        "NIANBAO_DATABASE_URL": world.settings.database_url,
        "NIANBAO_TASK_QUEUE": world.settings.task_queue,
        "NIANBAO_PUBLISH_DIR": str(world.settings.publish_dir),
        "NIANBAO_DAY_SECONDS": str(world.settings.day_seconds),
    }
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "nianbao"),
        *args,
        env=variables,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return subprocess.CompletedProcess(args, process.returncode, stdout.decode(), stderr.decode())


async def test_a_year_driven_from_the_command_line(world: CycleWorld, tmp_path: Path) -> None:
    xfb = world.code("hq-xfb")
    cycle = ("--agency", xfb, "--year", YEAR)
    first = await nianbao(world, "kickoff", "--year", YEAR, "--start-date", "2020-01-02")
    assert first.returncode == 0, first.stderr
    assert "新启动3个" in first.stdout
    assert (
        "新启动0个" in (await nianbao(world, "kickoff", "--year", YEAR, "--start-date", "2020-01-02")).stdout
    )

    listing = await nianbao(world, "status", "--year", YEAR)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.count("起草中") == 3
    assert "2020-01-31" in listing.stdout

    report = next(REPORTS.glob("000_*.txt"))
    submitted = await nianbao(world, "submit", *cycle, str(report))
    assert submitted.returncode == 0, submitted.stderr
    ready = await nianbao(world, "ready", *cycle)
    assert (ready.returncode, "待确认警告" in ready.stdout) == (0, True), ready.stdout + ready.stderr

    too_early = await nianbao(world, "approve", *cycle, "--as", "李审核")
    assert too_early.returncode == 1
    assert "待确认警告" in too_early.stderr
    acknowledged = await nianbao(
        world, "acknowledge", *cycle, "--rule", "cells.money_unit", "--reason", "已核实单位为万元"
    )
    assert acknowledged.returncode == 0, acknowledged.stderr

    wrong_person = await nianbao(world, "approve", *cycle, "--as", "张主任")
    assert wrong_person.returncode == 1
    assert "不是“分管领导审核”环节的审核人" in wrong_person.stderr
    assert (await nianbao(world, "approve", *cycle, "--as", "李审核")).returncode == 0
    assert (await nianbao(world, "reject", *cycle, "--as", "张主任")).returncode == 1
    rejected = await nianbao(world, "reject", *cycle, "--as", "张主任", "--comment", "请补充第五部分")
    assert rejected.returncode == 0, rejected.stderr

    assert (await nianbao(world, "ready", *cycle)).returncode == 0
    assert (await nianbao(world, "approve", *cycle, "--as", "李审核")).returncode == 0
    assert (await nianbao(world, "approve", *cycle, "--as", "张主任")).returncode == 0
    for _ in range(50):
        details = json.loads((await nianbao(world, "status", *cycle, "--json")).stdout)[0]
        if details["stage"] == "published":
            break
        await asyncio.sleep(0.2)
    assert details["stage"] == "published"
    rows = published_csv(details["publications"][0]["location"])
    expected = report_document("000")["sections"]["s3"]["cells"]
    assert {key: rows[key] for key in expected} == {key: str(value) for key, value in expected.items()}

    outbox = await nianbao(world, "outbox")
    assert "已发布" in outbox.stdout
    assert "请补充第五部分" in outbox.stdout


async def test_errors_are_clear_and_exit_nonzero(world: CycleWorld, tmp_path: Path) -> None:
    gxj = world.code("hq-gxj")
    cycle = ("--agency", gxj, "--year", YEAR)
    not_started = await nianbao(world, "ready", *cycle)
    assert not_started.returncode == 1
    assert "尚未启动" in not_started.stderr
    assert (
        await nianbao(world, "kickoff", "--year", YEAR, "--agency", gxj, "--start-date", "2020-01-02")
    ).returncode == 0

    unknown = await nianbao(world, "status", "--agency", "no-such-agency", "--year", YEAR)
    assert (unknown.returncode, "没有代码为「no-such-agency」的机关" in unknown.stderr) == (1, True)
    nobody = await nianbao(world, "ready", *cycle, "--as", "查无此人")
    assert (nobody.returncode, "查无此人" in nobody.stderr) == (1, True)
    outsider = await nianbao(world, "ready", *cycle, "--as", "王填报")
    assert (outsider.returncode, "无权" in outsider.stderr) == (1, True)

    garbage = tmp_path / "notes.txt"
    garbage.write_text("这不是一份年度报告。", encoding="utf-8")
    unreadable = await nianbao(world, "submit", *cycle, str(garbage))
    assert unreadable.returncode == 2, unreadable.stdout + unreadable.stderr

    document = report_document("002")
    document["sections"]["s3"]["cells"]["s3.new.natural"] = 9
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert (await nianbao(world, "submit", *cycle, str(broken))).returncode == 0
    failed = await nianbao(world, "ready", *cycle)
    assert failed.returncode == 1
    assert "s3.balance" in failed.stdout
    assert "起草中" in failed.stdout


async def test_schedule_install_creates_then_updates_and_kicks_off_the_year_just_ended(
    world: CycleWorld,
) -> None:
    created = await nianbao(world, "schedule", "install")
    assert created.returncode == 0, created.stderr
    assert "已创建" in created.stdout
    updated = await nianbao(world, "schedule", "install")
    assert "已更新" in updated.stdout
    assert "-01-01 00:05" in updated.stdout

    schedule = world.client.get_schedule_handle(KICKOFF_SCHEDULE_ID)
    try:
        await schedule.trigger()
        year_just_ended = datetime.now(BEIJING).year - 1
        status = await wait_for_status(world, "hq-gxj", year_just_ended, lambda s: bool(s.deadline))
        assert status.deadline == f"{year_just_ended + 1}-01-31"
    finally:
        await schedule.delete()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body: bytes = response.read()
            return body
    except OSError:
        return None


async def test_web_serves_every_published_revision(settings: Settings) -> None:
    revision = settings.publish_dir / "2019" / "hq" / "r2"
    revision.mkdir(parents=True)
    (revision / "hq-2019-r2.json").write_text('{"meta": {"year": 2019}}', encoding="utf-8")
    address = f"127.0.0.1:{free_port()}"
    variables = {
        **os.environ,
        "NIANBAO_PUBLISH_DIR": str(settings.publish_dir),
        "NIANBAO_WEB_ADDRESS": address,
    }
    server = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "nianbao"), "web", env=variables, stdout=asyncio.subprocess.DEVNULL
    )
    try:
        body = None
        for _ in range(100):
            body = await asyncio.to_thread(fetch, f"http://{address}/2019/hq/r2/hq-2019-r2.json")
            if body is not None:
                break
            await asyncio.sleep(0.2)
        assert body == b'{"meta": {"year": 2019}}'
    finally:
        server.terminate()
        await server.wait()


async def test_operators_read_the_draft_approvers_get_and_every_change_to_it(
    world: CycleWorld, tmp_path: Path
) -> None:
    from contracts import Channel
    from contracts.client import CycleClient
    from domain.document import from_document
    from tests.workflows.cycle_env import start_cycle

    xfb = world.code("hq-xfb")
    cycle = ("--agency", xfb, "--year", YEAR)
    cycles = CycleClient(world.client)
    await start_cycle(world, "hq-xfb", int(YEAR), "2020-01-02")
    await wait_for_status(world, "hq-xfb", int(YEAR), lambda s: bool(s.history))
    officer = world.actor("王填报", Channel.BOT)
    await cycles.submit(
        xfb, int(YEAR), world.actor("王填报", Channel.IMPORT), report_document("000"), "000.txt"
    )
    await cycles.set_cells(xfb, int(YEAR), officer, {"s3.new.natural": "401"})
    await cycles.set_cells(xfb, int(YEAR), officer, {"s3.new.commercial": "７"})

    cells = await nianbao(world, "draft", *cycle, "--cells")
    assert cells.returncode == 0, cells.stderr
    lines = dict(line.split("\t", 1) for line in cells.stdout.splitlines())
    assert (lines["s3.new.natural"], lines["s3.new.commercial"]) == ("401", "7")

    as_json = await nianbao(world, "draft", *cycle, "--json")
    assert from_document(json.loads(as_json.stdout)) == from_document(await cycles.draft(xfb, int(YEAR)))

    target = tmp_path / "draft.docx"
    rendered = await nianbao(world, "draft", *cycle, "--to", "docx", "-o", str(target))
    assert rendered.returncode == 0, rendered.stderr
    assert target.stat().st_size > 10_000

    audit = await nianbao(world, "audit", *cycle)
    assert audit.returncode == 0, audit.stderr
    assert "北京时间" in audit.stdout.splitlines()[0]
    natural = [line for line in audit.stdout.splitlines() if "[s3.new.natural]" in line]
    assert len(natural) == 2  # the import, then the officer's figure
    fields = natural[-1].split("\t")
    assert fields[4:] == ["401", "王填报", "机器人"]
    assert fields[0][:10] == datetime.now(BEIJING).strftime("%Y-%m-%d")

    unknown = await nianbao(world, "draft", "--agency", "nowhere", "--year", YEAR)
    assert unknown.returncode == 1
