"""Every figure an officer gives lands once, in the cell it was asked for: bursts, restarts, any year, variants.

Each test drives the real bot over HTTP and reads the figures back from the draft the cycle holds.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bot.presenters import DURABLE
from contracts import (
    UPDATE_DECLARE_READY,
    UPDATE_SUBMIT_DOCUMENT,
    DeclareReady,
    Stage,
    SubmitDocument,
)
from contracts.client import CycleClient
from domain.document import from_document, to_document
from domain.report import Report
from storage.kinds import RoleName
from tests.bot.conftest import YEAR, Office
from tests.workflows.cycle_env import wait_for_status

REPORTS = Path(__file__).resolve().parents[3] / "shared" / "reports"


async def draft(office: Office, agency: str, year: int = YEAR) -> Report:
    return from_document(await CycleClient(office.world.client).draft(office.world.code(agency), year))


async def test_a_burst_of_answers_lands_each_figure_once_in_its_own_cell(office: Office) -> None:
    await burst_of_answers(office)


async def test_a_burst_while_another_process_holds_the_database_lock_still_lands_in_order(
    office: Office,
) -> None:
    await burst_of_answers(office, lock_seconds=2.0)


async def burst_of_answers(office: Office, *, lock_seconds: float = 0.0) -> None:
    """``/fill``, then 401 … 410 back to back (the database write-locked meanwhile for ``lock_seconds``)."""
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    missing = (await office.world.status("hq-gxj", YEAR)).missing
    await officer.say("/fill")

    figures = [str(n) for n in range(401, 411)]
    async with write_locked(office, lock_seconds):
        sent = [await office.control.say("赵填报", figure) for figure in figures]
    replies = await officer.replies(sent[0]["message_id"] - 1, len(figures))

    report = await draft(office, "hq-gxj")
    assert {key: report.cells[key] for key in missing[: len(figures)]} == dict(
        zip(missing, map(int, figures), strict=False)
    )
    assert sum(1 for value in report.cells.values() if value is not None) == len(figures)
    for figure, reply in zip(figures, replies, strict=True):
        assert reply.startswith("已保存 ")
        assert f"“{figure}”" in reply
        assert DURABLE in reply
    assert (await office.world.status("hq-gxj", YEAR)).filled == len(figures)


@asynccontextmanager
async def write_locked(office: Office, seconds: float) -> AsyncIterator[None]:
    """As another process would: hold the SQLite write lock while the block runs and ``seconds`` after."""
    if not seconds:
        yield
        return
    path = make_url(office.world.settings.database_url).database
    connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        await asyncio.sleep(seconds)
    finally:
        connection.rollback()
        connection.close()


async def test_the_walk_goes_on_after_a_bot_restart(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    missing = (await office.world.status("hq-gxj", YEAR)).missing
    await officer.say("/fill")
    (first,) = await officer.say("5")
    assert "“5”" in first

    await office.bot.restart()
    (second,) = await officer.say("6")
    assert second.startswith("已保存 ")
    assert "“6”" in second
    report = await draft(office, "hq-gxj")
    assert (report.cells[missing[0]], report.cells[missing[1]]) == (5, 6)
    assert (await office.world.status("hq-gxj", YEAR)).filled == 2


async def test_an_answer_delivered_again_is_not_taken_for_the_next_question(office: Office) -> None:
    await office.start_cycle("hq-gxj")
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    missing = (await office.world.status("hq-gxj", YEAR)).missing
    await officer.say("/fill")
    await officer.say("5")
    view = await office.control.chat("赵填报")
    answer = next(m for m in reversed(view.messages) if not m["from"]["is_bot"])
    assert answer["text"] == "5"

    await office.bot.feed({"update_id": 10**9, "message": answer})
    assert (await office.control.chat("赵填报")).version == view.version  # no reply: nothing was done
    report = await draft(office, "hq-gxj")
    assert (report.cells[missing[0]], report.cells[missing[1]]) == (5, None)
    (saved,) = await officer.say("6")
    assert "“6”" in saved
    assert (await draft(office, "hq-gxj")).cells[missing[1]] == 6


async def test_an_officer_with_cycles_of_two_years_chooses_and_each_year_gets_its_own(
    office: Office,
) -> None:
    await office.start_cycle("hq-gxj", 2019)
    await office.start_cycle("hq-gxj", 2020)
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    missing = (await office.world.status("hq-gxj", 2019)).missing

    (question,) = await officer.say("/fill")
    assert "请选择" in question
    card = await officer.last()
    assert buttons(card) == ["区工信局 2020 年度报告（起草中）", "区工信局 2019 年度报告（起草中）"]
    await officer.press(int(card["message_id"]), button=2)
    first_question = str((await officer.last())["text"])
    assert "区工信局 2019 年度报告 · 逐项填报" in first_question
    assert "已填 0/" in first_question
    (saved,) = await officer.say("7")
    assert "“7”" in saved
    assert (await draft(office, "hq-gxj", 2019)).cells[missing[0]] == 7
    assert (await office.world.status("hq-gxj", 2020)).filled == 0

    # The choice is remembered, and /cycle changes it.
    (summary,) = await officer.say("/missing")
    assert "区工信局 2019 年度报告" in summary
    await officer.say("/cycle")
    await officer.press(int((await officer.last())["message_id"]), button=1)
    assert "区工信局 2020 年度报告" in str((await officer.last())["text"])

    # An uploaded report goes to the cycle of the year it reports on, whatever was chosen.
    path = next(REPORTS.glob("002_*.txt"))
    (imported,) = await officer.upload(path.name, path.read_bytes())
    assert imported.startswith(f"已从“{path.name}”导入")
    assert "区工信局 2019 年度报告" in imported
    assert (await office.world.status("hq-gxj", 2020)).filled == 0

    # The 2019 report waits for approval: the reviewer finds it and approves it by button.
    handle = office.world.handle("hq-gxj", 2019)
    await handle.execute_update(UPDATE_DECLARE_READY, DeclareReady(office.world.actor("赵填报")))
    await wait_for_status(office.world, "hq-gxj", 2019, lambda s: s.stage is Stage.APPROVING)
    reviewer = await office.register("钱审核", "hq-gxj", RoleName.REVIEWER)
    _, review_card = await reviewer.say_all("/review")
    assert "区工信局 2019 年度报告 · 分管领导审核（第1轮）" in str(review_card["text"])
    await reviewer.press(int(review_card["message_id"]), button=1)
    assert "您已通过区工信局 2019 年度报告" in str((await reviewer.last())["text"])
    assert len((await office.world.status("hq-gxj", 2019)).approvals) == 1


async def test_guided_filling_of_a_2021_report_keeping_the_single_2019_other_row(office: Office) -> None:
    year = 2021
    await office.start_cycle("hq-gxj", year)
    legacy = Report.blank("2021", agency="区工信局", year=year, legacy_other_row=True)
    for spec in legacy.format.table_cells:
        if not spec.key.startswith("s3.other."):
            legacy.set_cell(spec.key, "0")
    officer_actor = office.world.actor("赵填报")
    await office.world.handle("hq-gxj", year).execute_update(
        UPDATE_SUBMIT_DOCUMENT, SubmitDocument(officer_actor, to_document(legacy), "legacy.txt")
    )
    officer = await office.register("赵填报", "hq-gxj", RoleName.OFFICER)
    other_cells = [s.key for s in legacy.format.table_cells if s.key.startswith("s3.other.")]

    (question,) = await officer.say("/fill")
    assert "（六）" in question
    assert "其他处理" in question
    for figure in range(1, len(other_cells) + 1):
        (reply, *_) = await officer.say(str(figure))
        assert f"“{figure}”" in reply
    report = await draft(office, "hq-gxj", year)
    assert report.format.variant == "legacy_other"
    assert [report.cells[key] for key in other_cells] == list(range(1, len(other_cells) + 1))
    assert (await office.world.status("hq-gxj", year)).missing == ()


def buttons(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
