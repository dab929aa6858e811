"""The operator's replies name the stage that follows, refuse what cannot be right, and undo a wrong start."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from domain.times import BEIJING
from storage.audit import audit_trail
from storage.engine import session_scope
from tests.cli.test_cycle_cli import nianbao
from tests.workflows.cycle_env import (  # noqa: F401 (fixtures used by name)
    REPORTS,
    CycleWorld,
    engine_fixture,
    settings_fixture,
    temporal_env_fixture,
    world_fixture,
)

YEAR = "2019"


async def test_replies_name_the_stage_after_the_action(world: CycleWorld) -> None:
    gxj = world.code("hq-gxj")
    cycle = ("--agency", gxj, "--year", YEAR)
    assert (await nianbao(world, "kickoff", "--year", YEAR, "--agency", gxj)).returncode == 0
    submitted = await nianbao(world, "submit", *cycle, str(next(REPORTS.glob("002_*.txt"))))
    assert "当前阶段：起草中" in submitted.stdout, submitted.stdout + submitted.stderr
    ready = await nianbao(world, "ready", *cycle)
    assert "当前阶段：审核中" in ready.stdout, ready.stdout + ready.stderr

    approved = await nianbao(world, "approve", *cycle, "--as", "钱审核")
    assert "当前阶段：审核中" in approved.stdout, approved.stdout + approved.stderr
    rejected = await nianbao(world, "reject", *cycle, "--as", "孙局长", "--comment", "请补充第五部分")
    assert "当前阶段：起草中" in rejected.stdout, rejected.stdout + rejected.stderr

    assert (await nianbao(world, "ready", *cycle)).returncode == 0
    details = await nianbao(world, "status", "--agency", gxj)
    assert "此前审核意见" in details.stdout, details.stdout + details.stderr
    assert "自上次审核以来：无变化" in details.stdout
    assert "（北京时间）" in details.stdout
    assert (await nianbao(world, "approve", *cycle, "--as", "钱审核")).returncode == 0
    published = await nianbao(world, "approve", *cycle, "--as", "孙局长")
    assert "当前阶段：已发布" in published.stdout, published.stdout + published.stderr


async def test_a_foreign_report_is_refused_and_can_be_taken_as_a_template(world: CycleWorld) -> None:
    xfb = world.code("hq-xfb")
    cycle = ("--agency", xfb, "--year", YEAR)
    assert (await nianbao(world, "kickoff", "--year", YEAR, "--agency", xfb)).returncode == 0
    foreign = str(next(REPORTS.glob("003_*.txt")))
    refused = await nianbao(world, "submit", *cycle, foreign)
    assert refused.returncode == 1
    assert "相城区人民政府办公室" in refused.stderr
    assert "区信访办" in refused.stderr
    template = await nianbao(world, "submit", *cycle, foreign, "--as-template")
    assert template.returncode == 0, template.stderr
    assert "已按模板导入数字" in template.stdout


async def test_kickoff_takes_only_the_years_the_formats_cover(world: CycleWorld) -> None:
    last = datetime.now(BEIJING).year - 1
    for year in ("1999", "2018", str(last + 1), "2100"):
        refused = await nianbao(world, "kickoff", "--year", year)
        assert refused.returncode == 1, year
        assert f"年度须在2019年至{last}年之间" in refused.stderr
    listing = await nianbao(world, "status")
    assert listing.returncode == 1
    assert "没有进行中的年报工作" in listing.stderr


async def test_status_shows_every_open_year_and_an_agency_finds_its_cycles(world: CycleWorld) -> None:
    gxj, xfb = world.code("hq-gxj"), world.code("hq-xfb")
    for year in ("2019", "2020"):
        assert (await nianbao(world, "kickoff", "--year", year, "--agency", gxj, xfb)).returncode == 0
    listing = await nianbao(world, "status")
    assert listing.returncode == 0, listing.stderr
    assert {line.split("\t")[2] for line in listing.stdout.splitlines()[1:]} >= {"2019", "2020"}
    mine = await nianbao(world, "status", "--agency", gxj)
    assert "2019年度报告" in mine.stdout
    assert "2020年度报告" in mine.stdout

    withdrawn = await nianbao(world, "withdraw", "--agency", xfb, "--year", "2020", "--reason", "误启动")
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert "当前阶段：已撤销" in withdrawn.stdout
    listing = await nianbao(world, "status", "--year", "2020")
    assert xfb not in listing.stdout
    assert gxj in listing.stdout
    with session_scope(world.engine) as session:
        [entry] = audit_trail(session=session, agency_code=xfb, year=2020, target="withdraw")
    assert entry.new_value == "误启动"
    again = await nianbao(world, "kickoff", "--year", "2020", "--agency", xfb)
    assert "新启动1个" in again.stdout, again.stdout + again.stderr


async def test_status_piped_into_head_ends_without_a_traceback(world: CycleWorld) -> None:
    assert (await nianbao(world, "kickoff", "--year", YEAR)).returncode == 0
    variables = {
        **os.environ,
        "NIANBAO_TEMPORAL_ADDRESS": world.client.service_client.config.target_host,
        "NIANBAO_DATABASE_URL": world.settings.database_url,
        "NIANBAO_TASK_QUEUE": world.settings.task_queue,
    }
    nianbao_bin = Path(sys.executable).parent / "nianbao"
    command = f"'{nianbao_bin}' status | head -1"
    process = await asyncio.create_subprocess_shell(
        command, env=variables, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert stdout.decode().startswith("机关代码")
    assert "Traceback" not in stderr.decode()
